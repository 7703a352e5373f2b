"""``month_reviews``: beat's hourly step of the monthly close, run now for every ready client.

Each client's month that ended (in its time zone) enters the close, and goes to review once its
settling delay has passed (``reports.services.month_reviews_start``, what ``dispatch_month_reviews``
queues every hour). ``scripts/run`` runs it after seeding so the demo opens with the month that ended
in review everywhere: before beat's first run, a client user would otherwise read that month's figures
as computed until someone of the agency opened the client. Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from agency.months import Month
from agency.selectors import clients_ready
from reports.services import month_reviews_start


class Command(BaseCommand):
    help = "Put every client's month that ended into the monthly close now, as beat does every hour."

    def handle(self, *args: Any, **options: Any) -> None:
        at = timezone.now()
        for client in clients_ready():
            moved = month_reviews_start(client=client, at=at)
            if options["verbosity"] > 1:
                self.stdout.write(f"{client.slug}: {Month.of(moved)} in review" if moved else f"{client.slug}: open")
