"""What the checks of a range of months read, aggregated in SQL in the client's schema.

A fixed number of queries whatever the months: the stored snapshots' KPIs (the months and the 25
before them, for the anomalies' seasons), the days with data of each source (the months and the 3
before) with the leads that arrived without channel or campaign, the campaign names with data in
each month, the imported spend files that carried a totals row (their jobs' results), and, once
spend rows carry delivery columns, the daily spend, clicks and conversions per campaign. Run
inside the client's schema (tenant_context).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from agency.models import Client
from agency.months import Month
from clients.models import Campaign, Job, Lead, Spend, TrafficRow
from clients.models import EmailRow as EmailRowModel
from kpis.checks.base import FAMILY_LABELS, REGISTRY, SEVERITY_LABELS, CheckData, Finding, Severity, SnapshotFacts
from kpis.checks.words import figures_from_plain, sentence
from kpis.draft_tracking import AFFECTS, Fault
from kpis.models import CheckResult, Snapshot
from portfolio.models import ClientMonthChecks

HISTORY = 25  # months of snapshots before a month: 24 for the season, 1 more for last year's trailing months
DELIVERY_COLUMNS = ("clicks", "conversions")
LEAD_DAYS_PROBED_FROM = 50_000  # leads (the planner's estimate) from which the days with leads are probed, not scanned


def _fetch(sql: str, params: list[Any] | dict[str, Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def delivery_available() -> bool:
    """Spend rows carry clicks and conversions (the paid-media columns of formats.md)."""
    names = {f.name for f in Spend._meta.get_fields()}
    return all(column in names for column in DELIVERY_COLUMNS)


def _source_days_sql(first: dt.date, after: dt.date, zone: ZoneInfo, *, counted: bool = False) -> tuple[str, str, dict]:
    """The statement's head (a ``WITH``), body and parameters reading, per source, the days with
    rows (one row per source, its days as an array) and the leads without channel or campaign
    per day (``_source_days`` reads its rows).

    ``counted``: the snapshots' pass over the leads has already counted those leads
    (``SnapshotFacts``); only the days with leads are read then, from a big client's
    ``created_at`` index alone: one probe per day with leads (the first lead at or after each
    local midnight) instead of a pass over every lead's row — a million leads over two years make
    about 730 probes, not a million rows read.
    """
    spend, traffic, email, lead = (m._meta.db_table for m in (Spend, TrafficRow, EmailRowModel, Lead))
    start, end = Month.of(first).bounds(zone)[0], Month.of(after).bounds(zone)[0]
    params = {"first": first, "after": after, "tz": str(zone), "start": start, "end": end}
    if counted:
        # Probing costs one index descent per day, a plain pass one row per lead: a small client's
        # leads are read whole (the estimate gates each branch once, before any row is read).
        head = f"""
        WITH RECURSIVE probe(yes) AS (
            SELECT reltuples >= {LEAD_DAYS_PROBED_FROM} FROM pg_class WHERE oid = '{lead}'::regclass
        ), lead_day(t) AS (
            SELECT min(created_at) FROM {lead}
            WHERE created_at >= %(start)s AND created_at < %(end)s AND (SELECT yes FROM probe)
            UNION ALL
            SELECT (SELECT min(l.created_at) FROM {lead} l
                    WHERE l.created_at > d.t AND l.created_at < %(end)s
                    AND l.created_at >= (date_trunc('day', d.t AT TIME ZONE %(tz)s) + interval '1 day') AT TIME ZONE %(tz)s)
            FROM lead_day d WHERE d.t IS NOT NULL
        )"""
        leads = f"""SELECT 'leads', (t AT TIME ZONE %(tz)s)::date, 0 FROM lead_day WHERE t IS NOT NULL
        UNION ALL SELECT 'leads', (created_at AT TIME ZONE %(tz)s)::date, 0 FROM {lead}
                  WHERE created_at >= %(start)s AND created_at < %(end)s AND NOT (SELECT yes FROM probe) GROUP BY 2"""
    else:
        head = ""
        leads = f"""SELECT 'leads', (created_at AT TIME ZONE %(tz)s)::date,
                         count(*) FILTER (WHERE channel = '' AND campaign_id IS NULL)
                  FROM {lead} WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY 2"""
    body = f"""
        SELECT source, array_agg(day), array_agg(without) FROM (
            SELECT 'spend' AS source, date AS day, 0 AS without FROM {spend}
            WHERE date >= %(first)s AND date < %(after)s GROUP BY date
            UNION ALL SELECT 'traffic', date, 0 FROM {traffic} WHERE date >= %(first)s AND date < %(after)s GROUP BY date
            UNION ALL SELECT 'email', date, 0 FROM {email} WHERE date >= %(first)s AND date < %(after)s GROUP BY date
            UNION ALL {leads}
        ) found GROUP BY source
        """  # table names from the models, values as parameters; one row per source, its days as one array
    return head, body, params


def _source_days(rows: list[tuple]) -> tuple[dict[str, set[dt.date]], dict[dt.date, int]]:
    """Per source, the days with rows, and the leads without channel or campaign per month."""
    days: dict[str, set[dt.date]] = {}
    unattributed: dict[dt.date, int] = {}
    for source, source_days, withouts in rows:
        days[source] = set(source_days)
        for day, without in zip(source_days, withouts, strict=True) if any(withouts) else ():
            if without:
                month = Month.of(day).first_day
                unattributed[month] = unattributed.get(month, 0) + without
    return days, unattributed


def _campaign_names(first: dt.date, after: dt.date, zone: ZoneInfo) -> dict[dt.date, set[str]]:
    spend, lead, campaign = Spend._meta.db_table, Lead._meta.db_table, Campaign._meta.db_table
    start, end = Month.of(first).bounds(zone)[0], Month.of(after).bounds(zone)[0]
    rows = _fetch(
        f"""
        SELECT DISTINCT m, c.name FROM (
            SELECT date_trunc('month', date)::date AS m, campaign_id FROM {spend}
            WHERE date >= %s AND date < %s AND campaign_id IS NOT NULL
            UNION SELECT date_trunc('month', created_at AT TIME ZONE %s)::date, campaign_id FROM {lead}
            WHERE created_at >= %s AND created_at < %s AND campaign_id IS NOT NULL
        ) used JOIN {campaign} c ON c.id = used.campaign_id
        """,
        [first, after, str(zone), start, end],
    )
    names: dict[dt.date, set[str]] = {}
    for month, name in rows:
        names.setdefault(month, set()).add(name)
    return names


def _stored_sql(
    history: tuple[dt.date, dt.date], delivery: tuple[dt.date, dt.date] | None, known: list[dt.date]
) -> tuple[str, dict]:
    """Three JSON columns and their parameters: the stored snapshots' KPIs over ``history`` (first
    and last month) but for the ``known`` months (the caller has their KPIs), the ad rows' spend,
    clicks and conversions per campaign name and day over ``delivery`` (None: not read), and the
    imported files' jobs that recorded a totals row. Each comes back as the JSON PostgreSQL prints
    (the KPIs as stored, sums of numeric columns as exact decimals)."""
    snapshot, spend, campaign, job = (m._meta.db_table for m in (Snapshot, Spend, Campaign, Job))
    ads = (
        f"""(SELECT coalesce(json_agg(json_build_array(name, date, amount, clicks, conversions)), '[]') FROM (
                SELECT c.name, s.date, sum(s.amount) AS amount, sum(s.clicks) AS clicks, sum(s.conversions) AS conversions
                FROM {spend} s JOIN {campaign} c ON c.id = s.campaign_id
                WHERE s.date >= %(d0)s AND s.date < %(d1)s AND s.platform <> '' GROUP BY 1, 2) d)"""
        if delivery is not None
        else "NULL::json"
    )
    columns = f"""(SELECT coalesce(json_agg(json_build_array(month, document -> 'kpis')), '[]') FROM {snapshot}
                WHERE month >= %(h0)s AND month <= %(h1)s AND NOT month = ANY(%(known)s)),
               {ads},
               (SELECT coalesce(json_agg(json_build_array(id, params, result) ORDER BY id), '[]') FROM {job}
                WHERE kind = 'import' AND status = %(done)s AND result ? 'totals_row')"""
    return columns, {"h0": history[0], "h1": history[1], "known": known, "d0": delivery and delivery[0],
                     "d1": delivery and delivery[1], "done": Job.Status.DONE}  # fmt: skip


def _reads(
    first: dt.date, after: dt.date, zone: ZoneInfo, *, counted: bool, history: tuple[dt.date, dt.date],
    delivery: tuple[dt.date, dt.date] | None, known: list[dt.date],
) -> tuple[list[tuple], tuple]:
    """The source days' rows and the stored reads' three columns (``_stored_sql``), in one round
    trip: reads that cost a small client more in statements than in rows."""
    head, body, params = _source_days_sql(first, after, zone, counted=counted)
    columns, more = _stored_sql(history, delivery, known)
    rows = _fetch(
        f"""{head}
        SELECT source, days, withouts, NULL::json, NULL::json, NULL::json FROM ({body}) AS found(source, days, withouts)
        UNION ALL
        SELECT 'stored', NULL, NULL, {columns}
        """,  # table names from the models, values as parameters
        {**params, **more},
    )  # fmt: skip
    (stored,) = [row for row in rows if row[0] == "stored"]
    return [row[:3] for row in rows if row[0] != "stored"], stored[3:]


def _delivery(rows: list) -> dict[str, dict[dt.date, tuple[float, float | None, float | None]]]:
    found: dict[str, dict[dt.date, tuple[float, float | None, float | None]]] = {}
    for name, day, amount, clicks, conversions in rows:
        found.setdefault(name, {})[dt.date.fromisoformat(day)] = (
            float(amount or 0),
            None if clicks is None else float(clicks),
            None if conversions is None else float(conversions),
        )
    return found


def _file_totals(jobs: list) -> list[dict[str, Any]]:
    """Imported spend files that carried a totals row (clients.sources), the latest import of each
    file name: {"file", "job", "total", "rows_sum", "first", "last"}."""
    latest: dict[str, dict[str, Any]] = {}
    for pk, params, result in jobs:
        if not result.get("first_day") or not result.get("ok", True):
            continue
        name = (params or {}).get("filename") or f"#{pk}"
        latest[name] = {
            "file": name,
            "job": pk,
            "total": result["totals_row"]["amount"],
            "rows_sum": result["totals_row"]["rows_amount"],
            "first": dt.date.fromisoformat(result["first_day"]),
            "last": dt.date.fromisoformat(result["last_day"]),
        }
    return list(latest.values())


def check_data(*, months: list[dt.date], timezone: str, facts: SnapshotFacts | None = None) -> dict[dt.date, CheckData]:
    """The ``CheckData`` of each month of ``months`` (first days). ``facts``: what the snapshots
    just computed for these months already counted over the leads (kpis.selectors.check_facts);
    without them, they are read here (the same figures, at the cost of reading every lead)."""
    if not months:
        return {}
    zone = ZoneInfo(timezone)
    low, high = Month.of(min(months)), Month.of(max(months))
    # The KPIs the snapshots just stored, in the history's range (the others are read).
    known = {m: k for m, k in (facts.kpis if facts else {}).items() if (low - HISTORY).first_day <= m <= high.first_day}
    first, after = (low - 3).first_day, (high + 1).first_day
    source_rows, (stored, ad_days, jobs) = _reads(
        first, after, zone, counted=facts is not None, history=((low - HISTORY).first_day, high.first_day),
        delivery=((low - 1).first_day, after) if delivery_available() else None, known=list(known),
    )
    history = {Month.of(dt.date.fromisoformat(month)): kpis or {} for month, kpis in stored}
    history.update((Month.of(month), kpis or {}) for month, kpis in known.items())
    days, unattributed = _source_days(source_rows)
    if facts is None:
        names = _campaign_names(low.first_day, after, zone)
    else:
        unattributed, names = facts.unattributed, facts.campaign_names
    delivery = None if ad_days is None else _delivery(ad_days)
    files = _file_totals(jobs)
    ordered = {source: sorted(source_days) for source, source_days in days.items()}
    found = {}
    for month in months:
        m = Month.of(month)
        window = (m - 3).first_day, m.last_day
        # The delivery's days of this month and the one before: its edges worked out once a month, not
        # once per campaign and day (a client with ad rows has thousands of them).
        since, until = (m - 1).first_day, m.last_day
        found[month] = CheckData(
            month=m,
            history={k: v for k, v in history.items() if k <= m},
            source_days={
                s: frozenset(ds[bisect_left(ds, window[0]) : bisect_right(ds, window[1])]) for s, ds in ordered.items()
            },
            unattributed_leads=unattributed.get(month, 0),
            campaign_names=tuple(sorted(names.get(month, ()))),
            file_totals=[
                {key: item[key] for key in ("file", "job", "total", "rows_sum")}
                for item in files
                if item["first"] <= m.last_day and item["last"] >= m.first_day
            ],
            delivery=None
            if delivery is None
            else {
                name: {d: v for d, v in per_day.items() if since <= d <= until}
                for name, per_day in delivery.items()
            },
        )
    return found


def stored_checks(*, month: dt.date) -> list[CheckResult]:
    """The month's stored findings, gravest first (high, medium, low), then by check."""
    order = {"high": 0, "medium": 1, "low": 2}
    rows = list(CheckResult.objects.filter(month=month))
    return sorted(rows, key=lambda r: (order.get(r.severity, 3), r.key, r.subject))


def tracking_faults(*, months: Collection[dt.date]) -> list[Fault]:
    """The tracking checks (kpis.draft_tracking.AFFECTS) stored for ``months``, resolved or not
    (resolving says staff looked; the figures still lack what the fault lost): the draft and the
    report's "What changed" explain no move by a split they distort. One query."""
    rows = CheckResult.objects.filter(month__in=list(months), key__in=list(AFFECTS)).order_by("month", "key", "subject")
    return [Fault(key=row.key, month=row.month, figures=dict(row.figures)) for row in rows]


def stored_figures(row: CheckResult) -> dict[str, Any]:
    return figures_from_plain(row.figures)


def month_checks_ran(*, client: Client, month: dt.date) -> bool:
    """Whether the month's checks ever ran: every run writes the public mirror's row, zeros included,
    so a month without it (computed before the checks existed) is not "nothing found"."""
    return ClientMonthChecks.objects.filter(client=client, month=month).exists()


def month_checks_read(*, month: dt.date, currency: str) -> list[dict[str, Any]]:
    """The month's stored findings as people read them (the active language): id, key, family and
    severity (with their labels), subject, figures, sentence, link and the resolution. One query."""
    found = []
    for row in stored_checks(month=month):
        check = REGISTRY.get(row.key)
        if check is None:  # a check removed from the code since the row was stored
            continue
        figures = stored_figures(row)
        item = Finding(key=row.key, severity=Severity(row.severity), figures=figures, subject=row.subject, link=row.link)
        found.append(
            {
                "id": row.pk,
                "key": row.key,
                "family": row.family,
                "family_label": str(FAMILY_LABELS[check.family]),
                "severity": row.severity,
                "severity_label": str(SEVERITY_LABELS[item.severity]),
                "subject": row.subject,
                "figures": row.figures,
                "sentence": sentence(item, currency=currency),
                "rule": str(check.rule),
                "link": row.link,
                "resolved_at": row.resolved_at,
                "resolved_by_name": row.resolved_by_name,
                "resolution_note": row.resolution_note,
            }
        )
    return found
