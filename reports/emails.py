"""The close's emails, rendered and queued in the client's outbox (clients.outbox) inside the
caller's transaction; the outbox's drain sends each once, retrying when the mail server refuses.

- the approved report, to each client user who wants the monthly email, with the PDF attached;
- a revision, when staff choose to tell the client (what changed, when and why);
- a client user's question, to the client's staff; the answer, to the user who asked.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from agency.branding import brand_for
from agency.emails import brand_logo_inline, brand_sender
from agency.models import Client, User
from agency.months import Month
from agency.selectors import client_url, language_for, opt_out_token, staff_for_client
from clients.outbox import outbox_email_enqueue
from kpis import charts
from kpis.formatting import compared_month
from kpis.report import commentary_joined, funnel_chart, month_verdict, summary, summary_note
from kpis.selectors_report import report_summary_keys
from kpis.services import report_pdf_file
from reports.diff import figures_diff
from reports.models import Question, ReportVersion
from reports.selectors import card_for, commentary_sections, report_recipients
from reports.visibility import client_view, client_view_approving


def _queue(*, client: Client, kind: str, user: User, month: Any, reference: str, payload: dict[str, Any]) -> bool:
    return outbox_email_enqueue(
        client=client, kind=kind, recipient_id=user.pk, to=user.email, month=month, reference=reference, **payload
    )


def _client_users(client: Client) -> list[User]:
    return report_recipients(client=client)


def _each_reader(client: Client) -> Iterator[tuple[User, str]]:
    """Each client user who receives the month's emails, with their language, the body of the loop
    run in that language and the client's time zone (the PDF's and the email's dates are the client's):
    the monthly and the revision email go round their readers alike."""
    zone = ZoneInfo(client.timezone)
    for user in _client_users(client):
        language = language_for(user=user, client=client)
        with translation.override(language), timezone.override(zone):
            yield user, language


def report_pdf(*, client: Client, version: ReportVersion, language: str) -> str | None:
    """The approved month as the client sees it, commentary first: the client report's PDF
    (kpis.services.report_pdf_file) drawn from the approved versions, kept as a file whose key
    holds the versions and the commentary. Returns its path (the outbox attaches it when sending)."""
    commentary = commentary_joined([(s["title"], s["plain"]) for s in commentary_sections(version.commentary)])
    path = report_pdf_file(client=client, month=version.month, language=language, shown=client_view(), commentary=commentary)
    return str(path) if path else None


def _report_look(*, client: Client, version: ReportVersion, pdf: str | None) -> dict[str, Any]:
    """The approved month as the client's report shows it, for the email: the brand (bar colour,
    logo, sender), the summary's KPIs with their change against the month before (named) as the client
    sees it, and the funnel chart as a PNG kept beside the PDF. Runs in the recipient's language."""
    brand = brand_for(client)
    card = card_for(client=client, month=version.month, viewer=None, override={version.month: version.document})
    keys = report_summary_keys(client=client, document=version.document)  # revenue data or not, as approved
    entries = summary(card, keys=keys, currency=client.currency, accent=brand["accent"])
    funnel = funnel_chart(card, accent=brand["accent"])
    verdict = month_verdict(card, keys=keys, currency=client.currency)
    attachments = brand_logo_inline(brand)
    has_logo = bool(attachments)  # before the chart joins them: a client without a logo showed a broken image
    if pdf:
        # Drawn at about the width the email shows it (≤ 340 px), screen-size text: readable on a phone.
        chart = Path(pdf).with_name(Path(pdf).stem + "-funnel-340.png")
        if not chart.exists():
            chart.write_bytes(charts.png(charts.bars_drawing(funnel, width=340, size=charts.SCREEN_TEXT)))
        attachments.append({"path": str(chart), "name": "chart.png", "mimetype": "image/png", "inline_id": "report-chart"})
    return {
        "brand": brand,
        "has_logo": has_logo,
        "summary": entries,
        # Whether marketing paid off, first: the report page's and the PDF's sentence (one function).
        "verdict": verdict,
        # A target column only when a figure has one: on a phone an empty one squeezed the labels.
        "targets": any(entry["target"] for entry in entries),
        # A new client's first months: from when its data runs (the changes have little behind them).
        # Each source's data starts in its own month (kpis.datastart): one note when every figure
        # shares it, else each figure's own under its name (as the report page does).
        "history_note": summary_note(entries),
        "chart_title": funnel.title if pdf else "",
        "preview": preview_line(entries, verdict=verdict),
        "points": points_in(entries),
        # The month the changes are against, as the PDF and the report name it ("" in a first month).
        "against": compared_month([entry["change"] for entry in entries], compare_to=card.compare_to),
        "attachments": attachments,
        "from_email": brand_sender(brand),
    }


def preview_line(entries: list[dict[str, Any]], *, count: int = 3, verdict: dict[str, Any] | None = None) -> str:
    """What an inbox shows under the subject: whether marketing paid off (the report's verdict, when
    it judges), then the first key figures with their change (the summary's order), so the month
    reads at a glance before the email is opened. Without it, mail clients show the first text of
    the body: the agency's name and the subject again."""
    parts = [verdict["text"]] if verdict and verdict["good"] is not None else []
    for entry in entries[:count]:
        change = entry["change"]["text"] if entry["change"] else ""
        parts.append(f"{entry['label']}: {entry['shown']}" + (f" ({change})" if change else ""))
    return " · ".join(parts)


def points_in(entries: list[dict[str, Any]]) -> bool:
    """Whether a change is in percentage points ("-185.0 pp", a rate's change): the email then says
    once what "pp" stands for."""
    return any(entry["change"] and entry["change"]["text"].endswith(" pp") for entry in entries)


def approval_emails(*, client: Client, version: ReportVersion) -> int:
    """Queue the approved report for each client user who wants it (one row each: at most once):
    branded like the client's report (agency sender, brand colour and logo), the commentary, the
    summary's KPIs with their change, the funnel chart inline, a link to the month and the PDF."""
    queued = 0
    pdfs: dict[str, str | None] = {}
    looks: dict[str, dict[str, Any]] = {}
    for user, language in _each_reader(client):
        if language not in pdfs:
            pdfs[language] = report_pdf(client=client, version=version, language=language)
            looks[language] = _report_look(client=client, version=version, pdf=pdfs[language])
        opt_out = client_url(client=client, path=f"/accounts/monthly-email/off/?t={opt_out_token(user)}")
        payload = _approved_payload(client=client, version=version, look=looks[language], pdf=pdfs[language], opt_out=opt_out)
        queued += _queue(client=client, kind="report_approved", user=user, month=version.month, reference="", payload=payload)
    return queued


def _approved_payload(
    *, client: Client, version: ReportVersion, look: dict[str, Any], pdf: str | None, opt_out: str
) -> dict[str, Any]:
    """The monthly email of ``version`` in the active language: its subject, text, HTML, sender and
    attachments. One builder for the email queued at approval and for staff's preview of it."""
    context = {
        "client": client,
        "month": version.month,
        "sections": commentary_sections(version.commentary),
        "brand": look["brand"],
        "has_logo": look["has_logo"],
        "summary": look["summary"],
        "verdict": look["verdict"],
        "targets": look["targets"],
        "history_note": look["history_note"],
        "chart_title": look["chart_title"],
        "preview": look["preview"],
        "points": look["points"],
        "against": look["against"],
        # The report itself (summary, charts, commentary: the approved version), not the
        # close page's table of every KPI; it links to the questions and versions.
        "link": client_url(client=client, path=f"/scorecard/?month={Month.of(version.month)}"),
        "opt_out": opt_out,
    }
    subject = _("%(client)s: your marketing report for %(month)s") % {
        "client": client.name,
        "month": date_format(version.month, "YEAR_MONTH_FORMAT"),  # "noviembre de 2026", as every month heading
    }
    return _report_payload(client=client, version=version, template="approved", subject=subject,
                           context=context, images=look["attachments"], pdf=pdf, from_email=look["from_email"])


def preview_pdf(*, client: Client, version: ReportVersion) -> Path | None:
    """The PDF the preview of ``version``'s monthly email attaches, in the client's report language:
    the client's PDF once ``version`` is approved (the figures as computed now, what approving
    freezes; "Approved on … by" its approver today) with the commentary as written now."""
    language = client.report_language
    with translation.override(language):
        commentary = commentary_joined([(s["title"], s["plain"]) for s in commentary_sections(version.commentary)])
    return report_pdf_file(client=client, month=version.month, language=language,
                           shown=client_view_approving(version), commentary=commentary)

def approval_email_preview(*, client: Client, version: ReportVersion) -> dict[str, Any]:
    """The monthly email approving ``version`` would send, built by the same code as
    ``approval_emails`` in the client's report language and time zone, and queued nowhere: staff read
    it on the month's page before approving. The PDF is the client's as if ``version`` were approved
    (``preview_pdf``), with the commentary. Its
    ``html`` names the inline images as data: URIs, so a browser shows it as a mail client would; the
    opt-out link is the page without a reader's token (each reader's own carries theirs)."""
    language = client.report_language
    with translation.override(language), timezone.override(ZoneInfo(client.timezone)):
        path = preview_pdf(client=client, version=version)
        pdf = str(path) if path else None
        look = _report_look(client=client, version=version, pdf=pdf)
        opt_out = client_url(client=client, path="/accounts/monthly-email/off/")
        payload = _approved_payload(client=client, version=version, look=look, pdf=pdf, opt_out=opt_out)
    return _as_previewed(payload, language=language)


def revision_email_preview(*, client: Client, version: ReportVersion, previous: ReportVersion) -> dict[str, Any]:
    """The revision's email approving ``version`` (a revision of ``previous``, the version the client
    sees) would send when staff tell the client: built by the same code as ``revision_emails``, in the
    client's report language and time zone, queued nowhere. As ``approval_email_preview``: its PDF the
    client's once the revision is approved, its images inline, the opt-out without a reader's token."""
    language = client.report_language
    with translation.override(language), timezone.override(ZoneInfo(client.timezone)):
        path = preview_pdf(client=client, version=version)
        opt_out = client_url(client=client, path="/accounts/monthly-email/off/")
        payload = _revised_payload(client=client, version=version, previous=previous, look=_revision_look(client),
                                   pdf=str(path) if path else None, opt_out=opt_out)
    return _as_previewed(payload, language=language)


def _as_previewed(payload: dict[str, Any], *, language: str) -> dict[str, Any]:
    """A report email's payload as a browser shows it: its inline images (cid:) as data: URIs in its
    HTML, with its language and its PDF attachment (None without one) named apart."""
    html = payload["html"]
    for attachment in payload["attachments"]:
        if attachment.get("inline_id"):
            data = base64.b64encode(Path(attachment["path"]).read_bytes()).decode()
            html = html.replace(f"cid:{attachment['inline_id']}", f"data:{attachment['mimetype']};base64,{data}")
    return {**payload, "html": html, "language": language,
            "pdf": next((a for a in payload["attachments"] if a["mimetype"] == "application/pdf"), None)}


def _queue_each(
    *,
    client: Client,
    users: Iterable[User],
    kind: str,
    month: dt.date,
    reference: str,
    subject: Promise,
    template: str,
    context: Callable[[], dict[str, Any]],
) -> int:
    """Queue one plain-text email per user, rendered in the user's language, about ``month``'s report.

    ``subject`` is a lazy translation with ``%(client)s`` and ``%(month)s``; the template gets what
    ``context()`` returns (called in the user's language: worded figures follow it), the client
    and the link to the month's page."""
    queued = 0
    sender = brand_sender(brand_for(client))  # the agency's name, as the approved report's email
    for user in users:
        language = language_for(user=user, client=client)
        with translation.override(language):
            link = client_url(client=client, path=f"/reports/{Month.of(month)}/")
            payload = {
                "subject": str(subject) % {"client": client.name, "month": date_format(month, "YEAR_MONTH_FORMAT")},
                "body": render_to_string(template, {"client": client, "link": link, **context()}),
                "from_email": sender,
            }
        queued += _queue(client=client, kind=kind, user=user, month=month, reference=reference, payload=payload)
    return queued


def _report_payload(
    *, client: Client, version: ReportVersion, template: str, subject: str, context: dict[str, Any],
    images: list[dict[str, Any]], pdf: str | None, from_email: str,
) -> dict[str, Any]:
    """A report email's outbox payload (the monthly one, a revision): its text and HTML parts from
    ``reports/email/<template>``, the inline images the HTML names, the month's PDF when there is one,
    and the opt-out as a List-Unsubscribe header."""
    attachments = list(images)
    if pdf:
        name = f"{client.slug}-{pgettext('file name', 'report')}-{Month.of(version.month)}.pdf"
        attachments.append({"path": pdf, "name": name, "mimetype": "application/pdf"})
    return {
        "subject": subject,
        "body": render_to_string(f"reports/email/{template}.txt", context),
        "html": render_to_string(f"reports/email/{template}.html", context),
        "headers": {"List-Unsubscribe": f"<{context['opt_out']}>"},
        "from_email": from_email,
        "attachments": attachments,
    }


def revision_emails(*, client: Client, version: ReportVersion, previous: ReportVersion) -> int:
    """Queue the news of revised figures for each client user who wants it: branded like the monthly
    email (agency sender, brand bar and logo) in the user's language, saying when and why the figures
    were revised and each figure that changed (before → after), the commentary that goes out with
    them, a link to the report, and the revised report's PDF attached: the PDF of the first email is
    now the superseded version, and the client forwarding "the report" should not have to sign in to
    fetch the corrected one. The plain-text part says the same."""
    queued = 0
    pdfs: dict[str, str | None] = {}
    look = _revision_look(client)
    for user, language in _each_reader(client):
        if language not in pdfs:
            pdfs[language] = report_pdf(client=client, version=version, language=language)
        opt_out = client_url(client=client, path=f"/accounts/monthly-email/off/?t={opt_out_token(user)}")
        payload = _revised_payload(client=client, version=version, previous=previous, look=look,
                                   pdf=pdfs[language], opt_out=opt_out)
        queued += _queue(
            client=client, kind="report_revised", user=user, month=version.month, reference=f"v{version.number}", payload=payload
        )
    return queued


def _revision_look(client: Client) -> dict[str, Any]:
    """The revision email's brand, read once for all its readers: the bar colour, the logo as an
    inline image ([] without a logo: the HTML then names no cid:brand-logo), the agency's sender."""
    brand = brand_for(client)
    return {"brand": brand, "logo": brand_logo_inline(brand), "from_email": brand_sender(brand)}


def _revised_payload(
    *, client: Client, version: ReportVersion, previous: ReportVersion, look: dict[str, Any], pdf: str | None,
    opt_out: str,
) -> dict[str, Any]:
    """The revision's email of ``version`` (after ``previous``) in the active language: its subject,
    text, HTML, sender and attachments. One builder for the email queued at the revision's approval
    and for staff's preview of it."""
    context = {
        "client": client,
        "month": version.month,
        "version": version,
        "lines": figures_diff(previous.document, version.document, currency=client.currency),
        "sections": commentary_sections(version.commentary),
        "brand": look["brand"],
        "has_logo": bool(look["logo"]),
        "attached": bool(pdf),
        # The month's page: the revised report, what changed and every version.
        "link": client_url(client=client, path=f"/reports/{Month.of(version.month)}/"),
        "opt_out": opt_out,
    }
    subject = _("%(client)s: revised figures for %(month)s") % {
        "client": client.name,
        "month": date_format(version.month, "YEAR_MONTH_FORMAT"),
    }
    return _report_payload(client=client, version=version, template="revised", subject=subject,
                           context=context, images=look["logo"], pdf=pdf, from_email=look["from_email"])


def question_emails(*, client: Client, question: Question) -> int:
    """Tell the client's staff that a client user asked a question on a month."""
    return _queue_each(
        client=client,
        users=staff_for_client(client=client).filter(is_active=True).exclude(email=""),
        kind="report_question",
        month=question.month,
        reference=f"q{question.pk}",
        subject=gettext_lazy("%(client)s: a question on %(month)s"),
        template="reports/email/question.txt",
        context=lambda: {"question": question},
    )


def answer_emails(*, client: Client, question: Question) -> int:
    """Tell the client user who asked that the agency answered."""
    return _queue_each(
        client=client,
        users=User.objects.filter(pk=question.asked_by, is_active=True).exclude(email=""),
        kind="report_answer",
        month=question.month,
        reference=f"a{question.pk}",
        subject=gettext_lazy("%(client)s: your question on %(month)s was answered"),
        template="reports/email/answer.txt",
        context=lambda: {"question": question},
    )
