from django.urls import path

from clients.sources import views

urlpatterns = [
    path("sources/scheduled/", views.scheduled_sources, name="scheduled_sources"),
    path("sources/scheduled/<int:pk>/", views.scheduled_source_detail, name="scheduled_source_detail"),
    path("sources/scheduled/<int:pk>/run/", views.scheduled_source_run, name="scheduled_source_run"),
    path("sources/scheduled/<int:pk>/remove/", views.scheduled_source_remove, name="scheduled_source_remove"),
]
