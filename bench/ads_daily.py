"""Benchmark: the nightly sync of many clients × Google Ads, Meta and LinkedIn through two real Celery workers.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/ads_daily.py [--clients 500] [--campaigns 10] [--cap 1]

The clients are bench/connectors_daily.py's (``cd-0001`` …, provisioned by its ``provision``, from
bench/_connectors.py: clones of the template schema ``cd-template``, kept between runs), with one difference written
here: before the first clone is made, the template is *filled* — its Google Ads, Meta and
LinkedIn accounts connected to the fake platforms (clients.connectors.fake_server with
fake_ads, in a child process) and backfilled for 13 months through clients.connectors.sync —
so every clone starts as a client with a year of ad delivery and three backfilled connections,
as many_clients.py clones a filled template (``provision`` replays the template's dump under each
new name; clones are kept between runs). Each clone then gets accounts of its own (one ad
account feeds one client) and credentials sealed for its own schema, and its connections were
last synced a day ago, so each sync is a nightly one: the last 30 days of Google Ads and
LinkedIn, 28 of Meta, re-read and upserted (``--campaigns`` campaigns a day on each).

Two worker processes (``--pool=solo``) run ``clients.tasks.connection_sync_run`` for each of the
clients × 3 connections, queued at once (the worst case: the dispatcher spreads them over the
night); ``--cap`` is each platform's agency-wide cap (PORTAL_CONNECTOR_CONCURRENCY). The fake
server counts the most requests of one platform in flight at once, which must not exceed the
cap. The target (issue #20): 500 clients × 3 platforms in 5 minutes. Recorded in
docs/performance.md ("Connectors").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis

from connectors_daily import TEMPLATE, provision, setup_django  # noqa: E402 (after the path)

ADS = ("google_ads", "meta_ads", "linkedin_ads")
APP = ("bench-app.apps.example", "bench-secret-0000")
DEVELOPER_TOKEN = "bench-dev-token"  # noqa: S105 (the fake's)
FIRST = {"google_ads": 7_000_000_000, "meta_ads": 800_000_000, "linkedin_ads": 509_000_000}
DAYS = 400


def account_of(platform: str, number: int) -> str:
    """Client ``number``'s ad account on ``platform`` (0: the template's)."""
    return str(FIRST[platform] + number)


def serve(count: int, campaigns: int, today: dt.date, port_queue, tokens_queue, stats_queue) -> None:
    setup_django()
    from clients.connectors.fake_ads import make_ad_rows
    from clients.connectors.fake_server import FakePlatforms, fake_server_start

    platforms = FakePlatforms()
    ads = platforms.ads
    ads.apps[APP[0]] = APP[1]
    ads.developer_tokens.add(DEVELOPER_TOKEN)
    first = today - dt.timedelta(days=DAYS - 1)
    rows = {platform: make_ad_rows(campaigns=campaigns, first_day=first, days=DAYS, seed=seed, prefix=str(seed))
            for seed, platform in enumerate(ADS, start=1)}
    for number in range(count + 1):  # every client's accounts read the same delivery (one list per platform)
        for platform in ADS:
            account = account_of(platform, number)
            ads.rows[(platform, account)] = rows[platform]
        ads.google_customers[account_of("google_ads", number)] = {"name": f"Client {number} ES", "currency": "EUR"}
        ads.google_accessible.append(account_of("google_ads", number))
        ads.meta_accounts[account_of("meta_ads", number)] = {"name": f"Client {number} Meta", "currency": "EUR"}
        ads.linkedin_accounts[account_of("linkedin_ads", number)] = {"name": f"Client {number} LI", "currency": "EUR"}
    tokens_queue.put({platform: ads.token_issue(platform, 2 * 86400) for platform in ADS})
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    signal.signal(signal.SIGUSR1, lambda *_: stats_queue.put(
        {"max_in_flight": {p: platforms.max_in_flight.get(p, 0) for p in ADS},
         "requests": {p: platforms.requests.get(p, 0) for p in ADS}}))
    while True:
        time.sleep(3600)


def fill_template(tokens: dict[str, str], now: dt.datetime) -> None:
    """The template as a client with a year of ad delivery: its three accounts connected and backfilled."""
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from agency.models import Client
    from agency.services import client_create
    from clients.connectors.sync import connection_connect, connection_sync
    from clients.connectors.vault import Credentials
    from clients.models import Connection

    template = Client.objects.filter(slug=TEMPLATE).first()
    if template is None:
        template = client_create(slug=TEMPLATE, name="Connectors template", timezone="Europe/Madrid", currency="EUR")
        template.is_ready = False
        template.save(update_fields=["is_ready"])
    with tenant_context(template):
        if Connection.objects.filter(platform__in=ADS, backfilled_at__isnull=False).count() == len(ADS):
            return
    for platform in ADS:
        connection_connect(client=template, platform=platform, account_id=account_of(platform, 0), check=False,
                           credentials=Credentials(access_token=tokens[platform],
                                                   expires_at=timezone.now() + dt.timedelta(days=1)))
        outcome = connection_sync(client=template, platform=platform, now=now)
        assert outcome.ok, outcome.message


def accounts_own(clients: list, tokens: dict[str, str], now: dt.datetime) -> None:
    """Each clone's own accounts and credentials (this run's tokens, sealed for its schema), synced a day ago."""
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from agency.account_claims import account_claim
    from clients.connectors import vault
    from clients.models import Connection, SyncRun

    expires = timezone.now() + dt.timedelta(days=1)
    for client in clients:
        number = int(client.slug.rpartition("-")[2])
        for platform in ADS:  # one ad account feeds one client, as connecting claims it
            assert account_claim(client=client, platform=platform, account_id=account_of(platform, number))
        with tenant_context(client):
            for platform in ADS:
                secrets = vault.seal(vault.Credentials(access_token=tokens[platform], expires_at=expires),
                                     owner=client.schema_name)
                Connection.objects.filter(platform=platform).update(
                    account_id=account_of(platform, number), secrets=secrets, token_expires_at=expires,
                    cursor={"through": (now - dt.timedelta(days=1)).isoformat()}, run={},
                    state=Connection.State.CONNECTED, next_run_at=now - dt.timedelta(minutes=1))
            SyncRun.objects.all().delete()


def progress(schemas: list[str]) -> tuple[int, int, int]:
    """(syncs finished, of them failed, rows written) over every client, in one query."""
    from django.db import connection

    parts = [f'SELECT finished_at, ok, rows FROM "{schema}".clients_syncrun' for schema in schemas]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE finished_at IS NOT NULL), "
                       "count(*) FILTER (WHERE finished_at IS NOT NULL AND NOT ok), "
                       "coalesce(sum(rows) FILTER (WHERE finished_at IS NOT NULL), 0) FROM ("
                       + " UNION ALL ".join(parts) + ") AS runs")
        done, failed, rows = cursor.fetchone()
        return int(done), int(failed), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--cap", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    context = multiprocessing.get_context("fork")
    ports, tokens_queue, stats = context.Queue(), context.Queue(), context.Queue()
    child = context.Process(target=serve, args=(args.clients, args.campaigns, now.date(), ports, tokens_queue, stats),
                            daemon=True)
    child.start()
    tokens = tokens_queue.get(timeout=600)
    port = ports.get(timeout=600)
    setup_django()
    from django.conf import settings

    from agency.celery import app
    from agency.tasks import enqueue_for_client
    from clients.connectors.fake_server import service_account
    from clients.tasks import connection_sync_run

    url = f"http://127.0.0.1:{port}"
    settings.PORTAL_CONNECTOR_URLS = dict.fromkeys(ADS, url)
    settings.PORTAL_OAUTH_URLS = dict.fromkeys(ADS, url)
    settings.PORTAL_OAUTH_APPS = dict.fromkeys(ADS, APP)
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = DEVELOPER_TOKEN
    began = time.perf_counter()
    fill_template(tokens, now)
    clients = provision(args.clients, service_account()[0], now)
    accounts_own(clients, tokens, now)
    provisioned = round(time.perf_counter() - began, 1)
    schemas = [client.schema_name for client in clients]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings", "PORTAL_CONNECTOR_CONCURRENCY": str(args.cap),
           "PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN": DEVELOPER_TOKEN,
           **{f"PORTAL_CONNECTOR_URL_{p.upper()}": url for p in ADS}, **{f"PORTAL_OAUTH_URL_{p.upper()}": url for p in ADS},
           **{f"PORTAL_OAUTH_CLIENT_ID_{p.upper()}": APP[0] for p in ADS},
           **{f"PORTAL_OAUTH_CLIENT_SECRET_{p.upper()}": APP[1] for p in ADS}}
    app.control.purge()
    workers = []
    for n in range(args.workers):
        log = (out / f"ads-daily-worker{n}.log").open("w")
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "agency", "worker", "--pool=solo", "-n", f"adsdaily{n}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    loads = []
    try:
        time.sleep(6)
        started = time.perf_counter()
        for client in clients:
            for platform in ADS:
                enqueue_for_client(connection_sync_run, client=client, platform=platform)
        expected = len(clients) * len(ADS)
        while True:
            done, failed, rows = progress(schemas)
            loads.append(os.getloadavg()[0])
            if done >= expected or time.perf_counter() - started > 3600:
                break
            time.sleep(3)
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    os.kill(child.pid, signal.SIGUSR1)
    measured = stats.get(timeout=30)
    child.terminate()
    print(json.dumps({"clients": len(clients), "connections": expected, "done": done, "failed": failed,
                      "campaigns": args.campaigns, "rows": rows, "rows_per_sync": round(rows / max(1, done), 1),
                      "seconds": round(elapsed, 1), "cap": args.cap, "workers": args.workers, **measured,
                      "provision_seconds": provisioned, "load_average_during": round(sum(loads) / len(loads), 1),
                      "load_average_end": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
