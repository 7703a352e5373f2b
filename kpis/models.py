"""Monthly KPI snapshots, in each client's own schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


class HeadlineFigures(models.Model):
    """The headline KPIs as typed columns, for sorting and filtering: shared by a client's
    snapshots and by the public portfolio summary that mirrors them."""

    sessions = models.BigIntegerField(default=0)
    new_leads = models.BigIntegerField(default=0)
    mqls = models.BigIntegerField(default=0)
    sqls = models.BigIntegerField(default=0)
    customers = models.BigIntegerField(default=0)
    marketing_spend = models.FloatField(default=0)
    revenue = models.FloatField(default=0)
    cpl = models.FloatField(null=True, blank=True)
    cac = models.FloatField(null=True, blank=True)
    romi = models.FloatField(null=True, blank=True)
    gross_mrr_churn_rate = models.FloatField(null=True, blank=True)
    contract_ltv = models.FloatField(null=True, blank=True)

    HEADLINE = (
        "sessions",
        "new_leads",
        "mqls",
        "sqls",
        "customers",
        "marketing_spend",
        "revenue",
        "cpl",
        "cac",
        "romi",
        "gross_mrr_churn_rate",
        "contract_ltv",
    )

    class Meta:
        abstract = True

    @classmethod
    def figures_from(cls, kpis: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
        """The columns ``names`` from a snapshot document's KPIs. An undefined KPI stays NULL where the
        column allows it; counts and sums, which are never undefined in a document, fall back to 0."""
        return {
            name: kpis.get(name) if kpis.get(name) is not None else (None if cls._meta.get_field(name).null else 0)
            for name in names
        }


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
        return self.month.strftime("%Y-%m")


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


class ScorecardEmail(models.Model):
    """A monthly scorecard email sent to one user: the unique key makes sending safe to repeat."""

    month = models.DateField()
    user_id = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "user_id"], name="scorecard_email_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} → {self.user_id}"
