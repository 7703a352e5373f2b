from django.urls import path

from clients import views_sources

urlpatterns = [
    path("sources/scheduled/", views_sources.scheduled_sources, name="scheduled_sources"),
    path("sources/scheduled/<int:pk>/", views_sources.scheduled_source_detail, name="scheduled_source_detail"),
    path("sources/scheduled/<int:pk>/run/", views_sources.scheduled_source_run, name="scheduled_source_run"),
    path("sources/scheduled/<int:pk>/remove/", views_sources.scheduled_source_remove, name="scheduled_source_remove"),
]
