"""Issue #24 point 3: a bounded number of PostgreSQL connections under concurrent load.

The web server as production runs it (gunicorn, threads) and as ``scripts/run`` runs it
(Django's threaded runserver), each with a pool of 20 connections (``PORTAL_DB_POOL_MAX``),
read by 50 concurrent visitors. No answer is a 5xx, and the server never holds more than 20
connections (PostgreSQL's own count, ``pg_stat_activity``, sampled throughout). Before the pool,
every thread kept its own connection (``CONN_MAX_AGE``) until PostgreSQL refused "too many clients".
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import PASSWORD
from tests.faults import harness
from tests.faults.test_web_postgres import Browser, _free_port

pytestmark = [pytest.mark.django_db(transaction=True)]
CLIENTS, CONNECTIONS, REQUESTS_EACH = 50, 20, 6


def _server(kind: str, port: int, tmp_path, env: dict) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "agency.wsgi", "--workers", "1", "--threads", str(CLIENTS),
                   "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"]
    else:  # scripts/run's web server
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    log = tmp_path / f"{kind}.log"
    return subprocess.Popen(command, cwd=harness.ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _backends(monitor: psycopg.Connection, database: str) -> int:
    """Connections to the test database but the monitor's own (one connection kept open: a monitor
    connecting anew each time would see its previous backend still exiting)."""
    return monitor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           [database]).fetchone()[0]


@pytest.mark.parametrize("kind", ["gunicorn", "runserver"])
def test_fifty_concurrent_visitors_share_twenty_connections_without_a_5xx(kind, tenant_a, staff_a, clean_tenant_tables,
                                                                          tmp_path) -> None:
    staff_a.password = PBKDF2PasswordHasher().encode(PASSWORD, "poolsalt")
    staff_a.save(update_fields=["password"])
    env = harness.subprocess_env(  # production settings for both: the point is the connections, not DEBUG
        DEBUG="false", PORTAL_TESTING="false", SECRET_KEY="pool-test-only-" + "k" * 50, SECURE_SSL_REDIRECT="false",
        PORTAL_BASE_HOST=settings.PORTAL_BASE_HOST, PORTAL_SCHEME="http", LOG_LEVEL="WARNING",
        PORTAL_DB_POOL_MAX=str(CONNECTIONS), PORTAL_MEDIA_ROOT=str(tmp_path / "media"),
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=harness.ROOT,
                   env=env, check=True, timeout=300)
    database = connection.settings_dict["NAME"]
    connection.close()
    monitor = psycopg.connect(harness.database_url(), autocommit=True)
    time.sleep(0.5)  # the connections closed just now finish exiting
    baseline = _backends(monitor, database)
    port = _free_port()
    server = _server(kind, port, tmp_path, env)
    try:
        harness.wait_for(lambda: _answers(port), 90, kind, list(tmp_path.glob("*.log")))
        host = f"{tenant_a.slug}.{settings.PORTAL_BASE_HOST}"
        signed_in = Browser(port, host)
        assert signed_in.sign_in(staff_a.username, PASSWORD) == 302
        cookies = signed_in.cookies
        statuses: list[int] = []
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            # A count held over a second of samples, not a single reading: a backend whose
            # connection was just closed stays listed until its process has exited, which on a
            # loaded machine overlapped with the connection replacing it (CI read 21 with a window
            # of 0.2 s, at load 8). A pool over its bound keeps the extra connections open for as
            # long as the load lasts, so it still shows here.
            window: list[int] = []
            while not done.is_set():
                window = [*window[-19:], _backends(monitor, database) - baseline]
                if len(window) == 20:
                    peak[0] = max(peak[0], min(window))
                time.sleep(0.05)

        def visitor(n: int) -> None:
            browser = Browser(port, host)
            browser.cookies = cookies
            for i in range(REQUESTS_EACH):
                path = ["/", "/leads/", "/scorecard/?month=2026-03", "/reports/"][(n + i) % 4]
                try:
                    status, _ = browser.request("GET", path)
                except OSError:
                    status = 599
                statuses.append(status)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        done.set()
        sampler.join(10)
    finally:
        harness.workers_stop([server])
        monitor.close()
    assert len(statuses) == CLIENTS * REQUESTS_EACH
    assert [s for s in statuses if s >= 500] == [], (tmp_path / f"{kind}.log").read_text()[-3000:]
    assert set(statuses) <= {200}
    assert 1 <= peak[0] <= CONNECTIONS


def _answers(port: int) -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True
