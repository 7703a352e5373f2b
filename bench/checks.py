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
   connection and process, read the portfolio's rows (``kpis.portfolio.portfolio_rows``: every
   client with its headline KPIs and its checks, cycling through every client, "with checks" and
   "clean months") 40 times each, and the same number of times the query as it was before the
   checks (the summary join alone), alternately. Target: p95 within the portfolio page's 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
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
    totals, checks, cpu = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        snapshot_compute(client=client, months=[month])
        totals.append(time.perf_counter() - start)
        start, start_cpu = time.perf_counter(), time.process_time()
        checks_compute(client=client, months=[month], today=today)
        checks.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    snapshot_only = [total - check for total, check in zip(totals, checks, strict=True)]
    return {
        "snapshot_p50_ms": round(statistics.median(snapshot_only) * 1000, 1),
        "checks_p50_ms": round(statistics.median(checks) * 1000, 1),
        "checks_p95_ms": round(percentile(checks, 0.95) * 1000, 1),
        "checks_cpu_p50_ms": round(statistics.median(cpu) * 1000, 1),  # the Python side, less sensitive to load
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


def _read(admin_pk: int, month, show: str, with_checks: bool) -> float:
    from django.db.models import F, FilteredRelation, Q

    from agency.models import User
    from agency.selectors import clients_for_user
    from kpis.portfolio import COLUMNS, portfolio_rows, targets_by_client

    admin = User.objects.get(pk=admin_pk)
    start = time.perf_counter()
    if with_checks:
        rows = list(portfolio_rows(user=admin, month=month, sort="new_leads", descending=True, show=show))
    else:  # the portfolio's query before the checks: the summary join alone
        query = clients_for_user(user=admin).annotate(
            now=FilteredRelation("month_summaries", condition=Q(month_summaries__month=month)),
            **{column: F(f"now__{column}") for column in COLUMNS},
            computed_at=F("now__computed_at"),
        )
        rows = list(query.order_by(F("new_leads").desc(nulls_last=True), "name"))
    targets_by_client(clients=rows, month=month)
    return time.perf_counter() - start


def _reader(args: tuple[int, object, int, bool]) -> list[float]:
    import django
    from django.db import connection

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    django.setup()
    admin_pk, month, reads, with_checks = args
    try:
        return [_read(admin_pk, month, ("all", "checks", "clean")[i % 3], with_checks) for i in range(reads)]
    finally:
        connection.close()


def portfolio_readers(admin, month, readers: int, reads: int) -> dict[str, dict[str, float]]:
    """Each reader is its own process (a web worker's share), with its own database connection;
    with and without the checks' join, alternately, so both meet the same machine."""
    import multiprocessing

    found: dict[str, list[float]] = {"with checks": [], "before (summary only)": []}
    context = multiprocessing.get_context("spawn")
    for _round in range(1):
        for name, with_checks in (("with checks", True), ("before (summary only)", False)):
            with context.Pool(readers) as pool:
                for timings in pool.map(_reader, [(admin.pk, month, reads, with_checks)] * readers):
                    found[name].extend(timings)
    return {
        name: {
            "reads": len(timings),
            "p50_ms": round(statistics.median(timings) * 1000, 1),
            "p95_ms": round(percentile(timings, 0.95) * 1000, 1),
        }
        for name, timings in found.items()
    }


def sequential(admin, month, reads: int) -> dict[str, dict[str, float]]:
    """One reader, the two queries alternately (so they meet the same machine), CPU and wall time."""
    found: dict[str, list[float]] = {"with checks": [], "before (summary only)": []}
    for i in range(reads * 2):
        with_checks = i % 2 == 0
        found["with checks" if with_checks else "before (summary only)"].append(
            _read(admin.pk, month, ("all", "checks", "clean")[i // 2 % 3], with_checks)
        )
    return {
        name: {"p50_ms": round(statistics.median(t) * 1000, 1), "p95_ms": round(percentile(t, 0.95) * 1000, 1)}
        for name, t in found.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--skip-client", action="store_true", help="only the portfolio part")
    parser.add_argument("--sequential", type=int, default=100, help="reads of each query by one reader, alternately")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    from agency import embedded

    # The readers are processes of their own: they connect to this data folder's servers directly.
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or embedded.postgres_url()
    os.environ["REDIS_URL"] = os.environ.get("REDIS_URL") or embedded.redis_url()
    import django

    django.setup()
    print("load average before:", os.getloadavg())
    if not args.skip_client:
        client = setup_client()
        print("one client-month (24 months of history):", one_client_month(client, args.runs))
    admin, month = setup_portfolio(args.clients)
    print(f"portfolio rows, one reader, {args.sequential} reads each:", sequential(admin, month, args.sequential))
    if args.readers:
        print(f"portfolio rows, {args.readers} readers:", portfolio_readers(admin, month, args.readers, 40))
    print("load average after:", os.getloadavg())


if __name__ == "__main__":
    main()
