"""``seed_demo_clients --count N [--staff sam]``: N more demo clients (at most 125), for an agency to
try the portal at its own size — an account manager's 50 clients on the close board, the portfolio,
the checks — without importing 50 clients' files first.

Each gets a few months of data through the importers (``--months``, default 4; ``--leads-per-month``,
default 40), its months computed, and the month that ended put in review as beat's hourly step would
(``reports.services.month_reviews_start``). Every third is written to in Spanish, every fifth has no
client user. ``--staff``: the staff member assigned to all of them. Idempotent: run it again with a
larger count to add more; the clients made before keep their data. It lives in ``reports`` (not
beside ``seed_demo`` in kpis) because it puts months in the close, which kpis may not import.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agency.models import User
from kpis.demo import demo_clients_add
from reports.services import month_reviews_start


class Command(BaseCommand):
    help = "Add N demo clients with a few months of data each, their month that ended in review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--months", type=int, default=4)
        parser.add_argument("--leads-per-month", type=int, default=40)
        parser.add_argument("--staff", default="", help="username of the staff member assigned to all of them")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1 or options["months"] < 2 or options["leads_per_month"] < 1:
            raise CommandError("--count and --leads-per-month must be at least 1, --months at least 2")
        staff = None
        if options["staff"]:
            staff = User.objects.filter(username=options["staff"], role=User.Role.STAFF).first()
            if staff is None:
                raise CommandError(f"no agency staff member is called {options['staff']!r}")
        try:
            clients = demo_clients_add(count=options["count"], months=options["months"],
                                       leads_per_month=options["leads_per_month"], staff=staff, stdout=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from None
        at = timezone.now()
        for client in clients:
            month_reviews_start(client=client, at=at)
        self.stdout.write(f"{len(clients)} demo clients; their month that ended is in the close")
