"""The daily digest of the month's checks for agency staff: one email a day at most, never one per check.

Read from the public mirrors (portfolio.ClientMonthChecks, portfolio.ClientMonthClose), so a
staff member's 50 clients cost a few queries and no client schema is opened. It lists the months
waiting for the agency (open, in review, or with a revision to approve) that still have checks to
look at. Queued through the agency's own outbox (agency.outbox.PUBLIC, in the public schema: the
digest is about many clients, so no client's outbox holds it), with the day as the reference: the
outbox's unique key makes a second run on the same day queue nothing. Written in the staff
member's language (their choice, else the agency's), branded like the monthly email.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from agency.branding import brand_for
from agency.emails import brand_logo_inline, brand_sender
from agency.models import Membership, User
from agency.months import Month
from agency.outbox import PUBLIC
from agency.selectors import client_url, language_for
from portfolio.models import ClientMonthChecks, ClientMonthClose

KIND = "checks_digest"
WAITING = (ClientMonthClose.State.OPEN, ClientMonthClose.State.IN_REVIEW)


def digest_rows() -> dict[int, list[dict[str, Any]]]:
    """Per staff member (user id): the client-months waiting for the agency with checks left open."""
    waiting = ClientMonthClose.objects.filter(Q(state__in=WAITING) | Q(revision_pending=True)).values_list("client_id", "month")
    months = {(client_id, month) for client_id, month in waiting}
    counts = [
        row
        for row in ClientMonthChecks.objects.filter(open__gt=0).select_related("client").order_by("client__name", "month")
        if (row.client_id, row.month) in months
    ]
    by_client: dict[int, list[ClientMonthChecks]] = {}
    for row in counts:
        by_client.setdefault(row.client_id, []).append(row)
    staff = Membership.objects.filter(
        client_id__in=by_client, user__role=User.Role.STAFF, user__is_active=True
    ).values_list("user_id", "client_id")
    found: dict[int, list[dict[str, Any]]] = {}
    for user_id, client_id in staff:
        found.setdefault(user_id, []).extend(
            {"client": row.client, "month": row.month, "open": row.open, "open_high": row.open_high}
            for row in by_client[client_id]
        )
    return found


def checks_digest_queue(*, day: dt.date) -> int:
    """Queue today's digest for every staff member with checks to look at; returns how many were queued."""
    queued = 0
    rows = digest_rows()
    brand = brand_for(None)
    logo = brand_logo_inline(brand)
    for user in User.objects.filter(pk__in=rows).exclude(email="").order_by("pk"):
        items = sorted(rows[user.pk], key=lambda item: (-item["open_high"], item["client"].name, item["month"]))
        with translation.override(language_for(user=user, client=None)):
            lines = [
                {
                    "client": item["client"].name,
                    "month": date_format(item["month"], "YEAR_MONTH_FORMAT"),
                    "counts": ngettext("%(count)s to look at", "%(count)s to look at", item["open"]) % {"count": item["open"]}
                    + (
                        " · " + ngettext("%(count)s high", "%(count)s high", item["open_high"]) % {"count": item["open_high"]}
                        if item["open_high"]
                        else ""
                    ),
                    "link": client_url(client=item["client"], path=f"/reports/{Month.of(item['month'])}/"),
                }
                for item in items
            ]
            total = sum(item["open"] for item in items)
            subject = ngettext(
                "%(count)s check to look at before you approve", "%(count)s checks to look at before you approve", total
            ) % {"count": total}
            context = {"lines": lines, "day": day, "user": user, "brand": brand, "has_logo": bool(logo), "subject": subject}
            body = render_to_string("reports/email/checks_digest.txt", context)
            html = render_to_string("reports/email/checks_digest.html", context)
        queued += PUBLIC.enqueue(
            kind=KIND, recipient_id=user.pk, to=user.email, subject=subject, body=body, html=html,
            reference=day.isoformat(), from_email=brand_sender(brand), attachments=logo,
        )
    if queued:
        PUBLIC.drain_schedule()
    return queued
