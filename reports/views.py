"""The monthly close's pages at a client's host, and the share page for people without an account.

Thin: reads through reports.selectors, writes through reports.services. Client users see only
approved months (a draft is a 404 to them, like a month that does not exist).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from agency.dates import month_parse
from agency.decorators import client_member_required, client_staff_required
from agency.http import HtmxHttpRequest, found
from agency.months import Month
from agency.selectors import client_url, console_url
from clients.outbox import outbox_email_resend
from clients.words import next_run_words
from kpis.catalogue import BREAKDOWN_KEYS
from kpis.formatting import compared_month
from kpis.report import commentary_joined, month_verdict
from kpis.scorecard import document_shown, tiles
from kpis.selectors_report import report_summary_keys, snapshot_get
from kpis.services import report_pdf_build
from kpis.views import breakdown_context, report_pdf_response, report_shared_parts
from reports.board import board_filters, board_next_tail, board_next_waiting, board_query
from reports.emails import approval_email_preview, preview_pdf, revision_email_preview
from reports.models import Commentary, ReportVersion
from reports.selectors import (
    EMAILS_STUCK_AFTER,
    approval_emails_state,
    approved_card,
    approved_months,
    can_approve,
    card_for,
    commentary_current,
    commentary_sections,
    email_preview_versions,
    home_report,
    home_unreviewed_month,
    month_approved,
    month_close_page,
    months_listed,
    months_of_close,
    recompute_busy,
    report_recipients,
    version_get,
    version_latest,
)
from reports.selectors_draft import draft_panel
from reports.services import (
    ApprovalRefused,
    approval_emails_retry,
    check_resolve,
    commentary_save,
    month_acknowledge,
    month_approve_now,
    month_reviews_start,
    question_answer,
    question_ask,
    report_send_to_new_recipients,
    share_link_create,
    share_link_revoke,
    share_link_use,
)
from reports.services_draft import commentary_draft_apply
from reports.tasks import approval_emails_task
from reports.visibility import client_view


def _month(text: str) -> dt.date:
    """The month of the URL, inside the portal's dates (agency.dates); 404 otherwise."""
    month = month_parse(text)
    if month is None:
        raise Http404
    return month


def _page(month: dt.date, request: HttpRequest | None = None) -> HttpResponse:
    """Back to the month's page; with the close board's filters it was opened with (``request``'s
    query, which the approval forms keep), so its "Next client waiting" still goes by them."""
    query = board_query(**board_filters(request.GET)) if request is not None else ""
    return redirect(f"/reports/{Month.of(month)}/" + (f"?{query}" if query else ""))


def _figures(request: HttpRequest, month: dt.date, override: dict[dt.date, dict] | None = None) -> dict:
    """The month's tiles as this viewer sees them (staff: as computed; others: the client's view), and
    the month their changes are against (``figures_against``: "October 2026", the change column's
    header as the PDF names it; "" when none is against a month)."""
    card = card_for(client=request.tenant, month=month, viewer=request.user, override=override)
    staff = bool(getattr(request.user, "is_agency", False))  # a shared link's reader has no account
    figures = tiles(card, currency=request.tenant.currency, benchmarks={}, staff=staff) if card.snapshot else []
    changes = [tile.get("change") for group in figures for tile in group.get("tiles") or []]
    return {"figures": figures, "figures_against": compared_month(changes, compare_to=card.compare_to)}


def _errors(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _written(request: HttpRequest, month: dt.date, write: Callable[[], object], done: str) -> HttpResponse:
    """Run a form's write; its refusal (ValidationError) or ``done`` is said on the month's page."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return _page(month, request)  # with the board's filters the form was posted with


@client_member_required
@require_GET
def month_list(request: HttpRequest) -> HttpResponse:
    if request.user.is_agency:
        # What beat does every hour, done now for staff who look: the month that ended enters the
        # close (and goes to review once its settling days have passed). A new client's first month
        # is then here at once, not up to an hour later. Idempotent, like the beat's run.
        month_reviews_start(client=request.tenant, at=timezone.now())
        current = Month.of(timezone.now(), ZoneInfo(request.tenant.timezone)).first_day
        listed = months_listed(current=current)
        return render(request, "reports/month_list.html", {"rows": listed["rows"], "quiet": listed["quiet"]})
    approved = approved_months()
    rows = [
        {"month": r.month, "state": r.state, "state_label": r.get_state_display(), "approved_at": r.approved_at}
        for r in months_of_close()
        if r.month in approved
    ]
    # Before the first approval, where the figures the client may already read are (as the home says).
    unreviewed = None if rows else home_unreviewed_month(client=request.tenant)
    return render(request, "reports/month_list.html", {"rows": rows, "unreviewed": unreviewed})


@client_member_required
@require_GET
def home_panel(request: HttpRequest) -> HttpResponse:
    """The home page's first panel: the latest approved report (what the client came to read), and
    for staff the month waiting for review."""
    staff = bool(request.user.is_agency)
    if staff:  # as Monthly reports does: a new client's month that ended is there to review at once
        month_reviews_start(client=request.tenant, at=timezone.now())
    context = {**home_report(staff=staff, client=request.tenant), "staff": staff}
    if latest := context["latest"]:
        # Whether marketing paid off that month, on the first screen (the report's and the email's sentence).
        card = approved_card(client=request.tenant, month=latest["month"])
        keys = report_summary_keys(client=request.tenant, document=card.snapshot.document if card.snapshot else None)
        context["verdict"] = month_verdict(card, keys=keys, currency=request.tenant.currency)
    elif not staff:
        # No report approved yet, but the months before the close began are readable as computed:
        # the home says where they are, and that the agency has not reviewed them.
        context["unreviewed"] = home_unreviewed_month(client=request.tenant)
    return render(request, "reports/home_panel.html", context)


def _commentary_parts(request: HttpRequest, month: dt.date, context: dict) -> None:
    """The commentary's boxes and the draft from the figures, as the close page shows them to staff."""
    context["sections_form"] = [
        (section.value, section.label, context["texts"].get(section.value, "")) for section in Commentary.Section
    ]
    # Staff write what the client reads as typed: the commentary and a revision's reason are not
    # translated, so the page names the language the client's report, email and PDF are in.
    context["written_in"] = _written_in(request.tenant.report_language)
    # Not for the month in progress: its comparisons would set a part of a month against whole ones
    # ("MQLs fell 89.8 %" on the 6th); the Approve card says the month is still running.
    if context["snapshot"] is not None and not context.get("in_progress"):
        context["draft"] = draft_panel(client=request.tenant, month=month)


def _written_in(language: str) -> str:
    if language.startswith("es"):
        return _("This client reads its reports in Spanish: write the commentary and a revision's reason in Spanish.")
    return _("This client reads its reports in English: write the commentary and a revision's reason in English.")


@client_member_required
@never_cache
@require_GET
def month_page(request: HttpRequest, month: str) -> HttpResponse:
    first_day = _month(month)
    staff = bool(getattr(request.user, "is_agency", False))  # a shared link's reader has no account
    if not staff and not month_approved(month=first_day):
        raise Http404  # a draft does not exist for the client
    context = month_close_page(client=request.tenant, month=first_day, viewer=request.user)
    context.update(month=first_day, **_figures(request, first_day))
    if staff:
        _commentary_parts(request, first_day, context)
        # A revision's reason as typed, back from the preview of its email (which kept it for here).
        context["reason_typed"] = _reason_back(request, first_day)
        if context["report"] and context["report"].in_review_since:
            context["waiting_days"] = (context["now"] - context["report"].in_review_since).days
        context["questions_open"] = sum(1 for question in context["questions"] if question.answered_at is None)
        # The close goes on client after client: the next one waiting, one click away (reports.board),
        # among the clients the board showed: its filters came with the link and go on with it.
        chosen = board_filters(request.GET)
        context["next_waiting"], context["waiting_left"] = board_next_waiting(
            user=request.user, client=request.tenant, month=first_day, **chosen
        )
        query = board_query(**chosen)
        context["board_query"], context["next_tail"] = query, board_next_tail(query)
        context["board_url"] = console_url(path=f"/board/?month={Month.of(first_day)}" + (f"&{query}" if query else ""))
        context["focus_next"] = request.session.pop("close_focus_next", None) == str(Month.of(first_day))
    return render(request, "reports/month.html", context)


@client_member_required
@never_cache
@require_safe
def month_pdf(request: HttpRequest, month: str) -> HttpResponse:
    """The approved month's PDF as the client has it — the approved versions and commentary, with the
    approval's date — for staff as for client users, in the reader's language: what the month's page
    offers beside "Approved" (the scorecard's PDF draws, for staff, the figures as computed now)."""
    first_day = _month(month)
    version = version_latest(month=first_day)
    if version is None:
        raise Http404  # nothing approved: no client's PDF yet (staff read the figures on the page)
    sections = [(str(section["title"]), section["plain"]) for section in commentary_sections(version.commentary)]
    pdf = report_pdf_build(client=request.tenant, month=first_day, language=translation.get_language() or "en",
                           shown=client_view(), commentary=commentary_joined(sections))
    return report_pdf_response(pdf, slug=request.tenant.slug, month=first_day)


def _previewed(request: HttpRequest, month: str, *, reason: str = "") -> tuple[dt.date, ReportVersion, ReportVersion | None]:
    """The month whose email staff preview, the version approving it now would freeze and the version
    the client sees (None: the monthly email; else the revision's, with ``reason``, the revision form's).
    A 404 where the close page shows no "Preview the email" (the rule of
    reports.selectors.email_preview_kind): a month in progress, without figures or data, approved
    with no revision waiting."""
    first_day = _month(month)
    version, previous = found(email_preview_versions(
        client=request.tenant, month=first_day, approver=getattr(request.user, "display_name", ""), reason=reason,
    ))
    return first_day, version, previous


# The reason a revision's email was last previewed with, for "← Back" to find it in the form again:
# {"month": "2026-03", "reason": …}, in the session (this client's host's), read once by the month's page.
PREVIEW_REASON = "close_preview_reason"


def _reason_back(request: HttpRequest, first_day: dt.date) -> str:
    """The reason kept by the preview of this month's revision email, once ("" when there is none)."""
    kept = request.session.get(PREVIEW_REASON)
    if not isinstance(kept, dict) or kept.get("month") != str(Month.of(first_day)):
        return ""
    del request.session[PREVIEW_REASON]
    return str(kept.get("reason") or "")[:300]


@client_staff_required
@never_cache
@require_http_methods(["GET", "POST"])
def email_preview_view(request: HttpRequest, month: str) -> HttpResponse:
    """The month's email as the client's readers would get it if staff approved now — the monthly
    email, or a revision's — built by the approval's own code (reports.emails), shown in the page
    (images inline, the PDF a link) with its subject, sender and recipients. Nothing is queued, sent
    or recorded. Staff who may not approve (REPORT_APPROVERS) read it too, told they cannot approve:
    they write the commentary it carries.

    A revision's reason as typed comes by POST (the revision's form submits to here): in the URL,
    browser history and the servers' access logs kept what staff typed for the client. "← Back" finds
    it in the form again through the session (``PREVIEW_REASON``), not the URL either."""
    reason = request.POST.get("reason", "").strip()[:300] if request.method == "POST" else ""
    first_day, version, previous = _previewed(request, month, reason=reason)
    if previous is not None and reason:
        request.session[PREVIEW_REASON] = {"month": str(Month.of(first_day)), "reason": reason}
    if previous is None:
        email = approval_email_preview(client=request.tenant, version=version)
    else:
        email = revision_email_preview(client=request.tenant, version=version, previous=previous)
    context = {
        "month": first_day,
        "m": str(Month.of(first_day)),
        "email": email,
        "revision": previous is not None,
        "reason": version.reason,
        "may_approve": can_approve(user=request.user),
        "recipients": [user.email for user in report_recipients(client=request.tenant)],
        "email_language": translation.get_language_info(email["language"])["name_translated"],
    }
    return render(request, "reports/email_preview.html", context)


@client_staff_required
@never_cache
@require_safe
def email_preview_pdf_view(request: HttpRequest, month: str) -> HttpResponse:
    """The PDF the previewed email attaches, opened in the browser (inline), under its attachment's name."""
    first_day, version, _previous = _previewed(request, month)
    path = found(preview_pdf(client=request.tenant, version=version))
    with translation.override(request.tenant.report_language):  # the attachment's name, as the email gives it
        return report_pdf_response(path.read_bytes(), slug=request.tenant.slug, month=first_day, inline=True)


@client_staff_required
@never_cache
@require_GET
def close_status_view(request: HtmxHttpRequest, month: str) -> HttpResponse:
    """What the close page polls (HTMX, every few seconds) while the month is being recomputed.

    Still busy: 204, so htmx swaps nothing (no flicker, no alert read out again) and polls on.
    Done: the status without its poll (polling stops) and, swapped out of band, the sections the
    recompute changes: the enabled Approve, the revision (if any), the month's checks and the figures as now computed,
    so staff approve what they see without reloading."""
    first_day = _month(month)
    if not request.htmx:  # a fragment: opened by hand (or from history), it is the month's page
        return _page(first_day)
    if recompute_busy(client=request.tenant, month=first_day):
        return HttpResponse(status=204)
    context = month_close_page(client=request.tenant, month=first_day, viewer=request.user)
    context.update(month=first_day, m=str(Month.of(first_day)), **_figures(request, first_day), refreshed=True)
    context["board_query"] = board_query(**board_filters(request.GET))  # the approve forms keep the board's filters
    parts = [render_to_string("reports/month.html#close-status", context, request=request)]
    context["oob"] = True
    parts += [
        render_to_string(f"reports/month.html#{name}", context, request=request)
        for name in ("close-approve", "close-revision", "close-checks", "close-figures")
    ]
    return HttpResponse("".join(parts))


@client_member_required
@require_GET
def version_page(request: HttpRequest, month: str, number: int) -> HttpResponse:
    """An approved version as the client saw it: the history stays readable."""
    first_day = _month(month)
    version = version_get(month=first_day, number=number)
    if version is None:
        raise Http404
    context = {
        "month": first_day,
        "version": version,
        "sections": commentary_sections(version.commentary),
        **_figures(request, first_day, {first_day: version.document}),
    }
    return render(request, "reports/version.html", context)


@client_staff_required
@require_POST
def commentary_view(request: HttpRequest, month: str) -> HttpResponse:
    """Autosave of one section (HTMX, on typing pauses): answers a one-line status."""
    first_day = _month(month)
    try:
        saved = commentary_save(
            client=request.tenant,
            month=first_day,
            section=request.POST.get("section", ""),
            text=request.POST.get("text", ""),
            user=request.user,
        )
    except ValidationError as error:
        return HttpResponse(_errors(error), status=422)
    if saved is None:  # the same text again (a "change" after the "input" that saved it)
        saved = commentary_current(month=first_day).get(request.POST.get("section", ""))
        if saved is None:
            return HttpResponse("")
    # In the viewer's zone, named ("Saved at 10:42 a.m. CET"), as every time the portal shows: it was UTC's, bare.
    said = _("Saved at %(time)s") % {"time": next_run_words(saved.written_at, zone_named=True)["time"]}
    if saved.text.strip():  # Approve's "nobody has written the commentary" is no longer true: gone
        return HttpResponse(escape(said) + '<span id="no-commentary" hx-swap-oob="true"></span>')
    return HttpResponse(said)


@client_staff_required
@require_POST
def draft_view(request: HtmxHttpRequest, month: str) -> HttpResponse:
    """ "Draft from the figures": fill the sections nobody has written, then say which were kept.

    From the page (HTMX) the draft and the filled boxes are swapped in where the account manager
    is reading (Approve out of band: its "nobody has written the commentary" goes), with what was
    filled and kept said above the boxes; without JavaScript, the page again with the same words."""
    first_day = _month(month)
    said: list[tuple[str, str]] = []
    try:
        filled, kept = commentary_draft_apply(client=request.tenant, month=first_day, user=request.user)
    except ValidationError as error:
        said.append(("error", _errors(error)))
    else:
        titles = dict(Commentary.Section.choices)
        if filled:
            said.append(("success", _("Drafted from the figures: %(sections)s. Read it, edit it, then approve.")
                         % {"sections": ", ".join(str(titles[key]) for key in filled)}))  # fmt: skip
        if kept:
            said.append(("info", _("Left as written: %(sections)s (a draft never replaces what a person wrote).")
                         % {"sections": ", ".join(str(titles[key]) for key in kept)}))  # fmt: skip
        if not filled and not kept:
            said.append(("info", _("The draft is already in the commentary: nothing changed.")))
    if not request.htmx:
        for level, text in said:
            messages.add_message(request, getattr(messages, level.upper()), text)
        return _page(first_day, request)
    context = month_close_page(client=request.tenant, month=first_day, viewer=request.user)
    context.update(month=first_day, m=str(Month.of(first_day)), draft_said=said)
    context["board_query"] = board_query(**board_filters(request.GET))  # Approve, redrawn, keeps the board's filters
    _commentary_parts(request, first_day, context)
    parts = [render_to_string("reports/month.html#close-draft", context, request=request)]
    context["oob"] = True
    parts += [render_to_string(f"reports/month.html#{name}", context, request=request)
              for name in ("close-commentary", "close-approve", "close-revision")]
    return HttpResponse("".join(parts))


@client_staff_required
@require_POST
def check_resolve_view(request: HtmxHttpRequest, month: str, check_id: int) -> HttpResponse:
    """Resolve a check with its note. From the page (HTMX) the checks are swapped in place, with
    Approve out of band (a high check resolved no longer asks for a reason): no reload, the page
    stays where the account manager is reading. Without JavaScript, the page again."""
    first_day = _month(month)

    def write() -> object:
        return check_resolve(
            client=request.tenant, month=first_day, check_id=check_id, note=request.POST.get("note", ""), user=request.user
        )

    done = _("Check resolved: your note is kept in the month's history.")
    if not request.htmx:
        return _written(request, first_day, write, done)
    try:
        write()
    except ValidationError as error:
        said, level = _errors(error), "error"
    else:
        said, level = done, "success"
    context = month_close_page(client=request.tenant, month=first_day, viewer=request.user)
    context.update(month=first_day, m=str(Month.of(first_day)), check_message=said, check_message_level=level)
    context["board_query"] = board_query(**board_filters(request.GET))  # Approve, redrawn, keeps the board's filters
    parts = [render_to_string("reports/month.html#close-checks", context, request=request)]
    context["oob"] = True
    parts.append(render_to_string("reports/month.html#close-approve", context, request=request))
    return HttpResponse("".join(parts))


@client_staff_required
@require_POST
def approve_view(request: HttpRequest, month: str) -> HttpResponse:
    first_day = _month(month)
    if request.POST.get("redraft") == "1" and request.POST.get("reason", "").strip():
        # A revision's form, ticked: the boxes a draft filled (nobody edited) are written again from
        # the revised figures before they go out with it. Approving Acme's revision with them as
        # they were sent "€48,867.87 of marketing spend" beside a table of €49,507.87.
        commentary_draft_apply(client=request.tenant, month=first_day, user=request.user)
    try:
        # The PDF and the email are built by a task (the page says "Sending…", then the outcome).
        version = month_approve_now(
            client=request.tenant,
            month=first_day,
            user=request.user,
            task=approval_emails_task,
            reason=request.POST.get("reason", ""),
            notify=request.POST.get("notify") == "1",
            checks_reason=request.POST.get("checks_reason", ""),
        )
    except ApprovalRefused as error:
        messages.error(request, _errors(error))
        return _page(first_day, request)
    if version.number == 1 and not report_recipients(client=request.tenant):
        messages.success(request, _("Approved: the client sees these figures now in its portal. Nobody at the client "
                                    "gets the email: no client user with the monthly email on."))
    elif version.number == 1 and version.emails == ReportVersion.Emails.PENDING:
        messages.success(request, _("Approved: the client sees these figures now. The report's email and its PDF are "
                                    "being prepared: this page says when they are on their way."))
    elif version.number == 1:
        messages.success(request, _("Approved: the client sees these figures now and the report is on its way by email."))
    else:
        messages.success(request, _("Revision approved: the client sees the revised figures and what changed."))
    # The page after an approval has the keyboard on "Next client waiting" (else "← Close board"),
    # not at the top: the next client is one Enter away instead of nineteen Tabs.
    request.session["close_focus_next"] = str(Month.of(first_day))
    return _page(first_day, request)


@client_staff_required
@never_cache
@require_GET
def sending_view(request: HtmxHttpRequest, month: str) -> HttpResponse:
    """What the month's page polls (HTMX, every 2 s) while the email an approval owes is being
    prepared: still so, 204 (htmx swaps nothing and polls on); else the outcome, without the poll —
    on its way, or the failure with "Try again". Opened by hand, the month's page."""
    first_day = _month(month)
    if not request.htmx:
        return _page(first_day)
    sending = approval_emails_state(month=first_day, now=timezone.now(), stuck_after=EMAILS_STUCK_AFTER)
    if sending is not None and sending["state"] == "pending":
        return HttpResponse(status=204)
    context = {"m": str(Month.of(first_day)), "month": first_day, "sending": sending, "sending_done": sending is None}
    return render(request, "reports/month.html#close-sending", context)


@client_staff_required
@require_POST
def sending_again_view(request: HttpRequest, month: str) -> HttpResponse:
    """ "Try again" for the email an approval owes that failed (or whose task was lost)."""
    first_day = _month(month)
    if approval_emails_retry(client=request.tenant, month=first_day, user=request.user, task=approval_emails_task):
        messages.success(request, _("The report's email is being prepared again: this page says when it is on its way."))
    else:
        messages.info(request, _("This report's email is not waiting for you any more (on its way, or being prepared)."))
    return _page(first_day, request)


@client_staff_required
@require_POST
def share_link_create_view(request: HttpRequest, month: str) -> HttpResponse:
    first_day = _month(month)
    try:
        days = int(request.POST.get("days") or 0) or None
        _link, token = share_link_create(
            client=request.tenant, month=first_day, user=request.user, days=days, label=request.POST.get("label", "")
        )
    except (ValueError, ValidationError) as error:
        messages.error(request, _errors(error) if isinstance(error, ValidationError) else _("Give the number of days."))
        return _page(first_day)
    url = client_url(client=request.tenant, path=f"/shared/{Month.of(first_day)}/{token}/")
    messages.success(request, _("Share link created. Copy it now, it is not shown again: %(url)s") % {"url": url})
    return _page(first_day)


@client_staff_required
@require_POST
def share_link_revoke_view(request: HttpRequest, month: str, link_id: int) -> HttpResponse:
    first_day = _month(month)
    if share_link_revoke(client=request.tenant, link_id=link_id, user=request.user):
        messages.success(request, _("Share link revoked."))
    return _page(first_day)


@client_member_required
@require_POST
def acknowledge_view(request: HttpRequest, month: str) -> HttpResponse:
    first_day = _month(month)
    if request.user.is_agency:
        raise Http404
    try:
        month_acknowledge(client=request.tenant, month=first_day, user=request.user)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("Marked as read. Thank you."))
    return _page(first_day)


@client_member_required
@require_POST
def question_ask_view(request: HttpRequest, month: str) -> HttpResponse:
    first_day = _month(month)
    if request.user.is_agency or not month_approved(month=first_day):
        raise Http404
    text = request.POST.get("text", "")
    return _written(
        request,
        first_day,
        lambda: question_ask(client=request.tenant, month=first_day, user=request.user, text=text),
        _("Question sent. The agency will answer here, and tell you by email."),
    )


@client_staff_required
@require_POST
def question_answer_view(request: HttpRequest, month: str, question_id: int) -> HttpResponse:
    first_day = _month(month)
    text = request.POST.get("text", "")
    return _written(
        request,
        first_day,
        lambda: question_answer(client=request.tenant, question_id=question_id, user=request.user, text=text),
        _("Answer sent."),
    )


@client_staff_required
@require_POST
def email_resend_view(request: HttpRequest, month: str, email_id: int) -> HttpResponse:
    """ "Send again" for an email whose outcome is unknown or that was given up (clients.outbox)."""
    first_day = _month(month)
    if outbox_email_resend(client=request.tenant, pk=email_id):
        messages.success(request, _("The email is queued to be sent again."))
    else:
        messages.error(request, _("This email is not waiting for you any more (sent, or still being tried)."))
    return _page(first_day)


@client_staff_required
@require_POST
def send_to_new_recipients_view(request: HttpRequest, month: str) -> HttpResponse:
    """The approved report for the client's users who never had it (invited after the approval)."""
    first_day = _month(month)
    queued = report_send_to_new_recipients(client=request.tenant, month=first_day)
    if queued:
        messages.success(request, ngettext("The report is on its way to %(count)s person.",
                                           "The report is on its way to %(count)s people.", queued) % {"count": queued})
    else:
        messages.info(request, _("Everyone who gets the monthly email already has this report."))
    return _page(first_day)


def _shared_link(request: HttpRequest, month: str, token: str) -> dt.date | None:
    """The month a live share link opens (counting this use), or None (unknown, revoked, expired,
    another month: all alike, so that a guessed token learns nothing)."""
    first_day = month_parse(month)
    if first_day is None or share_link_use(client=request.tenant, token=token, month=first_day) is None:
        return None
    return first_day


def _shared_response(response: HttpResponse, language: str) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Language"] = language
    return response


@never_cache
@require_safe
def shared_page(request: HttpRequest, month: str, token: str) -> HttpResponse:
    """The approved month for someone with a share link: no session needed, and none used.

    The membership middleware lets ``/shared/`` through at a client's host; what is shown is
    decided by the link alone (its client schema, month, expiry and revocation). It is the client's
    report page as a client user reads it (the commentary, the summary and its charts, what changed,
    the tiles), from the approved versions only, in the client's language (the reader cannot switch
    it), under the agency's brand, with nothing that needs a sign-in. A dead link is a page saying
    so (404), with nothing of the report.
    """
    client = request.tenant
    language = client.report_language
    with translation.override(language):
        first_day = _shared_link(request, month, token)
        if first_day is None:
            return _shared_response(render(request, "reports/shared_gone.html", {"client": client}, status=404), language)
        version = version_latest(month=first_day)
        m = str(Month.of(first_day))
        parts = report_shared_parts(
            request, month=first_day, shown=client_view(), pdf_url=reverse("report_shared_pdf", args=[m, token]),
            breakdowns_url=reverse("report_shared", args=[m, token]) + "breakdowns/",
        )
        context = {
            "month": first_day,
            "version": version,
            "first_approved_at": (version_get(month=first_day, number=1) if version.number > 1 else version).approved_at,
            "sections": commentary_sections(version.commentary),
            "client": client,
            **parts,
        }
        return _shared_response(render(request, "reports/shared.html", context), language)


@never_cache
@require_safe
def shared_pdf(request: HttpRequest, month: str, token: str) -> HttpResponse:
    """The shared month's report PDF: the one a client user downloads (the approved versions, the
    approved commentary), in the client's language; a dead link is the shared page's 404."""
    client = request.tenant
    language = client.report_language
    first_day = _shared_link(request, month, token)
    if first_day is None:
        return shared_page(request, month, token)
    version = version_latest(month=first_day)
    with translation.override(language):  # the sections' titles too
        sections = [(str(section["title"]), section["plain"]) for section in commentary_sections(version.commentary)]
        pdf = report_pdf_build(client=client, month=first_day, language=language, shown=client_view(),
                               commentary=commentary_joined(sections))
        response = report_pdf_response(pdf, slug=client.slug, month=first_day)  # named in the client's language too
    return _shared_response(response, language)


@never_cache
@require_safe
def shared_breakdown(request: HtmxHttpRequest, month: str, token: str, dimension: str) -> HttpResponse:
    """A drill-down of the shared month (the page's Breakdowns buttons, HTMX): the approved version's
    breakdown, names as approved, in the client's language; opened on its own, the shared page."""
    client = request.tenant
    language = client.report_language
    if dimension not in BREAKDOWN_KEYS:
        raise Http404
    first_day = _shared_link(request, month, token)
    if first_day is None:
        return shared_page(request, month, token)  # the dead link's page
    if not request.htmx:  # opened on its own (JavaScript off, a copied address): the report
        return redirect(reverse("report_shared", args=[month, token]))
    approved = client_view().documents([first_day]).get(first_day)
    snapshot = snapshot_get(month=first_day)
    with translation.override(language):
        context = breakdown_context(
            request, dimension=dimension, month=first_day,
            snapshot=document_shown(snapshot, approved) if snapshot is not None and approved is not None else None,
            shared_url=reverse("report_shared_breakdown", args=[month, token, dimension]),
        )
        return _shared_response(render(request, "kpis/breakdown.html", context), language)
