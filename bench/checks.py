"""Benchmark: what the month's checks cost (issue #21).

    PORTAL_DATA_DIR=$PWD/.local/cbench .venv/bin/python bench/checks.py [--runs 30] [--clients 500] [--readers 20]

1. **One client-month, beyond its snapshot.** A client with 24 months of demo data (300 leads a
   month, daily traffic, weekly email, contracts) and its snapshots; then ``--runs`` times: the
   month's snapshot alone (``snapshot_compute`` includes the checks, so the snapshot's own cost is
   that minus ``checks_compute``), and ``checks_compute`` for the month alone (the SQL of
   ``kpis.checks.selectors``, the pure checks, the upsert and the public counts). Target: the checks
   add at most 50 ms.
2. **The portfolio's counts for --clients clients under --readers readers.** Public client rows with
   their month summary and check counts (``portfolio.ClientMonthChecks``, no schemas: the portfolio
   reads only public tables), an agency admin; then --readers threads, each with its own database
   connection, read the portfolio's rows (``kpis.portfolio.portfolio_rows``: every client with its
   headline KPIs and its checks, and the "with checks" and "clean months" filters) 40 times each.
   Target: p95 within the portfolio page's 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-checks"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup_client():
    from django.core.management import call_command
    from django_tenants.utils import tenant_context

    from agency.models import Client
    from agency.services import client_create, public_tenant_ensure
    from kpis.models import Snapshot
    from kpis.selectors import data_months
    from kpis.services import snapshot_compute

    call_command("migrate_schemas", "--shared", verbosity=0)
    public_tenant_ensure()
    client = Client.objects.filter(slug=SLUG).first() or client_create(slug=SLUG, name="Bench checks", timezone="Europe/Madrid")
    with tenant_context(client):
        have = Snapshot.objects.count()
    if have < 24:
        call_command("generate_demo_data", SLUG, months=24, leads_per_month=300, seed=3, end="2026-10", verbosity=0)
        with tenant_context(client):
            months = data_months(timezone=client.timezone)
        snapshot_compute(client=client, months=months)
    return client


def one_client_month(client, runs: int) -> dict[str, float]:
    import datetime as dt

    from kpis.checks.services import checks_compute
    from kpis.services import snapshot_compute

    month = dt.date(2026, 10, 1)
    today = dt.date(2026, 12, 6)
    totals, checks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        snapshot_compute(client=client, months=[month])
        totals.append(time.perf_counter() - start)
        start = time.perf_counter()
        checks_compute(client=client, months=[month], today=today)
        checks.append(time.perf_counter() - start)
    snapshot_only = [total - check for total, check in zip(totals, checks, strict=True)]
    return {
        "snapshot_p50_ms": statistics.median(snapshot_only) * 1000,
        "checks_p50_ms": statistics.median(checks) * 1000,
        "checks_p95_ms": percentile(checks, 0.95) * 1000,
    }


def setup_portfolio(count: int):
    import datetime as dt

    from django.utils import timezone

    from agency.models import Client, User
    from portfolio.models import ClientMonthChecks, ClientMonthSummary

    month = dt.date(2026, 10, 1)
    have = ClientMonthChecks.objects.filter(month=month, client__slug__startswith="bench-c").count()
    for index in range(have, count):
        other = Client.objects.filter(slug=f"bench-c{index:04d}").first()
        if other is None:
            other = Client(schema_name=f"bench_c{index:04d}", slug=f"bench-c{index:04d}", name=f"Checks client {index:04d}")
            other.auto_create_schema = False
            other.save()
        ClientMonthSummary.objects.update_or_create(
            client=other, month=month, defaults={"computed_at": timezone.now(), "new_leads": index % 90, "cpl": 40 + index % 17}
        )
        open_checks = index % 4  # a quarter of the months clean
        ClientMonthChecks.objects.update_or_create(
            client=other,
            month=month,
            defaults={"total": open_checks + index % 2, "high": index % 3 == 0, "open": open_checks, "open_high": index % 3 == 0},
        )
    admin = User.objects.filter(username="bench-checks-admin").first()
    return admin or User.objects.create(username="bench-checks-admin", role="admin"), month


def portfolio_readers(admin, month, readers: int, reads: int) -> dict[str, float]:
    from django.db import connection

    from kpis.portfolio import portfolio_rows, targets_by_client

    timings: list[float] = []
    sizes: dict[str, int] = {}
    lock = threading.Lock()

    def reader(offset: int) -> None:
        try:
            for i in range(reads):
                show = ("all", "checks", "clean")[(offset + i) % 3]
                start = time.perf_counter()
                rows = list(portfolio_rows(user=admin, month=month, sort="new_leads", descending=True, show=show))
                targets_by_client(clients=rows, month=month)
                elapsed = time.perf_counter() - start
                with lock:
                    timings.append(elapsed)
                    sizes[show] = len(rows)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "reads": len(timings),
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": percentile(timings, 0.95) * 1000,
        "max_ms": max(timings) * 1000,
        **{f"rows_{show}": size for show, size in sizes.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--readers", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    import django

    django.setup()
    print("load average before:", os.getloadavg())
    client = setup_client()
    print("one client-month (24 months of history):", one_client_month(client, args.runs))
    admin, month = setup_portfolio(args.clients)
    print(f"portfolio rows, {args.readers} readers:", portfolio_readers(admin, month, args.readers, 40))
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    main()
