"""The monthly scorecard email to each client user who wants it, after the month closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client, User
from agency.selectors import client_url, opt_out_token
from clients.outbox import outbox_email_enqueue, outbox_recipients, outbox_send_due
from kpis.catalogue import headline_kpis
from kpis.models import Snapshot
from kpis.scorecard import format_value

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


def _render(*, client: Client, user: User, snapshot: Snapshot) -> dict[str, Any]:
    with translation.override(user.language or "en"):
        kpis = snapshot.document["kpis"]
        lines = [(str(k.label), format_value(k.key, kpis.get(k.key), client.currency)) for k in headline_kpis()]
        context = {
            "client": client,
            "month": snapshot.month,
            "lines": lines,
            "link": client_url(client=client, path=f"/scorecard/?month={snapshot.month:%Y-%m}"),
            "opt_out": client_url(client=client, path=f"/accounts/monthly-email/off/?t={opt_out_token(user)}"),
        }
        subject = _("%(client)s: your marketing scorecard for %(month)s") % {
            "client": client.name,
            "month": snapshot.month.strftime("%Y-%m"),
        }
        return {
            "subject": subject,
            "body": render_to_string("kpis/email/monthly.txt", context),
            "html": render_to_string("kpis/email/monthly.html", context),
            # Mail programs show their own "unsubscribe" for this header (RFC 2369).
            "headers": {"List-Unsubscribe": f"<{context['opt_out']}>"},
        }
