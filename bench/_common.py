"""What the benchmarks share: production settings over this data folder's servers, a signed-in
agency admin, gunicorn on a loopback port, and the load generator with its report (used by
``bench/scorecard_load.py`` and ``bench/close_board.py``; traffic goes to 127.0.0.1 only and every
loop is bounded); each case of a memory benchmark in a process of its own (``bench/import_*.py``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-only-secret-" + "x" * 50


def production_env() -> dict[str, str]:
    """This process's environment with production settings (DEBUG off) over this data folder's
    PostgreSQL and Redis, set here and returned for the server's processes. Production settings
    refuse to start the embedded services: they are started here (development data under
    PORTAL_DATA_DIR) and their addresses handed over as a production install would."""
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
    return env


def admin_session() -> str:
    """The session key of the agency admin ``bench-admin`` (made once), signed in; the cache is
    cleared first, so that every run starts with nothing rendered."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.cache import cache

    from agency.models import User

    admin = User.objects.filter(username="bench-admin").first() or User.objects.create(username="bench-admin", role="admin")
    cache.clear()  # this data folder's own Redis
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(admin.pk), "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    return session.session_key


def each_in_a_process(script: str, cases: list[str]) -> list[dict[str, Any]]:
    """Each case measured by ``script --one CASE`` in a process of its own, so that its peak memory
    is its own; the process's last line is the case's figures as JSON, printed as each ends."""
    rows = []
    for case in cases:
        run = [sys.executable, script, "--one", case]
        output = subprocess.run(run, check=True, capture_output=True, text=True, cwd=ROOT).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    return rows


def server_arguments(description: str | None) -> argparse.ArgumentParser:
    """The load's options: readers, requests each, reading time between clicks, gunicorn workers."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--think", type=float, default=1.0, help="seconds a user reads a page before the next (mean)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn processes (one per core)")
    return parser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(env: dict[str, str], *, workers: int) -> Iterator[int]:
    """Static files collected, then gunicorn with ``workers`` processes on a free loopback port
    (waited for, at most 60 s); yields the port and stops the server at the end."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "agency.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def load(
    *, port: int, host: str, paths: list[str], cookie: str, users: int, requests: int, think: float = 0.0
) -> tuple[list[float], int]:
    """``users`` threads, each with its own connection, send ``requests`` GETs cycling through
    ``paths``; a user reads each page ``think`` seconds on average (0.5-1.4 x) and users arrive
    spread over the first reading time. The timings and the count of answers other than 200."""
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


def warm_and_measure(
    name: str, *, port: int, host: str, paths: list[str], cookie: str, options: argparse.Namespace, warm_name: str = ""
) -> None:
    """Every page once, so that the figures are the steady state (each page rendered and cached once;
    reported under ``warm_name`` when given: the first, uncached renders), then the load of
    ``options`` (``server_arguments``), reported under ``name``."""
    warm = load(port=port, host=host, paths=paths, cookie=cookie, users=1, requests=len(paths))
    if warm_name:
        report(warm_name, *warm)
    users, requests, think = options.users, options.requests, options.think
    report(name, *load(port=port, host=host, paths=paths, cookie=cookie, users=users, requests=requests, think=think))
