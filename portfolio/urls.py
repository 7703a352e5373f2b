"""Benchmark screens at the console (included by kpis.urls_public under ``benchmarks/``)."""

from django.urls import path

from portfolio import views

urlpatterns = [
    path("", views.benchmark_list, name="benchmark_list"),
    path("new/", views.benchmark_add, name="benchmark_add"),
    path("<int:pk>/", views.benchmark_edit, name="benchmark_edit"),
    path("<int:pk>/remove/", views.benchmark_remove, name="benchmark_remove"),
]
