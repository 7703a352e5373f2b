"""Benchmark: the 13-month backfill of one client's Google Ads, Meta and LinkedIn from the local fake APIs.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/ads_backfill.py [--campaigns 40] [--days 400]

The fake platforms (clients.connectors.fake_server with fake_ads) run in a child process, each ad
account with ``--campaigns`` campaigns × ``--days`` days (issue #20: 3 × 40 × 400 = 48,000 rows);
this process connects a fresh client ``bench-ads`` (EUR, Europe/Madrid; Meta's account in USD, so
its rows are converted at the ECB rates) and runs the three backfills through
clients.connectors.sync as the worker would: Google Ads' searchStream a quarter at a time, Meta's
asynchronous report jobs (polled) and its pages, LinkedIn's adAnalytics a quarter at a time. The
target is 15 s. Recorded in docs/performance.md ("Connectors").
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import multiprocessing
import os
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SLUG = "bench-ads"
NOW = dt.datetime(2026, 11, 3, 3, 0, tzinfo=dt.UTC)
APP = ("bench-app.apps.example", "bench-secret-0000")
ACCOUNTS = {"google_ads": "1112223333", "meta_ads": "123456789", "linkedin_ads": "508000111"}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)


def serve(campaigns: int, days: int, latency: float, port_queue, tokens_queue) -> None:
    setup_django()
    from clients.connectors.fake_ads import make_ad_rows
    from clients.connectors.fake_server import FakePlatforms, fake_server_start

    platforms = FakePlatforms(latency=latency)  # seconds each answer takes (a real platform's server time)
    ads = platforms.ads
    ads.apps[APP[0]] = APP[1]
    ads.developer_tokens.add("bench-dev-token")
    ads.job_polls = 0  # a report job ready at its first check: the bench measures the portal, not Meta's queue
    ads.google_customers = {ACCOUNTS["google_ads"]: {"name": "Bench ES", "currency": "EUR"}}
    ads.google_accessible = [ACCOUNTS["google_ads"]]
    ads.meta_accounts = {ACCOUNTS["meta_ads"]: {"name": "Bench Meta", "currency": "USD"}}
    ads.linkedin_accounts = {ACCOUNTS["linkedin_ads"]: {"name": "Bench LinkedIn", "currency": "EUR"}}
    first = NOW.date() - dt.timedelta(days=days)
    for seed, platform in enumerate(ACCOUNTS, start=1):
        ads.rows[(platform, ACCOUNTS[platform])] = make_ad_rows(campaigns=campaigns, first_day=first, days=days, seed=seed,
                                                                prefix=str(seed))
    tokens_queue.put({platform: ads.token_issue(platform, 86400) for platform in ACCOUNTS})
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    while True:
        time.sleep(3600)


def fresh_client():
    from django.db import connection
    from django_tenants.utils import schema_context

    from agency.models import Client, ExchangeRate
    from agency.services import client_create
    from clients.connectors.sync import connection_disconnect

    client = Client.objects.filter(slug=SLUG).first() or client_create(
        slug=SLUG, name="Ad connectors benchmark", timezone="Europe/Madrid", currency="EUR")
    for platform in ACCOUNTS:
        connection_disconnect(client=client, platform=platform)
    with schema_context(client.schema_name), connection.cursor() as cursor:
        cursor.execute("TRUNCATE clients_spend, clients_campaign, clients_syncrun CASCADE")
    start = NOW.date() - dt.timedelta(days=420)
    ExchangeRate.objects.bulk_create([ExchangeRate(currency="USD", date=start + dt.timedelta(days=n),
                                                   per_euro=Decimal("1.08")) for n in range(425)], ignore_conflicts=True)
    return client


def cpu_of(pid: int) -> float:
    """Seconds of CPU a process has used (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def db_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def sequential(session, spans, fetch):
    """How the backfill read before: each quarter requested only after the previous one was written."""
    for span in spans:
        yield span, fetch(*span)


def fingerprint(client) -> list:
    """The figures written, per platform: rows, amounts, delivery (equal in every variant, or the bench fails)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context(client.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT platform, count(*), sum(amount), sum(original_amount), sum(impressions), sum(clicks), "
                       "sum(conversions), sum(conversion_value), count(DISTINCT campaign_id), min(date), max(date) "
                       "FROM clients_spend GROUP BY platform ORDER BY platform")
        return [[str(value) for value in row] for row in cursor.fetchall()]


def backfill(client, issued: dict, *, server: int, profile: str | None, kept: dict | None = None) -> dict:
    """Connect the three accounts to ``client`` and backfill them one after the other, as one worker would."""
    from django.utils import timezone

    from clients.connectors import sync
    from clients.connectors.vault import Credentials

    for platform, account in ACCOUNTS.items():
        sync.connection_connect(client=client, platform=platform, account_id=account, check=False, credentials=Credentials(
            access_token=issued[platform], expires_at=timezone.now() + dt.timedelta(days=1)))
    importer = sync.source_import

    def keeping(*, client, path, source):  # the batch files, kept as the floor's export files
        if kept is not None:
            kept.setdefault(source, []).append(path.read_text(encoding="utf-8"))
        return importer(client=client, path=path, source=source)

    sync.source_import = keeping
    times, rows = {}, {}
    database = db_pid()
    started, cpu, server_cpu, db_cpu = time.perf_counter(), time.process_time(), cpu_of(server), cpu_of(database)
    try:
        for platform in ACCOUNTS:
            began = time.perf_counter()
            profiler = cProfile.Profile() if platform == profile else None
            if profiler is not None:
                profiler.enable()
            outcome = sync.connection_sync(client=client, platform=platform, now=NOW)
            if profiler is not None:
                profiler.disable()
                OUT.mkdir(exist_ok=True)
                profiler.dump_stats(OUT / f"ads_backfill_{platform}.prof")
            assert outcome.ok, outcome.message
            times[platform], rows[platform] = round(time.perf_counter() - began, 2), outcome.rows
    finally:
        sync.source_import = importer
    return {"seconds": round(time.perf_counter() - started, 2), "times": times, "rows": rows,
            "cpu_seconds": round(time.process_time() - cpu, 2), "server_cpu_seconds": round(cpu_of(server) - server_cpu, 2),
            "db_cpu_seconds": round(cpu_of(database) - db_cpu, 2), "load_average": round(os.getloadavg()[0], 1)}


def export_floor(client, kept: dict) -> dict:
    """The same rows imported from one export file per platform (the importer alone: no HTTP, no batches)."""
    from clients.sources import source_import

    OUT.mkdir(parents=True, exist_ok=True)
    paths = {}
    for source, batches in kept.items():
        path = paths[source] = OUT / f"ads-{source}.csv"
        header, *_rest = batches[0].splitlines(keepends=True)
        path.write_text(header + "".join(batch.split("\n", 1)[1] for batch in batches), encoding="utf-8")
    times = {}
    database = db_pid()
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), cpu_of(database)
    for source, path in paths.items():
        began = time.perf_counter()
        outcome = source_import(client=client, path=path, source=source)
        assert outcome.ok, [str(e) for e in outcome.errors[:3]]
        times[source] = round(time.perf_counter() - began, 2)
    return {"seconds": round(time.perf_counter() - started, 2), "times": times,
            "cpu_seconds": round(time.process_time() - cpu, 2), "db_cpu_seconds": round(cpu_of(database) - db_cpu, 2),
            "load_average": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--campaigns", type=int, default=40)
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the fake platforms take per answer")
    parser.add_argument("--profile", choices=sorted(ACCOUNTS), help="cProfile this platform's sequential sync (bench/out/)")
    args = parser.parse_args()
    context = multiprocessing.get_context("fork")
    ports, tokens = context.Queue(), context.Queue()
    child = context.Process(target=serve, args=(args.campaigns, args.days, args.latency, ports, tokens), daemon=True)
    child.start()
    issued = tokens.get(timeout=300)
    port = ports.get(timeout=300)
    setup_django()
    from django.conf import settings

    from clients.connectors import google_ads, linkedin_ads, meta_ads

    url = f"http://127.0.0.1:{port}"
    settings.PORTAL_CONNECTOR_URLS = dict.fromkeys(ACCOUNTS, url)
    settings.PORTAL_OAUTH_URLS = dict.fromkeys(ACCOUNTS, url)
    settings.PORTAL_OAUTH_APPS = dict.fromkeys(ACCOUNTS, APP)
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = "bench-dev-token"  # noqa: S105 (the fake's)
    modules = (google_ads, meta_ads, linkedin_ads)
    overlapping = [getattr(module, "prefetched", sequential) for module in modules]
    kept: dict = {}
    for module in modules:
        module.prefetched = sequential
    client = fresh_client()
    before = backfill(client, issued, server=child.pid, profile=args.profile, kept=kept)  # profiled here: all on one thread
    figures = fingerprint(client)
    for module, prefetched in zip(modules, overlapping, strict=True):
        module.prefetched = prefetched
    client = fresh_client()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    after = backfill(client, issued, server=child.pid, profile=None)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert fingerprint(client) == figures, (fingerprint(client), figures)
    client = fresh_client()
    floor = export_floor(client, kept)
    assert fingerprint(client) == figures, (fingerprint(client), figures)
    child.terminate()
    print(json.dumps({"campaigns": args.campaigns, "days": args.days, "latency": args.latency,
                      "sequential": before, "overlapped": after,
                      "floor": floor, "figures_equal": True, "peak_rss_mb": round(rss_peak / 1024, 1),
                      "growth_mb": round((rss_peak - rss_before) / 1024, 1)}))


if __name__ == "__main__":
    main()
