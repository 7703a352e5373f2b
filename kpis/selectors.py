"""The inputs of monthly snapshots, gathered with set-based SQL in the client's time zone.

``snapshot_inputs`` reads a whole range of months with a fixed number of queries — two passes
over the leads (everything countable in one, the response-time percentiles in the other) and
one per other source table, each grouped by month (and by breakdown member through GROUPING
SETS) — so computing 24 months costs about what one month does. Timestamps are bucketed into
the client's months by ``width_bucket`` over the months' first instants (local midnight in the
client's zone, as UTC instants: the same months as ``date_trunc('month', ts AT TIME ZONE tz)``,
at a fraction of the cost per row); dates are already local. bench/kpi_engine.py measures it.

Contracts, holidays, campaigns and criteria versions are small reference tables: they are read
whole and handed to pure functions (kpis.formulas), which is clearer than SQL for the
contract lifetime value's renewals and segments.
"""

from __future__ import annotations

import datetime as dt
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Subquery
from django.utils import timezone as django_timezone

from agency.models import ExchangeRate
from agency.months import Month
from clients.models import Activity, Campaign, CriteriaVersion, EmailRow, Holiday, Lead, Persona, Spend, TrafficRow
from clients.selectors import revenue_data_exists
from clients.sources.currencies import MAX_AGE as RATE_MAX_AGE
from clients.sources.currencies import RateBook
from kpis.catalogue import target_in_range
from kpis.checks.base import SnapshotFacts
from kpis.datastart import MONTH_ROWS, PRESENCE, sources_present
from kpis.draft import DraftInputs
from kpis.formulas.common import ratio
from kpis.formulas.contracts import Contract as ContractRecord
from kpis.models import Annotation, Snapshot
from kpis.nocontact import contact_times_loaded
from kpis.nodata import document_facts, source_loaded
from kpis.nospend import document_known, frozen_has_spend, spend_loaded
from kpis.pacing import MonthFigures, quarter_months, working_days_in
from kpis.report import frozen_converted, frozen_days, frozen_names, report_frozen
from kpis.scorecard import Scorecard
from kpis.selectors_report import report_period
from portfolio.models import Benchmark, Target
from portfolio.selectors import benchmarks_by_kpi

LEAD_EVENTS = ("new", "mql", "ready", "sql", "sal", "opp", "customer")
DIMENSIONS = ("channel", "device", "persona", "campaign", "social")


@dataclass(frozen=True)
class CampaignRecord:
    """What the snapshots read of a campaign: its channel (spend by channel) and name (the checks)."""

    id: str
    name: str
    channel: str


@dataclass(frozen=True)
class VersionRecord:
    """A criteria version's number and the day it took effect (the document's ``criteria_version``)."""

    version: int
    effective_from: dt.date


@dataclass
class Inputs:
    """Everything the snapshots of a month range need, keyed by month (first day)."""

    traffic: dict[dt.date, dict[str, Any]] = field(default_factory=dict)
    traffic_members: dict[dt.date, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    # lead_counts[month][event] = {"count", "revenue", "marketing_count", "marketing_revenue"}
    lead_counts: dict[dt.date, dict[str, dict[str, float]]] = field(default_factory=dict)
    # lead_members[month][dimension][member][event] = {"count", "revenue", …, "unpriced": leads without a deal value}
    lead_members: dict[dt.date, dict[str, dict[str, dict[str, dict[str, float]]]]] = field(default_factory=dict)
    new_lead_stats: dict[dt.date, dict[str, Any]] = field(default_factory=dict)
    database_size: dict[dt.date, int] = field(default_factory=dict)
    opted_out: dict[dt.date, int] = field(default_factory=dict)
    # leads created in the month with neither a channel nor a campaign (the checks' tracking.leads_unattributed)
    unattributed: dict[dt.date, int] = field(default_factory=dict)
    earliest_lead: dt.datetime | None = None
    first_spend: dt.date | None = None  # the client's first spend row's date (kpis.nospend), whatever the months
    email: dict[dt.date, dict[str, int]] = field(default_factory=dict)
    # spend[month][(category, campaign id or "")] = amount
    spend: dict[dt.date, dict[tuple[str, str], float]] = field(default_factory=dict)
    # ads[month][(platform, campaign id or "")] = the ad rows' sums (AD_SUMS; None: no row gives the column)
    ads: dict[dt.date, dict[tuple[str, str], dict[str, float | None]]] = field(default_factory=dict)
    campaigns: dict[str, CampaignRecord] = field(default_factory=dict)
    contracts: list[ContractRecord] = field(default_factory=list)
    holidays: set[dt.date] = field(default_factory=set)
    criteria_versions: list[VersionRecord] = field(default_factory=list)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Deal values are summed in the lead scan as whole cents (``bigint``): an exact sum that PostgreSQL adds
# in 128-bit integers rather than ``numeric``, and Python reads as an ``int``. The cents' quotient by
# 100 (a correctly rounded division) is the float nearest the exact sum, as ``float(Decimal)`` was.
DEAL_CENTS = 10 ** Lead._meta.get_field("deal_value").decimal_places
EVENT_COLUMNS = ("created_at", "mql_at", "sales_ready_at", "sql_at", "sal_at", "opportunity_at", "customer_at")


def month_edges(span: list[dt.date], zone: ZoneInfo) -> list[dt.datetime]:
    """The first instant of each month of ``span`` and of the month after it (len(span) + 1 instants).

    ``width_bucket(ts, bounds)`` then gives a timestamp's month as an index: i (1 … len(span))
    for span[i − 1], 0 before the span, len(span) + 1 after it. A binary search over a
    constant array costs far less per row than ``date_trunc('month', ts AT TIME ZONE tz)``.
    """
    months = [Month.of(day) for day in span]
    return [month.bounds(zone)[0] for month in months] + [months[-1].bounds(zone)[1]]


def _array(instants: list[dt.datetime]) -> str:
    """The month edges as one ``timestamptz[]`` literal, written once per computation.

    A list parameter is dumped again at each of its places in a statement (eleven in the lead
    scan), element by element through psycopg's escaping: a fixed cost of every client's task
    that a text literal, cast in SQL (``%(b)s::timestamptz[]``), does not have.
    """
    return "{" + ",".join(instant.isoformat() for instant in instants) + "}"


def _lead_scan(inputs: Inputs, span: list[dt.date], bounds: list[dt.datetime]) -> None:
    """The lead scan over the whole table, on the caller's connection."""
    _lead_scan_apply(inputs, span, [_lead_scan_rows(span, bounds)])


def _lead_scan_rows(
    span: list[dt.date], bounds: list[dt.datetime], created: tuple[dt.datetime | None, dt.datetime | None] = (None, None)
) -> list[tuple]:
    """Funnel events by month and breakdown member, database size, opt-outs and speed-to-lead counts.

    One pass over the leads: every lead falls into a fine group (campaign, raw channel, device,
    persona, origin, and the month index of each of its timestamps: 13 keys); there are few such groups
    (tens of thousands for a million leads), and everything else is rolled up from them in the
    same statement: the funnel events with GROUPING SETS per breakdown dimension (a lead's
    channel resolved through its campaign only now, on the groups), the monthly counts of
    leads created and leaving the database, the opt-outs, the per-month speed-to-lead and
    nurture counts, and the leads without channel or campaign (for the month's checks, which
    would otherwise read every lead again: ``check_facts``). Leads created before the span land
    in index 0, which the database size needs.

    ``created`` (from, before) reads only the leads created in that range (``None``: unbounded):
    every row is a sum, so the rows of disjoint ranges add up to those of all leads
    (``_lead_scan_apply``), and the ranges' fine groups are disjoint but for the month a cut falls in
    (their creation months differ), so the roll-up is not done twice over.
    """
    since, before = created
    where = ["l.created_at >= %(since)s"] if since is not None else []
    where += ["l.created_at < %(before)s"] if before is not None else []
    n = len(span)
    events = ", ".join(f"('{kind}', f.{kind})" for kind in LEAD_EVENTS)
    buckets = ",\n".join(
        f"width_bucket(l.{column}, %(b)s::timestamptz[]) AS {kind}"
        for kind, column in zip(LEAD_EVENTS, EVENT_COLUMNS, strict=True)
    )
    return _fetch(
        f"""
        WITH fine AS (
            SELECT l.campaign_id, l.channel, l.device, l.persona, l.origin = 'marketing' AS marketing,
                   {buckets},
                   width_bucket(l.unsubscribed_at, %(b)s::timestamptz[]) AS unsubscribed,
                   count(*)::int AS n, (COALESCE(sum(l.deal_value), 0) * {DEAL_CENTS})::bigint AS deal,
                   (count(*) FILTER (WHERE l.first_contacted_at - l.created_at <= interval '4 hours'))::int AS fast,
                   (count(*) FILTER (WHERE l.first_contacted_at IS NULL))::int AS uncontacted,
                   (count(*) FILTER (WHERE l.deal_value IS NULL))::int AS nodeal
            FROM clients_lead l
            {"WHERE " + " AND ".join(where) if where else ""}
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
        ), f AS (
            -- left the database: unsubscribed, not before creation; width_bucket is monotonic, so the month of
            -- GREATEST(created_at, unsubscribed_at) is the later of the two months, worked out on the groups
            SELECT fine.*, CASE WHEN fine.unsubscribed IS NOT NULL THEN GREATEST(fine.new, fine.unsubscribed) END AS gone,
                   COALESCE(NULLIF(fine.channel, ''), c.channel, 'direct') AS resolved,
                   COALESCE(fine.campaign_id, '') AS campaign, COALESCE(c.social_network, '') AS social,
                   COALESCE(c.nurture, false) AS nurture
            FROM fine LEFT JOIN clients_campaign c ON c.id = fine.campaign_id
        )
        SELECT ev.kind, ev.m, GROUPING(resolved, device, persona, campaign, social),
               resolved, device, persona, campaign, social,
               sum(n), sum(deal)::bigint, COALESCE(sum(n) FILTER (WHERE marketing), 0),
               COALESCE(sum(deal) FILTER (WHERE marketing), 0)::bigint, sum(nodeal)
        FROM f CROSS JOIN LATERAL (VALUES {events}) AS ev(kind, m)
        WHERE ev.m BETWEEN 1 AND %(n)s
        GROUP BY GROUPING SETS ((ev.kind, ev.m), (ev.kind, ev.m, resolved), (ev.kind, ev.m, device),
                                (ev.kind, ev.m, persona), (ev.kind, ev.m, campaign), (ev.kind, ev.m, social))
        UNION ALL
        SELECT 'db:created', new, NULL, NULL, NULL, NULL, NULL, NULL, sum(n), NULL, NULL, NULL, NULL FROM f GROUP BY new
        UNION ALL
        SELECT 'db:gone', gone, NULL, NULL, NULL, NULL, NULL, NULL, sum(n), NULL, NULL, NULL, NULL
        FROM f WHERE gone IS NOT NULL GROUP BY gone
        UNION ALL
        SELECT 'db:opted_out', unsubscribed, NULL, NULL, NULL, NULL, NULL, NULL, sum(n), NULL, NULL, NULL, NULL
        FROM f WHERE unsubscribed BETWEEN 1 AND %(n)s AND new < unsubscribed GROUP BY unsubscribed
        UNION ALL
        SELECT 'db:unattributed', new, NULL, NULL, NULL, NULL, NULL, NULL, sum(n), NULL, NULL, NULL, NULL
        FROM f WHERE new BETWEEN 1 AND %(n)s AND channel = '' AND campaign_id IS NULL GROUP BY new
        UNION ALL
        SELECT 'stats', new, NULL, NULL, NULL, NULL, NULL, NULL, sum(fast), sum(uncontacted),
               COALESCE(sum(n) FILTER (WHERE nurture), 0), NULL, NULL
        FROM f WHERE new BETWEEN 1 AND %(n)s GROUP BY new
        """,
        {"b": _array(bounds), "n": n, "since": since, "before": before},
    )


# The lead scan's GROUPING(resolved, device, persona, campaign, social) of each dimension's grouping set
# (the first argument the highest bit; 1: rolled up), with the dimension and its member's column in a row.
_LEVEL_DIMENSION = {0b11111 ^ (1 << (4 - i)): (dimension, 3 + i) for i, dimension in enumerate(DIMENSIONS)}


def _lead_scan_apply(inputs: Inputs, span: list[dt.date], parts: list[list[tuple]]) -> None:
    """The lead scan's rows into ``inputs``. The rows of several ranges of leads are summed first,
    exactly (counts and whole cents, made floats only once added)."""
    n = len(span)
    rows = parts[0]
    if len(parts) > 1:
        summed: dict[tuple, list[Any]] = {}
        for row in (row for part in parts for row in part):
            key, values = row[:8], row[8:]
            total = summed.setdefault(key, [None] * len(values))
            summed[key] = [b if a is None else a if b is None else a + b for a, b in zip(total, values, strict=True)]
        rows = [key + tuple(values) for key, values in summed.items()]
    created = dict.fromkeys(range(n + 2), 0)
    gone = dict.fromkeys(range(n + 2), 0)
    members_of = inputs.lead_members
    for row in rows:
        kind, index, level, count, revenue, m_count, m_revenue, nodeal = *row[:3], *row[8:]
        if kind == "db:created":
            created[index] += int(count)
        elif kind == "db:gone":
            gone[index] += int(count)
        elif kind == "db:opted_out":
            inputs.opted_out[span[index - 1]] = int(count)
        elif kind == "db:unattributed":
            inputs.unattributed[span[index - 1]] = int(count)
        elif kind == "stats":
            inputs.new_lead_stats.setdefault(span[index - 1], {}).update(
                contacted_within_4h=int(count), uncontacted=int(revenue), nurture_leads=int(m_count)
            )
        else:
            month = span[index - 1]
            figures = {
                "count": count,
                "revenue": revenue / DEAL_CENTS,  # an int's true division: the float nearest the exact sum
                "marketing_count": m_count,
                "marketing_revenue": m_revenue / DEAL_CENTS,
                # The leads of the event without a deal value: for "customer", the member's new customers whose
                # revenue is unknown (kpis.breakdowns_shown.row_partial_note).
                "unpriced": int(nodeal or 0),
            }
            if level == 0b11111:
                inputs.lead_counts.setdefault(month, {})[kind] = figures
                continue
            # A member's row (one grouping set a dimension): its member is in that dimension's column,
            # the other four are NULL; a NULL or empty member is no member.
            dimension, column = _LEVEL_DIMENSION[level]
            member = row[column]
            if member is not None and member != "":
                members = members_of.setdefault(month, {}).setdefault(dimension, {})
                members.setdefault(member, {})[kind] = figures
    # Database size at the end of each month: created by then − gone (unsubscribed, not before creation) by then.
    size = created[0] - gone[0]
    for index, month in enumerate(span, start=1):
        size += created[index] - gone[index]
        inputs.database_size[month] = size


def _response_times(span: list[dt.date], bounds: list[dt.datetime]) -> list[tuple]:
    """Median and 90th percentile of first-contact hours of the leads created in each month.

    Its own pass: an ordered-set aggregate needs the values themselves, not group counts.
    Only leads created in the span with a first contact are read (by the created_at index).
    """
    return _fetch(
        """
        SELECT width_bucket(created_at, %(b)s::timestamptz[]),
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (
                   ORDER BY date_part('epoch', first_contacted_at - created_at) / 3600.0)
        FROM clients_lead
        WHERE first_contacted_at IS NOT NULL AND created_at >= %(start)s AND created_at < %(end)s
        GROUP BY 1
        """,
        {"b": _array(bounds), "start": bounds[0], "end": bounds[-1]},
    )


def _response_times_apply(inputs: Inputs, span: list[dt.date], rows: list[tuple]) -> None:
    for index, (median, p90) in rows:
        inputs.new_lead_stats.setdefault(span[index - 1], {}).update(median_response_hours=median, p90_response_hours=p90)


# Memory for the percentile pass's sort on a big client: it sorts every first-contact time of the
# span (26 MB for a million leads), which spills to disk at PostgreSQL's default of 4 MB.
LEAD_SCAN_WORK_MEM = "64MB"
PERCENTILE_SETTINGS = {"work_mem": LEAD_SCAN_WORK_MEM}
# A range of the lead scan hashes its fine groups: over part of the leads the planner, expecting a
# group per lead, would sort them instead (an external merge, three times slower). The scan keeps the
# default work_mem: given more, the planner sorted in parallel instead of hashing, three times slower.
RANGE_SETTINGS = {"enable_sort": "off"}


def _set_local(cursor: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        cursor.execute(f"SET LOCAL {name} = '{value}'")


def _in_snapshot(schema: str, snapshot: str, local: dict[str, str], work: Any, *args: Any) -> Any:
    """In a pool thread: its own connection, in the caller's schema and the caller's snapshot (the
    rows exactly as the caller's transaction sees them, whatever commits meanwhile), with the
    ``local`` settings, closed after."""
    try:
        connection.set_schema(schema)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                _set_local(cursor, local)
            return work(*args)
    finally:
        connection.close()


def _lead_passes(inputs: Inputs, span: list[dt.date], bounds: list[dt.datetime], *, estimate: int) -> None:
    """The two passes over the leads: one after the other for a small client and inside a caller's
    transaction (another connection would not see its rows); for a big one, shared out between
    ``QUALIFICATION_WORKERS`` connections (at least two) reading one snapshot. ``estimate``: the
    planner's row count of the leads (a table never analyzed says -1: small).

    Each statement runs on one core (PostgreSQL's own workers do not split an ordered-set
    aggregate, and the planner, misled by the fine grouping's estimate of a group per lead, does
    not aggregate partially in parallel). So the lead scan is cut into ranges of creation time
    (from the planner's histogram of ``created_at``) whose rows add up (``_lead_scan_apply``): the
    caller's connection scans the first, each other connection one more, and the last connection
    runs the percentile pass before its range, which is smaller by the pass's cost
    (``_shares``): as many connections as there are cores, each with about as much to do. The
    connections import the caller's exported snapshot: together they read the leads exactly as
    one statement would (``RANGE_SETTINGS``: how the ranges are planned).
    """
    if connection.in_atomic_block or estimate < settings.QUALIFICATION_PARALLEL_FROM:
        _lead_scan(inputs, span, bounds)
        _response_times_apply(inputs, span, _response_times(span, bounds))
        return
    schema = connection.schema_name
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            _set_local(cursor, RANGE_SETTINGS)
            cursor.execute(
                """
                SELECT pg_export_snapshot(),
                       (SELECT histogram_bounds::text::timestamptz[] FROM pg_stats
                        WHERE schemaname = current_schema() AND tablename = 'clients_lead' AND attname = 'created_at')
                """
            )
            ((snapshot, histogram),) = cursor.fetchall()
        shares = _shares(settings.QUALIFICATION_WORKERS)
        ranges = list(itertools.pairwise([None, *_cuts(histogram or [], shares), None]))
        # the last range goes to the percentile pass's connection if the leads were cut as planned
        last = ranges.pop() if len(ranges) == len(shares) > 1 and shares[-1] > 0 else None
        with ThreadPoolExecutor(max_workers=len(ranges), thread_name_prefix="lead-pass") as pool:
            percentiles = pool.submit(
                _in_snapshot, schema, snapshot, PERCENTILE_SETTINGS, _percentiles_and_range, span, bounds, last
            )
            others = [
                pool.submit(_in_snapshot, schema, snapshot, RANGE_SETTINGS, _lead_scan_rows, span, bounds, part)
                for part in ranges[1:]
            ]
            mine = _lead_scan_rows(span, bounds, ranges[0])
            percentile_rows, last_rows = percentiles.result()
            _lead_scan_apply(inputs, span, [mine, *(other.result() for other in others), *([last_rows] if last else [])])
            _response_times_apply(inputs, span, percentile_rows)


def _percentiles_and_range(
    span: list[dt.date], bounds: list[dt.datetime], created: tuple[dt.datetime | None, dt.datetime | None] | None
) -> tuple[list[tuple], list[tuple]]:
    """The percentile pass, then (if given) a range of the lead scan, planned as the others are."""
    percentiles = _response_times(span, bounds)
    if created is None:
        return percentiles, []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem TO DEFAULT")
        _set_local(cursor, RANGE_SETTINGS)
    return percentiles, _lead_scan_rows(span, bounds, created)


# What the percentile pass costs against a scan of the same leads (measured: 0.46 s against
# 0.85 s for 1M leads, 80 % of them contacted): the connection running it scans that much less.
PERCENTILES_PER_SCAN = 0.5


def _shares(connections: int) -> list[float]:
    """The fraction of the leads each connection scans, the percentile pass's connection last, so
    that each has about as much to do: ``(1 + PERCENTILES_PER_SCAN) / connections`` of a scan.
    Two connections: ¾ and ¼; three: ½, ½ and the percentiles alone."""
    if connections < 2:
        return [1.0]
    last = max(0.0, (1 + PERCENTILES_PER_SCAN) / connections - PERCENTILES_PER_SCAN)
    return [(1 - last) / (connections - 1)] * (connections - 1) + [last]


def _cuts(histogram: list[dt.datetime], shares: list[float]) -> list[dt.datetime]:
    """The instants cutting a sorted histogram (equal counts between its bounds) after each share of
    its rows but the last; none for one share or no histogram, and no empty range at the end."""
    if len(shares) < 2 or len(histogram) < 2:
        return []
    cuts, done = [], 0.0
    for share in shares[:-1]:
        done += share
        index = round((len(histogram) - 1) * done)
        if 0 < index < len(histogram) - 1 and (not cuts or histogram[index] > cuts[-1]):
            cuts.append(histogram[index])
    return cuts


def _traffic(inputs: Inputs, first: dt.date, after: dt.date) -> None:
    """Traffic by month and breakdown member: the rows summed once per month and member of every
    dimension (a few dozen groups for a small client), then rolled up with GROUPING SETS over those
    groups rather than over every row (each sum is a sum of sums; a row count becomes a sum of
    counts).

    The month's active landing pages are its landing-page members with sessions (sessions are
    never negative, so a page with a row of sessions > 0 is one whose sum is > 0): counted here
    rather than by a ``count(DISTINCT …)``, which would make PostgreSQL sort the rows once per
    grouping set.
    """
    rows = _fetch(
        """
        WITH fine AS (
            SELECT date_trunc('month', date::timestamp)::date AS month, channel, device, landing_page, social_network,
                   sum(sessions) AS sessions, sum(bounced_sessions) AS bounced, sum(form_submissions) AS forms,
                   sum(sessions) FILTER (WHERE bounced_sessions IS NOT NULL) AS with_bounces, count(*) AS n
            FROM clients_trafficrow WHERE date >= %s AND date < %s GROUP BY 1, 2, 3, 4, 5
        )
        SELECT month, GROUPING(channel, device, landing_page, social_network) AS level,
               channel, device, landing_page, social_network,
               sum(sessions), sum(bounced), sum(forms),
               COALESCE(sum(with_bounces), 0),
               COALESCE(sum(with_bounces) FILTER (WHERE device = 'mobile'), 0),
               COALESCE(sum(n) FILTER (WHERE device = ''), 0),
               COALESCE(sum(sessions) FILTER (WHERE landing_page <> ''), 0),
               COALESCE(sum(forms) FILTER (WHERE landing_page <> ''), 0),
               COALESCE(sum(sessions) FILTER (WHERE channel = 'organic_search'), 0),
               COALESCE(sum(sessions) FILTER (WHERE channel IN ('organic_social', 'paid_social')), 0),
               COALESCE(sum(sessions) FILTER (WHERE device = 'mobile'), 0),
               COALESCE(sum(bounced) FILTER (WHERE device = 'mobile'), 0)
        FROM fine
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
        with_bounces,
        mobile_with_bounces,
        without_device,
        lp_sessions,
        lp_forms,
        organic,
        social_sessions,
        mobile,
        mobile_bounced,
    ) in rows:
        figures = {
            "sessions": int(sessions),
            "bounced": None if bounced is None else int(bounced),
            "sessions_with_bounces": int(with_bounces),
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
                "mobile_bounced": None if not mobile_with_bounces else int(mobile_bounced),
                "mobile_with_bounces": int(mobile_with_bounces),
                "rows_without_device": int(without_device),
            }
            continue
        for dimension, member in (("channel", channel), ("device", device), ("landing_page", landing_page), ("social", social)):
            if member is not None and member != "":
                inputs.traffic_members.setdefault(month, {}).setdefault(dimension, {})[member] = figures
    for month, figures in inputs.traffic.items():
        pages = inputs.traffic_members.get(month, {}).get("landing_page", {})
        figures["active_landing_pages"] = sum(1 for page in pages.values() if page["sessions"] > 0)


# The ad rows' sums per (month, platform, campaign): the paid-media KPIs' inputs (kpis.md "Paid
# media"). A sum over rows none of which gives the column is NULL, which stays None: "not given".
AD_SUMS = (
    ("ad_spend", "sum(amount)"),
    ("impressions", "sum(impressions)"),
    ("spend_with_impressions", "sum(amount) FILTER (WHERE impressions IS NOT NULL)"),
    ("clicks", "sum(clicks)"),
    ("spend_with_clicks", "sum(amount) FILTER (WHERE clicks IS NOT NULL)"),
    ("platform_conversions", "sum(conversions)"),
    ("spend_with_conversions", "sum(amount) FILTER (WHERE conversions IS NOT NULL)"),
    ("conversions_with_clicks", "sum(conversions) FILTER (WHERE clicks IS NOT NULL)"),
    ("clicks_with_conversions", "sum(clicks) FILTER (WHERE conversions IS NOT NULL)"),
    ("conversion_value", "sum(conversion_value)"),
    ("spend_with_value", "sum(amount) FILTER (WHERE conversion_value IS NOT NULL)"),
)
# The email rows' sums per month (kpis.md "Email"). A count left empty is not given (NULL): each rate is
# worked out over the rows that give both its counts, and a sum over rows none of which gives the column
# is NULL, kept as None (its figures null with the reason, never 0 %).
EMAIL_SUMS = (
    ("sent", "sum(sent)"),
    ("delivered", "sum(delivered)"),
    ("sent_with_delivered", "sum(sent) FILTER (WHERE delivered IS NOT NULL)"),
    ("unique_opens", "sum(unique_opens) FILTER (WHERE delivered IS NOT NULL)"),
    ("delivered_with_opens", "sum(delivered) FILTER (WHERE unique_opens IS NOT NULL)"),
    ("unique_clicks", "sum(unique_clicks) FILTER (WHERE delivered IS NOT NULL)"),
    ("delivered_with_clicks", "sum(delivered) FILTER (WHERE unique_clicks IS NOT NULL)"),
    ("unsubscribes", "sum(unsubscribes) FILTER (WHERE delivered IS NOT NULL)"),
    ("delivered_with_unsubscribes", "sum(delivered) FILTER (WHERE unsubscribes IS NOT NULL)"),
)


def _sums(inputs: Inputs, first: dt.date, after: dt.date) -> None:
    """Email by month, spend by month, category and campaign, and the ad rows (spend rows with a
    platform) by month, platform and campaign: three grouped reads in one statement (a ``UNION
    ALL``, each part as it was on its own), a small client's statements costing more than its rows."""
    pad = len(AD_SUMS) - len(EMAIL_SUMS)
    rows = _fetch(
        f"""
        SELECT 'email', date_trunc('month', date)::date, NULL, NULL, {", ".join(sql for _name, sql in EMAIL_SUMS)}
               {", NULL::numeric" * pad}
        FROM clients_emailrow WHERE date >= %(first)s AND date < %(after)s GROUP BY 2
        UNION ALL
        SELECT 'spend', date_trunc('month', date)::date, category, COALESCE(campaign_id, ''), sum(amount)
               {", NULL::numeric" * (len(AD_SUMS) - 1)}
        FROM clients_spend WHERE date >= %(first)s AND date < %(after)s GROUP BY 2, 3, 4
        UNION ALL
        SELECT 'ads', date_trunc('month', date)::date, platform, COALESCE(campaign_id, ''),
               {", ".join(sql for _name, sql in AD_SUMS)}
        FROM clients_spend WHERE date >= %(first)s AND date < %(after)s AND platform <> '' GROUP BY 2, 3, 4
        """,
        {"first": first, "after": after},
    )
    for kind, month, key, campaign, *values in rows:
        if kind == "email":
            inputs.email[month] = {
                name: None if value is None else int(value) for (name, _sql), value in zip(EMAIL_SUMS, values, strict=False)
            }
        elif kind == "spend":
            inputs.spend.setdefault(month, {})[(key, campaign)] = float(values[0])
        else:
            inputs.ads.setdefault(month, {})[(key, campaign)] = {
                name: None if value is None else float(value) for (name, _sql), value in zip(AD_SUMS, values, strict=True)
            }


def _reference(inputs: Inputs) -> int:
    """The small tables read whole (campaigns, contracts, holidays, criteria versions), the earliest
    lead, the first spend date (the portfolio's ``has_spend``, kpis.nospend) and the planner's row count
    of the leads, in one round trip; returns that count.

    Four ORM queries and two scalar ones before: on a small client each statement's round trip and
    first planning in its schema cost more than its rows (docs/performance.md, "Many small clients").
    Contracts come in the model's order (start date, id), as the formulas always saw them.
    """
    ((campaigns, contracts, holidays, versions, earliest, first_spend, estimate),) = _fetch(
        """
        SELECT (SELECT coalesce(json_agg(json_build_array(id, name, channel)), '[]') FROM clients_campaign),
               (SELECT coalesce(json_agg(json_build_array(id, account, kind, start_date, segment, term_months,
                                                          monthly_fee, project_fee, end_date, cancelled_on, renewal_of_id)
                                         ORDER BY start_date, id), '[]') FROM clients_contract),
               (SELECT coalesce(array_agg(date), '{}') FROM clients_holiday),
               (SELECT coalesce(json_agg(json_build_array(version, effective_from)), '[]') FROM clients_criteriaversion),
               (SELECT min(created_at) FROM clients_lead),
               (SELECT min(date) FROM clients_spend),
               (SELECT reltuples::bigint FROM pg_class WHERE oid = 'clients_lead'::regclass)
        """,
        [],
    )
    day = dt.date.fromisoformat
    inputs.campaigns = {row[0]: CampaignRecord(*row) for row in campaigns}
    inputs.contracts = [
        ContractRecord(
            id=id_, account=account, kind=kind, start_date=day(start), segment=segment, term_months=term,
            monthly_fee=None if monthly is None else float(monthly), project_fee=None if project is None else float(project),
            end_date=end and day(end), cancelled_on=cancelled and day(cancelled), renewal_of=renewal_of,
        )
        for id_, account, kind, start, segment, term, monthly, project, end, cancelled, renewal_of in contracts
    ]  # fmt: skip
    inputs.holidays = set(holidays)
    inputs.criteria_versions = [VersionRecord(version, day(effective)) for version, effective in versions]
    inputs.earliest_lead = earliest
    inputs.first_spend = first_spend
    return max(estimate, 0)


def snapshot_inputs(*, months: list[dt.date], timezone: str) -> Inputs:
    """All inputs for ``months`` (first days), plus the 3 months before them (trends, uplift)."""
    zone = ZoneInfo(timezone)
    span = [month.first_day for month in Month.range(Month.of(min(months)) - 3, Month.of(max(months)))]
    first, after = span[0], (Month.of(span[-1]) + 1).first_day
    bounds = month_edges(span, zone)
    inputs = Inputs(zone=zone)
    estimate = _reference(inputs)
    _lead_passes(inputs, span, bounds, estimate=estimate)
    _traffic(inputs, first, after)
    _sums(inputs, first, after)
    return inputs


def check_facts(inputs: Inputs, *, kpis: dict[dt.date, dict[str, Any]] | None = None) -> SnapshotFacts:
    """What the month's checks read about leads and campaigns, from the snapshots' inputs (their
    pass over the leads already counted it): per month, the new leads with neither channel nor
    campaign, and the names of the campaigns with spend rows or new leads that month. ``kpis``:
    the KPIs of the documents just stored, per month, handed on as they are."""
    months = set(inputs.spend) | set(inputs.lead_members)
    names: dict[dt.date, frozenset[str]] = {}
    for month in months:
        ids = {campaign for _category, campaign in inputs.spend.get(month, {}) if campaign}
        ids |= {c for c, events in inputs.lead_members.get(month, {}).get("campaign", {}).items() if "new" in events}
        names[month] = frozenset(inputs.campaigns[c].name for c in ids if c in inputs.campaigns)
    return SnapshotFacts(unattributed=dict(inputs.unattributed), campaign_names=names, kpis=dict(kpis or {}))


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
    return [month.first_day for month in Month.range(Month.of(low), Month.of(high))]


def trailing_rates(*, before: dt.date, timezone: str) -> dict[str, float | None]:
    """The funnel's conversion rates over the 12 months before ``before``, as sums (not means of months)."""
    months = [month.first_day for month in Month.range(Month.of(before) - 12, Month.of(before) - 1)]
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


# --- the scorecard's reads: stored snapshots, notes, targets (kpis.scorecard formats them) ------


HISTORY_MONTHS = 13  # the summary's charts: the month and the twelve before it


def scorecard_load(*, month: dt.date, compare: str, client: Any, now: dt.datetime | None = None) -> Scorecard:
    """The month's snapshot, the comparison month's, 13 months of history, their annotations and
    the month's targets: three queries whatever the months or members (a fourth, the holidays,
    only while the month is in progress: kpis.selectors_report.report_period)."""
    compare_to = (Month.of(month) - 12).first_day if compare == "year" else (Month.of(month) - 1).first_day
    first = min((Month.of(month) - (HISTORY_MONTHS - 1)).first_day, compare_to)
    rows = {s.month: s for s in Snapshot.objects.filter(month__gte=first, month__lte=month)}
    notes = list(Annotation.objects.filter(month__gte=(Month.of(month) - (HISTORY_MONTHS - 1)).first_day, month__lte=month))
    # The quarter's targets in the same query: the month's, and the others' for the quarter's pace
    # (a stored target outside its KPI's range, from before targets were bounded, is left out).
    quarter_targets: dict[dt.date, dict[str, float]] = {m: {} for m in quarter_months(month)}
    for target_month, key, value in Target.objects.filter(client=client, month__in=list(quarter_targets)).values_list(
        "month", "kpi", "value"
    ):
        if target_in_range(key, value):
            quarter_targets[target_month][key] = value
    targets = quarter_targets[month]
    snapshot = rows.get(month)
    total = snapshot.document["kpis"].get("working_days") if snapshot else None
    return Scorecard(
        month=month,
        compare_to=compare_to,
        snapshot=snapshot,
        history=rows,
        annotations=notes,
        targets=targets,
        period=report_period(month=month, client=client, now=now, working_total=total),
        quarter_targets=quarter_targets,
        # Read only when a month's document froze no answer (kpis.nospend): a client's approved
        # months read nothing of the rows.
        first_spend_read=spend_first_date,
        first_contact_read=contact_first_month,  # kpis.nocontact: read only for a month of uncontacted leads
        first_data_read=data_first_months,  # kpis.datastart: read on a chart's first need
        row_months_read=source_row_months,  # kpis.nodata: read only for a month showing no traffic or email rows
        # kpis.nodata: read only for a month whose customers' revenue shows (a partial figure says so)
        unpriced_read=lambda: customers_unpriced(month=month, timezone=client.timezone),
        nurture_marked_read=nurture_marked,  # kpis.nurture: read only for a month of 0 nurture leads
        currency=client.currency,
    )


def _stamp_columns(*, month: dt.date, compare: str, client: Any) -> tuple[list[str], list[Any]]:
    """The stamp's light aggregates as scalar subqueries (and their parameters): the snapshots of
    the months shown, the notes, the month's targets, the benchmark bands and the exchange rates
    that convert the money bands (kpis.scorecard.band_conversion)."""
    compare_to = (Month.of(month) - 12).first_day if compare == "year" else (Month.of(month) - 1).first_day
    first = min((Month.of(month) - (HISTORY_MONTHS - 1)).first_day, compare_to)
    snapshot, note = Snapshot._meta.db_table, Annotation._meta.db_table
    target, benchmark, rate = Target._meta.db_table, Benchmark._meta.db_table, ExchangeRate._meta.db_table
    # The rates a band is converted with: those of the client's currency and of every money band's,
    # dated within the 7-day rule before the day benchmarks_for_month converts on (a few rows
    # through the (currency, date) index). Any rate loaded or corrected there makes a new stamp.
    day = min(Month.of(month).last_day, django_timezone.localdate())
    columns = [
        f"(SELECT count(*) || ':' || coalesce(max(computed_at)::text, '') FROM {snapshot} WHERE month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(created_at)::text, '') FROM {note} WHERE month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {target}"
        " WHERE client_id = %s AND month BETWEEN %s AND %s)",
        f"(SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {benchmark})",
        f"""(SELECT coalesce(string_agg(currency || date::text || '=' || per_euro::text, ',' ORDER BY currency, date), '')
             FROM {rate} WHERE date BETWEEN %s AND %s
             AND (currency = %s OR currency IN (SELECT upper(currency) FROM {benchmark} WHERE unit = %s)))""",
    ]
    params = [
        first, month,
        (Month.of(month) - (HISTORY_MONTHS - 1)).first_day, month,
        client.pk, quarter_months(month)[0], quarter_months(month)[-1],  # the quarter's: its pace reads them
        day - RATE_MAX_AGE, day, (client.currency or "").upper(), Benchmark.Unit.MONEY,
    ]  # fmt: skip
    return columns, params


def scorecard_stamp(*, month: dt.date, compare: str, client: Any) -> str:
    """What the rendered scorecard depends on, from light aggregates: any change makes a new stamp.

    Snapshots (recomputed), notes, targets, benchmark bands and the rates that convert them, in
    one round trip; the caller adds the language.
    """
    columns, params = _stamp_columns(month=month, compare=compare, client=client)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)  # table names from the models, values as parameters
        return "|".join(cursor.fetchone())


@dataclass(frozen=True)
class PageRead:
    """What a cached scorecard page reads, in one round trip (scorecard_page_read)."""

    months: list[dt.date]  # every month with a snapshot, newest first
    stamp: str  # scorecard_stamp's, for the month asked
    criteria: bool  # the client has qualification criteria (clients.criteria.selectors.criteria_exist)
    extra: dict[str, Any]  # the caller's own columns, by name


def scorecard_page_read(
    *, month: dt.date, compare: str, client: Any, extra: dict[str, tuple[str, list[Any]]] | None = None
) -> PageRead:
    """Everything a scorecard page served from the cache needs from the database, in one query:
    the months with a snapshot, the stamp of ``month``, whether criteria exist, and the
    ``extra`` scalar SQL expressions (``{name: (sql, params)}``: the monthly close's rule, the
    header's client switcher) so that none of them costs a round trip of its own."""
    columns, params = _stamp_columns(month=month, compare=compare, client=client)
    extra = extra or {}
    head = [
        f"(SELECT coalesce(array_agg(month ORDER BY month DESC), '{{}}') FROM {Snapshot._meta.db_table})",
        f"EXISTS (SELECT 1 FROM {CriteriaVersion._meta.db_table})",
    ]
    for sql, values in extra.values():
        columns.append(sql)
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(head + columns)}", params)  # table names from the models, values as parameters
        row = cursor.fetchone()
    stamp_count = len(columns) - len(extra)
    return PageRead(
        months=list(row[0]),
        criteria=bool(row[1]),
        stamp="|".join(row[2 : 2 + stamp_count]),
        extra=dict(zip(extra, row[2 + stamp_count :], strict=True)),
    )


def paid_media_days(*, month: dt.date) -> list[tuple[dt.date, float, float | None]]:
    """The month's ad rows (spend rows with a platform) by day: (day, ad spend, clicks or None when
    no row of the day gives them), for the report's daily chart. One aggregate query."""
    rows = _fetch(
        """
        SELECT date, sum(amount), sum(clicks) FROM clients_spend
        WHERE date >= %s AND date < %s AND platform <> '' GROUP BY 1 ORDER BY 1
        """,
        [Month.of(month).first_day, (Month.of(month) + 1).first_day],
    )
    return [(day, float(amount), None if clicks is None else float(clicks)) for day, amount, clicks in rows]


def paid_media_currencies(*, month: dt.date) -> dict[str, list[tuple[str, float, float]]]:
    """The month's ad rows whose amounts were converted (a platform's account in another currency
    than the client's, docs/sources.md "Currencies"), by platform: [(currency, amount as the
    platform gave it, amount converted)], so that the report says so beside its figures. One query."""
    rows = _fetch(
        """
        SELECT platform, currency, sum(original_amount), sum(amount) FROM clients_spend
        WHERE date >= %s AND date < %s AND platform <> '' AND currency <> '' AND original_amount IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
        """,
        [Month.of(month).first_day, (Month.of(month) + 1).first_day],
    )
    found: dict[str, list[tuple[str, float, float]]] = {}
    for platform, currency, original, converted in rows:
        found.setdefault(platform, []).append((currency, float(original), float(converted)))
    return found


def campaign_names() -> dict[str, str]:
    """The current client's campaigns by id: a breakdown names them as the client does (one query)."""
    return dict(Campaign.objects.values_list("id", "name"))


def persona_names() -> dict[str, str]:
    """The current client's personas by code: a breakdown names them ("Finance lead", not "cfo"; one query)."""
    return dict(Persona.objects.values_list("code", "name"))


def report_frozen_read(*, month: dt.date, document: dict[str, Any]) -> dict[str, Any]:
    """What an approval freezes beside the month's figures (kpis.report.FROZEN): its ad rows by day
    and the ad amounts converted from a platform's own currency, the names of the campaigns and
    personas its breakdowns hold, whether the client has revenue data and whether it has a spend row
    dated up to the month's end (kpis.nospend), a first-contact time (kpis.nocontact) and traffic and
    email rows in the month (kpis.nodata) and whether a campaign is marked nurture (kpis.nurture), as
    the rows say now. Ten queries at most."""
    members = set(document.get("breakdowns", {}).get("campaign", {}))
    names = dict(Campaign.objects.filter(id__in=members).values_list("id", "name")) if members else {}
    codes = set(document.get("breakdowns", {}).get("persona", {}))
    personas = dict(Persona.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    has_spend = Spend.objects.filter(date__lt=(Month.of(month) + 1).first_day).exists()
    has_contact_times = contact_times_loaded(month=month, first_contact=contact_first_month())
    return report_frozen(
        days=paid_media_days(month=month), converted=paid_media_currencies(month=month), names=names,
        has_revenue=revenue_data_exists(), has_spend=has_spend,
        has_contact_times=has_contact_times, personas=personas, sources_loaded=sources_loaded_in(month),
        unpriced_customers=customers_unpriced(month=month, timezone=getattr(connection.tenant, "timezone", "UTC")),
        nurture_marked=nurture_marked(),
    )


def nurture_marked() -> bool:
    """Whether any of the client's campaigns is marked nurture (kpis.nurture: else its nurture leads of 0
    say so); one query."""
    return Campaign.objects.filter(nurture=True).exists()


def source_row_months() -> dict[str, set[dt.date]]:
    """The months with a traffic row and with an email row, those whose snapshot counts a SAL or an
    opt-out, and the first activity's (kpis.nodata): five reads, made only for a month whose figures
    show none of a source's rows."""
    return {
        "traffic": set(TrafficRow.objects.dates("date", "month")),
        "email": set(EmailRow.objects.dates("date", "month")),
        "sal_dates": set(Snapshot.objects.filter(document__kpis__sals__gt=0).values_list("month", flat=True)),
        "unsubscribes": set(Snapshot.objects.filter(document__kpis__opt_out_rate__gt=0).values_list("month", flat=True)),
        "activities": {Month.of(first.date()).first_day for first in Activity.objects.order_by("occurred_at")
                       .values_list("occurred_at", flat=True)[:1]},  # the first activity's month suffices
    }


def customers_unpriced(*, month: dt.date, timezone: str) -> int:
    """How many of ``month``'s new customers have no deal value (kpis.nodata: a revenue figure then
    counts only the others): one count, read only for a month with customers whose revenue shows."""
    start, end = Month.of(month).bounds(ZoneInfo(timezone))
    return Lead.objects.filter(customer_at__gte=start, customer_at__lt=end, deal_value__isnull=True).count()


def sources_loaded_in(month: dt.date) -> dict[str, bool]:
    """Whether the traffic and the email results have a row dated in ``month``, and whether the CRM had
    sent a sales-accepted or unsubscribe date and any activity up to its end (kpis.nodata): what an
    approval freezes. Five EXISTS."""
    first, after = Month.of(month).first_day, (Month.of(month) + 1).first_day
    return {
        "traffic": TrafficRow.objects.filter(date__gte=first, date__lt=after).exists(),
        "email": EmailRow.objects.filter(date__gte=first, date__lt=after).exists(),
        # Whether the CRM had sent a sales-accepted date up to the month's end (a month counting a SAL).
        "sal_dates": Snapshot.objects.filter(month__lte=month, document__kpis__sals__gt=0).exists(),
        "unsubscribes": Snapshot.objects.filter(month__lte=month, document__kpis__opt_out_rate__gt=0).exists(),
        # Whether any activity occurred up to its end (by UTC: only a client's very first activity in the
        # month's last hours could be judged a month late).
        "activities": Activity.objects.filter(occurred_at__lt=dt.datetime.combine(after, dt.time(), dt.UTC)).exists(),
    }


def spend_first_date() -> dt.date | None:
    """The date of the client's first spend row (None: it has none): one query, the first entry of an
    index. A month before it has no spend loaded (kpis.nospend)."""
    return Spend.objects.order_by("date").values_list("date", flat=True).first()


def data_first_months() -> dict[str, dt.date | None]:
    """Each source's first month with rows (kpis.datastart; None: no month has any), read from the
    stored snapshots' presence figures: one query over a row per month, not a scan of the rows."""
    keys = sorted({key for keys in PRESENCE.values() for key in keys})
    first: dict[str, dt.date | None] = dict.fromkeys(PRESENCE)
    for month, *values in Snapshot.objects.order_by("month").values_list(
        "month", *(f"document__kpis__{key}" for key in keys)
    ):
        for source in sources_present({"kpis": dict(zip(keys, values, strict=True))}):
            if first[source] is None:
                first[source] = month
        if all(first.values()):
            break
    return first


def snapshot_months_with_data() -> set[dt.date]:
    """The months whose snapshot shows a row dated in them (kpis.datastart.MONTH_ROWS): one query."""
    has_row = Q()
    for key in MONTH_ROWS:
        has_row |= Q(**{f"document__kpis__{key}__gt": 0})
    return set(Snapshot.objects.filter(has_row).values_list("month", flat=True))


def contact_first_month() -> dt.date | None:
    """The first month whose new leads include one with a first-contact time (None: no month has one;
    kpis.nocontact): read from the stored snapshots (their uncontacted_share below 1), a few rows,
    not a scan of the leads. Read only for a month whose new leads all lack one."""
    return (
        Snapshot.objects.filter(document__kpis__new_leads__gt=0, document__kpis__uncontacted_share__lt=1)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )


def month_traffic_loaded(*, snapshot: Snapshot, month: dt.date) -> bool:
    """Whether the month has a traffic row (kpis.nodata): from its figures or frozen answer (no query),
    else one EXISTS."""

    def row_months() -> dict[str, set[dt.date]]:
        first, after = Month.of(month).first_day, (Month.of(month) + 1).first_day
        return {"traffic": {month} if TrafficRow.objects.filter(date__gte=first, date__lt=after).exists() else set()}

    return source_loaded("traffic", snapshot.document, month=month, row_months=row_months)


def month_has_spend(*, snapshot: Snapshot | None, month: dt.date) -> bool:
    """Whether the month's costs are facts (kpis.nospend): as its approved document froze it (no
    query), else whether a spend row is dated up to the month's end (one EXISTS)."""
    frozen = frozen_has_spend(snapshot.document if snapshot else None)
    if frozen is not None:
        return frozen
    return Spend.objects.filter(date__lt=(Month.of(month) + 1).first_day).exists()


def report_days(*, snapshot: Snapshot | None, month: dt.date) -> list[tuple[dt.date, float, float | None]]:
    """The month's ad rows by day as the viewer's document has them: frozen in an approved version
    (no query), else read from the rows (staff, a month the close never held)."""
    frozen = frozen_days(snapshot.document if snapshot else None)
    return frozen if frozen is not None else paid_media_days(month=month)


def report_converted(*, snapshot: Snapshot | None, month: dt.date) -> dict[str, list[tuple[str, float, float]]]:
    """The month's converted ad amounts by platform as the viewer's document has them: frozen in an
    approved version (no query), else read from the rows."""
    frozen = frozen_converted(snapshot.document if snapshot else None)
    return frozen if frozen is not None else paid_media_currencies(month=month)


def report_names(*, snapshot: Snapshot | None) -> dict[str, str]:
    """The campaigns' names as the viewer's document has them: frozen at approval, else read."""
    frozen = frozen_names(snapshot.document if snapshot else None)
    return frozen if frozen is not None else campaign_names()


def report_persona_names(*, snapshot: Snapshot | None) -> dict[str, str]:
    """The personas' names as the viewer's document has them: frozen at approval (a persona renamed
    since does not rename what the client approved), else read (staff; versions from before)."""
    frozen = frozen_names(snapshot.document if snapshot else None, "persona_names")
    return frozen if frozen is not None else persona_names()


def benchmark_rates(*, bands: dict[str, list[Benchmark]], currency: str, day: dt.date) -> dict[str, tuple[Decimal, dt.date]]:
    """The agency's reference rates (units per 1 EUR) on or before ``day`` within the 7-day rule,
    for the client's currency and those of the money bands in another: what converts a band
    (kpis.scorecard.band_conversion). A currency without such a rate is left out. One query per
    currency, only when some band needs converting."""
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
    bands = benchmarks_by_kpi()
    day = min(Month.of(month).last_day, django_timezone.localdate())
    return {"benchmarks": bands, "rates": benchmark_rates(bands=bands, currency=currency, day=day)}


# --- the commentary draft's reads (kpis.draft writes it; reports' close page shows it) ----------


def draft_inputs(*, month: dt.date, client: Any) -> DraftInputs:
    """What the draft of ``month`` reads, in five queries whatever the breakdowns: the snapshots of
    the month, the month before, the same month a year before and the quarter's months so far; the
    quarter's targets; its holidays (working days of months not computed yet); the campaigns' and
    personas' names. The quarter is paced as at the month's end."""
    previous, last_year = (Month.of(month) - 1).first_day, (Month.of(month) - 12).first_day
    quarter = quarter_months(month)
    wanted = {month, previous, last_year, *(m for m in quarter if m <= month)}
    # The client's first spend date rides on the snapshots' query: a month without spend loaded up to
    # its end has no costs to write about (kpis.nospend: its spend figures read as None).
    read = Snapshot.objects.filter(month__in=wanted).annotate(
        first_spend=Subquery(Spend.objects.order_by("date").values("date")[:1])
    )
    rows_read: list[dict[str, set[dt.date]]] = []

    def row_months() -> dict[str, set[dt.date]]:  # kpis.nodata: read only for a month showing no traffic or email rows
        if not rows_read:
            rows_read.append(source_row_months())
        return rows_read[0]

    documents = {
        s.month: document_facts(
            document_known(s.document, has_spend=spend_loaded(month=s.month, first_spend=s.first_spend)),
            month=s.month, row_months=row_months,
        )
        for s in read
    }
    targets: dict[dt.date, dict[str, float]] = {m: {} for m in quarter}
    for target_month, key, value in Target.objects.filter(client=client, month__in=quarter).values_list("month", "kpi", "value"):
        if target_in_range(key, value):
            targets[target_month][key] = value
    holidays = frozenset(
        Holiday.objects.filter(date__gte=quarter[0], date__lte=Month.of(quarter[-1]).last_day).values_list("date", flat=True)
    )
    months = []
    for m in quarter:
        total = working_days_in(m, holidays)
        document = documents.get(m) if m <= month else None
        months.append(
            MonthFigures(
                month=m,
                working_total=total,
                working_elapsed=total if m <= month else 0,
                figures=document["kpis"] if document else None,
                targets=targets[m],
            )
        )
    names = {"campaign": campaign_names(), "persona": persona_names()}
    return DraftInputs(
        month=month, documents=documents, targets=targets[month], quarter=months, currency=client.currency, names=names
    )
