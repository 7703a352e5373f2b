"""The agency portfolio at the console (staff: their clients; admins: all)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from agency.dates import month_parse
from agency.decorators import agency_required
from agency.http import HtmxHttpRequest
from agency.months import Month
from agency.selectors import clients_for_user, switchable_clients
from kpis import CODE_VERSION
from kpis.catalogue import kpi, null_reason
from kpis.formatting import change, format_value
from kpis.nodata import figure_source, summary_revenue_unknown
from kpis.nospend import spend_figure_unknown
from kpis.portfolio import (
    COLUMNS,
    MONEY_COLUMNS,
    PORTFOLIO_LAYOUT,
    SHOW,
    lead_figure_unknown_in,
    portfolio_rows,
    portfolio_stamp,
    target_summary,
    targets_by_client,
)
from kpis.portfolio_failures import connections_broken_described, source_failures_described
from kpis.reasons import no_contracts_reason, no_leads_reason, no_spend_reason, not_loaded_reason, unpriced_reason
from portfolio.selectors import connections_broken_visible, month_closes_waiting, source_failures_visible


@agency_required
@vary_on_headers("HX-Request")
@require_GET
def portfolio(request: HtmxHttpRequest) -> HttpResponse:
    last_closed = (Month.of(timezone.now().date()) - 1).first_day
    month = month_parse(request.GET.get("month", "")) or last_closed  # outside the portal's dates: the default
    sort, descending = request.GET.get("sort", "name"), request.GET.get("dir") == "desc"
    query = request.GET.get("q", "").strip()
    show = request.GET.get("show") or ("checks" if request.GET.get("alerts") == "1" else "all")  # alerts=1: older links
    show = show if show in SHOW else "all"
    mine = request.GET.get("mine") == "1"
    filters = {"month": str(Month.of(month)), "q": query}
    filters |= ({"show": show} if show != "all" else {}) | ({"mine": "1"} if mine else {})
    context = {
        "month": month,
        "sort": sort,
        "descending": descending,
        "q": query,
        "show": show,
        "mine": mine,
        "filters": urlencode(filters),  # the sort links keep the month, the search and the filters
        "months": [(Month.of(last_closed) - i).first_day for i in range(12)],
    }
    context["month_choices"] = _month_choices(tuple(context["months"]), get_language() or "")
    stamp = portfolio_stamp(user=request.user, month=month)
    digest = hashlib.sha256(
        f"{CODE_VERSION}|{PORTFOLIO_LAYOUT}|{request.user.pk}|{month}|{sort}|{descending}|{query}|{show}|{mine}|{get_language()}|{stamp}".encode()
    )
    # The table as rendered, and what the page shows around it (the closes waiting, the failing
    # sources, the header's client switcher) as read: kept together, under a stamp that changes
    # with any of them, so a cached page asks the database only for the stamp.
    key = f"kpis:portfolio-page:{digest.hexdigest()}"
    page = cache.get(key)
    if page is None:
        page = {
            "table": render_to_string(
                "kpis/portfolio.html#portfolio-table",
                {**context, **_table(request, month, sort, descending, query, show, mine)},
            ),
            "waiting": list(month_closes_waiting(clients=clients_for_user(user=request.user))),
            "source_failures": source_failures_visible(user=request.user),
            "connections_broken": connections_broken_visible(user=request.user, now=timezone.now()),
            "switcher": switchable_clients(user=request.user),
        }
        cache.set(key, page, 3600)
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(page["table"])
    request.switchable_clients = page["switcher"]  # agency.context_processors: already read
    # The monthly close: months waiting for review (and for how long), revisions, open questions.
    now = timezone.now()
    waiting = [{"row": row, "days": (now - row.in_review_since).days if row.in_review_since else None} for row in page["waiting"]]
    # What happened and what to do, in the reader's language and each client's time ("tomorrow" as of now).
    context["source_failures"] = source_failures_described(failures=page["source_failures"])
    context["connections_broken"] = connections_broken_described(connections=page.get("connections_broken", []))
    return render(
        request,
        "kpis/portfolio.html",
        {**context, "table": mark_safe(page["table"]), "waiting": waiting},  # noqa: S308 -- our template
    )


@lru_cache(maxsize=64)
def _month_choices(months: tuple[dt.date, ...], language: str) -> tuple[tuple[dt.date, str, str], ...]:
    """The month picker's (month, value, label), written once per list and ``language`` (active)."""
    return tuple((m, str(Month.of(m)), date_format(m, "YEAR_MONTH_FORMAT")) for m in months)


CONTRACT_COLUMNS = frozenset(c for c in COLUMNS if kpi(c).group == "recurring_revenue_and_value")


def _cell(client: Any, column: str, values: dict[str, Any]) -> dict[str, str]:
    """A figure of the row as shown; a "—" says why, on hover and in words: a cost without spend loaded
    (kpis.nospend; has_spend null: a summary row from before it was kept, read as spend), a contract
    figure of a client with no contract known at the month's end (its contract lifetime value is then
    null, kpis.md), any other undefined figure by the catalogue's reasons that hold for the row's ``values`` (never
    "no marketing spend" beside the client's spend)."""
    if spend_figure_unknown(column, has_spend=client.has_spend is not False):
        return {"text": "—", "reason": no_spend_reason(staff=True), "words": _("no spend loaded")}
    if figure_source(column) == "traffic" and getattr(client, "has_traffic", None) is False:
        return {"text": "—", "reason": not_loaded_reason("traffic", staff=True), "words": _("no traffic loaded")}
    if lead_figure_unknown_in(client, column):
        # No CRM connected, no leads file imported up to the month's end (kpis.nodata): new leads,
        # CPL, ROMI… are unknown, not 0.
        return {"text": "—", "reason": no_leads_reason(staff=True), "words": _("no leads loaded")}
    if summary_revenue_unknown(column, customers=values.get("customers"), revenue=values.get("revenue")):
        # New customers without a deal value (kpis.nodata): ROMI is unknown, not −100 %.
        reason = unpriced_reason({"kpis": {"customers": values.get("customers"), "revenue": 0}})
        return {"text": "—", "reason": reason, "words": _("no deal values")}
    value = getattr(client, column)
    if value is None and client.computed_at is not None:
        if column in CONTRACT_COLUMNS and getattr(client, "contract_ltv", None) is None:
            return {"text": "—", "reason": no_contracts_reason(), "words": _("no contracts loaded")}
        return {"text": "—", "reason": null_reason(kpi(column), values), "words": ""}
    return {"text": format_value(column, value, client.currency), "reason": "", "words": "", "change": _change(client, column)}


def _abbreviation(label: str) -> str:
    """A KPI's abbreviation when its name ends with one ("Customer acquisition cost (CAC)"): the
    portfolio's header shows it (the full name on hover and to screen readers), so fifteen columns'
    header row stays two lines high, not six, above 50 clients."""
    found = re.search(r"\(([A-Z]{2,6})\)$", label)
    return found.group(1) if found else ""


def _change(client: Any, column: str) -> dict[str, Any] | None:
    """The figure against the month before, as the scorecard says it (points for rates, a count on a
    small base as a number); None when that month has no figure, or its costs were unknown (no
    spend loaded then: a change from an unknown is no change)."""
    before = getattr(client, f"before_{column}", None)
    if before is None or spend_figure_unknown(column, has_spend=client.before_has_spend is not False):
        return None
    if figure_source(column) == "traffic" and getattr(client, "before_has_traffic", None) is False:
        return None  # no traffic row the month before: its 0 sessions are no base
    if lead_figure_unknown_in(client, column, before=True):
        return None  # no lead source the month before: its 0 leads are no base
    before_customers, before_revenue = getattr(client, "before_customers", None), getattr(client, "before_revenue", None)
    if summary_revenue_unknown(column, customers=before_customers, revenue=before_revenue):
        return None  # the month before's ROMI was unknown (its customers had no deal value): no change from it
    shown = change(column, getattr(client, column), before)
    if shown and shown["text"][:1] in "+-0123456789":  # "+12.3 %" on one line; "no change" may wrap
        shown["text"] = shown["text"].replace(" ", "\xa0")
    return shown


def _table(request: HttpRequest, month: dt.date, sort: str, descending: bool, query: str, show: str, mine: bool) -> dict:
    by_targets = sort == "targets"  # judged below, as the targets are; ties by name either way
    clients = list(
        portfolio_rows(
            user=request.user,
            month=month,
            query=query,
            sort="name" if by_targets else sort,
            descending=descending and not by_targets,
            show=show,
            mine=mine,
        )
    )
    targets = targets_by_client(clients=clients, month=month)
    statuses = {client.pk: target_summary(client, targets.get(client.pk, {})) for client in clients}
    if show == "attention":  # checks open, a target missed, or no figures for the month yet
        clients = [c for c in clients if c.computed_at is None or c.checks_open or statuses[c.pk]["missed"]]
    if by_targets:  # the most missed first (descending); a stable sort keeps the names' order among equals
        clients.sort(key=lambda c: (len(statuses[c.pk]["missed"]), statuses[c.pk]["total"] > 0), reverse=descending)
    # Sorted by an amount, clients of several currencies come in one group per currency, each
    # headed by it: an amount is ranked against amounts of its own currency only.
    labels = {column: str(kpi(column).label) for column in COLUMNS}
    grouped = sort in MONEY_COLUMNS and len({client.currency for client in clients}) > 1
    rows, previous = [], None
    for client in clients:
        values = {column: getattr(client, column) for column in COLUMNS}
        status = statuses[client.pk]
        rows.append(
            {
                "client": client,
                "checks": {"total": client.checks_total, "open": client.checks_open, "open_high": client.checks_open_high},
                "missed": [_("%(kpi)s: target missed") % {"kpi": kpi(key).label} for key in status["missed"]],
                "targets": status,
                "has_data": client.computed_at is not None,
                # A client without spend loaded up to the month's end: its costs are unknown, not 0 €
                # (kpis.nospend; has_spend null: a summary row from before it was kept, read as spend).
                # label: each figure names its KPI on the phone's card (kpis/portfolio.html)
                "cells": [{**_cell(client, column, values), "label": labels[column]} for column in COLUMNS],
                "currency_group": client.currency if grouped and client.currency != previous else "",
            }
        )
        previous = client.currency
    return {
        "rows": rows,
        "columns": [(column, label, _abbreviation(label)) for column, label in labels.items()],
        "month_path": f"/reports/{Month.of(month)}/",  # the client's month, opened through the hand-off
        "month_before": (Month.of(month) - 1).first_day,
    }
