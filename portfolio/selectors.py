"""Reads of the public KPI data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from agency.selectors import clients_for_user
from portfolio.models import Benchmark, SourceFailure


def benchmarks_by_kpi() -> dict[str, list[Benchmark]]:
    """Every benchmark band, grouped by the KPI key it describes (for the scorecards)."""
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.all():
        grouped.setdefault(benchmark.kpi, []).append(benchmark)
    return grouped


def benchmark_rates(*, bands: dict[str, list[Benchmark]], currency: str, day: dt.date) -> dict[str, tuple[Decimal, dt.date]]:
    """The agency's reference rates (units per 1 EUR) on or before ``day`` within the 7-day rule,
    for the client's currency and those of the money bands in another: what converts a band
    (kpis.scorecard.band_conversion). A currency without such a rate is left out. One query per
    currency, only when some band needs converting."""
    from clients.sources.currencies import RateBook

    others = {
        (b.currency or "").upper()
        for group in bands.values()
        for b in group
        if b.unit == Benchmark.Unit.MONEY and b.currency and b.currency.upper() != currency.upper()
    }
    if not others:
        return {}
    book = RateBook()
    rates = {}
    for code in sorted(others | {currency.upper()}):
        if code == "EUR":
            continue
        found = book.per_euro(code, day)
        if found is not None:
            rates[code] = found
    return rates


def benchmarks_for_month(*, currency: str, month: dt.date) -> dict[str, Any]:
    """The keyword arguments ``kpis.scorecard.tiles`` needs for benchmarks: every band, and the rates
    of the month's last day (or of today while the month runs: a later rate does not exist yet)."""
    from django.utils import timezone

    from agency.months import Month

    bands = benchmarks_by_kpi()
    day = min(Month.of(month).last_day, timezone.localdate())
    return {"benchmarks": bands, "rates": benchmark_rates(bands=bands, currency=currency, day=day)}


def source_failures_visible(*, user: Any) -> list[SourceFailure]:
    """Failing scheduled sources of the clients ``user`` may open (the portfolio's notice): one query."""
    return list(
        SourceFailure.objects.filter(client__in=clients_for_user(user=user)).select_related("client")
        .order_by("client__name", "source_name")
    )
