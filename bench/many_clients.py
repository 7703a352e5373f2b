"""Benchmark: many small clients × 12 months of snapshots through two real Celery workers.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/many_clients.py [--sizes 100 250 500]

Provisions ``max(--sizes)`` clients ``mc-0001`` … (once, kept between runs): one template client
is created and migrated the normal way and filled with a small client's year of data (2,400
leads, 7,200 activities, spend, traffic, email, 40 contracts, criteria and personas, qualified);
the others are copies of its schema (``pg_dump`` once, replayed under each name: creating 500 schemas
by running every migration would take longer than the benchmark itself).

Then, for each size K, it starts two worker processes (``celery worker --pool=solo``), queues
the K clients' 12 months as the daily refresh does, in chunks of ``--chunk`` clients per task
(``kpis.tasks.snapshots_fan_out``: each client computed in its own schema; ``--chunk 1`` is one
``kpis.tasks.snapshot_compute_task`` per client, as before), and times until all K × 12
snapshots have landed, watching the public ``portfolio.ClientMonthSummary`` table
that ``snapshot_upsert`` writes in the same transaction as each client's snapshots. Growth
is linear when seconds per client stay flat as K grows. ``--fresh``: the clients' stored snapshots and
findings are deleted first (every month written for the first time; by default the run writes over
the documents of the run before, as the daily refresh does). ``--concurrency N``: each worker a
prefork pool of N processes (production runs one worker with ``--concurrency 2``). No countdown spread is used here (the
beat dispatcher spreads its fan-out on purpose; that spacing would only measure itself).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._connectors import workers_start, workers_stop  # noqa: E402 -- after the path

TEMPLATE = "mc-template"
TZ = "Europe/Madrid"
MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]


def setup_django(*, debug: bool = False) -> None:
    """Production settings (DEBUG off, as the workers run in production) over this data folder's
    embedded PostgreSQL and Redis, their addresses given as a production install gives them
    (bench/_common.py's ``production_env``); ``debug``: the development settings instead, whose
    debug cursor formats and keeps every statement (what these benches measured before)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    if debug:
        os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    else:
        from bench._common import production_env

        production_env()
    import django

    django.setup()


def fill_template(client) -> None:
    """A small client's year, written set-based, then qualified."""
    from django.db import connection
    from django_tenants.utils import tenant_context

    from bench.kpi_engine import CRITERIA, PERSONAS
    from clients.criteria.qualification import leads_judge
    from clients.models import CriteriaVersion, Persona

    start = f"'2025-01-01 00:00'::timestamp AT TIME ZONE '{TZ}'"
    step = f"(('2026-01-01 00:00'::timestamp AT TIME ZONE '{TZ}') - ({start})) / 2400"
    with tenant_context(client), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clients_campaign (id, name, channel, direction, nurture, social_network) VALUES "
            "('ads', 'Ads', 'paid_search', 'inbound', false, ''), ('li', 'LinkedIn', 'paid_social', 'inbound', false, "
            "'linkedin'), ('news', 'Newsletter', 'email', 'inbound', true, '')"
        )
        cursor.execute(
            f"""
            INSERT INTO clients_lead (id, created_at, email, channel, campaign_id, device, landing_page, persona_given,
                origin, company_revenue, employees, vertical, gender, interests, challenge, first_contacted_at, sql_at,
                sal_at, opportunity_at, customer_at, lost_at, unsubscribed_at, deal_value, persona)
            SELECT 'L' || g, t, '', '', (ARRAY['ads', 'li', 'news'])[1 + g % 3], (ARRAY['desktop', 'mobile'])[1 + g % 2],
                   '/lp/' || g % 5, '', CASE WHEN g % 10 = 0 THEN 'sales' ELSE 'marketing' END, g * 7919 % 9000000,
                   g * 31 % 3000, (ARRAY['saas', 'retail', 'media'])[1 + g % 3], '',
                   CASE WHEN g % 4 = 0 THEN ARRAY['automation']::varchar[] ELSE ARRAY[]::varchar[] END, '',
                   CASE WHEN g % 5 <> 0 THEN t + (g * 37 % 600) * interval '1 minute' END,
                   CASE WHEN g % 7 = 0 THEN t + interval '3 days' END, NULL, NULL,
                   CASE WHEN g % 49 = 0 THEN t + interval '20 days' END, NULL,
                   CASE WHEN g % 40 = 3 THEN t + interval '60 days' END, CASE WHEN g % 49 = 0 THEN 5000 END, ''
            FROM generate_series(1, 2400) g, LATERAL (SELECT ({start}) + (g - 1) * {step} AS t) x
            """
        )
        cursor.execute(
            f"""
            INSERT INTO clients_activity (id, lead_id, occurred_at, action, detail)
            SELECT 'A' || i, 'L' || (1 + i % 2400), ({start}) + (i % 2400) * {step} + (1 + i % 50) * interval '1 hour',
                   (ARRAY['content_download', 'webinar_signup', 'pricing_view', 'demo_request', 'other'])[1 + i * 7 % 5], ''
            FROM generate_series(0, 7199) i
            """
        )
        cursor.execute(
            """
            INSERT INTO clients_spend (id, date, category, amount, campaign_id, note, currency, platform)
            SELECT 'S' || d::date || c, d::date, 'media', 40 + extract(doy FROM d)::int % 60, c, '', '', ''
            FROM generate_series('2025-01-01'::date, '2025-12-31'::date, interval '1 day') d, unnest(ARRAY['ads', 'li']) c
            """
        )
        cursor.execute(
            """
            INSERT INTO clients_trafficrow (date, channel, device, landing_page, social_network, sessions, bounced_sessions,
                                            pageviews, form_submissions)
            SELECT d::date, c, v, '', '', 100, 40, 300, 5
            FROM generate_series('2025-01-01'::date, '2025-12-31'::date, interval '1 day') d,
                 unnest(ARRAY['paid_search', 'email', 'organic_search']) c, unnest(ARRAY['desktop', 'mobile']) v
            """
        )
        cursor.execute(
            """
            INSERT INTO clients_emailrow (date, campaign_id, sent, delivered, unique_opens, unique_clicks, unsubscribes)
            SELECT d::date, 'news', 1000, 960, 200, 30, 2
            FROM generate_series('2025-01-01'::date, '2025-12-31'::date, interval '7 days') d
            """
        )
        cursor.execute(
            """
            INSERT INTO clients_contract (id, account, kind, start_date, segment, term_months, monthly_fee, project_fee,
                                          end_date, cancelled_on, renewal_of_id)
            SELECT 'C' || n, 'acct-' || n % 15, CASE WHEN n % 4 = 0 THEN 'project' ELSE 'retainer' END,
                   '2024-01-15'::date + n * 17, (ARRAY['smb', 'enterprise'])[1 + n % 2],
                   CASE WHEN n % 4 <> 0 THEN 6 END, CASE WHEN n % 4 <> 0 THEN 1500 END,
                   CASE WHEN n % 4 = 0 THEN 9000 END, CASE WHEN n % 4 = 0 THEN '2024-01-15'::date + n * 17 + 60 END,
                   NULL, NULL
            FROM generate_series(0, 39) n
            """
        )
        CriteriaVersion.objects.create(version=1, effective_from=dt.date(2024, 1, 1), criteria=CRITERIA, author_name="bench")
        Persona.objects.bulk_create(
            Persona(code=p["code"], name=p["name"], match=p["match"], priority=i) for i, p in enumerate(PERSONAS)
        )
        leads_judge(timezone=TZ)


def provision(count: int) -> list:
    """The template (made once), then its clones ``mc-0001`` …: the template schema dumped once
    (``pg_dump``) and replayed under each new name in one transaction a schema, as
    bench/_connectors.py does (``django_tenants.clone`` slowed from 1–2 s to 28 s a clone as the
    catalog grew past ~150 schemas)."""
    import re

    from django.conf import settings
    from django.db import connection, transaction
    from django_tenants.utils import schema_exists

    from agency.models import Client, Domain
    from agency.services import client_create
    from bench._connectors import _template_sql

    template = Client.objects.filter(slug=TEMPLATE).first()
    if template is None:
        template = client_create(slug=TEMPLATE, name="Many-clients template", timezone=TZ, currency="EUR")
        fill_template(template)
        template.is_ready = False  # a template, never scheduled
        template.save(update_fields=["is_ready"])
    existing = set(Client.objects.filter(slug__startswith="mc-0").values_list("slug", flat=True))
    missing = [n for n in range(1, count + 1) if f"mc-{n:04d}" not in existing]
    if missing:
        connection.set_schema_to_public()
        dump = _template_sql(template.schema_name)
        name = re.compile(rf"\b{re.escape(template.schema_name)}\b")
    for n in missing:
        slug = f"mc-{n:04d}"
        schema = slug.replace("-", "_")
        connection.set_schema_to_public()
        with transaction.atomic():
            with connection.cursor() as cursor:
                if schema_exists(schema):  # left half-made by an interrupted run
                    cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
                cursor.execute(name.sub(schema, dump))
                cursor.execute('SET search_path = "public"')  # the dump emptied it
            client = Client(schema_name=schema, slug=slug, name=f"Client {n}", timezone=TZ, currency="EUR", is_ready=True)
            client.auto_create_schema = False
            client.save()
            Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        connection.close()  # a backend that made hundreds of schemas keeps their catalog entries and slows down
    connection.set_schema_to_public()
    return list(Client.objects.filter(slug__startswith="mc-0").order_by("slug")[:count])


def floor(clients: list, repeat: int = 3) -> float:
    """The floor: one statement counting the same leads by month across the clients' schemas
    (a UNION ALL of one grouped count per schema, in the clients' zone), best of ``repeat``."""
    from django.db import connection

    sql = " UNION ALL ".join(
        f"SELECT '{c.schema_name}' AS s, date_trunc('month', created_at AT TIME ZONE '{TZ}') AS m, count(*) AS n "
        f'FROM "{c.schema_name}".clients_lead GROUP BY 2'
        for c in clients
    )
    best = float("inf")
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(sql)
            counted = sum(row[2] for row in cursor.fetchall())
            best = min(best, time.perf_counter() - started)
    assert counted == 2400 * len(clients), counted
    return best


def stored_forget(clients: list) -> None:
    """A fresh computation: the clients' stored snapshots, findings and public rows deleted, so that
    the run writes every month for the first time (as the close of a new month does) rather than
    over the same documents (the daily refresh). Outside the timed part."""
    from django.db import connection, transaction

    from portfolio.models import ClientMonthChecks, ClientMonthSummary

    connection.set_schema_to_public()
    for client in clients:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{client.schema_name}".kpis_snapshot')
            cursor.execute(f'DELETE FROM "{client.schema_name}".kpis_checkresult')
    ClientMonthSummary.objects.filter(client__in=clients).delete()
    ClientMonthChecks.objects.filter(client__in=clients).delete()


def run(clients: list, workers: int, chunk: int, concurrency: int = 0, fresh: bool = False) -> dict:
    from agency.celery import app
    from agency.tasks import enqueue_for_client
    from kpis.tasks import snapshot_compute_task, snapshots_fan_out
    from portfolio.models import ClientMonthSummary

    if fresh:
        stored_forget(clients)
    ClientMonthSummary.objects.filter(client__in=clients).delete()
    app.control.purge()
    pool = ("--pool=prefork", f"--concurrency={concurrency}") if concurrency else ("--pool=solo",)
    processes = workers_start(
        workers, {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings"}, ROOT / "bench" / "out", name="bench", args=pool
    )
    try:
        time.sleep(6)  # let the workers connect before the clock starts
        started = time.perf_counter()
        months = [m.strftime("%Y-%m") for m in MONTHS]
        if chunk > 1:
            snapshots_fan_out(clients=clients, months=months, chunk=chunk)
        else:
            for client in clients:
                enqueue_for_client(snapshot_compute_task, client=client, months=months)
        expected = len(clients) * len(MONTHS)
        deadline = started + 3600
        while (landed := ClientMonthSummary.objects.filter(client__in=clients).count()) < expected:
            if time.perf_counter() > deadline or any(p.poll() is not None for p in processes):
                raise RuntimeError(f"only {landed} of {expected} snapshots landed")
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
    finally:
        workers_stop(processes)
    lowest = floor(clients)
    return {
        "clients": len(clients),
        "clients_per_task": chunk,
        "pool": " ".join(pool),
        "stored_before": "none (fresh)" if fresh else "the same months (daily refresh)",
        "snapshots": expected,
        "seconds": round(elapsed, 2),
        "seconds_per_client": round(elapsed / len(clients), 4),
        "floor_seconds": round(lowest, 3),
        "ratio_to_floor": round(elapsed / lowest, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=None, help="clients per task (default: the fan-out's, SNAPSHOT_CHUNK)")
    parser.add_argument("--concurrency", type=int, default=0,
                        help="each worker a prefork pool of this many processes (production's is 2) instead of --pool=solo")
    parser.add_argument("--fresh", action="store_true",
                        help="delete the clients' stored snapshots and findings first: every month written for the first time")
    parser.add_argument("--debug", action="store_true", help="development settings (DEBUG on) instead of production's")
    args = parser.parse_args()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    setup_django(debug=args.debug)
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    started = time.perf_counter()
    clients = provision(max(args.sizes))
    provisioned = round(time.perf_counter() - started, 1)
    print(json.dumps({"provision_seconds": provisioned, "load_average": os.getloadavg()}), flush=True)
    rows = []
    from kpis.tasks import SNAPSHOT_CHUNK

    for size in args.sizes:
        rows.append(run(clients[:size], args.workers, args.chunk or SNAPSHOT_CHUNK, args.concurrency, args.fresh))
        print(json.dumps(rows[-1]), flush=True)
    base = rows[0]["seconds_per_client"]
    for row in rows:
        row["per_client_vs_smallest"] = round(row["seconds_per_client"] / base, 2)
    print(json.dumps({"workers": args.workers, "months": len(MONTHS), "provision_seconds": provisioned, "runs": rows}, indent=1))


if __name__ == "__main__":
    main()
