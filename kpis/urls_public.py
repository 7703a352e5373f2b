"""KPI screens at the agency console (public schema)."""

from django.urls import include, path

urlpatterns = [
    path("benchmarks/", include("portfolio.urls")),
]
