"""``sync_source SLUG PLATFORM [--from YYYY-MM-DD] [--to YYYY-MM-DD]``: sync one connection now.

Synchronous. Without dates: the backfill (never synced), the rest of an interrupted sync, or the
days since the last one with the platform's lookback. Prints the rows written by kind, the
months touched and the approved months the connection's syncs restated, as its notice on the
Imports page names them: this sync's, and an earlier sync's whose revision still waits ("(by the
sync of …)", the client's time); exits non-zero with the platform's reason when the sync fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from agency.months import Month
from clients.closed_months import approved_months_among, months_restated
from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_sync
from clients.management.commands._client import client_by_slug
from clients.models import Connection, SyncRun


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
        # Months already approved: their figures restated, a revision waits. The same months as the
        # connection's notice on the Imports page: this sync's (their recompute is still to come), and
        # those an earlier sync restated whose revision still waits.
        with tenant_context(client):
            now = {month: None for month in approved_months_among(months=outcome.months)}
            connection = Connection.objects.filter(platform=options["platform"]).first()
            earlier = dict(months_restated(client=client, connection_id=connection.pk) if connection else [])
        zone = ZoneInfo(client.timezone)
        if now or earlier:
            self.stdout.write("approved months restated (a revision waits on each month's close): " + ", ".join(
                str(Month.of(month)) if month in now
                else f"{Month.of(month)} (by the sync of {earlier[month].astimezone(zone):%Y-%m-%d %H:%M})"
                for month in sorted(now.keys() | earlier.keys())))
        if not outcome.ok:
            raise CommandError(f"sync failed: {outcome.message}")
