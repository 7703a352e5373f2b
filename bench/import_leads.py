"""Benchmark: import 100,000 (and 200,000) leads from CSV; report time and peak memory.

    .venv/bin/python bench/import_leads.py [--sizes 100000 200000] [--keep]

Each size runs in its own process (so its peak RSS is its own) against a fresh client
``bench-import`` in the configured database (the embedded one by default). The process
reports the import's wall time, its peak resident memory (``ru_maxrss``), the growth of
that peak over the process's size before the import, and (in a third, traced import) the
peak of Python's own allocations (``tracemalloc``); none should grow with the file.
Figures are recorded in docs/performance.md ("Import").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SLUG = "bench-import"
CHANNELS = ["organic_search", "paid_search", "paid_social", "email", "referral", "direct"]


def write_leads(path: Path, count: int, seed: int = 7) -> None:
    """A leads file with every column used, written row by row."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 8, 0)  # noqa: DTZ001 - naive on purpose: read in the client time zone
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "id",
                "created_at",
                "email",
                "channel",
                "campaign",
                "device",
                "landing_page",
                "origin",
                "company_revenue",
                "employees",
                "vertical",
                "interests",
                "first_contacted_at",
                "sql_at",
                "customer_at",
                "deal_value",
            ]
        )
        for n in range(count):
            created = start + dt.timedelta(minutes=n * 5 + rng.randint(0, 4))
            won = rng.random() < 0.05
            sql = won or rng.random() < 0.15
            writer.writerow(
                [
                    f"L{n:08d}",
                    created.isoformat(timespec="seconds"),
                    f"lead{n}@example.com",
                    rng.choice(CHANNELS),
                    f"cmp{n % 20}",
                    rng.choice(["desktop", "mobile", "tablet"]),
                    f"/lp/{n % 50}",
                    "marketing",
                    rng.randint(100_000, 50_000_000),
                    rng.randint(1, 5000),
                    rng.choice(["saas", "fintech", "retail"]),
                    "analytics;growth" if n % 3 else "",
                    (created + dt.timedelta(hours=2)).isoformat(timespec="seconds"),
                    (created + dt.timedelta(days=3)).isoformat(timespec="seconds") if sql else "",
                    (created + dt.timedelta(days=30)).isoformat(timespec="seconds") if won else "",
                    f"{rng.randint(1000, 90000)}.00" if won else "",
                ]
            )


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    import django

    django.setup()


def fresh_client():
    from django.db import connection
    from django_tenants.utils import schema_context

    from agency.models import Client
    from agency.services import client_create
    from clients.models import Campaign

    client = Client.objects.filter(slug=SLUG).first() or client_create(
        slug=SLUG, name="Import benchmark", timezone="Europe/Madrid", currency="EUR"
    )
    with schema_context(client.schema_name), connection.cursor() as cursor:
        cursor.execute("TRUNCATE clients_activity, clients_lead, clients_spend, clients_emailrow CASCADE")
        Campaign.objects.bulk_create(
            [Campaign(id=f"cmp{n}", name=f"Campaign {n}", channel="paid_search") for n in range(20)], ignore_conflicts=True
        )
    return client


def run_one(size: int) -> dict:
    """In a child process: import ``size`` leads into a fresh client; time and memory."""
    setup_django()
    from clients.services import data_import

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"leads-{size}.csv"
    if not path.exists():
        write_leads(path, size)
    client = fresh_client()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = data_import(kind="leads", path_or_file=path, client=client)
    elapsed = time.perf_counter() - started
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert result.ok, [str(e) for e in result.errors[:5]]
    started = time.perf_counter()
    again = data_import(kind="leads", path_or_file=path, client=client)
    elapsed_again = time.perf_counter() - started
    # Once more into a fresh client, under tracemalloc: the peak of Python's own allocations.
    client = fresh_client()
    tracemalloc.start()
    data_import(kind="leads", path_or_file=path, client=client)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "leads": size,
        "python_peak_mb": round(traced_peak / 1e6, 2),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "seconds": round(elapsed, 2),
        "rows_per_second": round(size / elapsed),
        "inserted": result.inserted,
        "peak_rss_mb": round(rss_peak / 1024, 1),
        "rss_before_mb": round(rss_before / 1024, 1),
        "growth_mb": round((rss_peak - rss_before) / 1024, 1),
        "reimport_seconds": round(elapsed_again, 2),
        "reimport_unchanged": again.unchanged,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    sys.path.insert(0, str(ROOT))
    from bench._common import each_in_a_process

    rows = each_in_a_process(__file__, [str(size) for size in args.sizes])
    print(
        "\n| leads | file | import | rows/s | peak RSS | RSS growth in import | Python peak (tracemalloc) |"
        " re-import (unchanged) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['leads']:,} | {row['file_mb']} MB | {row['seconds']} s | {row['rows_per_second']:,} |"
            f" {row['peak_rss_mb']} MB | {row['growth_mb']} MB | {row['python_peak_mb']} MB | {row['reimport_seconds']} s |"
        )


if __name__ == "__main__":
    main()
