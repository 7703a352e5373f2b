"""Reads of the public KPI data."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from agency.models import Client
from portfolio.models import Benchmark, ClientMonthSummary


def benchmarks_by_kpi() -> dict[str, list[Benchmark]]:
    """Every benchmark band, grouped by the KPI key it describes (for the scorecards)."""
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.all():
        grouped.setdefault(benchmark.kpi, []).append(benchmark)
    return grouped


def portfolio_month(*, month: dt.date, clients: QuerySet[Client]) -> QuerySet[ClientMonthSummary]:
    """The summary rows of ``month`` for ``clients`` (pass ``clients_for_user(user=…)``): one query."""
    return ClientMonthSummary.objects.filter(month=month, client__in=clients).select_related("client")
