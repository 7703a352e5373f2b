"""Reads of the public KPI data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from agency.models import AccountClaim, Client, ConnectionDue
from agency.selectors import clients_for_user
from portfolio.models import Benchmark, ClientMonthClose, ClientMonthSummary, ConnectionHealth, SourceFailure

# The summary's figures of which any above 0 shows a row dated in the month: how a row without
# ``has_data`` (null: written before it and not filled) is judged. They carry no email or contract
# counts (kpis.datastart.MONTH_ROWS has more), so a row of those is judged by ``has_data`` only.
SUMMARY_RECORDED = ("sessions", "new_leads", "mqls", "sqls", "customers", "marketing_spend")


def summary_has_data(prefix: str = "") -> Q:
    """A condition on ``portfolio.ClientMonthSummary`` (``prefix``: the path to it, "summary__" from a
    client joined to its month's row): anything is recorded in the month, as the month's own page
    judges it (reports.selectors.month_has_data, from the client's snapshot), which the snapshot
    computation writes as ``has_data``; a row without it is judged from its figures. No row: no data."""
    recorded = Q()
    for name in SUMMARY_RECORDED:
        recorded |= Q(**{f"{prefix}{name}__gt": 0})
    return Q(**{f"{prefix}has_data": True}) | (Q(**{f"{prefix}has_data__isnull": True}) & recorded)


def benchmarks_by_kpi() -> dict[str, list[Benchmark]]:
    """Every benchmark band, grouped by the KPI key it describes (for the scorecards)."""
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in Benchmark.objects.all():
        grouped.setdefault(benchmark.kpi, []).append(benchmark)
    return grouped


def benchmark_list() -> QuerySet[Benchmark]:
    """Every benchmark band in the model's order (the console's benchmark page)."""
    return Benchmark.objects.all()


def benchmark_get(*, benchmark_id: int) -> Benchmark | None:
    """One band to edit or remove; None if it was removed meanwhile (the page answers 404)."""
    return Benchmark.objects.filter(pk=benchmark_id).first()


def month_closes_waiting(*, clients: QuerySet[Client]) -> QuerySet[ClientMonthClose]:
    """The months of ``clients`` that wait for the agency: in review, a revision to approve, or
    a client's question to answer; oldest wait first. One query on the public mirror. A month put in
    review with nothing recorded in it and never approved (an older database's, from before "Waiting
    for data") waits for its data, not for the agency: left out, as the close board leaves it out."""
    recorded = ClientMonthSummary.objects.filter(summary_has_data(), client=OuterRef("client"), month=OuterRef("month"))
    in_review = Q(state=ClientMonthClose.State.IN_REVIEW) & (Q(approved_at__isnull=False) | Q(Exists(recorded)))
    waiting = in_review | Q(revision_pending=True) | Q(open_questions__gt=0)
    return (
        ClientMonthClose.objects.filter(waiting, client__in=clients)
        .select_related("client")
        .order_by(F("in_review_since").asc(nulls_last=True), "client__name", "month")
    )


def source_failures_visible(*, user: Any) -> list[SourceFailure]:
    """Failing scheduled sources of the clients ``user`` may open (the portfolio's notice): one query."""
    return list(
        SourceFailure.objects.filter(client__in=clients_for_user(user=user))
        .select_related("client")
        .order_by("client__name", "source_name")
    )


def connections_broken_visible(*, user: Any, now: Any) -> list[ConnectionHealth]:
    """Connections of the clients ``user`` may open that are failing, need re-authorisation, or whose
    token expires within 7 days (the portfolio's notice): one query.

    Each with ``due_at`` (when the nightly dispatcher next runs it; None: not until someone acts) and
    ``account_id`` (the platform account it reads), from the public indexes the syncs keep, so the
    notice can say what to do as the client's Imports page does."""
    broken = Q(state__in=["failing", "reauth"]) | Q(token_expires_at__lte=now + dt.timedelta(days=7))
    same = {"client": OuterRef("client"), "platform": OuterRef("platform")}
    return list(
        ConnectionHealth.objects.filter(broken, client__in=clients_for_user(user=user))
        .annotate(due_at=Subquery(ConnectionDue.objects.filter(**same).values("due_at")[:1]),
                  account_id=Subquery(AccountClaim.objects.filter(**same).values("account_id")[:1]))
        .select_related("client")
        .order_by("client__name", "platform")
    )
