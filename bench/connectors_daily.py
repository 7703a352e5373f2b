"""Benchmark: the nightly sync of many clients × 3 connections through two real Celery workers.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/connectors_daily.py [--clients 500] [--cap 2] [--floor 60]
    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/connectors_daily.py --clients 20 --sequential 60 [--profile]

Provisions ``--clients`` clients ``cd-0001`` … (kept between runs) as clones of one migrated
template schema (``django_tenants.clone``; the template has no data), each with HubSpot, GA4 and Mailchimp
connected to the fake platforms (clients.connectors.fake_server, in a child process: 20,000
contacts over 13 months, GA4 8 × 3 × 400 days, 400 Mailchimp reports) and last synced a day
ago, so each sync is a nightly one: HubSpot's contacts modified since (with the hour of
overlap), GA4's last 3 days, Mailchimp's last 30 days of reports. Two worker processes
(``--pool=solo``) run ``clients.tasks.connection_sync_run`` for every connection, queued at once
(the worst case: the dispatcher spreads them over the night); the per-platform cap is
``--cap`` (PORTAL_CONNECTOR_CONCURRENCY). The fake server measures the most requests of one
platform in flight at once, which must not exceed the cap. The time is until every sync has
finished, then until every client's recompute (kpis.recompute, debounced 30 s) has run.

The floor, in the same run before the workers start (``--floor 60``): the first 60 syncs run one
after the other in this process through the same task (no broker, no cap taken by another),
then the recomputes they asked for; those clients are then set back. ``--sequential N`` runs only
that (optionally under cProfile: ``--profile``). Figures go to docs/performance.md.

The provisioning lives in bench/_connectors.py (shared with the ad platforms' nightly bench);
``setup_django``, ``serve`` and ``provision`` stay importable from here too.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import multiprocessing
import os
import pstats
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _connectors import (  # noqa: E402
    PLATFORMS,
    TEMPLATE,
    bench_credentials,
    clients_reset,
    provision,
    recomputes_waiting,
    serve,
    setup_django,
    syncs_finished,
    syncs_summary,
    worker_env,
    workers_start,
    workers_stop,
)

__all__ = ["PLATFORMS", "TEMPLATE", "provision", "serve", "setup_django"]


def sequential(clients: list, count: int, *, profile: bool) -> dict:
    """The floor: ``count`` syncs run one after the other in this process, through the same task."""
    from django.utils import timezone

    from clients.tasks import connection_sync_run

    jobs = [(client, platform) for client in clients for platform in PLATFORMS][:count]
    since = timezone.now()
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    for client, platform in jobs:
        connection_sync_run.apply(kwargs={"client_slug": client.slug, "platform": platform},
                                  headers={"_schema_name": client.schema_name}, throw=True)
    synced = time.perf_counter() - started
    # The recompute each client's syncs asked for (kpis.recompute, debounced in production), one per client.
    from kpis.tasks import snapshot_recompute_pending

    for client in {client.slug: client for client, _platform in jobs}.values():
        snapshot_recompute_pending.apply(kwargs={"client_slug": client.slug}, headers={"_schema_name": client.schema_name},
                                         throw=True)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(45)
        (ROOT / "bench" / "out" / "daily-profile.txt").write_text(text.getvalue())
    return {"sequential": len(jobs), "syncs_seconds": round(synced, 2), "per_sync": round(synced / max(1, len(jobs)), 3),
            "with_recomputes_seconds": round(elapsed, 2),
            **syncs_summary(clients, since)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--cap", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sequential", type=int, default=0, help="the floor: N syncs one after another, in-process")
    parser.add_argument("--floor", type=int, default=60, help="first, N syncs one after another in-process (the floor)")
    parser.add_argument("--profile", action="store_true", help="with --sequential: cProfile to bench/out/daily-profile.txt")
    args = parser.parse_args()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    account_path = out / "daily-ga4-account.json"
    context = multiprocessing.get_context("fork")
    ports, stats = context.Queue(), context.Queue()
    child = context.Process(target=serve, args=(ports, stats, str(account_path)), daemon=True)
    child.start()
    port = ports.get(timeout=900)
    setup_django()
    from django.utils import timezone

    from agency.celery import app
    from agency.tasks import enqueue_for_client
    from clients.tasks import connection_sync_run

    url = f"http://127.0.0.1:{port}"
    now = timezone.now()
    provisioning = time.perf_counter()
    clients = provision(args.clients, json.loads(account_path.read_text()), now, url=url)
    provisioning = time.perf_counter() - provisioning
    if args.sequential:
        result = sequential(clients, args.sequential, profile=args.profile)
        child.terminate()
        print(json.dumps({**result, "load_average": round(os.getloadavg()[0], 1)}))
        return
    floor = {}
    if args.floor:  # in the same run: the first clients synced one by one here, then set back as they were
        floor = sequential(clients, args.floor, profile=False)
        floor["load_average"] = round(os.getloadavg()[0], 1)
        clients_reset(clients[: -(-args.floor // len(PLATFORMS))], bench_credentials(json.loads(account_path.read_text())),
                      now)
    app.control.purge()
    workers = workers_start(args.workers, worker_env(url, cap=args.cap), out)
    expected = len(clients) * len(PLATFORMS)
    try:
        time.sleep(6)
        load_before = os.getloadavg()[0]
        since = timezone.now()
        started = time.perf_counter()
        for client in clients:
            for platform in PLATFORMS:
                enqueue_for_client(connection_sync_run, client=client, platform=platform)
        while syncs_finished(clients, since) < expected and time.perf_counter() - started < 3600:
            time.sleep(1)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]
        # Then the recomputes the syncs asked for (debounced: each client's runs once its syncs went quiet).
        while recomputes_waiting(clients) and time.perf_counter() - started < 3600:
            time.sleep(1)
        recomputed = time.perf_counter() - started
    finally:
        workers_stop(workers)
    os.kill(child.pid, signal.SIGUSR1)
    measured = stats.get(timeout=30)
    child.terminate()
    summary = syncs_summary(clients, since)
    print(json.dumps({"clients": len(clients), "connections": expected, **summary,
                      "rows_per_connection": round(summary["rows"] / max(1, summary["done"]), 1),
                      "seconds": round(elapsed, 1), "with_recomputes_seconds": round(recomputed, 1),
                      "cap": args.cap, "workers": args.workers, **measured,
                      "provisioning_seconds": round(provisioning, 1), "floor": floor,
                      "load_average": [round(load_before, 1), round(load_after, 1)]}))


if __name__ == "__main__":
    main()
