"""``plan_funnel SLUG --revenue-goal X --average-deal X --from YYYY-MM --to YYYY-MM [rates]``: the plan as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.management.commands._client import client_by_slug
from kpis.management.commands.compute_snapshots import parse_month
from kpis.services import plan_compute

RATES = ("sql_to_customer", "mql_to_sql", "lead_to_mql", "traffic_to_lead")


class Command(BaseCommand):
    help = "Print the reverse-funnel plan for a revenue goal (rates not given: the trailing 12 months)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--revenue-goal", type=float, required=True)
        parser.add_argument("--average-deal", type=float, required=True)
        parser.add_argument("--from", dest="first", required=True, metavar="YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, metavar="YYYY-MM")
        for rate in RATES:
            parser.add_argument(f"--{rate.replace('_', '-')}", dest=rate, type=float, default=None, metavar="R")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        first, last = parse_month(options["first"]), parse_month(options["last"])
        if last < first:
            raise CommandError("--to is before --from")
        if options["revenue_goal"] <= 0 or options["average_deal"] <= 0:
            raise CommandError("--revenue-goal and --average-deal must be positive")
        for rate in RATES:
            value = options[rate]
            if value is not None and not 0 < value <= 1:
                raise CommandError(f"--{rate.replace('_', '-')} is a fraction in (0, 1]")
        plan = plan_compute(
            client=client,
            revenue_goal=options["revenue_goal"],
            average_deal=options["average_deal"],
            first_month=first,
            last_month=last,
            rates={rate: options[rate] for rate in RATES},
        )
        self.stdout.write(json.dumps(plan, indent=1))
