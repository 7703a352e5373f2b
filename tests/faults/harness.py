"""The machinery of the fault runs, shared by tests/faults (CI size) and bench/faults.py (scale).

Real parts only: Celery worker processes (prefork, so their pool children can be killed one by
one, or the whole worker at once), the embedded Redis and PostgreSQL stopped and restarted, many
clients cloned from one migrated, filled template schema (as bench/many_clients.py does).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The URL of the database this process uses (the test database under pytest), for subprocesses."""
    from django.db import connection

    db = connection.settings_dict
    user, password, host = (quote(str(db[key] or ""), safe="") for key in ("USER", "PASSWORD", "HOST"))
    port = f":{db['PORT']}" if db["PORT"] else ""
    socket = f"?host={quote(db['OPTIONS']['host'], safe='/')}" if db["OPTIONS"].get("host") else ""
    return f"postgres://{user}:{password}@{host}{port}/{db['NAME']}{socket}"


def subprocess_env(**extra: str) -> dict[str, str]:
    from django.conf import settings

    return {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL,
            "PORTAL_SECRETS_KEY": settings.PORTAL_SECRETS_KEYS[0], **extra}  # production settings refuse to start without it


def worker_start(name: str, log: Path, *, concurrency: int = 2, visibility_timeout: int = 10) -> subprocess.Popen:
    """A real worker (prefork pool of ``concurrency`` children), in its own process group."""
    command = [sys.executable, "-m", "celery", "-A", "agency", "worker", "--pool=prefork", f"--concurrency={concurrency}",
               "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    env = subprocess_env(CELERY_VISIBILITY_TIMEOUT=str(visibility_timeout))
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    worker.log_path, worker.ready_at = log, None  # type: ignore[attr-defined]
    return worker


def worker_children(worker: subprocess.Popen) -> list[int]:
    """The pool children of a prefork worker (from /proc; empty once the worker is gone)."""
    try:
        text = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text()
    except OSError:
        return []
    return [int(pid) for pid in text.split()]


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a killed child not yet reaped by its worker is a zombie: not alive)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in {"Z", "X"}


READY_SETTLE_SECONDS = 2.0


def pool_ready(worker: subprocess.Popen, *, concurrency: int = 2) -> bool:
    """The worker runs, said "ready" at least READY_SETTLE_SECONDS ago, and all ``concurrency``
    pool children are alive.

    A child killed while its worker is still starting makes the worker exit ("Could not start
    worker processes"), so a new or replaced worker is left alone until it has settled.
    """
    if worker.poll() is not None:
        return False
    log = getattr(worker, "log_path", None)
    if log is not None and worker.ready_at is None:  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            if " ready." in log.read_text(errors="replace"):
                worker.ready_at = time.monotonic()  # type: ignore[attr-defined]
    ready_at = getattr(worker, "ready_at", None) if log is not None else 0.0
    if ready_at is None or time.monotonic() - ready_at < READY_SETTLE_SECONDS:
        return False
    return sum(_alive(pid) for pid in worker_children(worker)) >= concurrency


def child_kill(worker: subprocess.Popen) -> bool:
    """SIGKILL one live pool child of ``worker`` (the pool starts a new one); False if it had none."""
    for pid in worker_children(worker):
        if not _alive(pid):
            continue
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
            return True
    return False


def child_kill_next(workers: list[subprocess.Popen], *, turn: int, seconds: float = 60,
                    concurrency: int = 2) -> bool:
    """Kill a pool child of the next worker in turn whose pool is up, waiting up to ``seconds`` for one.

    A worker just replaced (or whose child was just killed) has no full pool for a second or two:
    picking only ready pools, and waiting for one, makes every asked-for kill happen.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [w for w in workers if w.poll() is None]
        for offset in range(len(alive)):
            worker = alive[(turn + offset) % len(alive)]
            if pool_ready(worker, concurrency=concurrency) and child_kill(worker):
                return True
        time.sleep(0.2)
    return False


def worker_kill(worker: subprocess.Popen) -> None:
    """SIGKILL the whole worker: main process and children; its unacknowledged tasks go back after the visibility timeout."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)


class Supervisor:
    """Restarts a worker that exits on its own, as systemd's ``Restart=always`` would in production.

    A worker that holds tasks when Redis goes away exits ("Unrecoverable error": kombu cannot
    give its unacknowledged messages back without Redis). Nothing is lost — the messages stay in
    Redis's unacknowledged set and are handed out again after the visibility timeout, and the
    months they were for stay in the recompute's pending set — but the process must be started
    again. ``restarts`` counts how often that happened.
    """

    def __init__(self, workers: list[subprocess.Popen], log_dir: Path, **options: object) -> None:
        import threading

        self.workers, self.log_dir, self.options = workers, log_dir, options
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for index, worker in enumerate(list(self.workers)):
                if worker.poll() is not None and worker in self.workers:
                    self.restarts += 1
                    log = self.log_dir / f"restarted{self.restarts}.log"
                    self.workers[index] = worker_start(f"restarted{self.restarts}", log, **self.options)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def workers_stop(workers: Iterable[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)


def postgres_restart() -> float:
    """Restart PostgreSQL (every connection cut); returns the seconds it took."""
    from django.db import connections

    from agency import embedded

    started = time.monotonic()
    connections.close_all()
    embedded.postgres_restart()
    connections.close_all()
    return time.monotonic() - started


def wait_for(condition: Callable[[], bool], seconds: float, what: str, logs: Iterable[Path] = ()) -> float:
    """Poll ``condition`` until true; returns the seconds waited. Database errors while polling are retried."""
    from django.db import InterfaceError, OperationalError, connections

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if condition():
                return time.monotonic() - started
        except (OperationalError, InterfaceError):
            connections.close_all()
        time.sleep(0.5)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-4000:]}" for log in logs if log.exists())
    raise AssertionError(f"timed out after {seconds} s waiting for {what}\n{tails}")


# --- many clients ---------------------------------------------------------------------------


def clones_ensure(*, prefix: str, count: int, template_slug: str, fill: Callable) -> list:
    """``count`` clients ``<prefix>-0001`` … cloned from a migrated, filled template (kept between calls).

    Committing tests end with a flush of the public tables (the client registry); schemas that
    survived it are registered again rather than cloned again.
    """
    from django.conf import settings
    from django.db import connection
    from django_tenants.clone import CloneSchema
    from django_tenants.utils import schema_exists

    from agency.models import Client, Domain
    from agency.services import client_create

    def register(slug: str, schema: str, name: str, *, ready: bool) -> Client:
        client = Client(schema_name=schema, slug=slug, name=name, timezone="Europe/Madrid", currency="EUR", is_ready=ready)
        client.auto_create_schema = False
        client.save()
        Domain.objects.create(domain=f"{slug}.{settings.PORTAL_BASE_HOST}", tenant=client, is_primary=True)
        return client

    template_schema = template_slug.replace("-", "_")
    template = Client.objects.filter(slug=template_slug).first()
    if template is None:
        if schema_exists(template_schema):
            template = register(template_slug, template_schema, f"{prefix} template", ready=False)
        else:
            template = client_create(slug=template_slug, name=f"{prefix} template", timezone="Europe/Madrid", currency="EUR")
            fill(template)
            template.is_ready = False  # a template, never scheduled
            template.save(update_fields=["is_ready"])
    cloner = CloneSchema()
    known = set(Client.objects.filter(slug__startswith=f"{prefix}-0").values_list("slug", flat=True))
    for n in range(1, count + 1):
        slug = f"{prefix}-{n:04d}"
        if slug in known:
            continue
        schema = slug.replace("-", "_")
        connection.set_schema_to_public()
        if not schema_exists(schema):
            cloner.clone_schema(template_schema, schema, "DATA")
            connection.close()  # a backend that cloned many schemas keeps their catalog entries and slows down
        # Names sort like the slugs: migrate_schemas walks clients in the model's order (by name).
        register(slug, schema, f"{prefix} client {n:04d}", ready=True)
    connection.set_schema_to_public()
    return list(Client.objects.filter(slug__startswith=f"{prefix}-0").order_by("slug")[:count])


def schemas_drop(*, prefix: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [prefix.replace("-", "_") + "%"])
        for (schema,) in cursor.fetchall():
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')


# --- scenario: Redis stopped and started under load ----------------------------------------


def redis_fault_load(*, client, user, token: str, before: int, during: int, after: int, lead_prefix: str = "rf") -> dict:
    """Pages and API writes against ``client``: ``before`` requests, Redis stopped for ``during``, started for ``after``.

    Returns the statuses seen per phase and the leads the API accepted, per month ("YYYY-MM").
    In-process (Django's test client): the point is what the code does without Redis, not HTTP.
    """
    import json
    from collections import Counter

    from django.conf import settings
    from django.test import Client as HttpClient

    from tests.redis_control import redis_start, redis_stop

    host = f"{client.slug}.{settings.PORTAL_BASE_HOST}"
    portal, console, api = HttpClient(), HttpClient(), HttpClient()
    portal.force_login(user)
    console.force_login(user)
    pages = [(portal, host, "/"), (portal, host, "/scorecard/?month=2026-03"), (portal, host, "/leads/"),
             (console, settings.PORTAL_BASE_HOST, "/"), (console, settings.PORTAL_BASE_HOST, "/portfolio/")]
    statuses: dict[str, Counter] = {}
    accepted: dict[str, int] = {}
    bad: list[tuple[str, str, int]] = []
    n = 0
    for phase, count in (("before", before), ("during", during), ("after", after)):
        if phase == "during":
            redis_stop()
        if phase == "after":
            redis_start()
        seen = statuses.setdefault(phase, Counter())
        for _ in range(count):
            n += 1
            if n % 2:
                http, page_host, path = pages[n // 2 % len(pages)]
                response = http.get(path, HTTP_HOST=page_host)
                what = f"GET {path}"
            else:
                month = "2026-02" if n % 4 else "2026-03"
                body = json.dumps({"id": f"{lead_prefix}-{n}", "created_at": f"{month}-1{n % 9}T10:00:00"})
                response = api.post("/api/v1/leads", body, content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST=host)
                what = "POST /api/v1/leads"
                if response.status_code in {200, 201}:
                    accepted[month] = accepted.get(month, 0) + 1
            seen[response.status_code] += 1
            if response.status_code >= 500:
                bad.append((phase, what, response.status_code))
    return {"statuses": {phase: dict(counter) for phase, counter in statuses.items()}, "accepted": accepted, "server_errors": bad}


# --- scenario: PostgreSQL restarted during a fan-out, workers killed ------------------------


def chaos_run(*, workers: list, log_dir: Path, child_kills: int, worker_kills: int, seconds: float,
              visibility_timeout: int, done: Callable[[], bool], concurrency: int = 2) -> dict:
    """Spread ``child_kills`` pool-child kills, ``worker_kills`` whole-worker kills (each replaced by
    a new worker) and one PostgreSQL restart over ``seconds``.

    Every asked-for kill happens: a child kill waits (up to a minute) for a worker whose pool is
    up, a worker kill for a worker whose pool is up (one still starting holds no tasks yet). The
    schedule is not cut short when ``done()`` turns true; kills made after it are counted apart
    (``*_after_done``), so a run can tell how many landed while tasks were still being worked.
    Raises AssertionError if a kill could not be made (no worker with a pool for a minute).
    """
    # Interleave: worker kills spread among the child kills, the restart in the middle.
    order: list[str] = []
    step = max(1, child_kills // (worker_kills + 1))
    children, whole = ["child"] * child_kills, ["worker"] * worker_kills
    while children or whole:
        order.extend(children[:step])
        children = children[step:]
        if whole:
            order.append(whole.pop())
    order.insert(len(order) // 2, "postgres")
    pause = seconds / (len(order) + 1)
    happened = {"child": 0, "worker": 0, "postgres": 0, "postgres_seconds": 0.0,
                "child_after_done": 0, "worker_after_done": 0, "workers_died_on_their_own": 0}
    for n, event in enumerate(order):
        time.sleep(pause)
        finished = _done_quietly(done)
        for index, worker in enumerate(list(workers)):  # as a supervisor would: a worker that exited is started again
            if worker.poll() is not None:
                happened["workers_died_on_their_own"] += 1
                workers[index] = worker_start(f"chaos{n}-again{index}", log_dir / f"chaos{n}-again{index}.log",
                                              concurrency=concurrency, visibility_timeout=visibility_timeout)
        if event == "child":
            if not child_kill_next(workers, turn=happened["child"], concurrency=concurrency):
                raise AssertionError(f"no worker with a pool to kill a child of (kill {happened['child'] + 1})")
            happened["child"] += 1
            happened["child_after_done"] += finished
        elif event == "worker":
            wait_for(lambda: any(pool_ready(w, concurrency=concurrency) for w in workers), 60,
                     "a worker with its pool up to kill", [])
            victim = next(w for w in workers if pool_ready(w, concurrency=concurrency))
            worker_kill(victim)
            workers.remove(victim)
            workers.append(worker_start(f"chaos{n}", log_dir / f"chaos{n}.log", concurrency=concurrency,
                                        visibility_timeout=visibility_timeout))
            happened["worker"] += 1
            happened["worker_after_done"] += finished
        else:
            happened["postgres_seconds"] = round(postgres_restart(), 2)
            happened["postgres"] += 1
    return happened


def _done_quietly(done: Callable[[], bool]) -> bool:
    from django.db import InterfaceError, OperationalError, connections

    try:
        return bool(done())
    except (OperationalError, InterfaceError):
        connections.close_all()
        return False


def fan_out_snapshots(*, clients: list, month) -> dict[str, int]:
    """Snapshot rows of ``month`` per client (more than one would be a duplicate)."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for client in clients:
            cursor.execute(f'SELECT count(*) FROM "{client.schema_name}".kpis_snapshot WHERE month = %s', [month])
            counts[client.slug] = cursor.fetchone()[0]
    return counts


def snapshot_documents(*, clients: list, month) -> dict[str, dict]:
    """Each client's document for ``month``, less what names the client or the moment it was computed."""
    from django_tenants.utils import tenant_context

    from kpis.models import Snapshot

    documents = {}
    for client in clients:
        with tenant_context(client):
            document = dict(Snapshot.objects.get(month=month).document)
        for key in ("client", "computed_at"):
            document.pop(key, None)
        documents[client.slug] = document
    return documents


def snapshots_delete(*, clients: list, month) -> None:
    from django.db import connection

    from portfolio.models import ClientMonthSummary

    with connection.cursor() as cursor:
        for client in clients:
            cursor.execute(f'DELETE FROM "{client.schema_name}".kpis_snapshot WHERE month = %s', [month])
    ClientMonthSummary.objects.filter(client__in=clients, month=month).delete()


# --- scenario: a migration failing part-way through the clients ------------------------------


def fault_migration_reset(*, schemas: Iterable[str]) -> None:
    """Undo the fault migration's table and record in ``schemas`` (so the scenario can run again)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'DROP TABLE IF EXISTS "{schema}".faultmig_mark')
            cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s', ["faultmig"])


def fault_migration_applied(*, schemas: Iterable[str]) -> list[str]:
    from django.db import connection

    applied = []
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'SELECT count(*) FROM "{schema}".django_migrations WHERE app = %s', ["faultmig"])
            if cursor.fetchone()[0]:
                applied.append(schema)
    return applied


def migrate_schemas_run(*, fail_at: str | None) -> subprocess.CompletedProcess:
    """``migrate_schemas --tenant faultmig`` in a subprocess, the fault migration failing in ``fail_at``."""
    env = subprocess_env(DJANGO_SETTINGS_MODULE="tests.faults.settings_migration", PORTAL_FAULT_MIGRATION_FAIL_AT=fail_at or "")
    command = [sys.executable, "manage.py", "migrate_schemas", "--tenant", "faultmig", "--noinput"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False)
