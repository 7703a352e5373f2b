"""The console's URLs of the ad platforms' consent: the OAuth callback and the agency's apps."""

from django.urls import path

from clients.connectors import views_oauth
from clients.connectors.consent import CALLBACK_PATH

urlpatterns = [
    path(CALLBACK_PATH.strip("/") + "/", views_oauth.oauth_callback, name="oauth_callback"),
    path("connections/apps/", views_oauth.platform_apps, name="platform_apps"),
]
