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
SLUG = "bench-ads"
NOW = dt.datetime(2026, 11, 3, 3, 0, tzinfo=dt.UTC)
APP = ("bench-app.apps.example", "bench-secret-0000")
ACCOUNTS = {"google_ads": "1112223333", "meta_ads": "123456789", "linkedin_ads": "508000111"}


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)


def serve(campaigns: int, days: int, port_queue, tokens_queue) -> None:
    setup_django()
    from clients.connectors.fake_ads import make_ad_rows
    from clients.connectors.fake_server import FakePlatforms, fake_server_start

    platforms = FakePlatforms()
    ads = platforms.ads
    ads.apps[APP[0]] = APP[1]
    ads.developer_tokens.add("bench-dev-token")
    ads.job_polls = 1
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--campaigns", type=int, default=40)
    parser.add_argument("--days", type=int, default=400)
    args = parser.parse_args()
    context = multiprocessing.get_context("fork")
    ports, tokens = context.Queue(), context.Queue()
    child = context.Process(target=serve, args=(args.campaigns, args.days, ports, tokens), daemon=True)
    child.start()
    issued = tokens.get(timeout=300)
    port = ports.get(timeout=300)
    setup_django()
    from django.conf import settings
    from django.utils import timezone

    from clients.connectors.sync import connection_connect, connection_sync
    from clients.connectors.vault import Credentials

    url = f"http://127.0.0.1:{port}"
    settings.PORTAL_CONNECTOR_URLS = dict.fromkeys(ACCOUNTS, url)
    settings.PORTAL_OAUTH_URLS = dict.fromkeys(ACCOUNTS, url)
    settings.PORTAL_OAUTH_APPS = dict.fromkeys(ACCOUNTS, APP)
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = "bench-dev-token"  # noqa: S105 (the fake's)
    settings.PORTAL_CONNECTOR_JOB_POLL = 0.2
    client = fresh_client()
    for platform, account in ACCOUNTS.items():
        connection_connect(client=client, platform=platform, account_id=account, check=False, credentials=Credentials(
            access_token=issued[platform], expires_at=timezone.now() + dt.timedelta(days=1)))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, rows = {}, {}
    started = time.perf_counter()
    for platform in ACCOUNTS:
        began = time.perf_counter()
        outcome = connection_sync(client=client, platform=platform, now=NOW)
        assert outcome.ok, outcome.message
        times[platform], rows[platform] = round(time.perf_counter() - began, 2), outcome.rows
    total = round(time.perf_counter() - started, 2)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child.terminate()
    print(json.dumps({"campaigns": args.campaigns, "days": args.days, "seconds": total, "times": times, "rows": rows,
                      "peak_rss_mb": round(rss_peak / 1024, 1), "growth_mb": round((rss_peak - rss_before) / 1024, 1),
                      "load_average": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
