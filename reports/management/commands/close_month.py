"""``close_month SLUG --month YYYY-MM [--approve [--reason TEXT] [--no-notify] [--checks-reason TEXT]]``.

Without ``--approve``: the month enters the close and goes to review now (whatever the settling
delay). With it: the month is approved as from the report page (the version frozen and the
emails queued in one transaction; a revision needs ``--reason``, a month with a high-severity
check unresolved ``--checks-reason``), and the queued emails are sent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agency.months import Month
from clients.management.commands._client import client_by_slug
from clients.outbox import outbox_send_due
from kpis.management.commands.compute_snapshots import parse_month
from reports.services import month_approve, month_review_start


class Command(BaseCommand):
    help = "Move a client's month to review, or approve it (docs/monthly-close.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--month", required=True, metavar="YYYY-MM")
        parser.add_argument("--approve", action="store_true", help="approve the month (or its revision) and send the emails")
        parser.add_argument("--reason", default="", help="why the figures were revised (required for a revision)")
        parser.add_argument("--no-notify", action="store_true", help="approve a revision without emailing the client")
        parser.add_argument("--checks-reason", default="", help="why the month goes out with a high-severity check unresolved")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        month = parse_month(options["month"])
        report = month_review_start(client=client, month=month, at=timezone.now())
        if not options["approve"]:
            self.stdout.write(f"{client.slug} {Month.of(month)}: {report.state}")
            return
        try:
            version = month_approve(
                client=client,
                month=month,
                user=None,
                reason=options["reason"],
                notify=not options["no_notify"],
                checks_reason=options["checks_reason"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        sent = outbox_send_due(client=client)
        self.stdout.write(f"{client.slug} {Month.of(month)}: approved version {version.number}, {sent} emails sent")
