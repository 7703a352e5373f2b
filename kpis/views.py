"""The client's scorecard at its host: tiles, drill-downs and CSV exports (HTMX partials)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.vary import vary_on_headers

from agency.dates import month_parse
from agency.decorators import client_member_required
from agency.months import Month
from kpis import CODE_VERSION
from kpis.catalogue import BREAKDOWN_KEYS, GROUPS, kpis_in
from kpis.exports import scorecard_pdf
from kpis.models import Snapshot
from kpis.scorecard import (
    breakdown_rows,
    figure,
    format_value,
    funnel_steps,
    lifetime_value_panel,
    tiles,
)
from kpis.selectors import scorecard_load, scorecard_stamp
from portfolio.selectors import benchmarks_by_kpi

BODY_CACHE_SECONDS = 24 * 3600
DIMENSION_LABELS = {
    "channel": "Channel",
    "device": "Device",
    "persona": "Persona",
    "campaign": "Campaign",
    "landing_page": "Landing page",
    "social_network": "Social network",
    "segment": "Contract segment",
}


def _month(request: HttpRequest, months: list[dt.date], text: str | None = None) -> dt.date | None:
    """The month asked for (``text``, else the query's ``month``), else the latest month with a
    snapshot that has begun. A month outside the portal's dates (agency.dates) is not asked for."""
    month = month_parse(request.GET.get("month", "") if text is None else text)
    if month is not None:
        return month
    this_month = Month.of(timezone.now(), ZoneInfo(request.tenant.timezone)).first_day
    return next((month for month in months if month <= this_month), months[0] if months else None)


def _scorecard_parts(request: HttpRequest, *, month: dt.date, compare: str, context: dict) -> None:
    """The month's freshness line and notes ("head") and its tiles, funnel and value panel ("body")
    are rendered once per change of what they show and kept in the (per-client) cache; the parts
    that are per user (CSRF tokens, staff tools) stay outside. A cached view reads nothing else."""
    client = request.tenant
    stamp = scorecard_stamp(month=month, compare=compare, client=client)
    key_parts = f"{CODE_VERSION}|{month}|{compare}|{get_language()}|{client.currency}|{stamp}"
    key = "kpis:scorecard-parts:" + hashlib.sha256(key_parts.encode()).hexdigest()
    parts = cache.get(key)
    if parts is None:
        card = scorecard_load(month=month, compare=compare, client=client)
        parts_context = {
            **context,
            "card": card,
            "funnel": funnel_steps(card),
            "groups": tiles(card, currency=client.currency, benchmarks=benchmarks_by_kpi()),
            "ltv": lifetime_value_panel(card, currency=client.currency),
        }
        parts = {
            "head": render_to_string("kpis/scorecard.html#tiles-head", parts_context),
            "body": render_to_string("kpis/scorecard.html#tiles-body", parts_context) if card.snapshot else "",
        }
        cache.set(key, parts, BODY_CACHE_SECONDS)
    context.update(head=mark_safe(parts["head"]), body=mark_safe(parts["body"]))  # noqa: S308 -- our own template's output


def _partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@client_member_required
@vary_on_headers("HX-Request")
def scorecard(request: HttpRequest) -> HttpResponse:
    return scorecard_page(request, month_text=request.GET.get("month", ""), compare=request.GET.get("compare", ""))


def scorecard_page(
    request: HttpRequest, *, month_text: str, compare: str = "", bound_forms: dict | None = None, status: int = 200
) -> HttpResponse:
    """The scorecard (or its tiles partial) of the month ``month_text``: the scorecard view's page,
    and the staff actions' answer to a failed submit (``bound_forms`` with their errors, shown in
    the open staff tools by kpis.templatetags.scorecard_staff, and status 422)."""
    months = list(Snapshot.objects.order_by("-month").values_list("month", flat=True))
    month = _month(request, months, month_text)
    compare = "year" if compare == "year" else "month"
    context = {
        "months": months,
        "month": month,
        "compare": compare,
        "dimensions": DIMENSION_LABELS,
        "scorecard_forms": bound_forms or {},
    }
    if month is not None:
        _scorecard_parts(request, month=month, compare=compare, context=context)
    template = "kpis/scorecard.html" + ("#tiles" if _partial(request) else "")
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@client_member_required
@vary_on_headers("HX-Request")
def breakdown(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in BREAKDOWN_KEYS:
        raise Http404
    month = _month(request, list(Snapshot.objects.order_by("-month").values_list("month", flat=True)[:1]))
    sort, descending = request.GET.get("sort", "member"), request.GET.get("dir") == "desc"
    snapshot = Snapshot.objects.filter(month=month).first() if month else None
    keys, rows = breakdown_rows(snapshot, dimension, sort=sort, descending=descending)
    currency = request.tenant.currency
    shown = [{"member": r["member"], "cells": [format_value(k, r[k], currency) for k in keys]} for r in rows]
    context = {
        "dimension": dimension,
        "title": DIMENSION_LABELS[dimension],
        "keys": keys,
        "columns": [(k, figure(k).label) for k in keys],
        "rows": shown,
        "sort": sort,
        "descending": descending,
        "month": month,
    }
    return render(request, "kpis/breakdown.html", context)


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def _csv(filename: str, header: list[str], rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return response


@client_member_required
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    month = _month(request, list(Snapshot.objects.order_by("-month").values_list("month", flat=True)[:1]))
    snapshot = Snapshot.objects.filter(month=month).first() if month else None
    if snapshot is None:
        raise Http404
    kpis = snapshot.document["kpis"]
    rows = [
        [str(group.title), k.key, str(k.label), "" if kpis.get(k.key) is None else kpis[k.key]]
        for group in GROUPS
        for k in kpis_in(group.key)
    ]
    return _csv(f"{request.tenant.slug}-scorecard-{month:%Y-%m}.csv", ["group", "kpi", "label", "value"], rows)


@client_member_required
def breakdown_csv(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in BREAKDOWN_KEYS:
        raise Http404
    month = _month(request, list(Snapshot.objects.order_by("-month").values_list("month", flat=True)[:1]))
    snapshot = Snapshot.objects.filter(month=month).first() if month else None
    if snapshot is None:
        raise Http404
    keys, rows = breakdown_rows(snapshot, dimension, sort="member", descending=False)
    cells = [[row["member"], *["" if row[k] is None else row[k] for k in keys]] for row in rows]
    return _csv(f"{request.tenant.slug}-{dimension}-{month:%Y-%m}.csv", [dimension, *keys], cells)


@client_member_required
def scorecard_pdf_view(request: HttpRequest) -> HttpResponse:
    month = _month(request, list(Snapshot.objects.order_by("-month").values_list("month", flat=True)[:1]))
    card = scorecard_load(month=month, compare="month", client=request.tenant) if month else None
    if card is None or card.snapshot is None:
        raise Http404
    groups = tiles(card, currency=request.tenant.currency, benchmarks={})
    computed = date_format(card.snapshot.computed_at, "DATETIME_FORMAT")
    pdf = scorecard_pdf(client_name=request.tenant.name, month_label=date_format(month, "F Y"), computed=computed, groups=groups)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{request.tenant.slug}-scorecard-{month:%Y-%m}.pdf"'
    return response
