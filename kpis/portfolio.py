"""The agency portfolio: every client the user may see, with its month's headline KPIs, in one query.

Reads the public ``portfolio.ClientMonthSummary`` rows (written with each snapshot) through
filtered joins, so 500 clients cost one query and no client schema is opened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import F, FilteredRelation, Q, QuerySet

from agency.models import Client, Membership, User
from agency.months import Month
from agency.selectors import clients_for_user
from kpis import catalogue
from kpis.catalogue import Better, headline_kpis, target_in_range
from kpis.scorecard import target_status
from portfolio.models import ClientMonthClose, ClientMonthSummary, SourceFailure, Target

# The catalogue's headline KPIs: typed columns of the public summary, so sortable in SQL.
COLUMNS = tuple(k.key for k in headline_kpis())
ALERT_CHANGE = 0.25  # a move of a quarter or more against the previous month is flagged


def portfolio_rows(
    *, user: User, month: dt.date, query: str = "", sort: str = "name", descending: bool = False
) -> QuerySet[Client]:
    clients = clients_for_user(user=user).annotate(
        now=FilteredRelation("month_summaries", condition=Q(month_summaries__month=month)),
        before=FilteredRelation("month_summaries", condition=Q(month_summaries__month=(Month.of(month) - 1).first_day)),
        **{column: F(f"now__{column}") for column in COLUMNS},
        **{f"{column}_before": F(f"before__{column}") for column in COLUMNS},
        computed_at=F("now__computed_at"),
    )
    if query:
        clients = clients.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if sort in COLUMNS:
        order = F(sort).desc(nulls_last=True) if descending else F(sort).asc(nulls_last=True)
        return clients.order_by(order, "name")
    return clients.order_by("-name" if descending else "name")


def alerts(client: Any) -> list[dict[str, Any]]:
    """KPIs that moved past ALERT_CHANGE against the previous month in the bad direction (the
    catalogue's); a KPI that is neither good nor bad news when it moves raises none."""
    found = []
    for column in COLUMNS:
        better = catalogue.kpi(column).better
        now, before = getattr(client, column), getattr(client, f"{column}_before")
        if better == Better.NEUTRAL or now is None or before in (None, 0):
            continue
        change = (now - before) / abs(before)
        worse = change < -ALERT_CHANGE if better == Better.UP else change > ALERT_CHANGE
        if worse:
            found.append({"kpi": column, "change": change})
    return found


def targets_by_client(*, clients: list[Client], month: dt.date) -> dict[int, dict[str, float]]:
    """The month's headline targets of these clients: one query."""
    found: dict[int, dict[str, float]] = {}
    for client_id, kpi, value in Target.objects.filter(
        client__in=[c.pk for c in clients], month=month, kpi__in=COLUMNS
    ).values_list("client_id", "kpi", "value"):
        if target_in_range(kpi, value):
            found.setdefault(client_id, {})[kpi] = value
    return found


def target_summary(client: Any, targets: dict[str, float]) -> dict[str, Any]:
    """How many headline targets the client met, and which it missed."""
    met, missed = [], []
    for kpi, target in targets.items():
        status = target_status(kpi, getattr(client, kpi), target)
        if status is True:
            met.append(kpi)
        elif status is False:
            missed.append(kpi)
    return {"met": met, "missed": missed, "total": len(targets)}


def portfolio_stamp(*, user: User, month: dt.date) -> str:
    """What the portfolio page depends on, from light aggregates in one round trip: summaries of the
    month and the one before, the month's targets, the clients (and their settings) and the user's
    assignments (which also decide the header's client switcher), the monthly closes waiting for
    the agency and the failing scheduled sources."""
    summary, target = ClientMonthSummary._meta.db_table, Target._meta.db_table
    client, membership = Client._meta.db_table, Membership._meta.db_table
    close, failure = ClientMonthClose._meta.db_table, SourceFailure._meta.db_table
    sql = f"""
        SELECT (SELECT count(*) || ':' || coalesce(max(computed_at)::text, '') FROM {summary} WHERE month IN (%s, %s)),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {target} WHERE month = %s),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {client}),
               (SELECT count(*) || ':' || coalesce(max(id)::text, '') FROM {membership} WHERE user_id = %s),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {close}),
               (SELECT count(*) || ':' || coalesce(max(id)::text, '') || ':' || coalesce(max(failed_at)::text, '')
                FROM {failure})
    """  # table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [month, (Month.of(month) - 1).first_day, month, user.pk])
        return "|".join(cursor.fetchone())
