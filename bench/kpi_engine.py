"""Benchmark: one client with 1,000,000 leads and 3,000,000 activities over 24 months.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/kpi_engine.py [--leads N] [--activities N] [--regenerate]

Times, in the same run and against the same data:

1. qualification of every lead (``clients.criteria.qualification.leads_judge`` with the example's
   criteria and personas: one set-based statement per criteria version);
2. all 24 monthly snapshots (``kpis.services.snapshot_compute``: the selectors' fixed set of
   queries over the whole range, the documents, the upsert);
3. the floor: one raw query counting those leads per month in the client's time zone — what a
   single pass over the rows costs;
4. the qualification's floor: one hand-written ``UPDATE`` setting the same four columns
   (``mql_at``, ``sales_ready_at``, ``persona``, ``criteria_version``) from the same criteria and
   personas written straight into SQL (:data:`QUALIFICATION_FLOOR`), from the same reset state,
   on one connection; the bench checks it gives the engine's answer.

The data is written with ``generate_series`` INSERTs straight into the client's schema (the
importer is measured by bench/import_leads.py), deterministic, and kept between runs unless
``--regenerate``. Each timing is the best of ``--repeat`` runs on a warm cache, after
``VACUUM ANALYZE``. Figures are recorded in docs/performance.md ("KPI engine").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-kpi"
TZ = "Europe/Madrid"
FIRST_MONTH = dt.date(2024, 11, 1)
MONTHS = 24

CRITERIA = {
    "fit": {
        "all": [
            {"field": "employees", "op": "between", "value": [10, 5000]},
            {
                "any": [
                    {"field": "vertical", "op": "in", "value": ["saas", "fintech", "retail"]},
                    {"field": "company_revenue", "op": "gte", "value": 2000000},
                ]
            },
        ]
    },
    "threshold": 35,
    "points": [
        {"action": "content_download", "points": 10},
        {"action": "webinar_signup", "points": 20},
        {"action": "pricing_view", "points": 15},
        {"field": "employees", "op": "gte", "value": 250, "points": 25},
        {"field": "interests", "op": "contains", "value": "automation", "points": 10},
    ],
    "sales_ready_actions": ["event_signup", "demo_request", "contact_request"],
}
PERSONAS = [
    {"code": "ops", "name": "Operations lead", "match": {"field": "employees", "op": "gte", "value": 250}},
    {"code": "founder", "name": "Founder", "match": {"field": "employees", "op": "lt", "value": 50}},
    {"code": "marketer", "name": "Marketer", "match": {"field": "interests", "op": "contains", "value": "seo"}},
]
# The criteria and personas above, written by hand as one UPDATE of every lead (the floor of
# qualification): fit, attribute points, a running sum of activity points per lead, the first
# buying signal, the persona. No version ranges, no compilation, no "changed" filter.
QUALIFICATION_FLOOR = """
WITH s AS MATERIALIZED (
    SELECT l.id, l.created_at, l.persona_given,
           (l.employees BETWEEN 10 AND 5000 AND (l.vertical IN ('saas', 'fintech', 'retail')
                                                  OR l.company_revenue >= 2000000)) AS fits,
           CASE WHEN l.employees >= 250 THEN 25 ELSE 0 END
           + CASE WHEN 'automation' = ANY(l.interests) THEN 10 ELSE 0 END AS base,
           CASE WHEN l.employees >= 250 THEN 'ops' WHEN l.employees < 50 THEN 'founder'
                WHEN 'seo' = ANY(l.interests) THEN 'marketer' ELSE '' END AS matched
    FROM clients_lead l
),
w AS (
    SELECT a.lead_id, a.occurred_at, s.created_at, s.base,
           a.action IN ('event_signup', 'demo_request', 'contact_request') AS is_ready,
           CASE a.action WHEN 'content_download' THEN 10 WHEN 'webinar_signup' THEN 20 WHEN 'pricing_view' THEN 15
                ELSE 0 END AS pts,
           SUM(CASE a.action WHEN 'content_download' THEN 10 WHEN 'webinar_signup' THEN 20 WHEN 'pricing_view' THEN 15
                    ELSE 0 END) OVER (PARTITION BY a.lead_id ORDER BY a.occurred_at) AS running
    FROM clients_activity a JOIN s ON s.id = a.lead_id AND s.fits
    WHERE a.action IN ('content_download', 'webinar_signup', 'pricing_view', 'event_signup', 'demo_request',
                       'contact_request')
),
r AS (
    SELECT lead_id, SUM(pts) FILTER (WHERE occurred_at <= created_at) AS before_created,
           MIN(occurred_at) FILTER (WHERE occurred_at > created_at AND base + running >= 35) AS crossed_at,
           MIN(occurred_at) FILTER (WHERE is_ready) AS first_ready
    FROM w GROUP BY lead_id
),
o AS (
    SELECT s.id, s.persona_given, s.matched,
           CASE WHEN s.fits AND r.first_ready IS NOT NULL THEN GREATEST(s.created_at, r.first_ready) END AS ready_at,
           CASE WHEN s.fits THEN CASE WHEN s.base + COALESCE(r.before_created, 0) >= 35 THEN s.created_at
                                      ELSE r.crossed_at END END AS threshold_at
    FROM s LEFT JOIN r ON r.lead_id = s.id
)
UPDATE clients_lead l
SET mql_at = LEAST(o.ready_at, o.threshold_at), sales_ready_at = o.ready_at,
    persona = CASE WHEN o.persona_given <> '' THEN o.persona_given ELSE o.matched END, criteria_version = 1
FROM o WHERE l.id = o.id
"""
CHANNELS = ["organic_search", "paid_search", "organic_social", "paid_social", "email", "referral"]
CHANNEL_ARRAY = "ARRAY[" + ", ".join(f"'{c}'" for c in CHANNELS) + "]"
LAST_DAY = dt.date(2026, 10, 31)
CONTRACTS_FROM = dt.date(2023, 6, 1)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    import django

    django.setup()


def generate(cursor, *, leads: int, activities: int) -> None:
    """Every kind of row, set-based. Lead g is created at an even step through the 24 months."""
    start = f"'{FIRST_MONTH.isoformat()} 00:00'::timestamp AT TIME ZONE '{TZ}'"
    end = f"'{dt.date(2026, 11, 1).isoformat()} 00:00'::timestamp AT TIME ZONE '{TZ}'"
    step = f"(({end}) - ({start})) / {leads}"
    cursor.execute(
        "TRUNCATE clients_activity, clients_lead, clients_spend, clients_emailrow, clients_trafficrow, "
        "clients_contract, clients_campaign, clients_holiday, clients_persona, clients_criteriaversion, "
        "kpis_snapshot CASCADE"
    )
    cursor.execute(
        """
        INSERT INTO clients_campaign (id, name, channel, direction, nurture, social_network)
        SELECT 'cmp' || n, 'Campaign ' || n, (%s::text[])[1 + n %% 6], 'inbound', n %% 6 = 4,
               CASE (%s::text[])[1 + n %% 6] WHEN 'paid_social' THEN 'linkedin' WHEN 'organic_social' THEN 'facebook'
                    ELSE '' END
        FROM generate_series(0, 19) n
        """,
        [CHANNELS, CHANNELS],
    )
    cursor.execute(
        f"""
        INSERT INTO clients_lead (id, created_at, email, channel, campaign_id, device, landing_page, persona_given,
            origin, company_revenue, employees, vertical, gender, interests, challenge, first_contacted_at, sql_at,
            sal_at, opportunity_at, customer_at, lost_at, unsubscribed_at, deal_value, persona)
        SELECT 'L' || g, t, '', CASE WHEN g % 9 = 0 THEN 'direct' ELSE '' END,
               CASE WHEN g % 9 = 0 THEN NULL ELSE 'cmp' || (g % 20) END,
               (ARRAY['desktop', 'mobile', 'tablet', ''])[1 + g % 4], '/lp/' || (g % 50), '',
               CASE WHEN g % 10 = 0 THEN 'sales' ELSE 'marketing' END,
               (g * 7919) % 20000000, (g * 31) % 6000, (ARRAY['saas', 'fintech', 'retail', 'media', ''])[1 + g % 5], '',
               CASE g % 4 WHEN 0 THEN ARRAY['automation']::varchar[] WHEN 1 THEN ARRAY['seo', 'crm']::varchar[]
                    ELSE ARRAY[]::varchar[] END, '',
               CASE WHEN g % 5 <> 0 THEN t + (g * 37 % 7200) * interval '1 minute' END,
               CASE WHEN g % 7 = 0 THEN t + interval '3 days' END,
               CASE WHEN g % 14 = 0 THEN t + interval '4 days' END,
               CASE WHEN g % 21 = 0 THEN t + interval '10 days' END,
               CASE WHEN g % 49 = 0 THEN t + interval '20 days' END,
               CASE WHEN g % 7 = 1 THEN t + interval '15 days' END,
               CASE WHEN g % 40 = 3 THEN t + interval '60 days' END,
               CASE WHEN g % 49 = 0 THEN 1000 + g % 9000 END, ''
        FROM generate_series(1::bigint, {leads}) g, LATERAL (SELECT ({start}) + (g - 1) * {step} AS t) x
        """
    )
    cursor.execute(
        f"""
        INSERT INTO clients_activity (id, lead_id, occurred_at, action, detail)
        SELECT 'A' || i, 'L' || (1 + i % {leads}),
               ({start}) + (i % {leads}) * {step} + (1 + (i / {leads}) * 29 + i % 11) * interval '1 hour',
               (ARRAY['content_download', 'webinar_signup', 'pricing_view', 'email_click', 'form_submission', 'other',
                      'content_download', 'demo_request', 'pricing_view', 'webinar_signup'])[1 + (i * 13) % 10], ''
        FROM generate_series(0::bigint, {activities - 1}) i
        """
    )
    cursor.execute(
        f"""
        INSERT INTO clients_spend (id, date, category, amount, campaign_id, note, currency, platform)
        SELECT 'S' || d::date || '-' || n, d::date, (ARRAY['media', 'marketing', 'nurture', 'sales'])[1 + n % 4],
               50 + (n * 17 + extract(doy FROM d)::int) % 400, CASE WHEN n = 20 THEN NULL ELSE 'cmp' || n END, '', '', ''
        FROM generate_series('{FIRST_MONTH}'::date, '{LAST_DAY}'::date, interval '1 day') d, generate_series(0, 20) n
        """
    )
    cursor.execute(
        f"""
        INSERT INTO clients_trafficrow (date, channel, device, landing_page, social_network, sessions, bounced_sessions,
                                        pageviews, form_submissions)
        SELECT d::date, c, v, p, CASE c WHEN 'paid_social' THEN 'linkedin' WHEN 'organic_social' THEN 'facebook' ELSE '' END,
               s, s / 3, s * 3, CASE WHEN p = '' THEN 0 ELSE s / 9 END
        FROM generate_series('{FIRST_MONTH}'::date, '{LAST_DAY}'::date, interval '1 day') d, unnest({CHANNEL_ARRAY}) c,
             unnest(ARRAY['desktop', 'mobile', 'tablet']) v, unnest(ARRAY['', '/lp/1', '/lp/2']) p,
             LATERAL (SELECT 20 + (extract(doy FROM d)::int * 7 + length(c) * 3 + length(v)) % 300 AS s) x
        """
    )
    cursor.execute(
        f"""
        INSERT INTO clients_emailrow (date, campaign_id, sent, delivered, unique_opens, unique_clicks, unsubscribes)
        SELECT d::date, 'cmp4', 5000, 4800, 1000, 120, 9
        FROM generate_series('{FIRST_MONTH}'::date, '{LAST_DAY}'::date, interval '7 days') d
        """
    )
    cursor.execute(
        f"""
        INSERT INTO clients_contract (id, account, kind, start_date, segment, term_months, monthly_fee, project_fee,
                                      end_date, cancelled_on, renewal_of_id)
        SELECT 'C' || n, 'acct-' || (n % 120), CASE WHEN n % 4 = 0 THEN 'project' ELSE 'retainer' END,
               '{CONTRACTS_FROM}'::date + (n * 5) * interval '1 day', (ARRAY['smb', 'enterprise', 'gov'])[1 + n % 3],
               CASE WHEN n % 4 = 0 THEN NULL ELSE 6 + 6 * (n % 2) END,
               CASE WHEN n % 4 = 0 THEN NULL ELSE 1000 + (n % 9) * 500 END,
               CASE WHEN n % 4 = 0 THEN 8000 + (n % 5) * 3000 END,
               CASE WHEN n % 4 = 0 THEN ('{CONTRACTS_FROM}'::date + (n * 5 + 90) * interval '1 day')::date END,
               CASE WHEN n % 4 <> 0 AND n % 7 = 0 THEN ('{CONTRACTS_FROM}'::date + (n * 5 + 70) * interval '1 day')::date END,
               NULL
        FROM generate_series(0, 299) n
        """
    )
    cursor.execute("INSERT INTO clients_holiday (date) VALUES ('2024-12-25'), ('2025-01-01'), ('2025-12-25'), ('2026-01-01')")


def server_cpu() -> float | None:
    """CPU seconds spent so far by the embedded PostgreSQL: its processes alive (backends, parallel
    workers) plus those already ended (the postmaster's reaped children: the connections the lead
    passes open and close). ``None`` when the server is not the embedded one on this machine."""
    from agency import embedded

    pidfile = embedded.data_dir() / "pg" / "postmaster.pid"
    if os.environ.get("DATABASE_URL") or not pidfile.exists():
        return None
    postmaster = int(pidfile.read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(entry.name) == postmaster:
            total += sum(int(value) for value in fields[11:15])  # its own CPU and its reaped children's
        elif int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def best_cpu(function, repeat: int) -> tuple[float, list[float], list[float | None]]:
    """Best wall time of ``repeat`` runs, the runs, and each run's CPU (this process + PostgreSQL's)."""
    times, cpus = [], []
    for _ in range(repeat):
        server, own, started = server_cpu(), time.process_time(), time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
        after = server_cpu()
        cpus.append(None if server is None or after is None else after - server + time.process_time() - own)
    return min(times), times, cpus


def best(function, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-qualification", action="store_true")
    args = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tenants.utils import tenant_context

    from agency.models import Client
    from agency.months import Month
    from agency.services import client_create
    from clients.models import CriteriaVersion, Lead, Persona
    from kpis.services import snapshot_compute

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)  # a fresh data dir works too
    client = Client.objects.filter(slug=SLUG).first() or client_create(
        slug=SLUG, name="KPI engine benchmark", timezone=TZ, currency="EUR"
    )
    report: dict = {"leads": args.leads, "activities": args.activities, "months": MONTHS}
    with tenant_context(client):
        if args.regenerate or Lead.objects.count() != args.leads or not CriteriaVersion.objects.exists():
            started = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                generate(cursor, leads=args.leads, activities=args.activities)
                CriteriaVersion.objects.create(
                    version=1, effective_from=dt.date(2024, 1, 1), criteria=CRITERIA, author_name="bench"
                )
                Persona.objects.bulk_create(
                    Persona(code=p["code"], name=p["name"], match=p["match"], priority=i) for i, p in enumerate(PERSONAS)
                )
            report["generate_seconds"] = round(time.perf_counter() - started, 1)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # autocommit: not inside a transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM clients_activity")
            report["activities_in_table"] = cursor.fetchone()[0]

        floor_sql = (
            f"SELECT date_trunc('month', created_at AT TIME ZONE '{TZ}'), count(*) FROM clients_lead GROUP BY 1 ORDER BY 1"
        )

        def floor() -> None:
            with connection.cursor() as cursor:
                cursor.execute(floor_sql)
                assert len(cursor.fetchall()) == MONTHS

        floor()  # warm the cache
        report["floor_seconds"], report["floor_runs"], report["floor_cpu_runs"] = best_cpu(floor, args.repeat)

        if args.skip_qualification:
            report["qualification"] = "skipped (--skip-qualification)"
        else:
            from clients.criteria.qualification import leads_judge

            def reset() -> None:
                with connection.cursor() as cursor:  # every lead judged and written, as after a criteria change
                    cursor.execute(
                        "UPDATE clients_lead SET mql_at = NULL, sales_ready_at = NULL, persona = '', "
                        "criteria_version = NULL WHERE mql_at IS NOT NULL OR persona <> '' "
                        "OR criteria_version IS NOT NULL"
                    )
                    cursor.execute("VACUUM ANALYZE clients_lead")

            def outcome() -> tuple:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(mql_at), count(sales_ready_at), sum(extract(epoch FROM mql_at)), "
                        "count(*) FILTER (WHERE persona <> ''), string_agg(DISTINCT persona, ','), "
                        "count(criteria_version) FROM clients_lead"
                    )
                    return cursor.fetchone()

            def qualify_fresh() -> float:
                reset()
                started = time.perf_counter()
                leads_judge(timezone=TZ)
                return time.perf_counter() - started

            def floor_fresh() -> float:
                reset()
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(QUALIFICATION_FLOOR)
                return time.perf_counter() - started

            runs, floor_runs = [], []
            for _ in range(max(1, args.repeat - 1)):  # alternately, so both meet the same state of the machine
                floor_runs.append(floor_fresh())
                by_hand = outcome()
                runs.append(qualify_fresh())
                if outcome() != by_hand:
                    raise SystemExit(f"the hand-written UPDATE and the engine disagree: {by_hand} != {outcome()}")
            report["qualification_seconds"], report["qualification_runs"] = min(runs), runs
            report["qualification_floor_seconds"], report["qualification_floor_runs"] = min(floor_runs), floor_runs
            report["ratio_qualification_to_floor"] = min(runs) / min(floor_runs)
            started = time.perf_counter()
            leads_judge(timezone=TZ)  # nothing changes: judged, nothing written
            report["requalification_unchanged_seconds"] = round(time.perf_counter() - started, 2)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE clients_lead")
                cursor.execute(
                    "SELECT count(*) FILTER (WHERE mql_at IS NOT NULL), count(*) FILTER (WHERE persona <> '') FROM clients_lead"
                )
                report["mqls"], report["with_persona"] = cursor.fetchone()

    months = [(Month.of(FIRST_MONTH) + i).first_day for i in range(MONTHS)]
    snapshot_compute(client=client, months=months)  # warm
    report["snapshots_seconds"], report["snapshots_runs"], report["snapshots_cpu_runs"] = best_cpu(
        lambda: snapshot_compute(client=client, months=months), args.repeat
    )
    one_month, _runs = best(lambda: snapshot_compute(client=client, months=[months[-1]]), args.repeat)
    report["one_snapshot_seconds"] = one_month
    report["ratio_snapshots_to_floor"] = report["snapshots_seconds"] / report["floor_seconds"]
    if None not in report["snapshots_cpu_runs"] + report["floor_cpu_runs"]:
        # what the load moves less: all the CPU the snapshots took (this process's Python and every
        # PostgreSQL process, however many connections) against the floor's
        report["ratio_cpu_snapshots_to_floor"] = min(report["snapshots_cpu_runs"]) / min(report["floor_cpu_runs"])
        report["cores"] = os.cpu_count()
    report["load_average"] = [round(value, 2) for value in os.getloadavg()]
    with tenant_context(client):
        from kpis.models import Snapshot

        last = Snapshot.objects.get(month=months[-2]).document["kpis"]
        report["sample_2026_09"] = {k: last[k] for k in ("new_leads", "mqls", "customers", "cpl", "mrr", "contract_ltv")}
    for key, value in list(report.items()):
        if isinstance(value, float):
            report[key] = round(value, 3)
        elif isinstance(value, list) and value and isinstance(value[0], float):
            report[key] = [None if v is None else round(v, 3) for v in value]
    report["median_snapshots_seconds"] = round(statistics.median(report["snapshots_runs"]), 3)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
