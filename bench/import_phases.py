"""Where a source import's time goes, measured so that a shared machine does not hide it.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/import_phases.py hubspot:200000 [--profile 25]

Imports one export (written by bench/import_sources.py's writers) into a fresh client
``bench-sources``, then imports it again (nothing to write), and prints for each phase:
the wall time, the importing process's own CPU (``time.process_time``) and the PostgreSQL
backend's CPU (read from ``/proc/<backend pid>/stat``), which other work on the machine does
not inflate the way it inflates wall time. Phases: the first pass (campaigns and currencies),
staging (the sources' reading and conversion, the importer's checks and the COPY, which run
interleaved), summing repeated keys, the SQL checks, and the write (changed rows, upsert,
months). Every SQL statement's wall time is listed too (``--statements``); ``--explain`` runs the
write's statements under EXPLAIN (ANALYZE, BUFFERS) and prints their plans. ``--profile N``
prints the N costliest functions of the import (cProfile; it slows the Python part down).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import import_sources  # noqa: E402 - the writers and the fresh client of the benchmark

TICKS = os.sysconf("SC_CLK_TCK")
# The statements --explain runs under EXPLAIN (ANALYZE, BUFFERS): the write's.
EXPLAINED = ("INSERT INTO clients_", "CREATE TEMP TABLE _import_changed", "SELECT DISTINCT m ")


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a PostgreSQL backend process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Phases:
    def __init__(self, pid: int, *, explain: bool = False) -> None:
        self.pid = pid
        self.explain = explain
        self.plans: list[str] = []
        self.rows: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0])
        self.statements: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        self.depth = 0

    def wrap(self, module, name: str, label: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if self.depth:  # a phase inside another (the first pass's campaigns import): counted in the outer one
                return original(*args, **kwargs)
            self.depth += 1
            wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(self.pid)
            try:
                return original(*args, **kwargs)
            finally:
                row = self.rows[label]
                row[0] += time.perf_counter() - wall
                row[1] += time.process_time() - cpu
                row[2] += backend_cpu(self.pid) - server
                row[3] += 1
                self.depth -= 1

        setattr(module, name, timed)

    def statement(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            if self.explain and sql.startswith(EXPLAINED):
                if sql.startswith("SELECT"):  # its rows are needed: explained on the side, then run
                    execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params, many, context)
                    self.plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
                    started = time.perf_counter()
                    return execute(sql, params, many, context)
                result = execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params, many, context)
                self.plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
                return result
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split())[:110]
            entry = self.statements[key]
            entry[0] += time.perf_counter() - started
            entry[1] += 1


def run(case: str, *, profile: int, statements: bool, explain: bool = False) -> dict:
    import_sources.setup_django()
    from django.db import connection

    from clients.importing import importer
    from clients.sources import services
    from clients.sources.services import source_import

    name, size = case.split(":")
    rows = int(size)
    import_sources.OUT.mkdir(parents=True, exist_ok=True)
    path = import_sources.OUT / f"source-{name}-{rows}.csv"
    if not path.exists():
        import_sources.WRITERS[name](path, rows)
    client = import_sources.fresh_client()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    report: dict = {"case": case, "load_average": os.getloadavg()[0]}
    for attempt in ("import", "re-import"):
        phases = Phases(pid, explain=explain)
        phases.wrap(services, "_first_pass", "first pass (campaigns, currencies)")
        phases.wrap(importer, "_stage", "stage: read + convert + check + COPY")
        phases.wrap(importer, "_sum_stage", "sum repeated keys (SQL)")
        phases.wrap(importer, "_check_file", "checks: duplicates, references (SQL)")
        phases.wrap(importer, "_write", "write: changed rows, upsert, months (SQL)")
        profiler = cProfile.Profile() if profile and attempt == "import" else None
        wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(pid)
        with connection.execute_wrapper(phases.statement):
            if profiler:
                profiler.enable()
            outcome = source_import(client=client, path=path)
            if profiler:
                profiler.disable()
        total = [time.perf_counter() - wall, time.process_time() - cpu, backend_cpu(pid) - server]
        for module, name_ in ((services, "_first_pass"), (importer, "_stage"), (importer, "_sum_stage"),
                              (importer, "_check_file"), (importer, "_write")):
            setattr(module, name_, getattr(module, name_).__wrapped__)
        assert outcome.ok, [str(error) for error in outcome.errors[:5]]
        report[attempt] = {
            "written": outcome.result.written, "total": [round(x, 2) for x in total],
            "phases": {label: [round(x, 2) for x in row[:3]] for label, row in phases.rows.items()},
            "statements": sorted(([round(t, 3), n, sql] for sql, (t, n) in phases.statements.items()), reverse=True)[:12]
            if statements else [],
        }
        for plan in phases.plans:
            print(f"--- {attempt}\n{plan}")
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(profile)
    report["load_average_after"] = os.getloadavg()[0]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("case", help="google_ads:73000 or hubspot:200000")
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--explain", action="store_true", help="the write's statements under EXPLAIN (ANALYZE, BUFFERS)")
    args = parser.parse_args()
    report = run(args.case, profile=args.profile, statements=args.statements, explain=args.explain)
    print(f"\n{report['case']}, load average {report['load_average']:.1f} → {report['load_average_after']:.1f}")
    print("| attempt | phase | wall | Python CPU | PostgreSQL CPU |")
    print("|---|---|---:|---:|---:|")
    for attempt in ("import", "re-import"):
        data = report[attempt]
        for label, (wall, cpu, server) in data["phases"].items():
            print(f"| {attempt} | {label} | {wall:.2f} s | {cpu:.2f} s | {server:.2f} s |")
        wall, cpu, server = data["total"]
        print(f"| {attempt} | **total** (written {data['written']:,}) | {wall:.2f} s | {cpu:.2f} s | {server:.2f} s |")
        for seconds, count, sql in data["statements"]:
            print(f"    {seconds:7.3f} s  ×{count}  {sql}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
