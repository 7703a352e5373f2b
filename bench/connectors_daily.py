"""Benchmark: the nightly sync of many clients × 3 connections through two real Celery workers.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/connectors_daily.py [--clients 100] [--cap 1]

Provisions ``--clients`` clients ``cd-0001`` … (kept between runs) as clones of one migrated
template schema (``django_tenants.clone``; the template has no data), each with HubSpot, GA4 and Mailchimp
connected to the fake platforms (clients.connectors.fake_server, in a child process: 20,000
contacts over 13 months, GA4 8 × 3 × 400 days, 400 Mailchimp reports) and last synced a day
ago, so each sync is a nightly one: HubSpot's contacts modified since (with the hour of
overlap), GA4's last 3 days, Mailchimp's last 30 days of reports. Two worker processes
(``--pool=solo``) run ``clients.tasks.connection_sync_run`` for every connection, queued at once
(the worst case: the dispatcher spreads them over the night); the per-platform cap is
``--cap`` (PORTAL_CONNECTOR_CONCURRENCY). The fake server measures the most requests of one
platform in flight at once, which must not exceed the cap. Figures go to docs/performance.md.
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
TEMPLATE = "cd-template"
PLATFORMS = ("hubspot", "ga4", "mailchimp")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)


def serve(port_queue, stats_queue, account_path: str) -> None:
    setup_django()
    from connectors_backfill import dataset

    from clients.connectors.fake_server import fake_server_start

    platforms, account = dataset(20_000, end=dt.datetime.now(dt.UTC))
    Path(account_path).write_text(json.dumps(account))
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    signal.signal(signal.SIGUSR1, lambda *_: stats_queue.put(
        {"max_in_flight": dict(platforms.max_in_flight), "requests": dict(platforms.requests)}))
    while True:
        time.sleep(3600)


def provision(count: int, account: dict, now: dt.datetime) -> list:
    from django.conf import settings
    from django.db import connection
    from django_tenants.clone import CloneSchema
    from django_tenants.utils import schema_exists, tenant_context

    from agency.models import Client, Domain
    from agency.services import client_create
    from clients.connectors.sync import connection_connect
    from clients.connectors.vault import Credentials
    from clients.models import Connection, SyncRun

    template = Client.objects.filter(slug=TEMPLATE).first()
    if template is None:
        template = client_create(slug=TEMPLATE, name="Connectors template", timezone="Europe/Madrid", currency="EUR")
        template.is_ready = False
        template.save(update_fields=["is_ready"])
    existing = set(Client.objects.filter(slug__startswith="cd-0").values_list("slug", flat=True))
    cloner = CloneSchema()
    for n in range(1, count + 1):
        slug = f"cd-{n:04d}"
        if slug in existing:
            continue
        schema = slug.replace("-", "_")
        connection.set_schema_to_public()
        if schema_exists(schema):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        cloner.clone_schema(template.schema_name, schema, "DATA")
        client = Client(schema_name=schema, slug=slug, name=f"Client {n}", timezone="Europe/Madrid", currency="EUR",
                        is_ready=True)
        client.auto_create_schema = False
        client.save()
        Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        connection.close()
    connection.set_schema_to_public()
    clients = list(Client.objects.filter(slug__startswith="cd-0").order_by("slug")[:count])
    credentials = {"hubspot": ("4242", Credentials(access_token="pat-bench-0000-0000")),  # noqa: S106 (fake)
                   "ga4": ("123456", Credentials(service_account=account)),
                   "mailchimp": ("bench", Credentials(api_key="bench0000000000000000000000000000-us21"))}
    for client in clients:
        for platform, (account_id, creds) in credentials.items():
            connection_connect(client=client, platform=platform, account_id=account_id, credentials=creds, check=False)
        with tenant_context(client):
            Connection.objects.update(cursor={"through": (now - dt.timedelta(days=1)).isoformat()}, run={},
                                      state=Connection.State.CONNECTED, next_run_at=now - dt.timedelta(minutes=1))
            SyncRun.objects.all().delete()
    return clients


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--cap", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    account_path = out / "daily-ga4-account.json"
    context = multiprocessing.get_context("fork")
    ports, stats = context.Queue(), context.Queue()
    child = context.Process(target=serve, args=(ports, stats, str(account_path)), daemon=True)
    child.start()
    port = ports.get(timeout=900)
    setup_django()
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from agency.celery import app
    from agency.tasks import enqueue_for_client
    from clients.models import SyncRun
    from clients.tasks import connection_sync_run

    now = timezone.now()
    clients = provision(args.clients, json.loads(account_path.read_text()), now)
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings", "PORTAL_CONNECTOR_CONCURRENCY": str(args.cap),
           **{f"PORTAL_CONNECTOR_URL_{p.upper()}": url for p in PLATFORMS}, "PORTAL_OAUTH_URL_GA4": url}
    app.control.purge()
    workers = []
    for n in range(args.workers):
        log = (out / f"daily-worker{n}.log").open("w")
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "agency", "worker", "--pool=solo", "-n", f"daily{n}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    try:
        time.sleep(6)
        started = time.perf_counter()
        for client in clients:
            for platform in PLATFORMS:
                enqueue_for_client(connection_sync_run, client=client, platform=platform)
        expected = len(clients) * len(PLATFORMS)
        while True:
            done = failed = rows = 0
            for client in clients:
                with tenant_context(client):
                    finished = SyncRun.objects.filter(finished_at__isnull=False)
                    done += finished.count()
                    failed += finished.filter(ok=False).count()
                    rows += sum(finished.values_list("rows", flat=True))
            if done >= expected or time.perf_counter() - started > 3600:
                break
            time.sleep(2)
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
                      "rows_per_connection": round(rows / max(1, done), 1), "rows": rows,
                      "seconds": round(elapsed, 1), "cap": args.cap, "workers": args.workers, **measured,
                      "load_average": round(os.getloadavg()[0], 1)}))


if __name__ == "__main__":
    main()
