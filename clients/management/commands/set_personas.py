"""``set_personas SLUG FILE``: replace the client's personas (formats.md, "Commands")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.criteria.services import personas_set
from clients.management.commands._client import client_by_slug
from clients.management.commands._json import json_file_read


class Command(BaseCommand):
    help = "Replace a client's buyer personas (a JSON list in priority order)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        try:
            personas = personas_set(personas=json_file_read(options["file"]), client=client)
        except ValidationError as error:
            raise CommandError("personas not changed:\n  " + "\n  ".join(error.messages)) from None
        self.stdout.write(f"{client.slug}: {len(personas)} persona(s)")
