"""``seed_demo``: the demo agency of the run command (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kpis.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create (or keep) the demo agency: an admin, a staff member, three clients with data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=14)
        parser.add_argument("--leads-per-month", type=int, default=120)
        # scripts/run prints the logins once, after the demo's connected client is made too.
        parser.add_argument("--no-logins", action="store_true", help="do not print the logins at the end")

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_seed(months=options["months"], leads_per_month=options["leads_per_month"], stdout=self.stdout)
        if options["no_logins"]:
            return
        for login, what in logins:
            self.stdout.write(f"  {login:<24} {DEMO_PASSWORD:<18} {what}")
