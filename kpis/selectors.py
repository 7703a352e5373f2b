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
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from agency.months import Month
from clients.models import Lead
from kpis.checks.base import SnapshotFacts
from kpis.formulas.common import ratio
from kpis.formulas.contracts import Contract as ContractRecord

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


def rows_fetch(sql: str, params: list[Any]) -> list[tuple]:
    """Every row of one raw read, in the schema the connection is set to (the client's)."""
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
    return rows_fetch(
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
    return rows_fetch(
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
    rows = rows_fetch(
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
    rows = rows_fetch(
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
    ((campaigns, contracts, holidays, versions, earliest, first_spend, estimate),) = rows_fetch(
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
    ((low, high),) = rows_fetch(
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
