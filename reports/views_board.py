"""The close board at the console: every client × month of the close, filters, and the approval of
several clean months at once after a confirmation listing them. Thin: reads through reports.board,
writes through reports.services_bulk (in the background, each month through the single approval)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.dates import month_parse
from agency.decorators import agency_required
from agency.http import HtmxHttpRequest
from agency.months import Month
from agency.selectors import clients_for_user, switchable_clients
from reports.board import (
    BOARD_LAYOUT,
    board_clients_checks_open,
    board_confirmation,
    board_counts,
    board_filters,
    board_months,
    board_next_tail,
    board_page,
    board_picks,
    board_query,
    board_stamp,
    bulk_progress,
)
from reports.selectors import can_approve, checks_open_across
from reports.services import checks_resolve_together, month_reviews_catch_up
from reports.services_bulk import QUEUE_FAILED, bulk_approval_start
from reports.tasks import bulk_approve_task


def _filters(request: HttpRequest) -> dict:
    months = board_months(now=timezone.now())
    month = month_parse(request.GET.get("month", ""))
    page = request.GET.get("page", "1")
    chosen = board_filters(request.GET)
    return {
        "months": months,
        "month": month if month in months else months[0],
        "show": chosen["show"],
        "mine": chosen["mine"],
        "q": chosen["query"],
        "page": int(page) if page.isdigit() else 1,
    }


def _state_words() -> dict[str, str]:
    return {
        "revision": _("Revision waiting"),
        "approved": _("Approved"),
        "in_review": _("In review"),
        "open": _("Open"),
        "no_data": _("Waiting for data"),
        "none": _("Not in the close"),
        "before": _("Before this client's first report"),
    }


def _state_after_colon() -> dict[str, str]:
    """The states as a square's title says them after its month ("November 2026: in review",
    "noviembre de 2026: en revisión"): both languages go on in lower case after a colon, as the
    phone's cards do after their labels; the badges, standing alone, keep their capital."""
    # The context written in each call: makemessages (and the catalogue test) read literals only.
    return {
        "revision": pgettext("close state, after a colon", "revision waiting"),
        "approved": pgettext("close state, after a colon", "approved"),
        "in_review": pgettext("close state, after a colon", "in review"),
        "open": pgettext("close state, after a colon", "open"),
        "no_data": pgettext("close state, after a colon", "waiting for data"),
        "none": pgettext("close state, after a colon", "not in the close"),
        "before": pgettext("close state, after a colon", "before this client's first report"),
    }


def _strips(rows: list, months: list, selected: dt.date | None = None, tail: str = "") -> None:
    """Each row's 13 month squares, written here in one pass over pre-escaped parts (a template
    include, then format_html, per square made a page of 100 clients take most of a second): a
    link per month to its page at the client's host through the hand-off, its month and state in
    words for screen readers and on hover. The board's month is marked: static/js/board.js makes
    it the row's one tab stop in the strip (the arrow keys move between the squares). A month out of
    the close before the client's first report says so, not "Not in the close". ``tail``
    carries the board's filters to the month's page (reports.board.board_next_tail)."""
    words = {key: escape(word) for key, word in _state_after_colon().items()}
    badges = {key: escape(word) for key, word in _state_words().items()}
    labels = {m: (escape(date_format(m, "YEAR_MONTH_FORMAT")), escape(date_format(m, "M")[:1]), str(Month.of(m))) for m in months}
    prefix = reverse("client_switch", args=["-"])[:-2]
    for row in rows:
        base = escape(f"{prefix}{row.client.slug}/?next=/reports/")
        parts = []
        for cell in row.history:
            label, letter, value = labels[cell.month]
            word = words["before" if cell.status == "none" and row.before_first(cell.month) else cell.status]
            mark = " data-board-month" if cell.month == selected else ""
            parts.append(
                f'<li><a class="sq sq-{cell.status}" href="{base}{value}/{tail}" title="{label}: {word}"{mark}>'
                f'<span class="visually-hidden">{label}: {word}</span><span aria-hidden="true">{letter}</span></a></li>'
            )
        row.strip = mark_safe("".join(parts))  # noqa: S308 -- every part escaped above
        row.state_word = badges["before" if row.cell.status == "none" and row.before_first(row.cell.month) else row.cell.status]


def _approve_words(clean: int) -> str:
    """The bulk button's words for each number of months ticked on the page, as JSON for its
    data-words (static/js/board.js swaps them in as boxes are ticked; an attribute, not a script:
    htmx drops the scripts of a swapped table): the plural forms are the language's catalogue's."""
    return json.dumps({
        n: ngettext("Approve the ticked month…", "Approve the %(n)s ticked months…", n) % {"n": n}
        for n in range(1, clean + 1)
    }, ensure_ascii=False)


@agency_required
@require_GET
def board(request: HtmxHttpRequest) -> HttpResponse:
    f = _filters(request)
    base = {"month": str(Month.of(f["month"])), "q": f["q"], **({"mine": "1"} if f["mine"] else {})}
    query_string = urlencode({**base, "show": f["show"]})
    may_approve = can_approve(user=request.user)
    # The month that ended enters the close now, as beat would within the hour (before the stamp:
    # the rows it writes change what the board shows).
    month_reviews_catch_up(clients=clients_for_user(user=request.user), at=timezone.now())
    # The table as rendered, cached under a stamp of everything it shows (reports.board.board_stamp),
    # the day (days waiting) and the markup's version (BOARD_LAYOUT: a deploy's new markup is drawn
    # at once, not after the hour): a board nobody changed costs one light query.
    stamp = board_stamp(user=request.user)
    digest = hashlib.sha256(
        f"{BOARD_LAYOUT}|{request.user.pk}|{may_approve}|{query_string}|{f['page']}|{get_language()}|{timezone.now().date()}|{stamp}".encode()
    ).hexdigest()
    key = f"reports:board-page:{digest}"
    # With the header's client switcher, which the stamp covers too (clients, assignments).
    cached = cache.get(key)
    if cached is None:
        page, rows = board_page(
            user=request.user, month=f["month"], months=f["months"], show=f["show"], mine=f["mine"], query=f["q"], page=f["page"]
        )
        next_tail = board_next_tail(board_query(show=f["show"], mine=f["mine"], query=f["q"]))
        _strips(rows, f["months"], f["month"], escape(next_tail))
        table = render_to_string(
            "reports/board.html#board-table",
            {
                **f,
                "rows": rows,
                "page_obj": page,
                "counts": (counts := board_counts(user=request.user, month=f["month"], mine=f["mine"])),
                # Waiting and not clean (every clean month waits): the filter "Needs a look".
                "attention": counts["waiting"] - counts["clean"],
                "may_approve": may_approve,
                "query_string": query_string,
                "attention_query": urlencode({**base, "show": "attention"}),
                "next_tail": next_tail,
                "any_clean": any(row.clean for row in rows),
                "unchecked_here": sum(1 for row in rows if row.unchecked),
                "approve_words": _approve_words(sum(1 for row in rows if row.clean)),
                "any_waiting": any(row.cell.status in ("in_review", "revision") or row.cell.open_questions for row in rows),
            },
        )
        cached = {"table": table, "switcher": switchable_clients(user=request.user)}
        cache.set(key, cached, 3600)
    table = cached["table"]
    request.switchable_clients = cached["switcher"]  # agency.context_processors: already read
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(table)
    context = {
        **f,
        "table": mark_safe(table),  # noqa: S308 -- our template
        "may_approve": may_approve,
        "month_choices": [(m, str(Month.of(m)), date_format(m, "YEAR_MONTH_FORMAT")) for m in f["months"]],
        # A bulk approval started from the confirmation: its progress above the table (after a reload too).
        "progress": bulk_progress(user=request.user, bulk_id=int(bulk)) if (bulk := request.GET.get("bulk", "")).isdigit()
        else None,
    }
    return render(request, "reports/board.html", context)


@agency_required
@require_POST
def board_approve(request: HttpRequest) -> HttpResponse:
    """First the confirmation listing the picked months; approving happens only from it."""
    back = request.POST.get("back", "")
    back_url = "/board/?" + back if back and "//" not in back else "/board/"
    if not can_approve(user=request.user):
        messages.error(request, _("You may not approve reports: the agency lets only its admins approve."))
        return redirect(back_url)
    items, bad = board_picks(user=request.user, picks=request.POST.getlist("pick"))
    if bad:
        messages.error(request, _("Some of the months chosen could not be read; choose them again."))
        return redirect(back_url)
    if not items:
        messages.error(request, _("Choose at least one clean month to approve."))
        return redirect(back_url)
    if request.POST.get("confirm") != "1":
        rows = board_confirmation(items=items)
        unwritten = sum(1 for row in rows if row["row"] is None or row["row"].commentary_state == "none")
        # "Approve and send 44 reports" when 10 of them go to nobody: the button says what is sent.
        published_only = sum(1 for row in rows if not row["recipients"])
        return render(request, "reports/board_confirm.html", {"items": rows, "back": back, "back_url": back_url,
                                                                "unwritten": unwritten, "published_only": published_only,
                                                                "emailed": len(rows) - published_only})
    # The months are approved in the background, one task per client (reports.services_bulk): the
    # board shows their progress from the ``bulk`` link, which a reload keeps.
    bulk = bulk_approval_start(
        task=bulk_approve_task, items=items, user=request.user, language=get_language() or "en",
        draft_empty=request.POST.get("draft_empty") == "1",
    )
    if bulk.failure == QUEUE_FAILED:  # the box above the table says the rest (reports/board_progress.html)
        messages.error(
            request,
            _("The approval could not be queued (the background queue is unreachable): nothing was approved. "
              "Try again in a few minutes."),
        )
    return redirect(back_url + ("&" if "?" in back_url else "?") + f"bulk={bulk.pk}")


@agency_required
@require_GET
def board_approval(request: HtmxHttpRequest, bulk_id: int) -> HttpResponse:
    """The progress of a bulk approval (the board polls it while months are queued). When the last
    month is decided, a poll reloads the board: its table then shows the months approved."""
    progress = bulk_progress(user=request.user, bulk_id=bulk_id)
    if progress is None:
        raise Http404
    response = render(request, "reports/board_progress.html", {"progress": progress})
    if request.htmx and progress["done"] and request.GET.get("poll") == "1":
        response["HX-Refresh"] = "true"
    return response


@agency_required
@require_http_methods(["GET", "POST"])
def board_checks(request: HttpRequest) -> HttpResponse:
    """Resolve the same check for several clients' month with one note (one platform outage flags
    "source_gap" for 8 clients: one note, not eight). Without ``key``, the checks open this month
    among the viewer's clients, each with how many clients it flags; with one, its clients to tick
    and the note; then a confirmation listing them; then every one resolved, or none
    (reports.services.checks_resolve_together), the note on each client's month as if written there."""
    params = request.POST if request.method == "POST" else request.GET
    months = board_months(now=timezone.now())
    month = month_parse(params.get("month", ""))
    month = month if month in months else months[0]
    key = params.get("key", "")[:60]
    groups = checks_open_across(clients=board_clients_checks_open(user=request.user, month=month), month=month)
    group = next((g for g in groups if g["key"] == key), None)
    m = str(Month.of(month))
    here = f"{reverse('close_board_checks')}?{urlencode({'month': m, 'key': key} if key else {'month': m})}"
    context = {"month": m, "month_day": month, "groups": groups, "group": group, "key": key, "here": here,
               "month_choices": [(str(Month.of(x)), date_format(x, "YEAR_MONTH_FORMAT")) for x in months],
               "board_url": f"{reverse('close_board')}?{urlencode({'month': m, 'show': 'attention'})}"}
    picks = request.POST.getlist("pick") if request.method == "POST" else None
    for item in group["items"] if group else []:  # ticked: all at first; as they were when the form comes back
        item["ticked"] = picks is None or f"{item['client'].slug}|{item['id']}" in picks
    if request.method == "GET":
        return render(request, "reports/board_checks.html", context)
    if group is None:
        messages.error(request, _("This check is no longer open for any of your clients this month."))
        return redirect(here)
    offered = {f"{item['client'].slug}|{item['id']}": item for item in group["items"]}
    chosen = [offered[pick] for pick in picks if pick in offered]
    note = " ".join(request.POST.get("note", "").split())
    if len(chosen) != len(picks):
        messages.error(request, _("Some of the checks chosen are no longer open (the figures were recomputed): "
                                  "nothing was resolved. Choose them again."))
        return redirect(here)
    if request.POST.get("confirm") != "1":
        if not chosen or not note:
            said = _("Tick at least one client.") if not chosen else _("Say in a few words what you found.")
            context.update(note=note, said=said)
            return render(request, "reports/board_checks.html", context)
        context.update(chosen=chosen, note=note)
        return render(request, "reports/board_checks_confirm.html", context)
    try:
        notes = checks_resolve_together(items=[(item["client"], item["id"]) for item in chosen], month=month,
                                        note=note, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
        return redirect(here)
    clients = len({item["client"].pk for item in chosen})
    messages.success(request, ngettext(
        "Check resolved for %(count)s client: your note is kept in its month's history.",
        "Check resolved for %(count)s clients: your note is kept in each one's month's history.", clients,
    ) % {"count": clients} + (" " + ngettext("(%(n)s finding)", "(%(n)s findings)", len(notes)) % {"n": len(notes)}
                             if len(notes) != clients else ""))
    return redirect(context["board_url"])
