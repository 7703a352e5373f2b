"""Benchmark: 20 concurrent readers of the close board over 500 clients × 13 months, real server.

    PORTAL_DATA_DIR=$PWD/.local/bbench .venv/bin/python bench/close_board.py [--users 20] [--requests 40] [--think 1]

Sets up (once, kept between runs) 500 clients with a close row for each of the board's 13 months
(6,500 rows of the public mirror ``portfolio.ClientMonthClose``, states mixed: approved, in review,
open, revisions waiting, questions) and an agency admin who sees them all; the clients have no
schema, since the board reads only the public mirror. Starts gunicorn with production settings
(DEBUG off, one worker per core), warms each page once, then ``--users`` threads send
``--requests`` GETs each to the board: the default page, the filters (waiting, clean, only mine),
another month, another page of 100 clients. Target: p95 ≤ 150 ms with 20 readers, no errors.
Shares bench/_common.py's server and load generator with bench/scorecard_load.py; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
os.environ.setdefault("DEBUG", "true")  # development settings: the embedded PostgreSQL and Redis

from bench._common import admin_session, gunicorn_serving, production_env, server_arguments, warm_and_measure

CLIENTS, MONTHS = 500, 13


def setup() -> tuple[str, list[str]]:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from agency.models import Client
    from agency.services import public_tenant_ensure
    from portfolio.models import ClientMonthClose, ClientMonthSummary
    from reports.board import board_months

    call_command("migrate_schemas", "--shared", verbosity=0)
    public_tenant_ensure()
    now = timezone.now()
    months = board_months(now=now)
    have = set(Client.objects.filter(slug__startswith="bench-b").values_list("slug", flat=True))
    for index in range(CLIENTS):
        slug = f"bench-b{index:04d}"
        if slug in have:
            continue
        other = Client(schema_name=f"bench_b{index:04d}", slug=slug, name=f"Board client {index:04d}", is_ready=False)
        other.auto_create_schema = False  # the board reads only the public mirror
        other.save()
    clients = list(Client.objects.filter(slug__startswith="bench-b").order_by("slug"))
    ClientMonthClose.objects.filter(client__in=clients).exclude(month__in=months).delete()
    existing = set(ClientMonthClose.objects.filter(client__in=clients).values_list("client_id", "month"))
    rows = []
    for index, client in enumerate(clients):
        for age, month in enumerate(months):
            if (client.pk, month) in existing:
                continue
            state = "in_review" if age == 0 and index % 3 else "open" if age == 0 else "approved"
            rows.append(
                ClientMonthClose(
                    client=client,
                    month=month,
                    state=state,
                    in_review_since=now - dt.timedelta(days=index % 9) if state == "in_review" else None,
                    approved_at=now - dt.timedelta(days=30 * age) if state == "approved" else None,
                    revision_pending=state == "approved" and index % 41 == 0,
                    open_questions=1 if index % 17 == 0 and age < 2 else 0,
                    commentary_state={"in_review": "draft", "approved": "approved"}.get(state, "none"),
                    figures_at=now - dt.timedelta(days=2 + age * 30),
                )
            )
    ClientMonthClose.objects.bulk_create(rows, batch_size=2000)
    # Every month has data (its snapshot's summary: the board's "Waiting for data" reads has_data).
    summaries = set(ClientMonthSummary.objects.filter(client__in=clients).values_list("client_id", "month"))
    ClientMonthSummary.objects.bulk_create([
        ClientMonthSummary(client=client, month=month, computed_at=now, new_leads=10, has_data=True)
        for client in clients for month in months if (client.pk, month) not in summaries
    ], batch_size=2000)
    print(f"{len(clients)} clients, {ClientMonthClose.objects.filter(client__in=clients).count()} close rows")
    return admin_session(), [f"{m:%Y-%m}" for m in months]


def main() -> int:
    options = server_arguments(__doc__).parse_args()
    env = production_env()
    cookie, months = setup()
    with gunicorn_serving(env, workers=options.workers) as port:
        paths = [
            "/board/",
            "/board/?show=waiting",
            "/board/?show=clean",
            f"/board/?month={months[1]}",
            "/board/?page=3",
            "/board/?show=all&mine=1",
        ]
        name = f"close board ({CLIENTS} clients × {MONTHS} months)"
        warm_and_measure(name, port=port, host="localhost", paths=paths, cookie=cookie, options=options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
