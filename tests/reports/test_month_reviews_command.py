"""``month_reviews`` puts every ready client's month that ended into the close at once (beat's hourly
step), so the demo does not open with a client reading the month just ended as computed until
someone of the agency opens that client; running it twice changes nothing; ``scripts/run`` runs it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine
from django.core.management import call_command
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis.services import snapshot_compute
from reports.models import MonthReport


@time_machine.travel(dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), tick=False)
def test_every_clients_month_that_ended_is_in_review_at_once_and_a_second_run_changes_nothing(tenants) -> None:
    for client in tenants.values():  # a lead in November each: a month with nothing recorded waits for its data (below)
        with schema_context(client.schema_name):
            Lead.objects.create(id="n1", created_at=dt.datetime(2026, 11, 12, tzinfo=dt.UTC))
        snapshot_compute(client=client, months=[dt.date(2026, 11, 1)])
    call_command("month_reviews")
    for schema in ("alpha", "beta"):
        with schema_context(schema):
            assert [(r.month, r.state) for r in MonthReport.objects.all()] == [(dt.date(2026, 11, 1), "in_review")]
    call_command("month_reviews")
    with schema_context("alpha"):
        assert MonthReport.objects.count() == 1


def test_the_demo_run_calls_it_after_seeding() -> None:
    run = (Path(__file__).resolve().parents[2] / "scripts" / "portal.py").read_text()
    assert run.index('manage("seed_demo_connections")') < run.index('manage("month_reviews")') < run.index("manager.loop()")
