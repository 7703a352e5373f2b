from django.urls import path

from kpis import views, views_context, views_glossary, views_targets

urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard/export.csv", views.scorecard_csv, name="scorecard_csv"),
    path("scorecard/export.pdf", views.scorecard_pdf_view, name="scorecard_pdf"),
    path("scorecard/breakdowns/<slug:dimension>/", views.breakdown, name="breakdown"),
    path("scorecard/breakdowns/<slug:dimension>/export.csv", views.breakdown_csv, name="breakdown_csv"),
    path("scorecard/notes/", views_context.annotation_add, name="annotation_add"),
    path("scorecard/targets/", views_context.target_set_view, name="target_set"),
    path("targets/", views_targets.targets_edit, name="targets_edit"),
    path("scorecard/recompute/", views_context.recompute, name="recompute"),
    path("scorecard/recompute/<int:job_id>/", views_context.recompute_status, name="recompute_status"),
    path("scorecard/recompute/<int:job_id>/retry/", views_context.recompute_retry, name="recompute_retry"),
    path("planner/", views_context.planner, name="planner"),
    path("glossary/", views_glossary.glossary, name="glossary"),
]
