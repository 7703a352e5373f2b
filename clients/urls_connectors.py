from django.urls import path

from clients import views_connectors, views_oauth

urlpatterns = [
    path("imports/connections/", views_connectors.connections_panel, name="connections_panel"),
    path("imports/connections/<slug:platform>/connect/", views_connectors.connection_connect_view, name="connection_connect"),
    path("imports/connections/<slug:platform>/account/", views_oauth.connection_account_view, name="connection_account"),
    path("imports/connections/<slug:platform>/sync/", views_connectors.connection_sync_view, name="connection_sync"),
    path("imports/connections/<slug:platform>/disconnect/", views_connectors.connection_disconnect_view,
         name="connection_disconnect"),
]
