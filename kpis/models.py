"""Monthly KPI snapshots, in each client's own schema."""

from __future__ import annotations

from django.db import models

from agency.months import Month
from portfolio.models import HeadlineFigures


class Snapshot(HeadlineFigures):
    """One client's KPIs for one calendar month (its time zone): the export document of formats.md.

    ``document`` holds every key of kpis.md and the breakdowns; the typed columns repeat the
    headline figures for sorting and filtering. One row per month: recomputing upserts it.
    """

    month = models.DateField(unique=True, help_text="first day of the month")
    document = models.JSONField()
    criteria_version = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField()
    code_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return str(Month.of(self.month))


class Annotation(models.Model):
    """Context for a month ("site redesign launched"), shown on the sparklines and the scorecard."""

    month = models.DateField(help_text="first day of the month", db_index=True)
    text = models.CharField(max_length=300)
    author = models.ForeignKey(
        "agency.User", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "created_at"]

    def __str__(self) -> str:
        return self.text


class CheckResult(models.Model):
    """One finding of a month's checks (kpis.checks), stored with the snapshot it was computed from.

    One row per month, check and subject: recomputing upserts the figures and keeps a resolution;
    a finding the data no longer shows is removed. Staff resolve a finding with a note on the
    month's close page (reports.services.check_resolve); the note stays in the month's history.
    """

    month = models.DateField(help_text="first day of the month")
    key = models.CharField(max_length=60)
    subject = models.CharField(max_length=200, blank=True, default="")
    family = models.CharField(max_length=20)
    severity = models.CharField(max_length=10)
    figures = models.JSONField(default=dict)
    link = models.CharField(max_length=300, blank=True, default="")
    computed_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by_name = models.CharField(max_length=150, blank=True, default="")
    resolution_note = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["month", "key", "subject"]
        constraints = [models.UniqueConstraint(fields=["month", "key", "subject"], name="check_result_once")]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} {self.key} {self.subject}"
