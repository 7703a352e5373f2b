"""Benchmark: the CPU a small client's 12 snapshots cost, against the CPU of the floor — a ratio the
machine's load does not move.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/many_clients_cpu.py [--clients 100]

On a shared machine the wall times of bench/many_clients.py mostly measure the other processes.
This runs ``kpis.services.snapshot_compute`` in-process for the first ``--clients`` clients that
bench/many_clients.py provisioned (12 months each, as a worker task would, snapshots and checks),
and reads the CPU time of this process (the worker's Python) and of its PostgreSQL backend
(``/proc/<pid>/stat``) — first pass over the schemas (the backend's catalog caches cold, as a
worker meets each client once a day), then a second. Then the floor of bench/many_clients.py (one
statement counting the same leads by month across the schemas) on a fresh backend, best of 3, its
backend's CPU. On an otherwise idle machine with two cores, two workers take about (worker + backend
CPU per client) × clients ÷ 2 of wall time and the floor about its CPU: their quotient is printed as
``estimate_ratio_two_cores`` (the broker's and Celery's own costs are not counted: a chunked fan-out
makes them small).

``--fresh``: the clients' stored snapshots and findings are deleted first, so the first pass writes
every month for the first time (a new month's close) instead of over the same documents (the daily
refresh, the default; the second pass always is one).

``--phases``: instead, where PostgreSQL's CPU goes, per statement of the task (first pass over the
clients): parsing, parse analysis and rewriting (where a schema's relations are looked up and opened),
planning, execution — PostgreSQL's own ``log_parser_stats``, ``log_planner_stats`` and
``log_executor_stats`` (getrusage per phase), sent to this process as notices. The statistics cost
CPU themselves: compare the phases with each other, not with the plain pass's total.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.many_clients import MONTHS, TZ, setup_django


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a local process (PostgreSQL's backend runs on this machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


PHASE = re.compile(r"!\s+([\d.]+) s user, ([\d.]+) s system")
PHASES = {"PARSER STATISTICS": "parse", "PARSE ANALYSIS STATISTICS": "analyze", "REWRITER STATISTICS": "rewrite",
          "PLANNER STATISTICS": "plan", "EXECUTOR STATISTICS": "execute"}  # fmt: skip


def phases(clients: list, months: list) -> dict:
    """PostgreSQL's CPU per client by phase, overall and per statement (first 70 characters)."""
    from django.db import connection

    from kpis.services import snapshot_compute

    connection.close()
    connection.ensure_connection()  # a fresh backend: the schemas met for the first time
    noted: list[tuple[str, float]] = []

    def note(diagnostic) -> None:
        found = PHASE.search(diagnostic.message_detail or "")
        if found and diagnostic.message_primary in PHASES:
            noted.append((PHASES[diagnostic.message_primary], float(found[1]) + float(found[2])))

    connection.connection.add_notice_handler(note)
    with connection.cursor() as cursor:
        for setting in ("log_parser_stats", "log_planner_stats", "log_executor_stats"):
            cursor.execute(f"SET {setting} = on")
        cursor.execute("SET client_min_messages = log")
    by_statement: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    def sort_out(execute, sql, params, many, context):
        noted.clear()
        try:
            return execute(sql, params, many, context)
        finally:
            if not sql.startswith("SET search_path"):
                for phase, cpu in noted:
                    by_statement[" ".join(sql.split())[:70]][phase] += cpu

    with connection.execute_wrapper(sort_out):
        for client in clients:
            connection.set_schema_to_public()
            snapshot_compute(client=client, months=months)
    connection.close()
    per_client = lambda seconds: round(seconds / len(clients) * 1000, 2)  # noqa: E731
    total = sum(by_statement.values(), collections.Counter())
    return {
        "pg_cpu_ms_per_client_by_phase": {phase: per_client(total[phase]) for phase in PHASES.values()},
        "statements": [
            {"sql": sql, **{phase: per_client(cpu[phase]) for phase in PHASES.values()}}
            for sql, cpu in sorted(by_statement.items(), key=lambda item: -sum(item[1].values()))
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--debug", action="store_true", help="development settings (DEBUG on) instead of production's")
    parser.add_argument("--phases", action="store_true", help="PostgreSQL's CPU by phase and statement instead")
    parser.add_argument("--months", type=int, default=len(MONTHS),
                        help="compute the last N months of the 12 (1: the daily refresh's one month a client)")
    parser.add_argument("--fresh", action="store_true",
                        help="the first pass writes every month for the first time (stored snapshots and findings deleted first)")
    args = parser.parse_args()
    setup_django(debug=args.debug)
    from django.db import connection

    from agency.models import Client
    from kpis.services import snapshot_compute

    clients = list(Client.objects.filter(slug__startswith="mc-0").order_by("slug")[: args.clients])
    if not clients:
        raise SystemExit("no clients: run bench/many_clients.py first (it provisions them)")
    if args.fresh:
        from bench.many_clients import stored_forget

        stored_forget(clients)
    months = MONTHS[-args.months :]
    if args.phases:
        found = phases(clients, months)
        print(json.dumps({"clients": len(clients), "months": len(months), **found, "load_average": os.getloadavg()}, indent=1))
        return

    def backend_pid() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def one_pass() -> dict[str, float]:
        pid = backend_pid()  # one connection for the pass: never closed in between
        pg, py, wall = backend_cpu(pid), time.process_time(), time.perf_counter()
        for client in clients:
            connection.set_schema_to_public()
            snapshot_compute(client=client, months=months)
        n = len(clients)
        return {
            "pg_cpu_ms_per_client": round((backend_cpu(pid) - pg) / n * 1000, 1),
            "python_cpu_ms_per_client": round((time.process_time() - py) / n * 1000, 1),
            "wall_ms_per_client": round((time.perf_counter() - wall) / n * 1000, 1),
        }

    first, second = one_pass(), one_pass()
    connection.set_schema_to_public()
    sql = " UNION ALL ".join(
        f"SELECT '{c.schema_name}' AS s, date_trunc('month', created_at AT TIME ZONE '{TZ}') AS m, count(*) AS n "
        f'FROM "{c.schema_name}".clients_lead GROUP BY 2'
        for c in clients
    )
    connection.close()  # the floor on a fresh backend, as bench/many_clients.py measures it
    pid = backend_pid()
    floors = []
    for _ in range(3):
        pg, wall = backend_cpu(pid), time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
        floors.append((backend_cpu(pid) - pg, time.perf_counter() - wall))
    floor_cpu = max(min(cpu for cpu, _wall in floors), 0.01)  # the clock ticks 100 times a second
    per_client = (first["pg_cpu_ms_per_client"] + first["python_cpu_ms_per_client"]) / 1000
    print(json.dumps({
        "clients": len(clients),
        "months": len(months),
        "first_pass": first,
        "second_pass": second,
        "floor_cpu_seconds": [round(cpu, 2) for cpu, _wall in floors],
        "floor_wall_seconds": [round(wall, 3) for _cpu, wall in floors],
        "estimate_ratio_two_cores": round(per_client * len(clients) / 2 / floor_cpu, 1),
        "debug": args.debug,
        "first_pass_stored_before": "none (fresh)" if args.fresh else "the same months (daily refresh)",
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
