"""Benchmark: 20 concurrent users on the scorecard and on a 500-client portfolio, real server.

    PORTAL_DATA_DIR=$PWD/.local/sbench .venv/bin/python bench/scorecard_load.py [--users 20] [--requests 40] [--think 1]

Sets up (once, kept between runs) a client ``bench-score`` with 24 months of demo data and
snapshots, 500 clients with a summary row each for the portfolio, and an agency admin; runs
``collectstatic``; starts gunicorn (production settings: DEBUG off, one worker per core) on a loopback
port; warms every page once (the first render of each month is reported on its own); then each
of ``--users`` threads, with its own session cookie, sends ``--requests`` GETs to the scorecard
(cycling through the months), then to the portfolio. A user reads each page for ``--think``
seconds on average (0.5-1.4 x) before the next click, and users arrive spread over the first
reading time; ``--think 0`` fires back to back, a stress test of throughput rather than of what
20 people do. Prints p50, p95, max and the error count per page. Targets: scorecard p95 < 100 ms, portfolio (500 clients)
p95 < 200 ms, no errors. Traffic goes to 127.0.0.1 only and every loop is bounded.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis

from bench._common import admin_session, gunicorn_serving, production_env, server_arguments, warm_and_measure

SLUG, CLIENTS = "bench-score", 500


def setup() -> tuple[str, list[str]]:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from agency.models import Client
    from agency.services import client_create, public_tenant_ensure
    from kpis.models import Snapshot
    from kpis.selectors import data_months
    from kpis.services import snapshot_compute
    from portfolio.models import ClientMonthSummary

    call_command("migrate_schemas", "--shared", verbosity=0)  # bench-score is migrated when created
    public_tenant_ensure()
    client = Client.objects.filter(slug=SLUG).first()
    client = client or client_create(slug=SLUG, name="Bench scorecard", timezone="Europe/Madrid")
    with tenant_context(client):
        months = [m.strftime("%Y-%m") for m in Snapshot.objects.values_list("month", flat=True)]
    if len(months) < 24:
        call_command("generate_demo_data", SLUG, months=24, leads_per_month=300, seed=3, end="2026-10")
        with tenant_context(client):
            snapshot_compute(client=client, months=data_months(timezone=client.timezone))
            months = [m.strftime("%Y-%m") for m in Snapshot.objects.values_list("month", flat=True)]
    month = dt.date(2026, 10, 1)
    have = ClientMonthSummary.objects.filter(month=month).count()
    for index in range(have, CLIENTS):
        other = Client(
            schema_name=f"bench_p{index:04d}", slug=f"bench-p{index:04d}", name=f"Portfolio client {index:04d}", is_ready=False
        )
        other.auto_create_schema = False  # the portfolio reads only the public summary rows
        other.save()
        ClientMonthSummary.objects.create(
            client=other,
            month=month,
            computed_at=timezone.now(),
            new_leads=index % 90,
            mqls=index % 30,
            cpl=40 + index % 17,
            cac=900 + index,
            romi=0.4 + index % 5 / 10,
        )
    return admin_session(), months


def main() -> int:
    options = server_arguments(__doc__).parse_args()
    env = production_env()
    cookie, months = setup()
    with gunicorn_serving(env, workers=options.workers) as port:
        warm_and_measure(
            "scorecard",
            warm_name="scorecard, first render of each month (warm-up)",
            port=port,
            host=f"{SLUG}.localhost",
            paths=[f"/scorecard/?month={m}" for m in months[-12:]],
            cookie=cookie,
            options=options,
        )
        portfolio_paths = ["/portfolio/?month=2026-10", "/portfolio/?month=2026-10&sort=cpl&dir=desc"]
        warm_and_measure(
            f"portfolio ({CLIENTS} clients)", port=port, host="localhost", paths=portfolio_paths, cookie=cookie, options=options
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
