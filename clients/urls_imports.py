from django.urls import path

from clients import views_imports

urlpatterns = [
    path("imports/", views_imports.import_start, name="imports"),
    path("imports/preview/<str:kind>/<str:token>/", views_imports.import_preview, name="import_preview"),
    path("imports/detected/<str:token>/", views_imports.import_detected, name="import_detected"),
    path("imports/examples/<str:kind>.csv", views_imports.import_example, name="import_example"),
    path("imports/jobs/<int:job_id>/", views_imports.import_job, name="import_job"),
    path("imports/jobs/<int:job_id>/retry/", views_imports.import_job_retry, name="import_job_retry"),
    path("imports/jobs/<int:job_id>/errors.csv", views_imports.import_job_errors, name="import_job_errors"),
]
