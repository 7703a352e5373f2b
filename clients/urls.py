from django.urls import include, path

from clients import views

urlpatterns = [
    path("", views.home, name="home"),
    path("panels/data/", views.panel_data, name="panel_data"),
    path("panels/team/", views.panel_team, name="panel_team"),
    path("", include("clients.urls_imports")),
    path("", include("clients.urls_api")),
]
