"""The monthly scorecard email to each client user who wants it, after the month closes."""

from __future__ import annotations

import datetime as dt
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.branding import brand_for
from agency.models import Client, User
from agency.selectors import client_url, opt_out_token
from clients.outbox import outbox_email_enqueue, outbox_recipients, outbox_send_due
from kpis import charts
from kpis.models import Snapshot
from kpis.report import funnel_chart, headline_keys, summary
from kpis.selectors import scorecard_load
from kpis.services import report_pdf_file

KIND = "monthly_scorecard"  # the outbox rows of this email


def scorecard_emails_send(*, client: Client, month: dt.date) -> int:
    """Queue the month's headline KPIs for the client's users who did not opt out, then send what is due.

    Each user gets one outbox row per month (clients.outbox): a redelivered task queues nothing
    twice, and an email the mail server refused is tried again later, not lost. Returns how
    many were sent now.
    """
    recipients = User.objects.filter(
        memberships__client=client, role=User.Role.CLIENT, is_active=True, monthly_email=True
    ).exclude(email="")
    with tenant_context(client):
        snapshot = Snapshot.objects.filter(month=month).first()
    if snapshot is None:
        return 0
    queued = outbox_recipients(client=client, kind=KIND, month=month)
    for user in recipients:
        if user.pk not in queued:
            outbox_email_enqueue(
                client=client,
                kind=KIND,
                recipient_id=user.pk,
                to=user.email,
                month=month,
                **_render(client=client, user=user, snapshot=snapshot),
            )
    return outbox_send_due(client=client)


def report_email_context(*, client: Client, snapshot: Snapshot) -> dict[str, Any]:
    """The email's share of the report (kpis.report): the summary's KPIs with their change and
    target, the funnel chart as a PNG and the month's PDF, both kept as files beside each other
    under ``MEDIA_ROOT/<schema>/reports/`` so that the outbox attaches them when it sends. Runs in
    the recipient's language."""
    brand = brand_for(client)
    with tenant_context(client):
        card = scorecard_load(month=snapshot.month, compare="month", client=client)
    entries = summary(card, keys=headline_keys(client), currency=client.currency, accent=brand["accent"])
    funnel = funnel_chart(card, accent=brand["accent"])
    pdf = report_pdf_file(client=client, month=snapshot.month, language=get_language() or "en")
    attachments = []
    if pdf is not None:
        chart = pdf.with_name(pdf.stem + "-funnel.png")
        if not chart.exists():
            chart.write_bytes(charts.png(charts.bars_drawing(funnel, width=420)))
        attachments = [
            {"path": str(chart), "name": "chart.png", "mimetype": "image/png", "inline_id": "report-chart"},
            {"path": str(pdf), "name": f"{client.slug}-report-{snapshot.month:%Y-%m}.pdf", "mimetype": "application/pdf"},
        ]
    return {
        "brand": brand,
        "summary": entries,
        "lines": [(str(e["label"]), e["shown"]) for e in entries],
        "chart_title": funnel.title,
        "attachments": attachments,
    }


def _render(*, client: Client, user: User, snapshot: Snapshot) -> dict[str, Any]:
    with translation.override(user.language or "en"):
        report = report_email_context(client=client, snapshot=snapshot)
        context = {
            "client": client,
            "month": snapshot.month,
            **report,
            "link": client_url(client=client, path=f"/scorecard/?month={snapshot.month:%Y-%m}"),
            "pdf_link": client_url(client=client, path=f"/scorecard/export.pdf?month={snapshot.month:%Y-%m}"),
            "opt_out": client_url(client=client, path=f"/accounts/monthly-email/off/?t={opt_out_token(user)}"),
        }
        subject = _("%(client)s: your marketing scorecard for %(month)s") % {
            "client": client.name,
            "month": snapshot.month.strftime("%Y-%m"),
        }
        brand = report["brand"]
        return {
            "subject": subject,
            "body": render_to_string("kpis/email/monthly.txt", context),
            "html": render_to_string("kpis/email/monthly.html", context),
            # Mail programs show their own "unsubscribe" for this header (RFC 2369).
            "headers": {"List-Unsubscribe": f"<{context['opt_out']}>"},
            # Sent under the agency's name (white label); the chart inline, the PDF attached.
            "from_email": formataddr((brand.get("sender") or brand["name"], settings.DEFAULT_FROM_EMAIL)),
            "attachments": report["attachments"],
        }
