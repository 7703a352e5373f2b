"""``export_snapshot SLUG --month YYYY-MM``: the stored snapshot as JSON on stdout."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from agency.months import Month
from clients.management.commands._client import client_by_slug
from kpis.management.commands.check_month import checks_exported
from kpis.management.commands.compute_snapshots import parse_month
from kpis.models import Snapshot
from kpis.snapshot import document_ordered
from kpis.visibility import export_for


class Command(BaseCommand):
    help = "Print a stored monthly snapshot as JSON (formats.md, 'Snapshot export')."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--month", required=True, metavar="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        month = parse_month(options["month"])
        with tenant_context(client):
            snapshot = Snapshot.objects.filter(month=month).first()
            # The monthly close adds "state", "approved_at" and "revisions" (docs/monthly-close.md).
            close = export_for(month) if snapshot is not None else {}
            checks = checks_exported(month=month, currency=client.currency)  # docs/monthly-close.md "Checks"
        if snapshot is None:
            raise CommandError(f"{client.slug} has no snapshot for {Month.of(month)}: run compute_snapshots first")
        document = {**document_ordered(snapshot.document), **close, "checks": checks}
        self.stdout.write(json.dumps(document, indent=1, ensure_ascii=False))
