"""Benchmark: 20 concurrent readers of the close board over 500 clients × 13 months, real server.

    PORTAL_DATA_DIR=$PWD/.local/bbench .venv/bin/python bench/close_board.py [--users 20] [--requests 40] [--think 1]

Sets up (once, kept between runs) 500 clients with a close row for each of the board's 13 months
(6,500 rows of the public mirror ``portfolio.ClientMonthClose``, states mixed: approved, in review,
open, revisions waiting, questions) and an agency admin who sees them all; the clients have no
schema, since the board reads only the public mirror. Starts gunicorn with production settings
(DEBUG off, one worker per core), warms each page once, then ``--users`` threads send
``--requests`` GETs each to the board: the default page, the filters (waiting, clean, only mine),
another month, another page of 100 clients. Target: p95 ≤ 150 ms with 20 readers, no errors.
Reuses bench/scorecard_load.py's load generator; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")

from bench.scorecard_load import SECRET, free_port, load, report  # noqa: E402

CLIENTS, MONTHS = 500, 13
GUNICORN = [sys.executable, "-m", "gunicorn", "agency.wsgi"]


def setup() -> tuple[str, list[str]]:
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils import timezone

    from agency.models import Client, User
    from agency.services import public_tenant_ensure
    from portfolio.models import ClientMonthClose
    from reports.board import board_months

    call_command("migrate_schemas", "--shared", verbosity=0)
    public_tenant_ensure()
    now = timezone.now()
    months = board_months(now=now)
    have = set(Client.objects.filter(slug__startswith="bench-b").values_list("slug", flat=True))
    for index in range(CLIENTS):
        slug = f"bench-b{index:04d}"
        if slug in have:
            continue
        other = Client(schema_name=f"bench_b{index:04d}", slug=slug, name=f"Board client {index:04d}", is_ready=False)
        other.auto_create_schema = False  # the board reads only the public mirror
        other.save()
    clients = list(Client.objects.filter(slug__startswith="bench-b").order_by("slug"))
    ClientMonthClose.objects.filter(client__in=clients).exclude(month__in=months).delete()
    existing = set(ClientMonthClose.objects.filter(client__in=clients).values_list("client_id", "month"))
    rows = []
    for index, client in enumerate(clients):
        for age, month in enumerate(months):
            if (client.pk, month) in existing:
                continue
            state = "in_review" if age == 0 and index % 3 else "open" if age == 0 else "approved"
            rows.append(
                ClientMonthClose(
                    client=client,
                    month=month,
                    state=state,
                    in_review_since=now - dt.timedelta(days=index % 9) if state == "in_review" else None,
                    approved_at=now - dt.timedelta(days=30 * age) if state == "approved" else None,
                    revision_pending=state == "approved" and index % 41 == 0,
                    open_questions=1 if index % 17 == 0 and age < 2 else 0,
                    commentary_state={"in_review": "draft", "approved": "approved"}.get(state, "none"),
                    figures_at=now - dt.timedelta(days=2 + age * 30),
                )
            )
    ClientMonthClose.objects.bulk_create(rows, batch_size=2000)
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create(username="bench-admin", role="admin")
    cache.clear()
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(admin.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    print(f"{len(clients)} clients, {ClientMonthClose.objects.filter(client__in=clients).count()} close rows")
    return session.session_key, [f"{m:%Y-%m}" for m in months]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a reader looks at a page before the next (mean)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes (one per core)")
    options = parser.parse_args()
    from agency import embedded

    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL") or embedded.postgres_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or embedded.redis_url(),
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "PORTAL_SECRETS_KEY": Fernet.generate_key().decode(),  # production settings refuse to start without it
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_BASE_HOST": "localhost",
        "PORTAL_SCHEME": "http",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    cookie, months = setup()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*GUNICORN, "--workers", str(options.workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        import socket

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        paths = [
            "/board/",
            "/board/?show=waiting",
            "/board/?show=clean",
            f"/board/?month={months[1]}",
            "/board/?page=3",
            "/board/?show=all&mine=1",
        ]
        load(port=port, host="localhost", paths=paths, cookie=cookie, users=1, requests=len(paths))
        report(
            f"close board ({CLIENTS} clients × {MONTHS} months)",
            *load(
                port=port,
                host="localhost",
                paths=paths,
                cookie=cookie,
                users=options.users,
                requests=options.requests,
                think=options.think,
            ),
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
