"""``sync_source SLUG PLATFORM [--from YYYY-MM-DD] [--to YYYY-MM-DD]``: sync one connection now.

Synchronous. Without dates: the backfill (never synced), the rest of an interrupted sync, or the
days since the last one with the platform's lookback. Prints the rows written by kind, the
months touched and those of them already approved (a revision waits on their close); exits
non-zero with the platform's reason when the sync fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from agency.months import Month
from clients.closed_months import approved_months_among
from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_sync
from clients.management.commands._client import client_by_slug
from clients.models import SyncRun


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = "Sync a client's connection to a platform now (synchronously)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("platform", choices=sorted(PLATFORMS))
        parser.add_argument("--from", dest="first", help="first day (client's time zone)")
        parser.add_argument("--to", dest="last", help="last day (client's time zone)")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        first = _day(options["first"]) if options["first"] else None
        last = _day(options["last"]) if options["last"] else None
        if first and last and first > last:
            raise CommandError("--from is after --to")
        try:
            outcome = connection_sync(client=client, platform=options["platform"], trigger=SyncRun.Trigger.COMMAND,
                                      first_day=first, last_day=last)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if outcome.skipped:
            raise CommandError(outcome.message)
        rows = ", ".join(f"{kind} {count}" for kind, count in sorted(outcome.rows_by_kind.items())) or "no rows"
        self.stdout.write(f"rows: {rows}")
        self.stdout.write(f"months touched: {', '.join(sorted(outcome.months)) or 'none'}")
        with tenant_context(client):  # months already approved: their figures restated, a revision waits
            restated = approved_months_among(months=outcome.months)
        if restated:
            self.stdout.write("approved months restated (a revision waits on each month's close): "
                              + ", ".join(str(Month.of(month)) for month in restated))
        if not outcome.ok:
            raise CommandError(f"sync failed: {outcome.message}")
