"""``check_month SLUG --month YYYY-MM``: the month's checks (docs/monthly-close.md "Checks") as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django_tenants.utils import tenant_context

from agency.months import Month
from clients.management.commands._client import client_by_slug
from kpis.checks.selectors import month_checks_read
from kpis.checks.services import checks_compute
from kpis.management.commands.compute_snapshots import parse_month
from kpis.models import Snapshot

FIELDS = ("key", "family", "severity", "subject", "figures", "sentence", "link")


def checks_exported(*, month: Any, currency: str) -> list[dict[str, Any]]:
    """The month's stored checks as the command and ``export_snapshot`` print them."""
    return [
        {
            **{name: item[name] for name in FIELDS},
            "resolved_at": item["resolved_at"].strftime("%Y-%m-%dT%H:%M:%SZ") if item["resolved_at"] else None,
            "resolution_note": item["resolution_note"],
        }
        for item in month_checks_read(month=month, currency=currency)
    ]


class Command(BaseCommand):
    help = "Check a month's data again (from its stored snapshots) and print the checks as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--month", required=True, metavar="YYYY-MM")
        parser.add_argument(
            "--language", default="en", choices=[code for code, _name in settings.LANGUAGES], help="the language of the sentences"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        month = parse_month(options["month"])
        with tenant_context(client):
            if not Snapshot.objects.filter(month=month).exists():
                raise CommandError(f"{client.slug} has no snapshot for {Month.of(month)}: run compute_snapshots first")
        checks_compute(client=client, months=[month])  # a month still running is not checked: its stored checks stay
        with tenant_context(client), translation.override(options["language"]):
            found = checks_exported(month=month, currency=client.currency)
        document = {"client": client.slug, "month": str(Month.of(month)), "checks": found}
        self.stdout.write(json.dumps(document, indent=1, ensure_ascii=False))
