"""URLs served at a client's host (its own schema)."""

from django.urls import include, path

urlpatterns = [
    path("", include("agency.urls_auth")),
    path("", include("clients.urls")),
    path("", include("kpis.urls")),
    path("", include("reports.urls")),
]
