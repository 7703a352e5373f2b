"""The email telling the agency's admins that staff ask them to review a client's qualification criteria
(only admins change them), rendered in each admin's language and queued in the client's outbox."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agency.branding import brand_for
from agency.emails import brand_sender
from agency.models import Client
from agency.selectors import agency_admins_list, client_url, language_for
from clients.models import CriteriaReviewRequest
from clients.outbox import outbox_email_enqueue

KIND = "criteria_review"


def criteria_review_emails(*, client: Client, request: CriteriaReviewRequest) -> int:
    """Queue one email per active admin with an address (once per request: the outbox's reference);
    returns how many were queued."""
    queued = 0
    sender = brand_sender(brand_for(client))
    for admin in agency_admins_list().exclude(email=""):
        with translation.override(language_for(user=admin, client=client)):
            month = date_format(request.month, "YEAR_MONTH_FORMAT") if request.month else ""
            context = {"client": client, "request": request, "month": month,
                       "link": client_url(client=client, path="/criteria/new/")}
            queued += outbox_email_enqueue(
                client=client, kind=KIND, recipient_id=admin.pk, to=admin.email, month=request.month,
                reference=f"r{request.pk}", from_email=sender,
                subject=_("%(client)s: %(name)s asks you to review the qualification criteria") % {
                    "client": client.name, "name": request.asked_by_name},
                body=render_to_string("clients/email/criteria_review.txt", context),
            )
    return queued
