"""The fault suite at scale: Redis, PostgreSQL, workers and a migration failing, on many clients.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/faults.py \
        [--clients 200] [--child-kills 20] [--worker-kills 5] [--migration-clients 500] [--fail-at 250]

The same scenarios as tests/faults (which run them at CI size), with the same harness
(tests/faults/harness.py), against the embedded services of ``PORTAL_DATA_DIR``:

1. **Redis** stopped and started while pages are read and leads are posted to the API: server
   errors counted per phase, then every accepted lead looked for in its month's snapshot.
2. **PostgreSQL** restarted during a monthly fan-out over ``--clients`` clients while
   ``--child-kills`` pool children and ``--worker-kills`` whole workers are SIGKILLed (each
   replaced): snapshots per client (1 each, no duplicate) and equal to a clean run's.
3. **A migration** failing at client ``--fail-at`` of ``--migration-clients``: which clients
   were migrated, then a second ``migrate_schemas`` and how long each took.

Clients are clones of one filled template (bench/many_clients.py's year of data), kept between
runs under the prefix ``flt``. Prints a JSON summary and writes it to bench/out/faults.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MONTH = dt.date(2025, 6, 1)
VISIBILITY = 10


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis
    os.environ.setdefault("PORTAL_API_RATE_PER_MINUTE", "1000000")  # the load is one token; not what is measured
    import django

    django.setup()


def redis_scenario(client, out: Path, *, requests: int) -> dict:
    from agency.models import User
    from clients.api.services import api_token_create
    from kpis import recompute
    from tests.faults import harness

    recompute.DEBOUNCE_SECONDS = 2
    user, _ = User.objects.get_or_create(username="fault-bench-staff", defaults={"role": User.Role.ADMIN})
    _token, secret = api_token_create(client=client, name=f"fault bench {time.time():.0f}")
    prefix = f"rb{int(time.time())}"
    workers = [harness.worker_start("redis-bench", out / "redis-worker.log", concurrency=2)]
    supervisor = harness.Supervisor(workers, out, concurrency=2)
    started = time.monotonic()
    try:
        run = harness.redis_fault_load(client=client, user=user, token=secret, before=requests // 4,
                                       during=requests // 2, after=requests // 4, lead_prefix=prefix)
        drained = recompute.recompute_outbox_drain_run()
        from django.db import connection

        leads = f'"{client.schema_name}".clients_lead'
        by_month = f"SELECT to_char(created_at AT TIME ZONE %s, 'YYYY-MM'), count(*) FROM {leads} WHERE id LIKE %s GROUP BY 1"

        def counted() -> bool:
            """Every accepted lead is stored, and each month's snapshot counts every lead of that month."""
            with connection.cursor() as cursor:
                cursor.execute(by_month, [client.timezone, f"{prefix}-%"])
                mine = dict(cursor.fetchall())
                cursor.execute(by_month, [client.timezone, "%"])
                every = dict(cursor.fetchall())
                cursor.execute(f"SELECT to_char(month, 'YYYY-MM'), new_leads FROM \"{client.schema_name}\".kpis_snapshot")
                snap = dict(cursor.fetchall())
            return mine == run["accepted"] and all(snap.get(m) == every.get(m) for m in run["accepted"])

        waited = harness.wait_for(counted, 300, "every accepted lead in its snapshot", list(out.glob("re*.log")))
    finally:
        supervisor.stop()
        harness.workers_stop(workers)
    return {**run, "outbox_rows_drained": drained, "recovered_after_seconds": round(waited, 1),
            "worker_restarts": supervisor.restarts,
            "total_seconds": round(time.monotonic() - started, 1)}


def postgres_scenario(clients: list, out: Path, *, child_kills: int, worker_kills: int, workers: int) -> dict:
    from agency.celery import app
    from agency.models import Client
    from kpis.services import snapshot_compute
    from kpis.tasks import month_fan_out, month_fan_out_missing
    from portfolio.models import ClientMonthSummary
    from tests.faults import harness

    harness.snapshots_delete(clients=clients, month=MONTH)
    started = time.monotonic()
    snapshot_compute(client=clients[0], months=[MONTH])
    clean_seconds = time.monotonic() - started
    clean = harness.snapshot_documents(clients=clients[:1], month=MONTH)[clients[0].slug]
    harness.snapshots_delete(clients=clients, month=MONTH)
    app.control.purge()
    logs = [out / f"pg-worker{n}.log" for n in range(workers)]
    running = [harness.worker_start(f"pg{n}", log, visibility_timeout=VISIBILITY) for n, log in enumerate(logs)]
    set_aside: list[int] = []
    try:
        harness.wait_for(lambda: all(harness.worker_children(w) for w in running), 120, "the workers' pools", logs)
        # The monthly fan-out (and the sweep after it) over exactly these clients: the others
        # provisioned for the migration scenario are set aside as not ready for the duration.
        others = Client.objects.filter(slug__startswith="flt-0", is_ready=True).exclude(pk__in=[c.pk for c in clients])
        set_aside = list(others.values_list("pk", flat=True))
        Client.objects.filter(pk__in=set_aside).update(is_ready=False)
        started = time.monotonic()
        sent = month_fan_out(month=MONTH)

        def all_landed() -> bool:
            return ClientMonthSummary.objects.filter(client__in=clients, month=MONTH).count() == len(clients)

        # Spread the faults over the time a clean fan-out would take (clean seconds per client
        # over the pool's processes), so they land while tasks are running.
        spread = max(40.0, clean_seconds * len(clients) / (2 * workers))
        chaos = harness.chaos_run(workers=running, log_dir=out, child_kills=child_kills, worker_kills=worker_kills,
                                  seconds=spread, visibility_timeout=VISIBILITY, done=all_landed)
        print(f"kills: {chaos['child']}/{child_kills} pool children ({chaos['child_after_done']} after the last "
              f"snapshot), {chaos['worker']}/{worker_kills} whole workers ({chaos['worker_after_done']} after), "
              f"PostgreSQL restarted in {chaos['postgres_seconds']} s; workers that exited on their own and were "
              f"started again: {chaos['workers_died_on_their_own']}", flush=True)
        queued_again = 0
        try:
            harness.wait_for(all_landed, 180, "every snapshot", [*logs, *out.glob("chaos*.log")])
        except AssertionError:
            # What beat's hourly sweep after a close does: queue again the clients still without it.
            queued_again = month_fan_out_missing(month=MONTH)
            harness.wait_for(all_landed, 600, "every snapshot after the sweep", [*logs, *out.glob("chaos*.log")])
        elapsed = time.monotonic() - started
    finally:
        harness.workers_stop(running)
        Client.objects.filter(pk__in=set_aside).update(is_ready=True)
    counts = harness.fan_out_snapshots(clients=clients, month=MONTH)
    documents = harness.snapshot_documents(clients=clients, month=MONTH)
    return {
        "clients": len(clients), "tasks_sent": sent, "faults": chaos, "seconds": round(elapsed, 1),
        "kills_as_asked": chaos["child"] == child_kills and chaos["worker"] == worker_kills,
        "queued_again_by_the_sweep": queued_again,
        "clean_seconds_per_client": round(clean_seconds, 2),
        "snapshots": sum(1 for c in counts.values() if c >= 1), "duplicates": sum(1 for c in counts.values() if c > 1),
        "differ_from_clean": [slug for slug, document in documents.items() if document != clean],
    }


def migration_scenario(clients: list, *, fail_at: int) -> dict:
    from agency.models import Client
    from tests.faults import harness

    schemas = [client.schema_name for client in clients]
    everyone = list(Client.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    harness.fault_migration_reset(schemas=everyone)
    started = time.monotonic()
    first = harness.migrate_schemas_run(fail_at=schemas[fail_at - 1])
    first_seconds = time.monotonic() - started
    after_first = harness.fault_migration_applied(schemas=schemas)
    started = time.monotonic()
    second = harness.migrate_schemas_run(fail_at=None)
    second_seconds = time.monotonic() - started
    after_second = harness.fault_migration_applied(schemas=schemas)
    harness.fault_migration_reset(schemas=everyone)
    return {
        "clients": len(schemas), "fail_at": fail_at,
        "first_run": {"exit": first.returncode, "seconds": round(first_seconds, 1), "migrated": len(after_first),
                      "migrated_are_the_first": after_first == schemas[: len(after_first)]},
        "second_run": {"exit": second.returncode, "seconds": round(second_seconds, 1), "migrated": len(after_second)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--child-kills", type=int, default=20)
    parser.add_argument("--worker-kills", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--migration-clients", type=int, default=500)
    parser.add_argument("--fail-at", type=int, default=250)
    parser.add_argument("--requests", type=int, default=400, help="pages and API writes in the Redis scenario")
    parser.add_argument("--only", choices=["redis", "postgres", "migration"], nargs="+")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command

    from agency.services import public_tenant_ensure
    from bench.many_clients import fill_template

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)  # a fresh data dir works too
    public_tenant_ensure()
    from tests.faults import harness

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    only = set(args.only or ["redis", "postgres", "migration"])
    started = time.monotonic()
    clients = harness.clones_ensure(prefix="flt", count=max(args.clients, args.migration_clients if "migration" in only else 0),
                                    template_slug="flt-template", fill=fill_template)
    summary: dict = {"provision_seconds": round(time.monotonic() - started, 1), "cpus": os.cpu_count()}
    if "redis" in only:
        summary["redis"] = redis_scenario(clients[0], out, requests=args.requests)
        print(json.dumps({"redis": summary["redis"]}, indent=1), flush=True)
    if "postgres" in only:
        summary["postgres"] = postgres_scenario(clients[: args.clients], out, child_kills=args.child_kills,
                                                worker_kills=args.worker_kills, workers=args.workers)
        print(json.dumps({"postgres": summary["postgres"]}, indent=1), flush=True)
    if "migration" in only:
        summary["migration"] = migration_scenario(clients[: args.migration_clients], fail_at=args.fail_at)
        print(json.dumps({"migration": summary["migration"]}, indent=1), flush=True)
    (out / "faults.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
