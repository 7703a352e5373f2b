"""What one cached scorecard or portfolio request costs, in-process: CPU, queries, Redis calls.

    PORTAL_DATA_DIR=$PWD/.local/sbench .venv/bin/python bench/scorecard_inprocess.py [--requests 500] [--profile]
    # another checkout of the portal, measured the same way with its own data folder:
    PORTAL_DATA_DIR=$PWD/.local/old-sbench .venv/bin/python bench/scorecard_inprocess.py --root ../old

The load benchmark (bench/scorecard_load.py) measures latency through gunicorn on a machine shared
with the load generator and PostgreSQL, which moves with whatever else runs. This one sends the
same cached pages straight to the WSGI handler of one process (production settings: DEBUG off)
and takes, per request, the process's CPU time (``time.process_time``: the Python side, which is
what a web worker spends, not PostgreSQL's or Redis's), the wall time, the SQL statements and the
Redis commands. It reuses ``bench/scorecard_load.py``'s data (of ``--root``), warms every page
once, then sends ``--requests`` GETs per case, cycling through the same paths as the load
benchmark: the scorecard as the agency admin (what the load benchmark sends) and as a client user
(the monthly close's visibility rules apply), and the portfolio. ``--profile`` prints the top of
a cProfile of each case.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

SECRET = "bench-only-secret-" + "x" * 50


def _load_bench(root: Path):
    spec = importlib.util.spec_from_file_location("scorecard_load_of_root", root / "bench" / "scorecard_load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _client_user_session(slug: str) -> str:
    """A client user of the bench client (made once), signed in: the session key."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from agency.models import Client, Membership, User

    client = Client.objects.get(slug=slug)
    user = User.objects.filter(username="bench-client@example.com").first()
    if user is None:
        user = User.objects.create(username="bench-client@example.com", email="bench-client@example.com", role="client")
    Membership.objects.get_or_create(user=user, client=client)
    from django.conf import settings

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


class Counters:
    """SQL statements (a connection execute wrapper) and Redis commands (redis-py's send)."""

    def __init__(self) -> None:
        self.queries = 0
        self.redis = 0
        self.sql: list[str] = []

    def install(self) -> None:
        import redis.connection
        from django.db import connection
        from django.db.backends.signals import connection_created

        def wrapper(execute, sql, params, many, context):
            self.queries += 1
            self.sql.append(sql)
            return execute(sql, params, many, context)

        def attach(connection, **kwargs) -> None:
            if wrapper not in connection.execute_wrappers:
                connection.execute_wrappers.append(wrapper)

        connection_created.connect(attach, weak=False)
        attach(connection)
        original = (
            redis.connection.AbstractConnection.send_packed_command
            if hasattr(redis.connection, "AbstractConnection")
            else redis.connection.Connection.send_packed_command
        )
        owner = (
            redis.connection.AbstractConnection
            if hasattr(redis.connection, "AbstractConnection")
            else redis.connection.Connection
        )

        def send_packed_command(conn, command, check_health=True):
            self.redis += 1
            return original(conn, command, check_health)

        owner.send_packed_command = send_packed_command


def _environ(path: str, host: str, cookie: str) -> dict:
    from io import BytesIO

    route, _sep, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": route,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_COOKIE": f"sessionid={cookie}",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def run_case(
    app,
    counters: Counters,
    *,
    name: str,
    host: str,
    cookie: str,
    paths: list[str],
    requests: int,
    profile: bool,
    profile_out: str = "",
):
    def one(path: str) -> tuple[float, float, int, int, int]:
        before_q, before_r = counters.queries, counters.redis
        cpu, wall = time.process_time(), time.perf_counter()
        status: list[str] = []
        body = b"".join(app(_environ(path, host, cookie), lambda s, h, *a: status.append(s)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if not status[0].startswith("200"):
            raise SystemExit(f"{name}: {path} answered {status[0]}")
        return cpu, wall, counters.queries - before_q, counters.redis - before_r, len(body)

    for path in paths:  # warm: every page rendered and cached once
        one(path)
        one(path)
    sqls = []
    for path in paths[:2]:
        counters.sql.clear()
        one(path)
        sqls.append((path, list(counters.sql)))
    cpus, walls, queries, redis_calls = [], [], [], []
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waiting
    for index in range(requests):
        if profiler:
            profiler.enable()
        cpu, wall, q, r, size = one(paths[index % len(paths)])
        if profiler:
            profiler.disable()
        cpus.append(cpu)
        walls.append(wall)
        queries.append(q)
        redis_calls.append(r)
    calls = []  # Python function calls per request: a CPU measure that the machine's load cannot move
    for index in range(len(paths) * 2):
        counted = [0]

        def count(frame, event, arg, counted=counted) -> None:
            if event == "call":
                counted[0] += 1

        sys.setprofile(count)
        try:
            one(paths[index % len(paths)])
        finally:
            sys.setprofile(None)
        calls.append(counted[0])
    cpus.sort()
    walls.sort()
    print(
        f"{name}: {requests} requests, CPU median {statistics.median(cpus) * 1000:.2f} ms "
        f"(p10 {cpus[len(cpus) // 10] * 1000:.2f}, p90 {cpus[len(cpus) * 9 // 10] * 1000:.2f}), "
        f"wall median {statistics.median(walls) * 1000:.2f} ms, "
        f"queries {statistics.median(queries):g}, redis commands {statistics.median(redis_calls):g}, "
        f"Python calls {statistics.median(calls):.0f}, {size} bytes"
    )
    for path, sql in sqls:
        print(f"  {path}: {len(sql)} statements")
        for statement in sql:
            print("    SQL:", statement[:200].replace("\n", " "))
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue())
        if profile_out:
            profiler.dump_stats(f"{profile_out}.{name.split()[0]}{'-client' if 'client user' in name else ''}.prof")
    return statistics.median(cpus), statistics.median(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent), help="the checkout measured")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--collectstatic", action="store_true", help="collect --root's static files first")
    parser.add_argument("--profile-out", default="", help="also write each case's profile to PREFIX.<case>.prof")
    parser.add_argument("--only", choices=["admin", "client", "portfolio"], action="append")
    options = parser.parse_args()
    root = Path(options.root).resolve()
    os.chdir(root)
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    from cryptography.fernet import Fernet

    from agency import embedded

    os.environ.update(
        {
            "DATABASE_URL": os.environ.get("DATABASE_URL") or embedded.postgres_url(),
            "REDIS_URL": os.environ.get("REDIS_URL") or embedded.redis_url(),
            "DEBUG": "false",
            "SECRET_KEY": SECRET,
            # production settings refuse to start without it (as bench/_common.py's production_env)
            "PORTAL_SECRETS_KEY": os.environ.get("PORTAL_SECRETS_KEY") or Fernet.generate_key().decode(),
            "SECURE_SSL_REDIRECT": "false",
            "PORTAL_BASE_HOST": "localhost",
            "PORTAL_SCHEME": "http",
            "LOG_LEVEL": "WARNING",
        }
    )
    bench = _load_bench(root)
    admin_cookie, months = bench.setup()
    if root == Path(__file__).resolve().parent.parent or options.collectstatic:  # not into another checkout unasked
        from django.core.management import call_command

        call_command("collectstatic", "--noinput", verbosity=0)
    client_cookie = _client_user_session(bench.SLUG)
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    counters = Counters()
    counters.install()
    scorecard_paths = [f"/scorecard/?month={m}" for m in months[-12:]]
    cases = {
        "admin": ("scorecard (agency admin)", f"{bench.SLUG}.localhost", admin_cookie, scorecard_paths),
        "client": ("scorecard (client user)", f"{bench.SLUG}.localhost", client_cookie, scorecard_paths),
        "portfolio": (
            f"portfolio ({bench.CLIENTS} clients)",
            "localhost",
            admin_cookie,
            ["/portfolio/?month=2026-10", "/portfolio/?month=2026-10&sort=cpl&dir=desc"],
        ),
    }
    print(f"root {root}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key in options.only or list(cases):
        name, host, cookie, paths = cases[key]
        run_case(
            app,
            counters,
            name=name,
            host=host,
            cookie=cookie,
            paths=paths,
            requests=options.requests,
            profile=options.profile,
            profile_out=options.profile_out,
        )
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
