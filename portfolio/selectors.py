"""Reads of the public KPI data."""

from __future__ import annotations

from portfolio.models import Benchmark


def benchmarks_by_kpi() -> dict[str, list[Benchmark]]:
    """Every benchmark band, grouped by the KPI key it describes (for the scorecards)."""
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.all():
        grouped.setdefault(benchmark.kpi, []).append(benchmark)
    return grouped

