"""``export_snapshot SLUG --month YYYY-MM``: the stored snapshot as JSON on stdout."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from agency.months import Month
from clients.management.commands._client import client_by_slug
from clients.models import Spend
from kpis.management.commands.check_month import checks_exported
from kpis.management.commands.compute_snapshots import parse_month
from kpis.models import Snapshot
from kpis.nocontact import contact_unknown, contact_unknown_figures
from kpis.nospend import spend_unknown_figures
from kpis.reasons import figure_not_fact, no_contact_reason, no_spend_reason, unlinked_reason
from kpis.selectors_scorecard import contact_first_month, source_row_months
from kpis.snapshot import document_ordered
from kpis.unmatched import crm_leads_unlinked, unmatched_figures
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
            has_spend = Spend.objects.filter(date__lt=(Month.of(month) + 1).first_day).exists()
            unknown_contact = snapshot is not None and contact_unknown(
                snapshot.document, month=month, first_contact=contact_first_month
            )
            not_facts = not_facts_note(snapshot.document, month=month) if snapshot is not None else {}
        if snapshot is None:
            raise CommandError(f"{client.slug} has no snapshot for {Month.of(month)}: run compute_snapshots first")
        document = {**document_ordered(snapshot.document), **close, "checks": checks, **unmatched_note(snapshot.document)}
        document.update(no_spend_note(snapshot.document, has_spend=has_spend))
        document.update(no_contact_note(snapshot.document, unknown=unknown_contact))
        document.update(not_facts)
        self.stdout.write(json.dumps(document, indent=1, ensure_ascii=False))


def unmatched_note(document: dict[str, Any]) -> dict[str, Any]:
    """``"crm_leads_unmatched"``: null, or — in a month none of whose new leads names a campaign — the
    reason and the figures it concerns. Their values stay kpis.md's (a count: 0); the report shows
    "—" with the reason for them (kpis.unmatched, docs/scorecards.md)."""
    found = unmatched_figures(document)
    if found is None:
        return {"crm_leads_unmatched": None}
    return {"crm_leads_unmatched": {"new_leads": crm_leads_unlinked(document), "reason": unlinked_reason(), "figures": found}}


def no_spend_note(document: dict[str, Any], *, has_spend: bool) -> dict[str, Any]:
    """``"spend_not_loaded"``: null, or — for a client with no spend row dated up to the month's end —
    the reason and the figures it concerns. Their values stay kpis.md's (sums over no rows: 0); the
    report shows "—" with the reason for them (kpis.nospend, docs/scorecards.md)."""
    found = spend_unknown_figures(document, has_spend=has_spend)
    return {"spend_not_loaded": None if found is None else {"reason": no_spend_reason(staff=True), "figures": found}}


def no_contact_note(document: dict[str, Any], *, unknown: bool) -> dict[str, Any]:
    """``"first_contact_not_sent"``: null, or — in a month whose new leads all lack a first-contact
    time while the CRM has sent none up to the month's end — the reason and the speed-to-lead figures
    it concerns. Their values stay kpis.md's (uncontacted_share 1, percentiles null); the report shows
    "—" with the reason for them (kpis.nocontact, docs/scorecards.md)."""
    found = contact_unknown_figures(document, unknown=unknown)
    return {"first_contact_not_sent": None if found is None else {"reason": no_contact_reason(staff=True), "figures": found}}


def not_facts_note(document: dict[str, Any], *, month: Any) -> dict[str, Any]:
    """``"figures_not_facts"``: null, or the month's figures kept at kpis.md's value that the report
    shows as "—" (kpis.nodata: no traffic or email row in the month, customers without a deal value,
    traffic naming no landing page, a CRM that sends no SAL or unsubscribe date, no activity loaded),
    as ``[{"reason": …, "figures": [keys]}]``, one entry per reason. Reads the rows only for a month
    whose figures show none of a source's."""
    read: list[dict[str, set]] = []

    def row_months() -> dict[str, set]:
        if not read:
            read.append(source_row_months())
        return read[0]

    by_reason: dict[str, list[str]] = {}
    for key in document.get("kpis") or {}:
        reason = figure_not_fact(key, document, month=month, row_months=row_months, staff=True)  # the agency's export
        if reason:
            by_reason.setdefault(str(reason), []).append(key)
    found = [{"reason": reason, "figures": keys} for reason, keys in by_reason.items()]
    return {"figures_not_facts": found or None}
