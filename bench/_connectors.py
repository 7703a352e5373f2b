"""Shared by the connectors' nightly benchmarks (bench/connectors_daily.py, and the ad platforms'):
the fake platforms in a child process, clients cloned from one migrated template schema with
their connections set as last synced a day ago, the workers, and how many syncs have finished.

Names kept stable for the benches that import them: ``setup_django``, ``serve``, ``provision``,
``clients_reset``, ``point_at``, ``worker_env``, ``workers_start``, ``workers_stop``, ``syncs_finished``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
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
    from cryptography.hazmat.primitives import serialization

    from clients.connectors.fake_server import fake_server_start

    if platforms_factory is None:
        platforms, account = dataset(20_000, end=dt.datetime.now(dt.UTC))
        kept = Path(account_path)
        if kept.exists():  # the key the kept clients were connected with, so they need not connect again
            account = json.loads(kept.read_text())
            key = serialization.load_pem_private_key(account["private_key"].encode(), password=None)
            platforms.ga4_accounts[account["client_email"]] = key.public_key()
        kept.write_text(json.dumps(account))
    else:
        platforms = platforms_factory()
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    signal.signal(signal.SIGUSR1, lambda *_: stats_queue.put(
        {"max_in_flight": dict(platforms.max_in_flight), "requests": dict(platforms.requests)}))
    while True:
        time.sleep(3600)


def _template_sql(schema: str) -> str:
    """The template schema as SQL (pg_dump, PostgreSQL's own, next to the server's binaries)."""
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW unix_socket_directories")
        socket_dir = cursor.fetchone()[0].split(",")[0].strip()
    database = settings.DATABASES["default"]
    pg_dump = shutil.which("pg_dump", path=str(Path(pgserver_bin()))) or "pg_dump"
    return subprocess.run(
        [pg_dump, "-h", database.get("HOST") or socket_dir, "-U", database["USER"], "-d", database["NAME"],
         f"--schema={schema}", "--no-owner", "--no-privileges", "--inserts"],
        check=True, capture_output=True, text=True, env={**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""},
    ).stdout


def pgserver_bin() -> str:
    import pgserver

    return str(Path(pgserver.__file__).parent / "pginstall" / "bin")


def clone_clients(count: int, *, prefix: str = "cd", timezone: str = "Europe/Madrid", currency: str = "EUR") -> list:
    """``count`` ready clients ``<prefix>-0001`` …, each a copy of one migrated template schema (kept
    between runs: only the missing ones are made). The template is dumped once (pg_dump) and its SQL
    replayed under each new name, in one transaction a schema: 0.6 s each under load 10, where
    ``django_tenants.clone`` took 0.5 s on a quiet machine and 8 s under load."""
    from django.conf import settings
    from django.db import connection, transaction
    from django_tenants.utils import schema_exists

    from agency.models import Client, Domain
    from agency.services import client_create

    template = Client.objects.filter(slug=TEMPLATE).first()
    if template is None:
        template = client_create(slug=TEMPLATE, name="Connectors template", timezone=timezone, currency=currency)
        template.is_ready = False
        template.save(update_fields=["is_ready"])
    existing = set(Client.objects.filter(slug__startswith=f"{prefix}-0").values_list("slug", flat=True))
    missing = [n for n in range(1, count + 1) if f"{prefix}-{n:04d}" not in existing]
    if missing:
        connection.set_schema_to_public()
        dump = _template_sql(template.schema_name)
        name = re.compile(rf"\b{re.escape(template.schema_name)}\b")
    for n in missing:
        slug = f"{prefix}-{n:04d}"
        schema = slug.replace("-", "_")
        connection.set_schema_to_public()
        with transaction.atomic():
            with connection.cursor() as cursor:
                if schema_exists(schema):
                    cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
                cursor.execute(name.sub(schema, dump))
                cursor.execute('SET search_path = "public"')  # the dump emptied it
            client = Client(schema_name=schema, slug=slug, name=f"Client {n}", timezone=timezone, currency=currency,
                            is_ready=True)
            client.auto_create_schema = False
            client.save()
            Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        connection.close()  # a backend that made hundreds of schemas keeps their catalog entries
    connection.set_schema_to_public()
    return list(Client.objects.filter(slug__startswith=f"{prefix}-0").order_by("slug")[:count])


def bench_credentials(account: dict) -> dict:
    from clients.connectors.vault import Credentials

    return {"hubspot": ("4242", Credentials(access_token="pat-bench-0000-0000")),  # noqa: S106 (fake)
            "ga4": ("123456", Credentials(service_account=account)),
            "mailchimp": ("bench", Credentials(api_key="bench0000000000000000000000000000-us21"))}


def clients_reset(clients: Iterable, credentials: dict, now: dt.datetime, *, check: bool = False) -> None:
    """Each client's connections (``credentials``: platform → (account, Credentials)) connected, last
    synced a day before ``now`` and due now (its row and the due index), with no sync history.
    ``check``: connected as a person connects them, their credentials tested first against the
    platforms this process points at (:func:`point_at`), so a GA4 key is validated then, once."""
    from django_tenants.utils import tenant_context

    from clients.connectors.schedule import connections_due_rebuild
    from clients.connectors.sync import connection_connect
    from clients.models import Connection, SyncRun

    for client in clients:
        with tenant_context(client):
            have = set(Connection.objects.values_list("platform", flat=True))
        for platform, (account_id, creds) in credentials.items():
            if platform not in have:
                connection_connect(client=client, platform=platform, account_id=account_id, credentials=creds,
                                   check=check)
        with tenant_context(client):
            Connection.objects.update(cursor={"through": (now - dt.timedelta(days=1)).isoformat()}, run={},
                                      state=Connection.State.CONNECTED, next_run_at=now - dt.timedelta(minutes=1))
            SyncRun.objects.all().delete()
        connections_due_rebuild(client=client)


def provision(count: int, account: dict, now: dt.datetime, *, url: str | None = None) -> list:
    """``count`` clients with HubSpot, GA4 and Mailchimp connected to the fake platforms, due now.

    ``url``: the fake server's; given, this process points at it and each connection is connected
    as a person does it (credentials tested first); without it, stored untested."""
    if url is not None:
        point_at(url)
    clients = clone_clients(count)
    clients_reset(clients, bench_credentials(account), now, check=url is not None)
    return clients


def point_at(url: str, platforms: Iterable[str] = PLATFORMS, oauth: Iterable[str] = ("ga4",)) -> None:
    """This process's connectors pointed at the fake server (the workers get it from worker_env)."""
    from django.conf import settings

    settings.PORTAL_CONNECTOR_URLS = {**settings.PORTAL_CONNECTOR_URLS, **dict.fromkeys(platforms, url)}
    settings.PORTAL_OAUTH_URLS = {**settings.PORTAL_OAUTH_URLS, **dict.fromkeys(oauth, url)}


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


def recomputes_waiting(clients: list) -> int:
    """Clients whose debounced recompute (kpis.recompute) has not run yet: members of its deadline set."""
    from agency.redis_client import redis_client, redis_key

    waiting = {member.decode() for member in redis_client().zrange(redis_key("kpis", "recompute", "due"), 0, -1)}
    return sum(1 for client in clients if client.schema_name in waiting)
