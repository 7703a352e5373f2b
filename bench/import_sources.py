"""Benchmark: import platform exports through the sources (clients.sources); time and peak memory.

    .venv/bin/python bench/import_sources.py [--cases google_ads:73000 hubspot:200000 ...]

Cases: ``google_ads:N`` writes a Google Ads campaign report with the Day segment (title and
date-range lines, a Total row, quoted thousands separators), 200 campaigns a day, N rows
(73,000 = one year); ``hubspot:N`` writes a HubSpot contacts export of N contacts (every field
quoted). Each case runs in its own process against a fresh client ``bench-sources`` (EUR,
Europe/Madrid) and reports the import's wall time, the peak RSS and its growth during the
import, and, in a second (traced) import into a fresh client, the peak of Python's own
allocations (tracemalloc). Figures are recorded in docs/performance.md ("Sources").
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
SLUG = "bench-sources"
SOURCES = ["Organic Search", "Paid Search", "Email Marketing", "Paid Social", "Referrals", "Direct Traffic", "Offline Sources"]


def write_google_ads(path: Path, rows: int, seed: int = 3) -> None:
    rng = random.Random(seed)
    campaigns = 200
    start = dt.date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("Campaign report\r\n\"January 1, 2025 - December 31, 2025\"\r\n")
        writer = csv.writer(handle)
        writer.writerow(["Day", "Campaign", "Campaign ID", "Currency code", "Cost", "Impr.", "Clicks", "Conversions",
                         "Conv. value"])
        for n in range(rows):
            day = start + dt.timedelta(days=n // campaigns)
            campaign = n % campaigns
            cost = rng.randint(0, 250_000) / 100
            impressions = rng.randint(0, 2_000_000)
            clicks = min(rng.randint(0, 900), impressions)
            # The paid-media columns as Google writes them: fractional conversions, " --" where there are none.
            conversions = rng.randint(0, 4000) / 100 if n % 5 else None
            writer.writerow([day.isoformat(), f"Campaign {campaign:03d}", str(10_000 + campaign), "EUR", f"{cost:,.2f}",
                             f"{impressions:,}", clicks, " --" if conversions is None else f"{conversions:,.2f}",
                             " --" if conversions is None else f"{conversions * 80:,.2f}"])
        writer.writerow(["Total: Account", "", "", "", "", "", "", "", ""])


def write_hubspot(path: Path, rows: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 8, 0)  # noqa: DTZ001 - wall-clock times, as HubSpot writes them
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        # Today's layout: Original Traffic Source (the renamed Original Source) and the two deal amount columns.
        writer.writerow(["Record ID", "First Name", "Email", "Create Date", "Lifecycle Stage", "Original Traffic Source",
                         "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
                         "Became an Opportunity Date", "Became a Customer Date", "Industry", "Number of Employees",
                         "Annual Revenue", "Recent Deal Amount", "Total Revenue"])
        for n in range(rows):
            created = start + dt.timedelta(minutes=n * 2 + rng.randint(0, 1))
            sql = rng.random() < 0.15
            won = sql and rng.random() < 0.3
            stamp = created.strftime("%Y-%m-%d %H:%M")
            writer.writerow([
                str(100_000 + n), f"Lead {n}", f"lead{n}@example.com", stamp, "lead", rng.choice(SOURCES), "",
                (created + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M") if sql else "",
                (created + dt.timedelta(days=10)).strftime("%Y-%m-%d %H:%M") if won else "",
                (created + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M") if won else "",
                rng.choice(["SaaS", "Fintech", "Retail"]), f"{rng.randint(1, 5000):,}",
                f"{rng.randint(100_000, 50_000_000):,}",
                f"{rng.randint(1_000, 90_000):,}.00" if (won and rng.random() < 0.7) or rng.random() < 0.05 else "",
                f"{rng.randint(1_000, 90_000):,}" if won and rng.random() < 0.5 else "",
            ])


WRITERS = {"google_ads": write_google_ads, "hubspot": write_hubspot}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)  # a fresh benchmark database needs its tables


def fresh_client():
    from django.db import connection
    from django_tenants.utils import schema_context

    from agency.models import Client
    from agency.services import client_create

    client = Client.objects.filter(slug=SLUG).first() or client_create(
        slug=SLUG, name="Sources benchmark", timezone="Europe/Madrid", currency="EUR")
    with schema_context(client.schema_name), connection.cursor() as cursor:
        cursor.execute("TRUNCATE clients_activity, clients_lead, clients_spend, clients_emailrow, clients_campaign CASCADE")
    return client


def copy_floor(path: Path) -> float:
    """The floor: the file's lines COPYed as CSV, untouched, into a temporary table of text columns
    (reading the file and PostgreSQL storing as many rows; no parsing, checking or upsert)."""
    from django.db import connection, transaction

    with path.open(encoding="utf-8", newline="") as handle:
        lines = [handle.readline() for _ in range(3)]
    skip = 2 if lines[0].startswith("Campaign report") else 0
    width = len(next(csv.reader([lines[skip]])))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(width))
        cursor.execute(f"CREATE TEMP TABLE _floor ({columns}) ON COMMIT DROP")
        with path.open("rb") as handle, cursor.cursor.copy("COPY _floor FROM STDIN (FORMAT csv, HEADER true)") as copy:
            for _ in range(skip):
                handle.readline()
            while chunk := handle.read(1 << 16):
                copy.write(chunk)
    return time.perf_counter() - started


def run_one(case: str) -> dict:
    setup_django()
    from clients.sources import source_import

    name, size = case.split(":")
    rows = int(size)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"source-{name}-{rows}.csv"
    if not path.exists():
        WRITERS[name](path, rows)
    client = fresh_client()
    floor = copy_floor(path)
    load_before = os.getloadavg()[0]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    outcome = source_import(client=client, path=path)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss_peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    assert outcome.ok, [str(e) for e in outcome.errors[:5]]
    started = time.perf_counter()
    again = source_import(client=client, path=path)
    elapsed_again = time.perf_counter() - started
    client = fresh_client()
    tracemalloc.start()
    source_import(client=client, path=path)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "case": name, "rows": rows, "file_mb": round(path.stat().st_size / 1e6, 1), "seconds": round(elapsed, 2),
        "python_cpu_seconds": round(cpu, 2), "load_average": round(max(load_before, os.getloadavg()[0]), 1),
        "floor_seconds": round(floor, 2),
        "rows_per_second": round(rows / elapsed), "inserted": outcome.result.inserted,
        "campaigns_created": len(outcome.campaigns_created),
        "peak_rss_mb": round(rss_peak / 1024, 1), "growth_mb": round((rss_peak - rss_before) / 1024, 1),
        "python_peak_mb": round(traced_peak / 1e6, 2), "reimport_seconds": round(elapsed_again, 2),
        "reimport_written": again.result.written,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", nargs="+", default=["google_ads:36500", "google_ads:73000", "hubspot:100000",
                                                        "hubspot:200000"])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    sys.path.insert(0, str(ROOT))
    from bench._common import each_in_a_process

    rows = each_in_a_process(__file__, args.cases)
    print("\n| export | rows | file | import (wall) | Python CPU | load avg | rows/s | floor (raw COPY) | peak RSS |"
          " RSS growth in import | Python peak (tracemalloc) | re-import (nothing written) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['case']} | {row['rows']:,} | {row['file_mb']} MB | {row['seconds']} s |"
              f" {row['python_cpu_seconds']} s | {row['load_average']} | {row['rows_per_second']:,} |"
              f" {row['floor_seconds']} s |"
              f" {row['peak_rss_mb']} MB | {row['growth_mb']} MB | {row['python_peak_mb']} MB |"
              f" {row['reimport_seconds']} s |")


if __name__ == "__main__":
    main()
