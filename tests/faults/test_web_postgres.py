"""The web server as production runs it, while PostgreSQL restarts (issue #10: "web and workers reconnect").

gunicorn with DEBUG off and its connection pool (``PORTAL_DB_POOL_MAX``, each checkout checked):
every gunicorn process holds a connection that the restart cuts. A user signed in through the
sign-in form reads pages and an API client writes leads (sending a 5xx again, as API clients
should: leads are upserted by id), before, during and after the restart.
Afterwards no answer is a 5xx, and every lead the API accepted is in its month's snapshot (a real
worker computes them). During the restart itself a request either waits for the database
(``PORTAL_DB_CONNECT_WAIT``) or, if its query was running when the server went down, fails once:
at most one per gunicorn process (docs/security.md "PostgreSQL restarted").
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django_tenants.utils import tenant_context

from clients.api.services import api_token_create
from clients.models import Lead
from kpis.models import Snapshot
from tests.factories import PASSWORD
from tests.faults import harness

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
GUNICORN_WORKERS = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One visitor: a connection to the server and the cookies it was given (http.client: no proxy, no retries)."""

    def __init__(self, port: int, host: str) -> None:
        self.port, self.host, self.cookies = port, host, SimpleCookie()

    def request(self, method: str, path: str, *, body: str | None = None, headers: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in self.cookies.items())
        sent = {"Host": self.host, "X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {}), **(headers or {})}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(header)
            return response.status, text
        finally:
            connection.close()

    def sign_in(self, username: str, password: str) -> int:
        status, page = self.request("GET", "/accounts/login/")
        assert status == 200, page[-2000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = f"csrfmiddlewaretoken={token}&username={username}&password={password}"
        status, _ = self.request("POST", "/accounts/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"https://{self.host}/accounts/login/",
            "Origin": f"https://{self.host}"})
        return status


@pytest.fixture
def production_server(tmp_path):
    """gunicorn serving the test database with production settings, on a free loopback port."""
    env = harness.subprocess_env(
        DEBUG="false", PORTAL_TESTING="false", SECRET_KEY="fault-test-only-" + "k" * 50, SECURE_SSL_REDIRECT="false",
        PORTAL_BASE_HOST=settings.PORTAL_BASE_HOST, PORTAL_SCHEME="http", CONN_MAX_AGE="60", LOG_LEVEL="WARNING",
        PORTAL_RECOMPUTE_DEBOUNCE_SECONDS="2", PORTAL_MEDIA_ROOT=str(tmp_path / "media"),
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=harness.ROOT,
                   env=env, check=True, timeout=300)
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "agency.wsgi", "--workers", str(GUNICORN_WORKERS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=harness.ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)

    def answers() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            return False
        return True

    try:
        harness.wait_for(answers, 60, "gunicorn", [log])
        yield port, log
    finally:
        harness.workers_stop([server])


def test_the_web_keeps_answering_across_a_postgres_restart(production_server, tenant_a, staff_a, clean_tenant_tables,
                                                           tmp_path) -> None:
    port, log = production_server
    # Production hashes passwords with PBKDF2 (the suite's MD5 speeds up the other tests only).
    staff_a.password = PBKDF2PasswordHasher().encode(PASSWORD, "faultsalt")
    staff_a.save(update_fields=["password"])
    _token, secret = api_token_create(client=tenant_a, name="web fault")
    host = f"{tenant_a.slug}.{settings.PORTAL_BASE_HOST}"
    user = Browser(port, host)
    assert user.sign_in(staff_a.username, PASSWORD) == 302
    api = Browser(port, host)
    worker = harness.worker_start("web-fault", tmp_path / "worker.log", concurrency=1)

    pages = ["/", "/scorecard/?month=2026-03", "/leads/"]
    seen: list[tuple[float, float, str, int]] = []  # (started, ended, what, status)
    accepted: dict[str, int] = {}
    refused: list[tuple[int, int]] = []
    stop = threading.Event()

    def reader() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            started = time.monotonic()
            path = pages[n % len(pages)]
            try:
                status, _ = user.request("GET", path)
            except OSError:
                status = 599  # the connection itself failed: counted as a server error
            seen.append((started, time.monotonic(), f"GET {path}", status))

    def writer() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            started = time.monotonic()
            month = "2026-02" if n % 4 else "2026-03"
            body = json.dumps({"id": f"web-{n}", "created_at": f"{month}-1{n % 9}T10:00:00"})
            for _attempt in range(3):  # as an API client should: a 5xx is sent again (leads are upserted by id)
                try:
                    status, _ = api.request("POST", "/api/v1/leads", body=body, headers={
                        "Authorization": f"Bearer {secret}", "Content-Type": "application/json"})
                except OSError:
                    status = 599
                seen.append((started, time.monotonic(), "POST /api/v1/leads", status))
                if status < 500:
                    break
                started = time.monotonic()
            if status in {200, 201}:
                accepted[month] = accepted.get(month, 0) + 1
            else:
                refused.append((n, status))

    visitors = [threading.Thread(target=reader), threading.Thread(target=writer)]
    try:
        for thread in visitors:
            thread.start()
        harness.wait_for(lambda: len(seen) >= 20, 120, "20 answers before the restart", [log])
        restart_started = time.monotonic()
        restart_seconds = harness.postgres_restart()
        restart_ended = time.monotonic()
        # Both conditions, not a count of answers alone: how many of them are writes depends on the
        # machine's load (reads are cheaper), and the check below wants 15 leads accepted.
        harness.wait_for(lambda: sum(1 for s in seen if s[0] > restart_ended) >= 30 and sum(accepted.values()) >= 15,
                         120, "30 answers after and 15 leads accepted", [log])
    finally:
        stop.set()
        for thread in visitors:
            thread.join(timeout=60)
    try:
        errors = [(round(s - restart_started, 2), round(e - restart_started, 2), what, status)
                  for s, e, what, status in seen if status >= 500]
        after = [s for s in seen if s[0] > restart_ended]
        overlapping = [s for s in seen if s[0] < restart_ended and s[1] > restart_started]
        assert overlapping  # the load did meet the restart
        print(f"PostgreSQL restarted in {restart_seconds} s; {len(seen)} requests, {len(overlapping)} overlapping the "
              f"restart (the slowest {max(s[1] - s[0] for s in overlapping):.2f} s), {len(errors)} 5xx: {errors}")
        # Nothing fails once the restart is over: each process's dead connection is noticed by
        # the health check at the start of its next request and replaced.
        assert [error for error in errors if error[0] > restart_ended - restart_started] == [], (errors, log.read_text()[-3000:])
        # During the restart: at most one request per process (the one whose query the shutdown cut).
        assert len(errors) <= GUNICORN_WORKERS, (errors, restart_seconds, log.read_text()[-3000:])
        assert all(status in {200, 201} for *_, status in after), [s for s in after if s[3] not in {200, 201}]
        assert sum(accepted.values()) >= 15 and refused == []

        connection.close()
        with tenant_context(tenant_a):
            stored = Lead.objects.filter(id__startswith="web-").count()
        # Every accepted lead is stored, and only those: a write answered 5xx wrote nothing (one
        # transaction with its recompute request), so sending it again is safe.
        assert stored == sum(accepted.values())

        def every_lead_counted() -> bool:
            with tenant_context(tenant_a):
                counted = {s.month.strftime("%Y-%m"): s.new_leads for s in Snapshot.objects.all()}
            return all(counted.get(month) == count for month, count in accepted.items())

        harness.wait_for(every_lead_counted, 120, "every accepted lead in its snapshot", [tmp_path / "worker.log", log])
    finally:
        harness.workers_stop([worker])
