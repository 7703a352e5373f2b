"""``generate_demo_data SLUG --months N --leads-per-month N [--seed S] [--marker TEXT]``.

Writes seeded, realistic data of every kind as CSV files and imports them through the same
path as any upload. ``--marker`` puts a recognisable text in the client's data (campaign
names, a lead's challenge, an activity's detail), used to test that data never leaks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agency.months import Month
from clients.management.commands._client import client_by_slug
from clients.services import demo_data_generate


class Command(BaseCommand):
    help = "Generate seeded demo data of every kind for a client, imported through the importers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--leads-per-month", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--marker", default="")
        parser.add_argument("--end", help="last month, YYYY-MM (default: the current month)")
        parser.add_argument("--keep-files", help="write the CSV/JSON files to this folder and keep them")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        if options["months"] < 1 or options["leads_per_month"] < 1:
            raise CommandError("--months and --leads-per-month must be at least 1")
        end = None
        if options["end"]:
            try:
                # The last day of that month, so the whole month is generated.
                end = Month.parse(options["end"]).last_day
            except ValueError:
                raise CommandError("--end is a month, YYYY-MM") from None
        out_dir = Path(options["keep_files"]) if options["keep_files"] else None
        try:
            results = demo_data_generate(client=client, months=options["months"],
                                         leads_per_month=options["leads_per_month"], seed=options["seed"],
                                         marker=options["marker"], end=end, out_dir=out_dir)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for kind, result in results["imports"].items():
            self.stdout.write(f"{kind}: {result.rows} rows, {result.inserted} inserted, {result.updated} updated,"
                              f" {result.unchanged} unchanged")
        self.stdout.write("personas and qualification criteria: " + results["qualification"])
