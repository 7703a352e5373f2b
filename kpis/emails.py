"""The monthly scorecard email to each client user who wants it, after the month closes."""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client, User
from agency.selectors import client_url, opt_out_token
from kpis.catalogue import headline_kpis
from kpis.models import ScorecardEmail, Snapshot
from kpis.scorecard import format_value


def scorecard_emails_send(*, client: Client, month: dt.date) -> int:
    """Email the month's headline KPIs to the client's users who did not opt out; each at most once."""
    recipients = User.objects.filter(
        memberships__client=client, role=User.Role.CLIENT, is_active=True, monthly_email=True
    ).exclude(email="")
    sent = 0
    with tenant_context(client):
        snapshot = Snapshot.objects.filter(month=month).first()
        if snapshot is None:
            return 0
        for user in recipients:
            try:
                with transaction.atomic():
                    ScorecardEmail.objects.create(month=month, user_id=user.pk)
            except IntegrityError:
                continue  # already sent: a redelivered task sends nothing twice
            _send(client=client, user=user, snapshot=snapshot)
            sent += 1
    return sent


def _send(*, client: Client, user: User, snapshot: Snapshot) -> None:
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
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("kpis/email/monthly.txt", context),
            to=[user.email],
            # Mail programs show their own "unsubscribe" for this header (RFC 2369).
            headers={"List-Unsubscribe": f"<{context['opt_out']}>"},
        )
        message.attach_alternative(render_to_string("kpis/email/monthly.html", context), "text/html")
        message.send()
