"""The inputs of monthly snapshots, gathered with set-based SQL in the client's time zone.

``snapshot_inputs`` reads a whole range of months with a fixed number of queries — one per
source table, each one pass grouped by month (and by breakdown member through GROUPING
SETS) — so computing 24 months costs about what one month does. Timestamps are bucketed by
``date_trunc('month', ts AT TIME ZONE <client tz>)``; dates are already local.

Contracts, holidays, campaigns and criteria versions are small reference tables: they are read
whole and handed to pure functions (kpis.formulas), which is clearer than SQL for the
contract lifetime value's renewals and segments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from clients.models import Campaign, Contract, CriteriaVersion, Holiday
from clients.qualification import local_midnight

LEAD_EVENTS = ("new", "mql", "ready", "sql", "sal", "opp", "customer")
DIMENSIONS = ("channel", "device", "persona", "campaign", "social")


def month_add(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def month_last_day(month: dt.date) -> dt.date:
    return month_add(month, 1) - dt.timedelta(days=1)


@dataclass
class Inputs:
    """Everything the snapshots of a month range need, keyed by month (first day)."""

    traffic: dict[dt.date, dict[str, Any]] = field(default_factory=dict)
    traffic_members: dict[dt.date, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    # lead_counts[month][event] = {"count", "revenue", "marketing_count", "marketing_revenue"}
    lead_counts: dict[dt.date, dict[str, dict[str, float]]] = field(default_factory=dict)
    # lead_members[month][dimension][member][event] = {"count", "revenue"}
    lead_members: dict[dt.date, dict[str, dict[str, dict[str, dict[str, float]]]]] = field(default_factory=dict)
    new_lead_stats: dict[dt.date, dict[str, Any]] = field(default_factory=dict)
    database_size: dict[dt.date, int] = field(default_factory=dict)
    opted_out: dict[dt.date, int] = field(default_factory=dict)
    earliest_lead: dt.datetime | None = None
    email: dict[dt.date, dict[str, int]] = field(default_factory=dict)
    # spend[month][(category, campaign id or "")] = amount
    spend: dict[dt.date, dict[tuple[str, str], float]] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    contracts: list[Contract] = field(default_factory=list)
    holidays: set[dt.date] = field(default_factory=set)
    criteria_versions: list[CriteriaVersion] = field(default_factory=list)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _leads(inputs: Inputs, tz: str, start: dt.datetime, end: dt.datetime) -> None:
    """Funnel events by month and by breakdown member: one pass over the leads."""
    rows = _fetch(
        f"""
        WITH l AS (
            SELECT l.created_at, l.mql_at, l.sales_ready_at, l.sql_at, l.sal_at, l.opportunity_at, l.customer_at,
                   l.origin = 'marketing' AS marketing, COALESCE(l.deal_value, 0) AS deal,
                   COALESCE(NULLIF(l.channel, ''), c.channel, 'direct') AS channel, l.device, l.persona,
                   COALESCE(l.campaign_id, '') AS campaign, COALESCE(c.social_network, '') AS social
            FROM clients_lead l LEFT JOIN clients_campaign c ON c.id = l.campaign_id
        ), ev AS (
            SELECT ev.kind, date_trunc('month', ev.at AT TIME ZONE %s)::date AS month, l.*
            FROM l CROSS JOIN LATERAL (VALUES {
            ", ".join(
                f"('{kind}', {column})"
                for kind, column in zip(
                    LEAD_EVENTS,
                    ("created_at", "mql_at", "sales_ready_at", "sql_at", "sal_at", "opportunity_at", "customer_at"),
                    strict=True,
                )
            )
        }) AS ev(kind, at)
            WHERE ev.at >= %s AND ev.at < %s
        )
        SELECT kind, month, GROUPING(channel, device, persona, campaign, social) AS level,
               channel, device, persona, campaign, social,
               count(*), sum(deal), count(*) FILTER (WHERE marketing), COALESCE(sum(deal) FILTER (WHERE marketing), 0)
        FROM ev
        GROUP BY GROUPING SETS ((kind, month), (kind, month, channel), (kind, month, device), (kind, month, persona),
                                (kind, month, campaign), (kind, month, social))
        """,
        [tz, start, end],
    )
    for kind, month, level, channel, device, persona, campaign, social, count, revenue, m_count, m_revenue in rows:
        figures = {
            "count": count,
            "revenue": float(revenue or 0),
            "marketing_count": m_count,
            "marketing_revenue": float(m_revenue or 0),
        }
        if level == 0b11111:
            inputs.lead_counts.setdefault(month, {})[kind] = figures
            continue
        for dimension, member in zip(DIMENSIONS, (channel, device, persona, campaign, social), strict=True):
            if member is not None and member != "":
                members = inputs.lead_members.setdefault(month, {}).setdefault(dimension, {})
                members.setdefault(member, {})[kind] = figures


def _new_lead_stats(inputs: Inputs, tz: str, start: dt.datetime, end: dt.datetime) -> None:
    """Speed to lead and nurture counts of the leads created in each month."""
    rows = _fetch(
        """
        SELECT date_trunc('month', l.created_at AT TIME ZONE %s)::date AS month,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.first_contacted_at - l.created_at) / 3600.0),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM l.first_contacted_at - l.created_at) / 3600.0),
               count(*) FILTER (WHERE l.first_contacted_at - l.created_at <= interval '4 hours'),
               count(*) FILTER (WHERE l.first_contacted_at IS NULL),
               count(*) FILTER (WHERE c.nurture)
        FROM clients_lead l LEFT JOIN clients_campaign c ON c.id = l.campaign_id
        WHERE l.created_at >= %s AND l.created_at < %s
        GROUP BY 1
        """,
        [tz, start, end],
    )
    for month, median, p90, within_4h, uncontacted, nurture in rows:
        inputs.new_lead_stats[month] = {
            "median_response_hours": median,
            "p90_response_hours": p90,
            "contacted_within_4h": within_4h,
            "uncontacted": uncontacted,
            "nurture_leads": nurture,
        }


def _database(inputs: Inputs, tz: str, months: list[dt.date], start: dt.datetime, end: dt.datetime) -> None:
    """Database size at each month's end and the opt-outs of each month, from monthly counts.

    A lead is in the database at instant E when created ≤ E and not unsubscribed ≤ E, i.e. until
    GREATEST(created_at, unsubscribed_at): size(E) = leads created by E − leads gone by E.
    """
    ((before_created, before_gone, earliest),) = _fetch(
        """
        SELECT count(*) FILTER (WHERE created_at < %s),
               count(*) FILTER (WHERE unsubscribed_at IS NOT NULL AND GREATEST(created_at, unsubscribed_at) < %s),
               min(created_at)
        FROM clients_lead
        """,
        [start, start],
    )
    inputs.earliest_lead = earliest
    rows = _fetch(
        """
        SELECT ev.kind, date_trunc('month', ev.at AT TIME ZONE %s)::date, count(*),
               count(*) FILTER (
                   WHERE date_trunc('month', l.created_at AT TIME ZONE %s) < date_trunc('month', ev.at AT TIME ZONE %s)
               )
        FROM clients_lead l CROSS JOIN LATERAL (VALUES
            ('created', l.created_at),
            ('gone', CASE WHEN l.unsubscribed_at IS NOT NULL THEN GREATEST(l.created_at, l.unsubscribed_at) END),
            ('unsubscribed', l.unsubscribed_at)
        ) AS ev(kind, at)
        WHERE ev.at >= %s AND ev.at < %s
        GROUP BY 1, 2
        """,
        [tz, tz, tz, start, end],
    )
    by_month: dict[tuple[str, dt.date], tuple[int, int]] = {(kind, month): (n, prior) for kind, month, n, prior in rows}
    created, gone = before_created, before_gone
    for month in months:
        created += by_month.get(("created", month), (0, 0))[0]
        gone += by_month.get(("gone", month), (0, 0))[0]
        inputs.database_size[month] = created - gone
        inputs.opted_out[month] = by_month.get(("unsubscribed", month), (0, 0))[1]


def _traffic(inputs: Inputs, first: dt.date, after: dt.date) -> None:
    rows = _fetch(
        """
        SELECT month, GROUPING(channel, device, landing_page, social_network) AS level,
               channel, device, landing_page, social_network,
               sum(sessions), sum(bounced_sessions), sum(form_submissions),
               COALESCE(sum(sessions) FILTER (WHERE landing_page <> ''), 0),
               COALESCE(sum(form_submissions) FILTER (WHERE landing_page <> ''), 0),
               COALESCE(sum(sessions) FILTER (WHERE channel = 'organic_search'), 0),
               COALESCE(sum(sessions) FILTER (WHERE channel IN ('organic_social', 'paid_social')), 0),
               COALESCE(sum(sessions) FILTER (WHERE device = 'mobile'), 0),
               COALESCE(sum(bounced_sessions) FILTER (WHERE device = 'mobile'), 0),
               count(DISTINCT landing_page) FILTER (WHERE landing_page <> '' AND sessions > 0)
        FROM (SELECT date_trunc('month', date)::date AS month, * FROM clients_trafficrow WHERE date >= %s AND date < %s) t
        GROUP BY GROUPING SETS ((month), (month, channel), (month, device), (month, landing_page), (month, social_network))
        """,
        [first, after],
    )
    for (
        month,
        level,
        channel,
        device,
        landing_page,
        social,
        sessions,
        bounced,
        forms,
        lp_sessions,
        lp_forms,
        organic,
        social_sessions,
        mobile,
        mobile_bounced,
        pages,
    ) in rows:
        figures = {
            "sessions": int(sessions),
            "bounced": int(bounced),
            "form_submissions": int(forms),
            "lp_sessions": int(lp_sessions),
            "lp_forms": int(lp_forms),
        }
        if level == 0b1111:
            inputs.traffic[month] = {
                **figures,
                "organic": int(organic),
                "social": int(social_sessions),
                "mobile": int(mobile),
                "mobile_bounced": int(mobile_bounced),
                "active_landing_pages": pages,
            }
            continue
        for dimension, member in (("channel", channel), ("device", device), ("landing_page", landing_page), ("social", social)):
            if member is not None and member != "":
                inputs.traffic_members.setdefault(month, {}).setdefault(dimension, {})[member] = figures


def _email(inputs: Inputs, first: dt.date, after: dt.date) -> None:
    rows = _fetch(
        """
        SELECT date_trunc('month', date)::date, sum(sent), sum(delivered), sum(unique_opens), sum(unique_clicks),
               sum(unsubscribes)
        FROM clients_emailrow WHERE date >= %s AND date < %s GROUP BY 1
        """,
        [first, after],
    )
    for month, sent, delivered, opens, clicks, unsubscribes in rows:
        inputs.email[month] = {
            "sent": int(sent),
            "delivered": int(delivered),
            "unique_opens": int(opens),
            "unique_clicks": int(clicks),
            "unsubscribes": int(unsubscribes),
        }


def _spend(inputs: Inputs, first: dt.date, after: dt.date) -> None:
    rows = _fetch(
        """
        SELECT date_trunc('month', date)::date, category, COALESCE(campaign_id, ''), sum(amount)
        FROM clients_spend WHERE date >= %s AND date < %s GROUP BY 1, 2, 3
        """,
        [first, after],
    )
    for month, category, campaign, amount in rows:
        inputs.spend.setdefault(month, {})[(category, campaign)] = float(amount)


def snapshot_inputs(*, months: list[dt.date], timezone: str) -> Inputs:
    """All inputs for ``months`` (first days), plus the 3 months before them (trends, uplift)."""
    zone = ZoneInfo(timezone)
    span = [
        month_add(min(months), -3 + i)
        for i in range((max(months).year - min(months).year) * 12 + max(months).month - min(months).month + 4)
    ]
    first, after = span[0], month_add(span[-1], 1)
    start, end = local_midnight(first, zone), local_midnight(after, zone)
    inputs = Inputs(zone=zone)
    _leads(inputs, timezone, start, end)
    _new_lead_stats(inputs, timezone, start, end)
    _database(inputs, timezone, span, start, end)
    _traffic(inputs, first, after)
    _email(inputs, first, after)
    _spend(inputs, first, after)
    inputs.campaigns = {c.id: c for c in Campaign.objects.all()}
    inputs.contracts = list(Contract.objects.all())
    inputs.holidays = set(Holiday.objects.values_list("date", flat=True))
    inputs.criteria_versions = list(CriteriaVersion.objects.all())
    return inputs


def data_months(*, timezone: str) -> list[dt.date]:
    """Every month from the earliest to the latest dated row of the client's data."""
    ((low, high),) = _fetch(
        """
        SELECT min(m), max(m) FROM (
            SELECT date_trunc('month', min(created_at) AT TIME ZONE %s)::date AS m FROM clients_lead
            UNION ALL SELECT date_trunc('month', max(created_at) AT TIME ZONE %s)::date FROM clients_lead
            UNION ALL SELECT date_trunc('month', max(customer_at) AT TIME ZONE %s)::date FROM clients_lead
            UNION ALL SELECT date_trunc('month', min(date))::date FROM clients_trafficrow
            UNION ALL SELECT date_trunc('month', max(date))::date FROM clients_trafficrow
            UNION ALL SELECT date_trunc('month', min(date))::date FROM clients_spend
            UNION ALL SELECT date_trunc('month', max(date))::date FROM clients_spend
            UNION ALL SELECT date_trunc('month', min(date))::date FROM clients_emailrow
            UNION ALL SELECT date_trunc('month', max(date))::date FROM clients_emailrow
        ) bounds
        """,
        [timezone, timezone, timezone],
    )
    if low is None:
        return []
    months, month = [], low
    while month <= high:
        months.append(month)
        month = month_add(month, 1)
    return months


def trailing_rates(*, before: dt.date, timezone: str) -> dict[str, float | None]:
    """The funnel's conversion rates over the 12 months before ``before``, as sums (not means of months)."""
    from kpis.formulas.common import ratio

    months = [month_add(before, -12 + i) for i in range(12)]
    inputs = snapshot_inputs(months=months, timezone=timezone)

    def total(event: str) -> float:
        return sum(inputs.lead_counts.get(m, {}).get(event, {}).get("count", 0) for m in months)

    sessions = sum(inputs.traffic.get(m, {}).get("sessions", 0) for m in months)
    return {
        "sql_to_customer": ratio(total("customer"), total("sql")),
        "mql_to_sql": ratio(total("sql"), total("mql")),
        "lead_to_mql": ratio(total("mql"), total("new")),
        "traffic_to_lead": ratio(total("new"), sessions),
    }
