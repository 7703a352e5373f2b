"""``compute_snapshots SLUG (--month YYYY-MM … | --all) [--enqueue]`` (formats.md, "Commands")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from agency.dates import date_bounds, month_parse
from agency.months import Month
from agency.tasks import enqueue_for_client
from clients.management.commands._client import client_by_slug
from kpis.recompute import recompute_pending_forget
from kpis.selectors import data_months
from kpis.services import snapshot_compute
from kpis.tasks import snapshot_compute_task


def parse_month(value: str) -> dt.date:
    """``YYYY-MM`` inside the portal's dates (agency.dates), else a CommandError that says so."""
    month = month_parse(value)
    if month is None:
        first, last = date_bounds()
        raise CommandError(f"'{value}' is not a month (YYYY-MM) between {Month.of(first)} and {Month.of(last)}")
    return month


class Command(BaseCommand):
    help = "Compute and store a client's monthly KPI snapshots, in-process or through the workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--month", action="append", metavar="YYYY-MM")
        which.add_argument("--all", action="store_true", help="every month from the earliest data to the latest")
        parser.add_argument("--enqueue", action="store_true", help="send to the Celery workers instead")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        if options["all"]:
            with tenant_context(client):
                months = data_months(timezone=client.timezone)
        else:
            months = [parse_month(value) for value in options["month"]]
        if not months:
            self.stdout.write(f"{client.slug}: no data, no snapshots")
            return
        if options["enqueue"]:
            enqueue_for_client(snapshot_compute_task, client=client, months=[str(Month.of(m)) for m in months])
            self.stdout.write(f"{client.slug}: {len(months)} month(s) sent to the workers")
            return
        # Computed here and now: these months no longer wait for a worker's debounced recompute
        # (which the close's approval waits for), so `close_month --approve` works right after.
        recompute_pending_forget(client=client, months=[str(Month.of(m)) for m in months])
        snapshots = snapshot_compute(client=client, months=months)
        self.stdout.write(f"{client.slug}: {len(snapshots)} snapshot(s), {Month.of(months[0])} to {Month.of(months[-1])}")
