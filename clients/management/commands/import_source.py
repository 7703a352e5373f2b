"""``import_source SLUG FILE [--source NAME | --mapping NAME]``: import a platform export (sources.md).

Prints what was recognized (source, language, rows, days) and imports, all or nothing. Exit
status as ``import_data``: 0 when written; otherwise non-zero with every bad line on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.management.commands._client import client_by_slug
from clients.management.commands._files import existing_file, refused
from clients.sources import SOURCES, Mapping, saved_mappings, source_import


class Command(BaseCommand):
    help = "Import an export of an ad platform, analytics or CRM (a built-in source or a mapping), all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("file")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--source", choices=sorted(SOURCES), help="the source, instead of detecting it")
        group.add_argument("--mapping", help="a saved mapping of the client by name, or a mapping JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        path = existing_file(options["file"])
        mapping = self._mapping(client, options["mapping"]) if options["mapping"] else None
        outcome = source_import(client=client, path=path, source=options["source"], mapping=mapping,
                                mappings=saved_mappings(client=client))
        detection = outcome.detection
        if detection is not None:
            language = f" ({detection.language_label})" if detection.language else ""
            days = (f"{len(outcome.days)} days, {outcome.first_day} … {outcome.last_day}" if outcome.days else "0 days")
            self.stdout.write(f"source: {detection.label}{language}; {outcome.kind}; {outcome.rows} rows; {days}")
            if outcome.skipped:
                left = ", ".join(f"{count} ({reason})" for reason, count in sorted(outcome.skipped.items()))
                self.stdout.write(f"left out: {left}")
            self._nothing_lost(outcome)
        if not outcome.ok:
            refused(self, outcome.errors, path)
        result = outcome.result
        assert result is not None
        if outcome.campaigns_created:
            self.stdout.write(f"campaigns created: {', '.join(outcome.campaigns_created)}")
        self.stdout.write(f"{result.kind}: {result.inserted} inserted, {result.updated} updated, {result.unchanged} unchanged")

    def _nothing_lost(self, outcome: Any) -> None:
        """What the file gives that the import does not use, or lacks (sources.md "Nothing is lost in silence")."""
        detection = outcome.detection
        if detection.ignored:
            self.stdout.write(f"ignored columns: {', '.join(detection.ignored)}")
        for _target, names, reason in detection.lacking():
            self.stdout.write(f"not in the file: {' / '.join(names)}: {reason}")
        for target, values in sorted(outcome.unmapped.items()):
            listed = ", ".join(f"{value} ({count})" for value, count in sorted(values.items()))
            self.stdout.write(f"{target} values outside the table, imported as {outcome.unmapped_to.get(target)}: {listed}")
        if outcome.customers_without_deal:
            self.stdout.write(f"customers without a deal amount (revenue 0 for them): {outcome.customers_without_deal}")

    def _mapping(self, client: Any, name: str) -> Mapping:
        path = Path(name)
        if path.suffix == ".json" and path.is_file():
            return Mapping.from_dict(json.loads(path.read_text(encoding="utf-8")))
        for mapping in saved_mappings(client=client):
            if mapping.name == name:
                return mapping
        raise CommandError(f"no saved mapping named '{name}' for {client.slug} (nor a mapping .json file)")

