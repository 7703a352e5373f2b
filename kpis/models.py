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

