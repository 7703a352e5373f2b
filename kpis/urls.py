from django.urls import path

from kpis import views

urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/export.csv", views.scorecard_csv, name="scorecard_csv"),
    path("scorecard/breakdowns/<slug:dimension>/", views.breakdown, name="breakdown"),
    path("scorecard/breakdowns/<slug:dimension>/export.csv", views.breakdown_csv, name="breakdown_csv"),
]
