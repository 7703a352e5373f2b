"""Reads of the public KPI data."""

from __future__ import annotations

from typing import Any

from agency.selectors import clients_for_user
from portfolio.models import Benchmark, SourceFailure


def benchmarks_by_kpi() -> dict[str, list[Benchmark]]:
    """Every benchmark band, grouped by the KPI key it describes (for the scorecards)."""
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.all():
        grouped.setdefault(benchmark.kpi, []).append(benchmark)
    return grouped


def source_failures_visible(*, user: Any) -> list[SourceFailure]:
    """Failing scheduled sources of the clients ``user`` may open (the portfolio's notice): one query."""
    return list(
        SourceFailure.objects.filter(client__in=clients_for_user(user=user)).select_related("client")
        .order_by("client__name", "source_name")
    )
