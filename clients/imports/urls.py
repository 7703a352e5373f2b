from django.urls import path

from clients.imports import views

urlpatterns = [
    path("imports/", views.import_start, name="imports"),
    path("imports/preview/<str:kind>/<str:token>/", views.import_preview, name="import_preview"),
    path("imports/detected/<str:token>/", views.import_detected, name="import_detected"),
    path("imports/examples/<str:kind>.csv", views.import_example, name="import_example"),
    path("imports/batches/<int:batch_id>/", views.import_batch, name="import_batch"),
    path("imports/batches/<int:batch_id>/again/", views.import_batch_again_start, name="import_batch_again"),
    path("imports/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("imports/jobs/<int:job_id>/retry/", views.import_job_retry, name="import_job_retry"),
    path("imports/jobs/<int:job_id>/errors.csv", views.import_job_errors, name="import_job_errors"),
]
