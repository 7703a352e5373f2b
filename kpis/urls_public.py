"""KPI screens at the agency console (public schema): the portfolio and the benchmarks."""

from django.urls import include, path

from kpis import views_portfolio

urlpatterns = [
    path("portfolio/", views_portfolio.portfolio, name="portfolio"),
    path("benchmarks/", include("portfolio.urls")),
]
