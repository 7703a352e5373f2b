"""Reads of one client's data (the current schema) for the home page, the set-up steps and the scorecard.

The reads of one topic live in its package (``clients.imports.selectors``, ``clients.criteria.selectors``,
``clients.records.selectors``, ``clients.api.selectors``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Max, Min, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.months import Month
from clients.criteria.selectors import criteria_exist
from clients.models import (
    Activity,
    Campaign,
    Connection,
    Contract,
    EmailRow,
    Holiday,
    Lead,
    Persona,
    ScheduledSource,
    Spend,
    TrafficRow,
)

CRM_PLATFORMS = ("hubspot",)  # the connectors whose rows are leads (clients.connectors.registry)


def data_summary() -> list[dict[str, Any]]:
    """Row counts and date ranges per data kind, for the home page's data panel."""
    kinds = [
        ("campaigns", Campaign.objects, None),
        ("spend", Spend.objects, "date"),
        ("leads", Lead.objects, "created_at"),
        ("activities", Activity.objects, "occurred_at"),
        ("traffic", TrafficRow.objects, "date"),
        ("email", EmailRow.objects, "date"),
        ("contracts", Contract.objects, "start_date"),
        ("personas", Persona.objects, None),
    ]
    summary = []
    for kind, manager, date_field in kinds:
        if date_field:
            row = manager.aggregate(first=Min(date_field), last=Max(date_field))
            count = manager.count()
        else:
            row, count = {"first": None, "last": None}, manager.count()
        summary.append({"kind": kind, "count": count, "first": row["first"], "last": row["last"]})
    return summary


def spend_exists() -> bool:
    """Whether the client has any spend at all (imported, connected or sent): without any, its cost
    figures are zeros for want of data, which the set-up list and the scorecard say. In its schema."""
    return Spend.objects.exists()


def leads_source_exists() -> bool:
    """Whether the client has leads, or a CRM connected whose backfill brings them. A client fed
    only by its ad platforms has spend and campaigns but no lead: its new leads, MQLs and cost per
    lead then read zero for want of a CRM, which the set-up list says. In its schema."""
    return Lead.objects.exists() or Connection.objects.filter(platform__in=CRM_PLATFORMS).exists()


# Steps an app above this one adds to the list, each a function of the client giving one step (kpis:
# "Targets", kept in the public schema beside the portfolio, which this app does not import):
# registered at start-up in the app's ``ready``.
_MORE_STEPS: list[Callable[[Any], dict[str, Any]]] = []


def setup_step_register(step: Callable[[Any], dict[str, Any]]) -> None:
    """Add a step to every client's set-up list (once per function, whatever the reloads)."""
    if step not in _MORE_STEPS:
        _MORE_STEPS.append(step)


def setup_steps(*, client: Any = None) -> list[dict[str, Any]]:
    """The steps a new client goes through before its scorecard means something, each done or not.
    A step marked ``optional`` is offered without being required: the list is done without it."""
    more = [step(client) for step in _MORE_STEPS] if client is not None else []
    has_campaigns = Campaign.objects.exists() or ScheduledSource.objects.exists()
    return [
        {"key": "campaigns", "done": has_campaigns, "url": reverse("imports"), "admin_only": False,
         "label": _("Campaigns, or a source that creates them"),
         "help": _("Import campaigns first (spend, leads and email refer to them), "
                   "or an ad platform's export, which creates them.")},
        {"key": "spend", "done": spend_exists(), "url": reverse("imports"), "admin_only": False,
         "label": _("Spend: an ad platform connected, or spend imported"),
         "help": _("Until then, marketing spend reads zero, and so do cost per lead and CAC: "
                   "not because nothing was spent.")},
        {"key": "leads", "done": leads_source_exists(), "url": reverse("imports"), "admin_only": False,
         "label": _("Leads: a CRM connected, or leads imported"),
         "help": _("Until then, new leads, MQLs and customers read zero and cost per lead reads “—”: "
                   "not because nobody came. Ad platforms bring spend and clicks, not leads.")},
        {"key": "criteria", "done": criteria_exist(), "url": reverse("criteria_edit"), "admin_only": True,
         "label": _("Qualification criteria"),
         "help": _("Until they exist, no lead is an MQL and every MQL figure reads zero.")},
        {"key": "personas", "done": Persona.objects.exists(), "url": reverse("persona_add"), "admin_only": False,
         "label": _("Buyer personas"), "help": _("Leads are broken down by persona.")},
        {"key": "holidays", "done": Holiday.objects.exists(), "url": reverse("holidays"), "admin_only": False,
         "label": _("Holidays"),
         "help": _("Non-working days, for leads per working day.")},
        {"key": "contracts", "done": Contract.objects.exists(), "url": reverse("contract_add"), "admin_only": False,
         "label": _("Contracts"), "help": _("Retainers and projects, for MRR, churn and lifetime value.")},
        *more,
    ]


def spend_conversions(*, month: dt.date) -> list[dict[str, Any]]:
    """Converted spend of a month, grouped by original currency and reference rate (one query).

    Each row: currency, rate (client currency units per unit), rate_date, days, original and
    converted totals. Spend in the client's own currency has no currency stored and is left out.
    """
    end = (Month.of(month) + 1).first_day
    return list(
        Spend.objects.filter(date__gte=month, date__lt=end, exchange_rate__isnull=False).exclude(currency="")
        .values("currency", "exchange_rate", "rate_date")
        .annotate(days=Count("date", distinct=True), original=Sum("original_amount"), converted=Sum("amount"))
        .order_by("currency", "rate_date")
    )


def revenue_data_exists() -> bool:
    """Whether the client ever had revenue imported: a contract, or a lead with a deal value. A
    HubSpot contacts export carries none; until then ROMI (−100 %) and revenue (0) say nothing, so
    a default executive summary leaves them out (kpis.report.summary_keys). Run in the client's schema."""
    return Contract.objects.exists() or Lead.objects.filter(deal_value__isnull=False).exclude(deal_value=0).exists()
