"""Monthly KPI snapshots, in each client's own schema."""

from __future__ import annotations

from django.db import models


class Snapshot(models.Model):
    """One client's KPIs for one calendar month (its time zone): the export document of formats.md.

    ``document`` holds every key of kpis.md and the breakdowns; the typed columns repeat the
    headline figures for sorting and filtering. One row per month: recomputing upserts it.
    """

    month = models.DateField(unique=True, help_text="first day of the month")
    document = models.JSONField()
    criteria_version = models.PositiveIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField()
    code_version = models.CharField(max_length=20)
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
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")
