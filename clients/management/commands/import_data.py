"""``import_data SLUG KIND FILE``: import one CSV file (formats.md, "Commands").

Exit status 0 when the file was written; otherwise non-zero, nothing written, and every bad
row on stderr as ``line N, column C, value 'V': reason``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clients.importing import KINDS
from clients.management.commands._client import client_by_slug
from clients.management.commands._files import existing_file, refused
from clients.services import data_import


class Command(BaseCommand):
    help = "Import one CSV file of a kind of formats.md into a client's data, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        path = existing_file(options["file"])
        result = data_import(kind=options["kind"], path_or_file=path, client=client)
        if not result.ok:
            refused(self, result.errors, path)
        self.stdout.write(
            f"{result.kind}: {result.rows} rows read, {result.inserted} inserted, {result.updated} updated,"
            f" {result.unchanged} unchanged"
        )
