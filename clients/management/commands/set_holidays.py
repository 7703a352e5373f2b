"""``set_holidays SLUG DATE…``: replace the client's non-working days (formats.md, "Commands")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.management.commands._client import client_by_slug
from clients.records.services import holidays_set


class Command(BaseCommand):
    help = "Replace a client's holidays (non-working days) with the dates given, YYYY-MM-DD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("dates", nargs="*", metavar="DATE")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        try:
            dates = holidays_set(client=client, dates=options["dates"])
        except ValidationError as error:
            raise CommandError("holidays not changed:\n  " + "\n  ".join(error.messages)) from None
        self.stdout.write(f"{client.slug}: {len(dates)} holiday(s)")
