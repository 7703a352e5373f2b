"""``import_rates FILE``: load the ECB's reference rates (``eurofxref-hist.csv``), agency-wide.

Re-loading the same file changes nothing. Exit status 0 when loaded; otherwise non-zero,
nothing written, every bad line on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from clients.management.commands._files import existing_file, refused
from clients.sources import rates_import


class Command(BaseCommand):
    help = "Load the European Central Bank's reference rates (eurofxref-hist.csv) for the whole agency."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        path = existing_file(options["file"])
        result = rates_import(path=path)
        if not result.ok:
            refused(self, result.errors, path)
        self.stdout.write(
            f"rates: {result.rows} ({len(result.currencies)} currencies, {result.first} … {result.last}):"
            f" {result.inserted} inserted, {result.updated} updated, {result.unchanged} unchanged"
        )
