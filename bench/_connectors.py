"""Shared by the connectors' nightly benchmarks (bench/connectors_daily.py, and the ad platforms'):
the fake platforms in a child process, clients cloned from one migrated template schema with
their connections set as last synced a day ago, the workers, and how many syncs have finished.

Names kept stable for the benches that import them: ``setup_django``, ``serve``, ``provision``,
``clients_reset``, ``worker_env``, ``workers_start``, ``workers_stop``, ``syncs_finished``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "cd-template"
PLATFORMS = ("hubspot", "ga4", "mailchimp")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)


def serve(port_queue, stats_queue, account_path: str, platforms_factory: Callable[[], Any] | None = None) -> None:
    """The fake platforms (child process): puts its port on ``port_queue``; SIGUSR1 puts the most
    requests of each platform seen in flight at once, and the request counts, on ``stats_queue``."""
    setup_django()
    from connectors_backfill import dataset

    from clients.connectors.fake_server import fake_server_start

    if platforms_factory is None:
        platforms, account = dataset(20_000, end=dt.datetime.now(dt.UTC))
        Path(account_path).write_text(json.dumps(account))
    else:
        platforms = platforms_factory()
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    signal.signal(signal.SIGUSR1, lambda *_: stats_queue.put(
        {"max_in_flight": dict(platforms.max_in_flight), "requests": dict(platforms.requests)}))
    while True:
        time.sleep(3600)


def clone_clients(count: int, *, prefix: str = "cd", timezone: str = "Europe/Madrid", currency: str = "EUR") -> list:
    """``count`` ready clients ``<prefix>-0001`` …, each a clone of one migrated template schema (kept
    between runs: only the missing ones are cloned, ~0.5 s each on a fresh database connection)."""
    from django.conf import settings
    from django.db import connection
    from django_tenants.clone import CloneSchema
    from django_tenants.utils import schema_exists

    from agency.models import Client, Domain
    from agency.services import client_create

    template = Client.objects.filter(slug=TEMPLATE).first()
    if template is None:
        template = client_create(slug=TEMPLATE, name="Connectors template", timezone=timezone, currency=currency)
        template.is_ready = False
        template.save(update_fields=["is_ready"])
    existing = set(Client.objects.filter(slug__startswith=f"{prefix}-0").values_list("slug", flat=True))
    cloner = CloneSchema()
    for n in range(1, count + 1):
        slug = f"{prefix}-{n:04d}"
        if slug in existing:
            continue
        schema = slug.replace("-", "_")
        connection.set_schema_to_public()
        if schema_exists(schema):
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        cloner.clone_schema(template.schema_name, schema, "DATA")
        client = Client(schema_name=schema, slug=slug, name=f"Client {n}", timezone=timezone, currency=currency,
                        is_ready=True)
        client.auto_create_schema = False
        client.save()
        Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        connection.close()  # a backend that has cloned hundreds of schemas slows down (bench/many_clients.py)
    connection.set_schema_to_public()
    return list(Client.objects.filter(slug__startswith=f"{prefix}-0").order_by("slug")[:count])


def bench_credentials(account: dict) -> dict:
    from clients.connectors.vault import Credentials

    return {"hubspot": ("4242", Credentials(access_token="pat-bench-0000-0000")),  # noqa: S106 (fake)
            "ga4": ("123456", Credentials(service_account=account)),
            "mailchimp": ("bench", Credentials(api_key="bench0000000000000000000000000000-us21"))}


def clients_reset(clients: Iterable, credentials: dict, now: dt.datetime) -> None:
    """Each client's connections (``credentials``: platform → (account, Credentials)) connected, last
    synced a day before ``now`` and due now (its row and the due index), with no sync history."""
    from django_tenants.utils import tenant_context

    from clients.connectors.schedule import connections_due_rebuild
    from clients.connectors.sync import connection_connect
    from clients.models import Connection, SyncRun

    for client in clients:
        for platform, (account_id, creds) in credentials.items():  # the fake server's keys are new each run
            connection_connect(client=client, platform=platform, account_id=account_id, credentials=creds, check=False)
        with tenant_context(client):
            Connection.objects.update(cursor={"through": (now - dt.timedelta(days=1)).isoformat()}, run={},
                                      state=Connection.State.CONNECTED, next_run_at=now - dt.timedelta(minutes=1))
            SyncRun.objects.all().delete()
        connections_due_rebuild(client=client)


def provision(count: int, account: dict, now: dt.datetime) -> list:
    """``count`` clients with HubSpot, GA4 and Mailchimp connected to the fake platforms, due now."""
    clients = clone_clients(count)
    clients_reset(clients, bench_credentials(account), now)
    return clients


def worker_env(url: str, *, cap: int, platforms: Iterable[str] = PLATFORMS, **extra: str) -> dict:
    """The workers' environment: the platforms' URLs pointed at the fake server, the cap."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings", "PORTAL_CONNECTOR_CONCURRENCY": str(cap),
            **{f"PORTAL_CONNECTOR_URL_{p.upper()}": url for p in platforms}, "PORTAL_OAUTH_URL_GA4": url, **extra}


def workers_start(count: int, env: dict, out: Path, *, name: str = "daily",
                  args: Iterable[str] = ("--pool=solo",)) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        log = (out / f"{name}-worker{n}.log").open("w")
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "agency", "worker", *args, "-n", f"{name}{n}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
    return workers


def workers_stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=60)


def syncs_finished(clients: list, since: dt.datetime, platforms: Iterable[str] = PLATFORMS) -> int:
    """Syncs of ``platforms`` finished (well or not) since ``since``: one query in the public schema
    (the portfolio's mirror, written at each sync's end), so that watching opens no client's schema."""
    from portfolio.models import ConnectionHealth

    return ConnectionHealth.objects.filter(client__in=clients, platform__in=list(platforms),
                                           updated_at__gte=since).count()


def syncs_summary(clients: list, since: dt.datetime) -> dict:
    """What the syncs since ``since`` did, read from each client's schema once, at the end."""
    from django_tenants.utils import tenant_context

    from clients.models import SyncRun

    done = failed = rows = 0
    for client in clients:
        with tenant_context(client):
            finished = list(SyncRun.objects.filter(finished_at__gte=since).values_list("ok", "rows"))
        done += len(finished)
        failed += sum(1 for ok, _rows in finished if not ok)
        rows += sum(r for _ok, r in finished)
    return {"done": done, "failed": failed, "rows": rows}
