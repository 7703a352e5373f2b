from django.urls import path

from clients.api import screens, views

urlpatterns = [
    path("api/v1/leads", views.leads, name="api_leads"),
    path("api/v1/activities", views.activities, name="api_activities"),
    path("api/v1/spend", views.spend, name="api_spend"),
    path("settings/api-tokens/", screens.api_tokens, name="api_tokens"),
    path("settings/api-tokens/<int:token_id>/revoke/", screens.api_token_revoke_view, name="api_token_revoke"),
]
