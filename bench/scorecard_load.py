"""Benchmark: 20 concurrent users on the scorecard and on a 500-client portfolio, real server.

    PORTAL_DATA_DIR=$PWD/.local/sbench .venv/bin/python bench/scorecard_load.py [--users 20] [--requests 40] [--think 1]

Sets up (once, kept between runs) a client ``bench-score`` with 24 months of demo data and
snapshots, 500 clients with a summary row each for the portfolio, and an agency admin; runs
``collectstatic``; starts gunicorn (production settings: DEBUG off, one worker per core) on a loopback
port; warms every page once (the first render of each month is reported on its own); then each
of ``--users`` threads, with its own session cookie, sends ``--requests`` GETs to the scorecard
(cycling through the months), then to the portfolio. A user reads each page for ``--think``
seconds on average (0.5-1.4 x) before the next click, and users arrive spread over the first
reading time; ``--think 0`` fires back to back, a stress test of throughput rather than of what
20 people do. Prints p50, p95, max and the error count per page. Targets: scorecard p95 < 100 ms, portfolio (500 clients)
p95 < 200 ms, no errors. Traffic goes to 127.0.0.1 only and every loop is bounded.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
SLUG, CLIENTS = "bench-score", 500
SECRET = "bench-only-secret-" + "x" * 50


def setup() -> tuple[str, list[str]]:
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from agency.models import Client, User
    from agency.services import client_create, public_tenant_ensure
    from kpis.models import Snapshot
    from kpis.selectors import data_months
    from kpis.services import snapshot_compute
    from portfolio.models import ClientMonthSummary

    call_command("migrate_schemas", "--shared", verbosity=0)  # bench-score is migrated when created
    public_tenant_ensure()
    client = Client.objects.filter(slug=SLUG).first()
    client = client or client_create(slug=SLUG, name="Bench scorecard", timezone="Europe/Madrid")
    with tenant_context(client):
        months = [m.strftime("%Y-%m") for m in Snapshot.objects.values_list("month", flat=True)]
    if len(months) < 24:
        call_command("generate_demo_data", SLUG, months=24, leads_per_month=300, seed=3, end="2026-10")
        with tenant_context(client):
            snapshot_compute(client=client, months=data_months(timezone=client.timezone))
            months = [m.strftime("%Y-%m") for m in Snapshot.objects.values_list("month", flat=True)]
    month = dt.date(2026, 10, 1)
    have = ClientMonthSummary.objects.filter(month=month).count()
    for index in range(have, CLIENTS):
        other = Client(
            schema_name=f"bench_p{index:04d}", slug=f"bench-p{index:04d}", name=f"Portfolio client {index:04d}", is_ready=False
        )
        other.auto_create_schema = False  # the portfolio reads only the public summary rows
        other.save()
        ClientMonthSummary.objects.create(
            client=other,
            month=month,
            computed_at=timezone.now(),
            new_leads=index % 90,
            mqls=index % 30,
            cpl=40 + index % 17,
            cac=900 + index,
            romi=0.4 + index % 5 / 10,
        )
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create(username="bench-admin", role="admin")
    from django.core.cache import cache

    cache.clear()  # this data folder's own Redis: every run starts with nothing rendered
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(admin.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    return session.session_key, months


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(
    *, port: int, host: str, paths: list[str], cookie: str, users: int, requests: int, think: float = 0.0
) -> tuple[list[float], int]:
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user(offset: int) -> None:
        if think:
            time.sleep(think * offset / users)  # users arrive over the first reading time, not in one burst
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for index in range(requests):
            path = paths[(offset + index) % len(paths)]
            start = time.perf_counter()
            try:
                connection.request(
                    "GET", path, headers={"Host": host, "Cookie": f"sessionid={cookie}", "X-Forwarded-Proto": "https"}
                )
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = time.perf_counter() - start
            with lock:
                timings.append(elapsed)
                errors[0] += not ok
            if think:
                time.sleep(think * (0.5 + ((offset * 7 + index) % 10) / 10))  # users read between clicks

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors[0]


def report(name: str, timings: list[float], errors: int) -> None:
    ordered = sorted(timings)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else float("nan")
    print(
        f"{name}: {len(ordered)} requests, p50 {statistics.median(ordered) * 1000:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms, errors {errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user reads a page before the next (mean)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes (one per core)")
    options = parser.parse_args()
    # Production settings refuse to start the embedded services: start them here (development
    # data under PORTAL_DATA_DIR) and hand their addresses over as a production install would.
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
        [
            sys.executable,
            "-m",
            "gunicorn",
            "agency.wsgi",
            "--workers",
            str(options.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        scorecard_paths = [f"/scorecard/?month={m}" for m in months[-12:]]
        # Warm up: every page once, so the figures are the steady state (each month's body rendered
        # and cached once per change); the first, uncached render of a month is timed separately.
        cold = load(
            port=port, host=f"{SLUG}.localhost", paths=scorecard_paths, cookie=cookie, users=1, requests=len(scorecard_paths)
        )
        report("scorecard, first render of each month (warm-up)", *cold)
        report(
            "scorecard",
            *load(
                port=port,
                host=f"{SLUG}.localhost",
                paths=scorecard_paths,
                cookie=cookie,
                users=options.users,
                requests=options.requests,
                think=options.think,
            ),
        )
        portfolio_paths = ["/portfolio/?month=2026-10", "/portfolio/?month=2026-10&sort=cpl&dir=desc"]
        load(port=port, host="localhost", paths=portfolio_paths, cookie=cookie, users=1, requests=len(portfolio_paths))
        report(
            f"portfolio ({CLIENTS} clients)",
            *load(
                port=port,
                host="localhost",
                paths=portfolio_paths,
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
