"""The agency portfolio: every client the user may see, with its month's headline KPIs, in one query.

Reads the public ``portfolio.ClientMonthSummary`` rows (written with each snapshot) and the
counts of the month's checks (``portfolio.ClientMonthChecks``, kpis.checks) through filtered
joins, so 500 clients cost one query and no client schema is opened. The fixed "±25 % against
the month before" alerts are gone: the checks judge each client against its own history, per
working day (docs/monthly-close.md "Checks").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Case, F, FilteredRelation, Q, QuerySet, Value, When

from agency.models import Client, Membership, User
from agency.months import Month
from agency.selectors import clients_for_user
from kpis.catalogue import Unit, headline_kpis, target_in_range
from kpis.catalogue import kpi as kpi_of
from kpis.nodata import LEAD_FIGURES, figure_source, summary_revenue_unknown
from kpis.nospend import SPEND_FIGURES, spend_figure_unknown
from kpis.scorecard import target_status
from portfolio.models import ClientMonthChecks, ClientMonthClose, ClientMonthSummary, ConnectionHealth, SourceFailure, Target

# The catalogue's headline KPIs: typed columns of the public summary, so sortable in SQL.
COLUMNS = tuple(k.key for k in headline_kpis())
# The markup of the portfolio's cached table (kpis.views_portfolio), which its key carries beside
# the figures' stamp: bump it when kpis/portfolio.html's table changes, so pages cached before a
# deploy are drawn again at once, not after their hour (CODE_VERSION moves with the figures' code).
# 7: abbreviated headers (CAC, ROMI), the sticky header row; 8: "— no traffic loaded", "— no deal values";
# 9: "— no leads loaded".
PORTFOLIO_LAYOUT = "9"
# Every client; those needing attention (checks open, a target missed or no figures yet: judged
# by kpis.views_portfolio, as the targets are); those with checks to look at; clean months only.
SHOW = ("all", "attention", "checks", "clean")
# Amounts in the client's currency: sorted within each currency, never one against another (a
# client's 37,000 MX$ is not more than another's €30,000).
MONEY_COLUMNS = frozenset(c for c in COLUMNS if kpi_of(c).unit == Unit.MONEY)
# Revenue figures that read "—" for a month whose new customers have no deal value (kpis.nodata).
UNPRICED_COLUMNS = frozenset(c for c in COLUMNS if summary_revenue_unknown(c, customers=1, revenue=0))
# Figures built on leads: "—" for a client without any lead source up to the month's end (kpis.nodata).
LEAD_COLUMNS = frozenset(COLUMNS) & LEAD_FIGURES


def lead_figure_unknown_in(client: Any, key: str, *, before: bool = False) -> bool:
    """``key`` of a portfolio row (of its month, or of the month before) is a lead figure of a client
    without any lead source up to that month's end (``has_leads`` false; null: a row from before it was
    kept, read as loaded)."""
    return key in LEAD_COLUMNS and getattr(client, "before_has_leads" if before else "has_leads", None) is False


def portfolio_rows(
    *,
    user: User,
    month: dt.date,
    query: str = "",
    sort: str = "name",
    descending: bool = False,
    show: str = "all",
    mine: bool = False,
) -> QuerySet[Client]:
    """``show``: "checks" keeps the clients whose month has checks left open; "clean" those whose
    month was checked and has none open (a month not yet checked is neither). ``mine``: only the
    clients the user is assigned to (an admin sees every client otherwise). ``sort``: a headline
    KPI (an amount within its currency: the currencies by code, then the amounts), "checks" (the
    most high-severity checks open first when descending, then the most open), or the name."""
    previous = (Month.of(month) - 1).first_day
    clients = clients_for_user(user=user).annotate(
        now=FilteredRelation("month_summaries", condition=Q(month_summaries__month=month)),
        # The month before, for each figure's change (kpis.views_portfolio): the same one query.
        before=FilteredRelation("month_summaries", condition=Q(month_summaries__month=previous)),
        **{f"before_{column}": F(f"before__{column}") for column in COLUMNS},
        before_has_spend=F("before__has_spend"),
        before_has_traffic=F("before__has_traffic"),
        before_has_leads=F("before__has_leads"),
        checked=FilteredRelation("month_checks", condition=Q(month_checks__month=month)),
        **{column: F(f"now__{column}") for column in COLUMNS},
        computed_at=F("now__computed_at"),
        has_spend=F("now__has_spend"),
        has_traffic=F("now__has_traffic"),
        has_leads=F("now__has_leads"),
        checks_total=F("checked__total"),
        checks_open=F("checked__open"),
        checks_open_high=F("checked__open_high"),
    )
    if mine:
        clients = clients.filter(pk__in=Membership.objects.filter(user=user).values("client_id"))
    if query:
        clients = clients.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if show == "checks":
        clients = clients.filter(checks_open__gt=0)
    elif show == "clean":
        clients = clients.filter(checks_open=0, computed_at__isnull=False)
    if sort in COLUMNS:
        # A figure that reads "—" is sorted with the unknown values, last, not as the cheapest (or the
        # fewest) at its stored 0; a cost per lead may be unknown for two reasons: every one counts.
        unknown = []
        if sort in SPEND_FIGURES:  # no spend loaded up to the month's end (kpis.nospend)
            unknown.append(When(has_spend=False, then=Value(None)))
        if sort in LEAD_COLUMNS:  # no lead source up to the month's end: new leads, CPL "—" (kpis.nodata)
            unknown.append(When(has_leads=False, then=Value(None)))
        if sort in UNPRICED_COLUMNS:  # new customers without a deal value: ROMI "—", not −100 % (kpis.nodata)
            unknown.append(When(customers__gt=0, revenue=0, then=Value(None)))
        if figure_source(sort) == "traffic":  # no traffic row in the month: sessions "—", not 0 (kpis.nodata)
            unknown.append(When(has_traffic=False, then=Value(None)))
        value = Case(*unknown, default=F(sort)) if unknown else F(sort)
        order = value.desc(nulls_last=True) if descending else value.asc(nulls_last=True)
        return clients.order_by(*(["currency"] if sort in MONEY_COLUMNS else []), order, "name")
    if sort == "checks":
        high, open_ = F("checks_open_high"), F("checks_open")
        if descending:
            return clients.order_by(high.desc(nulls_last=True), open_.desc(nulls_last=True), "name")
        return clients.order_by(high.asc(nulls_last=True), open_.asc(nulls_last=True), "name")
    return clients.order_by("-name" if descending else "name")


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
    has_spend = getattr(client, "has_spend", None) is not False  # null: a row from before it was kept
    for kpi, target in targets.items():
        value = None if spend_figure_unknown(kpi, has_spend=has_spend) else getattr(client, kpi)
        if summary_revenue_unknown(kpi, customers=getattr(client, "customers", None), revenue=getattr(client, "revenue", None)):
            value = None  # ROMI unknown (customers without a deal value, kpis.nodata): neither met nor missed
        if figure_source(kpi) == "traffic" and getattr(client, "has_traffic", None) is False:
            value = None  # sessions of a month without traffic rows (kpis.nodata)
        if lead_figure_unknown_in(client, kpi):
            value = None  # new leads, CPL… of a client without any lead source (kpis.nodata)
        status = target_status(kpi, value, target)  # an unknown cost neither meets nor misses its target
        if status is True:
            met.append(kpi)
        elif status is False:
            missed.append(kpi)
    return {"met": met, "missed": missed, "total": len(targets)}


def portfolio_stamp(*, user: User, month: dt.date) -> str:
    """What the portfolio page depends on, from light aggregates in one round trip: summaries of the
    month and the one before (and how many had spend loaded: a backdated spend file changes a month's
    costs from — to its figures without recomputing it, kpis.nospend; likewise how many had a lead
    source, kpis.nodata), the month's targets, the
    clients (and their settings) and the user's
    assignments (which also decide the header's client switcher), the monthly closes waiting for
    the agency, the failing scheduled sources and the month's check counts and the connections' health."""
    summary, target = ClientMonthSummary._meta.db_table, Target._meta.db_table
    client, membership = Client._meta.db_table, Membership._meta.db_table
    close, failure, checks = ClientMonthClose._meta.db_table, SourceFailure._meta.db_table, ClientMonthChecks._meta.db_table
    health = ConnectionHealth._meta.db_table
    sql = f"""
        SELECT (SELECT count(*) || ':' || coalesce(max(computed_at)::text, '') || ':' || count(*) FILTER (WHERE has_spend)
                       || ':' || count(*) FILTER (WHERE has_leads)
                FROM {summary} WHERE month IN (%s, %s)),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {target} WHERE month = %s),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {client}),
               (SELECT count(*) || ':' || coalesce(max(id)::text, '') FROM {membership} WHERE user_id = %s),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {close}),
               (SELECT count(*) || ':' || coalesce(max(id)::text, '') || ':' || coalesce(max(failed_at)::text, '')
                FROM {failure}),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {checks} WHERE month = %s),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {health})
    """  # table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [month, (Month.of(month) - 1).first_day, month, user.pk, month])
        return "|".join(cursor.fetchone())
