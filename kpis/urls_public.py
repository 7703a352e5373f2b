"""KPI screens at the agency console (public schema): the portfolio and the benchmarks."""

from django.urls import include, path

from kpis import views_portfolio, views_report, views_template

urlpatterns = [
    path("portfolio/", views_portfolio.portfolio, name="portfolio"),
    path("clients/<slug:slug>/report/", views_report.client_report_settings, name="client_report_settings"),
    path("clients/<slug:slug>/template/", views_template.client_template, name="client_template"),
    path("benchmarks/", include("portfolio.urls")),
]
