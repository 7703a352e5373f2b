"""The qualification engine: ``mql_at``, ``sales_ready_at``, persona and criteria version of leads.

Set-based: each criteria version is compiled to SQL (clients.criteria.rules) and judges the leads
created in its effective range with one statement — one pass over those leads and their
activities, a running score per lead by a window sum, and an UPDATE of the rows whose
outcome changed. Nothing loops over leads in Python.

kpis.md, "Qualification": a lead is judged for life by the version in effect at its
created_at (effective dates are dates in the client's time zone; leads created before the
first version are judged by the first). score(t) = points of matching attribute rules +
points of its activities with occurred_at ≤ t. sales_ready_at = max(created_at, first buying
signal) for a fitting lead. mql_at = the earlier of sales_ready_at and the earliest t ≥
created_at at which the lead fits and score(t) ≥ threshold. A lead that does not fit is never
an MQL. Persona: the code given on import, else the first persona in priority order whose
match the lead satisfies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from agency.months import Month, local_midnight
from clients.criteria.rules import Sql, rule_sql
from clients.models import CriteriaVersion, Persona

FAR_PAST = dt.datetime(1, 1, 2, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(9999, 12, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Judge:
    """One criteria version and the created_at range [start, end) it judges."""

    version: int | None
    criteria: dict
    start: dt.datetime
    end: dt.datetime


def judges(*, versions: list[CriteriaVersion], zone: ZoneInfo) -> list[Judge]:
    """Split time into the ranges each version judges; a later save wins a shared date."""
    if not versions:
        return [Judge(None, {"fit": {"any": []}, "threshold": 0}, FAR_PAST, FAR_FUTURE)]
    ordered = sorted(versions, key=lambda v: (v.effective_from, v.version))
    ranges = []
    for index, version in enumerate(ordered):
        start = FAR_PAST if index == 0 else local_midnight(version.effective_from, zone)
        end = local_midnight(ordered[index + 1].effective_from, zone) if index + 1 < len(ordered) else FAR_FUTURE
        if start < end:
            ranges.append(Judge(version.version, version.criteria, start, end))
    return ranges


def _persona_sql(personas: list[Persona]) -> Sql:
    if not personas:
        return Sql("''")
    text, params = "CASE", []
    for persona in personas:
        match = rule_sql(persona.match or {})
        text += f" WHEN {match.text} THEN %s"
        params += [*match.params, persona.code]
    return Sql(text + " ELSE '' END", params)


def _base_points_sql(criteria: dict) -> Sql:
    text, params = "0", []
    for entry in criteria.get("points", []):
        if "action" in entry:
            continue
        rule = rule_sql({k: v for k, v in entry.items() if k != "points"})
        text += f" + CASE WHEN {rule.text} THEN %s ELSE 0 END"
        params += [*rule.params, entry["points"]]
    return Sql(text, params)


def _action_points(criteria: dict) -> tuple[list[str], list[float]]:
    totals: dict[str, float] = {}
    for entry in criteria.get("points", []):
        if "action" in entry:
            totals[entry["action"]] = totals.get(entry["action"], 0) + entry["points"]
    return list(totals), [float(p) for p in totals.values()]


def _scope_sql(months: Iterable[str] | None, created_from: dt.datetime | None, zone: ZoneInfo) -> Sql:
    clauses, params = [], []
    if created_from is not None:
        clauses.append("l.created_at >= %s")
        params.append(created_from)
    if months is not None:
        bounds = [Month.parse(month).bounds(zone) for month in sorted(months)]
        if not bounds:
            return Sql("FALSE")
        ranges = " OR ".join(["({col} >= %s AND {col} < %s)"] * len(bounds))
        flat = [edge for pair in bounds for edge in pair]
        clauses.append(
            "("
            + ranges.format(col="l.created_at")
            + " OR l.id IN (SELECT a.lead_id FROM clients_activity a WHERE "
            + ranges.format(col="a.occurred_at")
            + "))"
        )
        params += flat + flat
    return Sql(" AND ".join(clauses) or "TRUE", params)


def _outcome_sql(judge: Judge, personas: Sql, scope: Sql) -> Sql:
    """CTEs ending in ``outcome``: each scoped lead's ready_at, threshold_at and new_persona."""
    criteria = judge.criteria
    fit = rule_sql(criteria.get("fit", {}))
    base = _base_points_sql(criteria)
    actions, points = _action_points(criteria)
    ready = list(criteria.get("sales_ready_actions", []))
    threshold = float(criteria.get("threshold", 0))
    text = f"""
WITH scope AS MATERIALIZED (
    SELECT l.id, l.created_at, l.persona_given, l.customer_at, l.sql_at,
           l.mql_at AS old_mql, l.sales_ready_at AS old_ready, l.persona AS old_persona,
           l.criteria_version AS old_version,
           {fit.text} AS fits, ({base.text}) AS base, {personas.text} AS matched_persona
    FROM clients_lead l LEFT JOIN clients_campaign c ON c.id = l.campaign_id
    WHERE l.created_at >= %s AND l.created_at < %s AND {scope.text}
),
scored AS (
    SELECT a.lead_id, a.occurred_at, s.created_at, s.base,
           a.action = ANY(%s::text[]) AS is_ready,
           COALESCE(p.points, 0) AS points,
           SUM(COALESCE(p.points, 0)) OVER (PARTITION BY a.lead_id ORDER BY a.occurred_at) AS running
    FROM clients_activity a
    JOIN scope s ON s.id = a.lead_id AND s.fits
    LEFT JOIN unnest(%s::text[], %s::float8[]) AS p(action, points) ON p.action = a.action
    WHERE a.action = ANY(%s::text[]) OR a.action = ANY(%s::text[])
),
per_lead AS MATERIALIZED (  -- once: a misjudged nested loop below must not re-run it per lead
    SELECT lead_id,
           SUM(points) FILTER (WHERE occurred_at <= created_at) AS before_created,
           MIN(occurred_at) FILTER (WHERE occurred_at > created_at AND base + running >= %s) AS crossed_at,
           MIN(occurred_at) FILTER (WHERE is_ready) AS first_ready
    FROM scored GROUP BY lead_id
),
outcome AS (
    SELECT s.*,
           CASE WHEN s.fits AND r.first_ready IS NOT NULL THEN GREATEST(s.created_at, r.first_ready) END AS ready_at,
           CASE WHEN s.fits THEN
               CASE WHEN s.base + COALESCE(r.before_created, 0) >= %s THEN s.created_at ELSE r.crossed_at END
           END AS threshold_at,
           CASE WHEN s.persona_given <> '' THEN s.persona_given ELSE s.matched_persona END AS new_persona
    FROM scope s LEFT JOIN per_lead r ON r.lead_id = s.id
)
"""
    params = [
        *fit.params, *base.params, *personas.params, judge.start, judge.end, *scope.params,
        ready, actions, points, actions, ready,
        threshold, threshold,
    ]
    return Sql(text, params)


def _judge_sql(judge: Judge, personas: Sql, scope: Sql) -> Sql:
    outcome = _outcome_sql(judge, personas, scope)
    text = outcome.text + """,
changed AS MATERIALIZED (
    SELECT o.*, LEAST(o.ready_at, o.threshold_at) AS new_mql FROM outcome o
    WHERE o.old_mql IS DISTINCT FROM LEAST(o.ready_at, o.threshold_at)
       OR o.old_ready IS DISTINCT FROM o.ready_at
       OR o.old_persona IS DISTINCT FROM o.new_persona
       OR o.old_version IS DISTINCT FROM %s::integer
),
written AS (
    UPDATE clients_lead l
    SET mql_at = ch.new_mql, sales_ready_at = ch.ready_at, persona = ch.new_persona, criteria_version = %s::integer
    FROM changed ch WHERE l.id = ch.id
    RETURNING 1
)
SELECT min(LEAST(ch.old_mql, ch.new_mql, ch.old_ready, ch.ready_at,
                  CASE WHEN ch.old_persona IS DISTINCT FROM ch.new_persona THEN ch.created_at END)),
       max(GREATEST(ch.old_mql, ch.new_mql, ch.old_ready, ch.ready_at,
                    CASE WHEN ch.old_persona IS DISTINCT FROM ch.new_persona THEN ch.customer_at END,
                    CASE WHEN ch.old_persona IS DISTINCT FROM ch.new_persona THEN ch.created_at END))
FROM changed ch
"""
    return Sql(text, [*outcome.params, judge.version, judge.version])


def leads_judge(
    *, timezone: str, months: Iterable[str] | None = None, created_from: dt.datetime | None = None, workers: int | None = None
) -> set[str]:
    """Judge the current schema's leads; return the months (client time) whose figures changed.

    ``months`` limits the work to leads created in those months or with activities in them
    (what an import touched); ``created_from`` to leads created from then on (a new criteria
    version). Neither: every lead. Leads whose outcome is unchanged are not written.

    A client with many leads is judged in ``workers`` slices of creation time at once, each on
    its own database connection (PostgreSQL runs an UPDATE on one core; the slices are disjoint,
    so they never wait on each other). Inside a transaction the other connections could not see
    its rows, so there the slices run one after the other on the caller's connection.
    """
    zone = ZoneInfo(timezone)
    statistics_refresh()
    personas = _persona_sql(list(Persona.objects.order_by("priority", "code")))
    scope = _scope_sql(months, created_from, zone)
    ranges = judges(versions=list(CriteriaVersion.objects.all()), zone=zone)
    workers = settings.QUALIFICATION_WORKERS if workers is None else workers
    parallel = workers > 1 and not connection.in_atomic_block and _lead_estimate() >= settings.QUALIFICATION_PARALLEL_FROM
    if parallel:
        ranges = _sliced(ranges, workers)
    statements = [_judge_sql(judge, personas, scope) for judge in ranges]
    if parallel:
        schema = connection.schema_name
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="qualification") as pool:
            bounds = list(pool.map(lambda statement: _run_in_schema(schema, statement), statements))
    else:
        bounds = [_run(statement) for statement in statements]
    touched: set[str] = set()
    for first, last in bounds:
        if first is not None:
            touched |= months_between(first, last, zone)
    return touched


def _run(statement: Sql) -> tuple[dt.datetime | None, dt.datetime | None]:
    with connection.cursor() as cursor:
        cursor.execute(statement.text, statement.params)
        return cursor.fetchone()


def _run_in_schema(schema: str, statement: Sql) -> tuple[dt.datetime | None, dt.datetime | None]:
    """In a pool thread: Django gives each thread its own connection, set to the caller's schema."""
    try:
        connection.set_schema(schema)
        return _run(statement)
    finally:
        connection.close()


STALE_BY = 500  # rows more or fewer than the planner believes: past this, its plans for the judge can go wrong


def statistics_refresh() -> list[str]:
    """ANALYZE the leads and activities tables when the planner's row counts are stale; return those analyzed.

    An import judges its leads right after inserting them, before autovacuum has looked: with a
    table believed empty (or never analyzed) the planner took the scoped leads for one row and
    joined the per-lead outcome to them by a nested loop, re-running the activities' running sums
    once a lead: minutes for 1,800 demo leads, where the same statement takes 20 ms once analyzed.
    A table below the slicing size is counted (cheap), a larger one trusted unless never analyzed.
    Inside the import's transaction ANALYZE sees its own new rows.
    """
    analyzed = []
    with connection.cursor() as cursor:
        for table in ("clients_lead", "clients_activity"):
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [table])
            believed = cursor.fetchone()[0]
            if believed >= settings.QUALIFICATION_PARALLEL_FROM:
                continue
            if believed >= 0:
                cursor.execute(f"SELECT count(*) FROM {table}")
                if abs(cursor.fetchone()[0] - believed) <= max(STALE_BY, believed):
                    continue
            cursor.execute(f"ANALYZE {table}")
            analyzed.append(table)
    return analyzed


def _lead_estimate() -> int:
    """The planner's row count: free, and good enough to decide whether slicing pays. Below the
    slicing size it is counted instead: a table never analyzed (-1) or last analyzed while nearly
    empty (a first big import, before autovacuum) must not stay serial, and counting a small
    table costs little."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'clients_lead'::regclass")
        estimate = cursor.fetchone()[0]
        if estimate < settings.QUALIFICATION_PARALLEL_FROM:
            cursor.execute("SELECT count(*) FROM clients_lead")
            estimate = cursor.fetchone()[0]
        return estimate


def _sliced(ranges: list[Judge], parts: int) -> list[Judge]:
    """Cut the stored leads' creation span into ``parts`` equal stretches of time, within each judge's range."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(created_at), max(created_at) FROM clients_lead")
        first, last = cursor.fetchone()
    if first is None:
        return ranges
    step = (last - first) / parts
    cuts = [first + step * index for index in range(1, parts)]
    sliced = []
    for judge in ranges:
        edges = [judge.start, *(cut for cut in cuts if judge.start < cut < judge.end), judge.end]
        sliced += [Judge(judge.version, judge.criteria, start, end) for start, end in pairwise(edges)]
    return sliced


def months_between(first: dt.datetime, last: dt.datetime, zone: ZoneInfo) -> set[str]:
    """Every "YYYY-MM" (client time) from ``first`` to ``last``: one aggregate in SQL, not one per row.

    Conservative: a month in between that no changed lead touches is recomputed too, which is
    harmless (snapshots are upserts) and cheap next to converting every timestamp of every row.
    """
    return {str(month) for month in Month.between(first, last, zone)}


def backtest(*, criteria: dict, timezone: str, months: list[str]) -> dict[str, dict[str, dict[str, float | int | None]]]:
    """MQLs per month and the share of them that reached SQL, under the stored outcome and under a
    draft ``criteria`` applied to every lead — computed in SQL, nothing written."""
    zone = ZoneInfo(timezone)
    statistics_refresh()
    draft = Judge(None, criteria, FAR_PAST, FAR_FUTURE)
    personas = Sql("''")
    start, _ = Month.parse(months[0]).bounds(zone)
    _, end = Month.parse(months[-1]).bounds(zone)
    outcome = _outcome_sql(draft, personas, Sql("TRUE"))
    text = outcome.text + """
SELECT which, to_char(mql AT TIME ZONE %s, 'YYYY-MM'), count(*), count(*) FILTER (WHERE sql_at IS NOT NULL)
FROM (
    SELECT 'draft' AS which, LEAST(ready_at, threshold_at) AS mql, sql_at FROM outcome
    UNION ALL
    SELECT 'current', mql_at, sql_at FROM clients_lead
) AS both_ WHERE mql >= %s AND mql < %s
GROUP BY 1, 2
"""
    with connection.cursor() as cursor:
        cursor.execute(text, [*outcome.params, timezone, start, end])
        rows = cursor.fetchall()
    result = {m: {w: {"mqls": 0, "sqls": 0, "rate": None} for w in ("current", "draft")} for m in months}
    for which, month, mqls, sqls in rows:
        result[month][which] = {"mqls": mqls, "sqls": sqls, "rate": sqls / mqls if mqls else None}
    return result
