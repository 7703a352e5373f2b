"""The client's scorecard at its host: tiles, drill-downs and CSV exports (HTMX partials)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, pgettext
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from agency.branding import brand_for_request
from agency.dates import month_parse
from agency.decorators import client_member_required
from agency.http import HtmxHttpRequest
from agency.months import Month
from agency.selectors import switchable_clients_column, switchable_clients_from
from clients.models import Spend
from clients.words import CURRENCY_SYMBOLS, LOCAL_SYMBOLS, member_label
from kpis import CODE_VERSION
from kpis.breakdowns_shown import (
    DIMENSION_LABELS,
    blank_columns_dropped,
    breakdown_cell,
    breakdown_rows,
    campaign_spend_note,
    left_out_note,
    no_device_reason,
    reading_order,
    row_partial_note,
)
from kpis.catalogue import BREAKDOWN_KEYS
from kpis.charts import Bar, BarChart, bars_svg
from kpis.formatting import figure, format_value, fractional_counts_aligned
from kpis.models import Snapshot
from kpis.recompute import month_recompute_waiting
from kpis.report import (
    REPORT_LAYOUT,
    client_today,
    commentary_joined,
    default_month,
    headline_keys,
    last_complete_month,
    month_opened_note,
    month_with_data,
    report_context,
)
from kpis.scorecard import card_as_shown, document_shown, funnel_steps, lifetime_value_panel, tiles, value_note
from kpis.selectors_report import report_summary_keys, snapshot_get, snapshot_months_list
from kpis.selectors_scorecard import (
    PageRead,
    benchmarks_for_month,
    month_has_spend,
    month_leads_loaded,
    month_traffic_loaded,
    report_converted,
    report_days,
    report_names,
    report_persona_names,
    scorecard_load,
    scorecard_page_read,
    snapshot_months_with_data,
)
from kpis.services import report_pdf_build
from kpis.visibility import Shown, commentary_for, header_for, page_apply_for, page_column_for, shown_for

DEFAULT_ACCENT = "#1f5fbf"

BODY_CACHE_SECONDS = 24 * 3600


def month_options(months: list[dt.date], client: object) -> tuple[tuple[str, str], ...]:
    """The month picker: closed months by name, the month in progress as "month to date (day N of M)"."""
    return _month_options(tuple(months), client_today(client), get_language() or "")


@lru_cache(maxsize=256)
def _month_options(months: tuple[dt.date, ...], today: dt.date, language: str) -> tuple[tuple[str, str], ...]:
    """month_options, written once per list of months, day and language (every page shows it).
    ``language`` is the active one, in the key because the labels are in it."""
    options = []
    for m in months:
        label = date_format(m, "YEAR_MONTH_FORMAT")
        if m.year == today.year and m.month == today.month:
            label = gettext("%(month)s, month to date (day %(day)s of %(days)s)") % {
                "month": label,
                "day": today.day,
                "days": Month.of(m).last_day.day,
            }
        options.append((str(Month.of(m)), label))
    return tuple(options)


@lru_cache(maxsize=1024)
def _month_options_html(options: tuple[tuple[str, str], ...], selected: str) -> str:
    """The picker's <option>s with ``selected`` marked: written once per list and choice rather
    than by a template loop on every request (the labels are escaped by format_html)."""
    rows = ((value, " selected" if value == selected else "", label) for value, label in options)
    return format_html_join("", '<option value="{}"{}>{}</option>', rows)


def _month(request: HttpRequest, months: list[dt.date] | None = None, text: str | None = None) -> dt.date | None:
    """The month asked for (``text``, else the query's ``month``), else the last complete month
    with a snapshot (kpis.report)."""
    month = month_parse(request.GET.get("month", "") if text is None else text)  # in the portal's dates
    if month is not None:
        return month
    if months is None:
        months = _months_available(request)
    return _month_opened(request, months)[0]


def _month_opened(request: HttpRequest, months: list[dt.date]) -> tuple[dt.date | None, str]:
    """The month a page opens on without one asked: the last complete month with a snapshot, or, when
    that month has no data at all and an earlier one has, the latest approved month (a client user)
    or the latest with data; and the sentence saying so ("" when none is needed). One query more
    only for a page opened without a month."""
    client = request.tenant
    month = default_month(months, client)
    if month is None:
        return None, ""
    shown = shown_for(request.user)
    opened, why = month_with_data(
        month, months, with_data=snapshot_months_with_data(), approved=None if shown is None else shown.approved
    )
    return opened, month_opened_note(month, opened, why)


def _months_available(request: HttpRequest | None = None) -> list[dt.date]:
    """The months with a snapshot that this viewer may see (kpis.visibility: a client user sees a
    month of the monthly close only once approved)."""
    return _months_shown(request, snapshot_months_list())


def _months_shown(request: HttpRequest | None, months: list[dt.date]) -> list[dt.date]:
    shown = shown_for(request.user) if request is not None else None
    return months if shown is None else [month for month in months if month not in shown.hidden]


def _visible(request: HttpRequest, snapshot: Snapshot | None) -> Snapshot | None:
    """The snapshot as this viewer may see it: None for a month hidden from them, the approved
    document for an approved month (client users); as computed for agency staff."""
    shown = shown_for(request.user)
    if shown is None or snapshot is None:
        return snapshot
    if snapshot.month in shown.hidden:
        return None
    approved = shown.documents([snapshot.month]).get(snapshot.month)
    return document_shown(snapshot, approved) if approved is not None else snapshot


def _card_shown(request: HttpRequest, card: Any) -> Any:
    shown = shown_for(request.user)
    if shown is None:
        return card
    return card_as_shown(card, hidden=shown.hidden, documents=shown.documents(list(card.history)))


def _document(card: Any) -> dict[str, Any] | None:
    return card.snapshot.document if card.snapshot else None


def _commentary_text(request: HttpRequest, month: dt.date) -> str:
    """The monthly close's commentary for the report's slot (staff: the draft; clients: as approved)."""
    return commentary_joined(commentary_for(request.user, month))


def brand_accent(request: HttpRequest) -> str:
    """The colour the charts are drawn in: the client's or the agency's brand, else the default."""
    return brand_for_request(request, request.tenant).get("accent") or DEFAULT_ACCENT


def _page_read(request: HttpRequest, *, month: dt.date, compare: str) -> tuple[PageRead, str]:
    """The cached page's one query (kpis.selectors_scorecard.scorecard_page_read) with the monthly close's
    column (kpis.visibility) and, for agency staff, the header's client switcher; and the close's
    stamp. A client user's Shown and the switcher come from the same row (no query of their own)."""
    extra = {}
    if request.user.is_agency:  # the no-spend warning, for staff (a client's page reads its approved version only)
        extra["spend"] = (f"EXISTS (SELECT 1 FROM {Spend._meta.db_table})", [])
    column = page_column_for(request.user, month)
    if column is not None:
        extra["close"] = column
    if request.user.is_agency:
        extra["switcher"] = switchable_clients_column(user=request.user)
    read = scorecard_page_read(month=month, compare=compare, client=request.tenant, extra=extra)
    if "switcher" in read.extra:
        request.switchable_clients = switchable_clients_from(read.extra["switcher"])  # agency.context_processors
    return read, page_apply_for(request.user, read.extra["close"]) if column is not None else ""


def _scorecard_parts(request: HttpRequest, *, month: dt.date, compare: str, stamp: str, context: dict) -> None:
    """The month's freshness line and notes ("head"), its tiles, funnel and value panel ("body") and
    the monthly close's header are rendered once per change of what they show (``stamp``: the
    page's one read, kpis.selectors_scorecard.scorecard_page_read) and kept in the (per-client) cache; the
    parts that are per user (CSRF tokens, staff tools) stay outside. A cached view reads nothing else."""
    client = request.tenant
    accent = brand_accent(request)
    # The month in progress changes with the day (its pace); a closed month does not.
    today = client_today(client) if month >= last_complete_month(client) else ""
    headline = ",".join(headline_keys(client))
    viewer = "agency" if request.user.is_agency else "client"  # the close's header differs, and what is shown
    key_parts = (
        f"{CODE_VERSION}|{REPORT_LAYOUT}|{month}|{compare}|{get_language()}|{client.currency}|{stamp}|{today}|{accent}|{headline}|{viewer}"
    )
    key = "kpis:scorecard-parts:" + hashlib.sha256(key_parts.encode()).hexdigest()
    parts = cache.get(key)
    if parts is None:
        card = _card_shown(request, scorecard_load(month=month, compare=compare, client=client))
        parts_context = _parts_context(card, client=client, month=month, accent=accent, viewer=viewer, context=context)
        parts_context["commentary"] = _commentary_text(request, month)
        parts = {
            "head": render_to_string("kpis/scorecard.html#tiles-head", parts_context),
            "body": render_to_string("kpis/scorecard.html#tiles-body", parts_context) if card.snapshot else "",
            "header": header_for(request.user, month),  # escaped by its renderer
            # The no-criteria warning says why the MQL figures read what they do: 0 with leads, "—" for
            # a client with no lead source yet (kpis.nodata.leads_loaded); kept with the parts, so a
            # cached page reads nothing more for it.
            "leads_loaded": card.snapshot is None or month_leads_loaded(snapshot=card.snapshot, month=month),
        }
        cache.set(key, parts, BODY_CACHE_SECONDS)
    context.update(head=mark_safe(parts["head"]), body=mark_safe(parts["body"]))  # noqa: S308 -- our own template's output
    context["month_header"] = mark_safe(parts["header"])  # noqa: S308 -- escaped by its renderer
    context["leads_loaded"] = parts.get("leads_loaded", True)


def _parts_context(card: Any, *, client: Any, month: dt.date, accent: str, viewer: str, context: dict) -> dict[str, Any]:
    """What the scorecard's head and body draw: the report (summary, charts, what changed, paid
    media), the tiles, the funnel and the value panel of ``card`` as its ``viewer`` sees it."""
    bench = benchmarks_for_month(currency=client.currency, month=card.month)
    staff = viewer == "agency"
    card = replace(card, staff=staff)  # its reasons worded for the reader (the value panel's too)
    ltv = lifetime_value_panel(card, currency=client.currency)
    return {
        **context,
        "card": card,
        **report_context(
            card, client=client, accent=accent, keys=report_summary_keys(client=client, document=_document(card)),
            days=report_days(snapshot=card.snapshot, month=month), names=report_names(snapshot=card.snapshot), bench=bench,
            converted=report_converted(snapshot=card.snapshot, month=month),
            staff=staff,
        ),
        "viewer": viewer,  # the criteria's version number is staff's information
        "funnel": funnel_steps(card),
        "groups": tiles(card, currency=client.currency, industry=client.industry, staff=staff, **bench),
        "ltv": ltv,
        # No contract known at the month's end: no contract segment breakdown offered (it opened empty),
        # as the value panel is left out (kpis/scorecard.html).
        "dimensions": {key: label for key, label in context["dimensions"].items() if key != "segment" or ltv["rows"]},
    }


def report_shared_parts(
    request: HttpRequest, *, month: dt.date, shown: Shown, pdf_url: str, breakdowns_url: str
) -> dict[str, str]:
    """The scorecard's head and body of ``month`` for a reader without an account (the monthly
    close's share link): drawn as a client user's page, from the months as ``shown`` has them (the
    approved versions, never the figures as computed now), without what needs a sign-in (the CSVs,
    staff's tools), its PDF at ``pdf_url`` and its drill-downs under ``breakdowns_url``. Not cached:
    the link's token is in the page, and a share link is opened a few times, not on every visit."""
    client = request.tenant
    card = scorecard_load(month=month, compare="month", client=client)
    card = card_as_shown(card, hidden=shown.hidden, documents=shown.documents(list(card.history)))
    context = {"month": month, "dimensions": DIMENSION_LABELS, "shared": {"pdf": pdf_url, "breakdowns": breakdowns_url}}
    parts_context = _parts_context(card, client=client, month=month, accent=brand_accent(request), viewer="client",
                                   context=context)
    body = render_to_string("kpis/scorecard.html#tiles-body", parts_context) if card.snapshot else ""
    return {
        "head": render_to_string("kpis/scorecard.html#tiles-head", parts_context),
        "body": mark_safe(shared_figure_links(body, month=month)),  # noqa: S308 -- our own template's output
    }


# A figure's link in "What changed" (kpis.draft_writer.Line): to a tile of the report, or to a drill-down.
FIGURE_LINK = re.compile(r'<a class="figure" href="(?P<href>[^"]*)"(?P<rest>[^>]*)>(?P<text>.*?)</a>', re.S)


def shared_figure_links(html: str, *, month: dt.date) -> str:
    """A share link's page without links that need a sign-in: "What changed" links each figure to
    the signed-in scorecard (a tile, a drill-down of this month or the one before), which sent a
    reader without an account to the login page. A tile of the shared month becomes a link within
    the page; any other keeps its text (the Breakdowns buttons under the link open the month's),
    a line's arrow to it goes."""
    tile = f"/scorecard/?month={Month.of(month)}#"

    def local(found: re.Match) -> str:
        href = found["href"]
        if href.startswith(tile):
            return f'<a class="figure" href="#{href[len(tile):]}"{found["rest"]}>{found["text"]}</a>'
        if found["text"] == "↗":  # a line's "see where" arrow, nowhere to point to
            return ""
        return f'<span class="figure"{found["rest"]}>{found["text"]}</span>'

    return FIGURE_LINK.sub(local, html)


def _partial(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@client_member_required
@vary_on_headers("HX-Request")
@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    return scorecard_page(request, month_text=request.GET.get("month", ""), compare=request.GET.get("compare", ""))


def _compare_options(month: dt.date | None) -> list[dict[str, str]]:
    """The "Compare with" choices as a label's value reads ("Compare with: Previous month (February
    2026)"), each naming its month as the page names the month a change is against
    (kpis.formatting.compared_month: the tiles' "against February 2026", the PDF's line)."""
    if month is None:
        return [{"value": "month", "label": gettext("Previous month")},
                {"value": "year", "label": gettext("Same month last year")}]
    previous, last_year = (date_format((Month.of(month) - n).first_day, "YEAR_MONTH_FORMAT") for n in (1, 12))
    return [
        {"value": "month", "label": gettext("Previous month (%(month)s)") % {"month": previous}},
        {"value": "year", "label": gettext("Same month last year (%(month)s)") % {"month": last_year}},
    ]


def scorecard_page(
    request: HttpRequest, *, month_text: str, compare: str = "", bound_forms: dict | None = None, status: int = 200
) -> HttpResponse:
    """The scorecard (or its tiles partial) of the month ``month_text``: the scorecard view's page,
    and the staff actions' answer to a failed submit (``bound_forms`` with their errors, shown in
    the open staff tools by kpis.templatetags.scorecard_staff, and status 422)."""
    client = request.tenant
    asked = month_parse(month_text)  # in the portal's dates
    compare = "year" if compare == "year" else "month"
    # One read for the months, the close and the stamp: of the month asked, else of the month the
    # page usually opens on (a second read only when the default is another month).
    read, close_stamp = _page_read(request, month=asked or last_complete_month(client), compare=compare)
    months = _months_shown(request, read.months)
    month, opened_note = (asked, "") if asked else _month_opened(request, months)
    if month is not None and month != (asked or last_complete_month(client)):
        read, close_stamp = _page_read(request, month=month, compare=compare)
    if (month is not None and _partial(request) and request.GET.get("updating")
            and month_recompute_waiting(client=client, month=month)):
        # The notice's poll while the figures are still on their way: nothing to swap. Swapping the
        # same tiles every 5 s closed the staff tools and erased a target being typed (the walk's
        # staff member set targets right after saving the criteria, which recomputes every month).
        response = HttpResponse(status=204)
        patch_vary_headers(response, ["HX-Request"])
        return response
    options = month_options(months, client)
    context = {
        "months": months,
        "month_options": options,
        "month_options_html": _month_options_html(options, str(Month.of(month)) if month else ""),
        "month_value": str(Month.of(month)) if month else "",
        "month": month,
        "compare": compare,
        "compare_options": _compare_options(month),
        # A month changed through HTMX swaps only the tiles: the "Compare with" choices, which name
        # the month's own comparison months, follow them out of band (kpis/scorecard.html).
        "compare_out_of_band": _partial(request),
        "dimensions": DIMENSION_LABELS,
        "scorecard_forms": bound_forms or {},
        "criteria_exist": read.criteria,  # the no-criteria warning (clients.templatetags.onboarding)
        # the no-spend warning (clients.templatetags.onboarding): staff only, who can connect or import it
        "spend_exists": bool(read.extra.get("spend", True)),
        "opened_note": opened_note,
    }
    if month is not None:
        _scorecard_parts(request, month=month, compare=compare, stamp=f"{read.stamp}|{close_stamp}", context=context)
        # Data arrived and its debounced recompute has not run yet: say so rather than show the old
        # figures as current (the notice polls, and the fresh tiles replace it once computed).
        # A client user reading an approved month reads its approved version: new data changes nothing
        # they see until staff approve it, so nothing is "updating" for them.
        shown = shown_for(request.user)
        frozen = shown is not None and month in shown.approved
        context["updating"] = not frozen and month_recompute_waiting(client=client, month=month)
        context["updating_seconds"] = settings.PORTAL_RECOMPUTE_DEBOUNCE_SECONDS
    template = "kpis/scorecard.html" + ("#tiles" if _partial(request) else "")
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@client_member_required
@vary_on_headers("HX-Request")
@require_GET
def breakdown(request: HttpRequest, dimension: str) -> HttpResponse:
    if dimension not in BREAKDOWN_KEYS:
        raise Http404
    month = _month(request)
    context = breakdown_context(request, dimension=dimension, month=month, snapshot=_visible(request, snapshot_get(month=month)))
    # Opened on its own (a link shared, JavaScript off): the same table inside the portal's page.
    return render(request, "kpis/breakdown.html" if _partial(request) else "kpis/breakdown_page.html", context)


def breakdown_context(request: HttpRequest, *, dimension: str, month: dt.date | None, snapshot: Snapshot | None,
                      shared_url: str = "") -> dict[str, Any]:
    """What a drill-down draws of ``snapshot`` (as its reader may see it: kpis.views._visible, or
    the approved version for a share link), sorted as the query asks. ``shared_url``: the drill-down's
    address under a share link (its sort buttons go there, and it offers no CSV, which needs a sign-in)."""
    sort, descending = request.GET.get("sort", "member"), request.GET.get("dir") == "desc"
    has_spend = snapshot is None or month_has_spend(snapshot=snapshot, month=month)
    traffic = snapshot is None or month_traffic_loaded(snapshot=snapshot, month=month)
    leads = snapshot is None or month_leads_loaded(snapshot=snapshot, month=month)
    keys, rows = breakdown_rows(
        snapshot, dimension, sort=sort, descending=descending, has_spend=has_spend, traffic_loaded=traffic,
        leads_loaded=leads,
    )
    currency = request.tenant.currency
    names = _member_names(dimension, snapshot)
    staff = bool(getattr(request.user, "is_agency", False))  # a share link's reader has no account
    shown = [
        {
            "member": member_label(dimension, r["member"], names),
            "cells": [breakdown_cell(k, r, currency, dimension=dimension, staff=staff) for k in keys],
            "note": row_partial_note(r, dimension),  # its revenue and ROI count only some of its customers
        }
        for r in rows
    ]
    fractional_counts_aligned(keys, rows, shown)  # "272" beside "50", or "272.0" beside "7.5"
    if sort not in keys:  # by member: in the reader's words, not by code (kpis.breakdowns_shown.reading_order)
        shown.sort(key=lambda row: reading_order(row["member"])[1], reverse=descending)
        shown.sort(key=lambda row: reading_order(row["member"])[0])  # "Not attributed" last either way
    columns, shown, blank_note = blank_columns_dropped([(k, _column_label(k)) for k in keys], shown, dimension=dimension)
    bar_key = sort if sort in keys else keys[0]
    bars = BarChart(
        title=gettext("%(figure)s by %(dimension)s")
        % {"figure": _column_label(bar_key), "dimension": str(DIMENSION_LABELS[dimension]).lower()},
        bars=[
            Bar(
                label=member_label(dimension, r["member"], names),
                value=r[bar_key] or 0,
                text=format_value(bar_key, r[bar_key], currency),
            )
            for r in sorted(rows, key=lambda r: -(r[bar_key] or 0))[:12]
            if r[bar_key]
        ],
        accent=brand_accent(request),
    )
    return {
        "dimension": dimension,
        "title": DIMENSION_LABELS[dimension],
        "keys": keys,
        "columns": columns,
        "labels": [label for _key, label in columns],  # each cell's on a phone, where the header row is hidden
        "blank_note": blank_note,  # the columns left out as "—" in every row, and why
        # the month's new leads without a device or persona; the spend tied to no campaign
        "left_out_note": left_out_note(snapshot, dimension) or campaign_spend_note(snapshot, dimension, currency),
        "rows": shown,
        "sort": sort,
        "descending": descending,
        "month": month,
        "chart_svg": bars_svg(bars) if bars.bars and any(b.value for b in bars.bars) else "",
        "chart_title": bars.title,  # said over the bars: they count the sorted column, "Sessions by channel"
        "drill_url": shared_url or reverse("breakdown", args=[dimension]),
        "shared": bool(shared_url),
    }


def _device_note(row: dict[str, Any], snapshot: Snapshot, dimension: str) -> str:
    """The CSV's note on a device or persona row's lead figures: no lead of the month records a device, or
    how many of the month's new leads the table leaves out."""
    if row.get("no_device"):
        return no_device_reason(row["leads_without_device"])
    return left_out_note(snapshot, dimension)


def _column_label(key: str) -> str:
    return str(figure(key).label)


def _member_names(dimension: str, snapshot: Any) -> dict[str, str]:
    """Campaigns and personas by name (as frozen in an approved version, else read): one query at
    most, only for those two breakdowns; other members are words of clients.words."""
    if dimension == "persona":
        return report_persona_names(snapshot=snapshot)
    if dimension != "campaign":
        return {}
    return report_names(snapshot=snapshot)


# A currency as an amount is written (clients.words.money): its symbol before or after, or its ISO code after.
_SYMBOL = "(?:" + "|".join(re.escape(symbol) for symbol in sorted(
    {*CURRENCY_SYMBOLS.values(), *(symbol for local in LOCAL_SYMBOLS.values() for symbol in local.values())},
    key=len, reverse=True)) + ")"
# A figure we wrote, signed: "+4.4 %", "-2.1 pp", and a negative amount ("-€51,833.33", "-51 833,33 €"),
# which read "'-51 833,33 €" in the CSV. Digits, separators and a known symbol: no formula can hide in it.
SIGNED_FIGURE = re.compile(
    rf"[+-]?{_SYMBOL}?[0-9][0-9.,\s\xa0\u202f]*(?:\s?(?:%|pp|h|{_SYMBOL}|[A-Z]{{3}}))?"
)


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading quote; a
    signed figure we wrote ("+4.4 %", "-2.1 pp", "-€51,833.33") is left as it is: no formula can hide in it."""
    if isinstance(value, str) and SIGNED_FIGURE.fullmatch(value):
        return value
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
@require_GET
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    """The month's figures as a person reads them on the page: rounded as shown, with their unit,
    the change and the target, in the user's language (the KPI key last, for machines). A note on a
    value ("Partial: …") and the reason there is no value have a column each: a reader tells "no value,
    because…" from "a value, but…" without reading both."""
    month = _month(request)
    if month is None or _visible(request, snapshot_get(month=month)) is None:
        raise Http404
    client = request.tenant
    card = _card_shown(request, scorecard_load(month=month, compare="month", client=client))
    rows = []
    for group in tiles(card, currency=client.currency, benchmarks={}):
        for t in group["tiles"]:
            status = (
                ""
                if not t["target"]
                else (gettext("met") if t["met"] else gettext("missed") if t["met"] is False else gettext("no value yet"))
            )
            rows.append(
                [
                    str(group["title"]),
                    str(t["label"]),
                    t["shown"] if t["value"] is not None else "",
                    t["change"]["text"] if t["change"] else t.get("pace", ""),
                    t["target"] or "",
                    status,
                    # beside a value: partial, nurture not set up, above 100 %; in a group the page hides as
                    # empty, what the page says instead (Acme's "€0.00" ad spend beside its media spend)
                    value_note(t) or (str(group["empty_reason"]) if group["empty"] and t["value"] is not None else ""),
                    "" if t["value"] is not None else t["reason"],
                    t["key"],
                ]
            )
    header = [
        gettext("Group"),
        gettext("KPI"),
        gettext("Value"),
        pgettext("column", "Change"),  # the change of a figure, not the verb
        gettext("Target"),
        gettext("Status"),
        gettext("Note on the value"),
        gettext("Why there is no value"),  # second to last, as before the note had its column
        "key",
    ]
    return _csv(f"{client.slug}-scorecard-{Month.of(month)}.csv", header, rows)


def _blank_reasons(keys: list[str], row: dict[str, Any], currency: str, dimension: str) -> str:
    """Why a CSV row's empty cells are empty, as the page's "—" says it: "Paid leads, Cost per lead: the
    CRM's leads name no ad campaign…", each reason once with the columns it explains."""
    columns: dict[str, list[str]] = {}
    for key in keys:
        if row[key] is None:
            columns.setdefault(breakdown_cell(key, row, currency, dimension=dimension)["reason"], []).append(
                _column_label(key))
    return " ".join(f"{', '.join(labels)}: {reason}" for reason, labels in columns.items())


@client_member_required
@require_GET
def breakdown_csv(request: HttpRequest, dimension: str) -> HttpResponse:
    """A drill-down as on the page: members in words (campaigns by name), values as shown."""
    if dimension not in BREAKDOWN_KEYS:
        raise Http404
    month = _month(request)
    snapshot = _visible(request, snapshot_get(month=month))
    if snapshot is None:
        raise Http404
    has_spend = month_has_spend(snapshot=snapshot, month=month)
    traffic = month_traffic_loaded(snapshot=snapshot, month=month)
    leads = month_leads_loaded(snapshot=snapshot, month=month)
    keys, rows = breakdown_rows(
        snapshot, dimension, sort="member", descending=False, has_spend=has_spend, traffic_loaded=traffic,
        leads_loaded=leads,
    )
    names, currency = _member_names(dimension, snapshot), request.tenant.currency
    cells = [
        [
            member_label(dimension, row["member"], names),
            *["" if row[k] is None else format_value(k, row[k], currency) for k in keys],
            # A note on the row's values, as the scorecard CSV's column; a device's 0 new leads when no lead
            # records a device keeps kpis.md's value here, and says why it is no fact (kpis.nodevice).
            " ".join(n for n in (row_partial_note(row, dimension), _device_note(row, snapshot, dimension)) if n),
            _blank_reasons(keys, row, currency, dimension),
        ]
        for row in rows
    ]
    cells.sort(key=lambda cell: reading_order(cell[0]))  # as the page lists them: in words, not by code
    header = [
        str(DIMENSION_LABELS[dimension]), *[_column_label(k) for k in keys],
        gettext("Note on the value"), gettext("Why there is no value"),  # as the scorecard CSV: the reason last
    ]
    return _csv(f"{request.tenant.slug}-{dimension}-{Month.of(month)}.csv", header, cells)


@client_member_required
@require_GET
def scorecard_pdf_view(request: HttpRequest) -> HttpResponse:
    """The month's report PDF: the file kept for this snapshot state, or drawn now and kept."""
    month = _month(request)
    pdf = (
        report_pdf_build(
            client=request.tenant,
            month=month,
            language=get_language() or "en",
            shown=shown_for(request.user),
            commentary=_commentary_text(request, month),
        )
        if month
        else None
    )
    return report_pdf_response(pdf, slug=request.tenant.slug, month=month)


def report_pdf_response(pdf: bytes | None, *, slug: str, month: dt.date, inline: bool = False) -> HttpResponse:
    """A report's PDF as a download (every PDF link: the scorecard's, an approved month's, a shared
    link's), named in the active language ("acme-informe-2026-03.pdf"): it is what the reader keeps.
    ``inline``: opened in the browser under the same name (the email preview's attachment). None (no
    figures for that month) is a 404."""
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    word = pgettext("file name", "report")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{slug}-{word}-{Month.of(month)}.pdf"'
    return response
