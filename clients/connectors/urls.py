from django.urls import path

from clients.connectors import views, views_oauth

urlpatterns = [
    path("imports/connections/", views.connections_panel, name="connections_panel"),
    path("imports/connections/<slug:platform>/connect/", views.connection_connect_view, name="connection_connect"),
    path("imports/connections/<slug:platform>/account/", views_oauth.connection_account_view, name="connection_account"),
    path("imports/connections/<slug:platform>/sync/", views.connection_sync_view, name="connection_sync"),
    path("imports/connections/<slug:platform>/disconnect/", views.connection_disconnect_view,
         name="connection_disconnect"),
]
