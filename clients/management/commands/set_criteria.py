"""``set_criteria SLUG FILE [--effective-from YYYY-MM-DD]``: store a new criteria version.

Without ``--effective-from`` the version is effective from today in the client's time zone.
Leads created before the first version's effective date are judged by the first version, so
a client's first criteria need no date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clients.criteria.services import criteria_version_create
from clients.management.commands._client import client_by_slug
from clients.management.commands._json import json_file_read
from clients.models import CriteriaVersion


class Command(BaseCommand):
    help = "Store a new version of a client's MQL qualification criteria (JSON, formats.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")
        parser.add_argument("--effective-from", type=dt.date.fromisoformat, default=None, metavar="YYYY-MM-DD")
        parser.add_argument("--note", default="", help="what changed and why")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        criteria = json_file_read(options["file"])
        effective = options["effective_from"] or timezone.now().astimezone(ZoneInfo(client.timezone)).date()
        try:
            version = criteria_version_create(
                criteria=criteria, effective_from=effective, change_note=options["note"], client=client,
                saved_via=CriteriaVersion.SavedVia.COMMAND,
            )
        except ValidationError as error:
            raise CommandError("criteria not stored:\n  " + "\n  ".join(error.messages)) from None
        self.stdout.write(f"{client.slug}: criteria version {version.version}, effective from {version.effective_from}")
