from django.urls import include, path

from clients import views, views_criteria, views_leads

urlpatterns = [
    path("", views.home, name="home"),
    path("panels/data/", views.panel_data, name="panel_data"),
    path("panels/team/", views.panel_team, name="panel_team"),
    path("leads/", views_leads.lead_list, name="lead_list"),
    path("leads/<str:lead_id>/", views_leads.lead_detail, name="lead_detail"),
    path("criteria/", views_criteria.criteria_versions, name="criteria_versions"),
    path("criteria/new/", views_criteria.criteria_edit, name="criteria_edit"),
    path("criteria/builder/", views_criteria.criteria_builder, name="criteria_builder"),
    path("criteria/backtest/", views_criteria.criteria_backtest, name="criteria_backtest"),
    path("criteria/<int:version>/", views_criteria.criteria_version_detail, name="criteria_version_detail"),
    path("", include("clients.urls_imports")),
    path("", include("clients.urls_api")),
]
