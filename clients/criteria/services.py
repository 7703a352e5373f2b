"""Writes of qualification: criteria versions, personas, and judging the leads again after either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.dates import date_in_range, date_range_message
from agency.models import Client
from agency.months import Month, local_midnight
from clients.criteria.emails import criteria_review_emails
from clients.criteria.qualification import leads_judge
from clients.criteria.rules import criteria_validate, personas_problems
from clients.models import CriteriaReviewRequest, CriteriaVersion, Persona
from clients.outbox import outbox_drain_schedule
from clients.signals import data_changed, leads_requalified


def leads_requalify(*, client: Client, months: Iterable[str] | None = None, created_from: dt.datetime | None = None) -> set[str]:
    """Re-judge the client's leads (all, or those an import touched) and announce the months that moved."""
    with tenant_context(client):
        touched = leads_judge(timezone=client.timezone, months=months, created_from=created_from)
        if touched:
            leads_requalified.send(sender=Client, client=client, months=touched)
    return touched


def criteria_version_create(
    *, criteria: dict, effective_from: dt.date | str, author: Any = None, change_note: str = "", client: Client | None = None,
    saved_via: str = "",
) -> CriteriaVersion:
    """Store a new version of the qualification criteria and judge again the leads it governs.

    ``author`` is named as the close names people (``User.display_name``: the full name, else the
    email); ``saved_via`` (a ``CriteriaVersion.SavedVia``; the editor when an author is given) says
    how a version without a person came in, so its page gives a reason rather than a bare "—".

    Runs in the current schema (or ``client``'s). Invalid criteria raise ValidationError with
    every problem and its JSON path; nothing is saved.
    """
    criteria_validate(criteria)
    if isinstance(effective_from, str):
        try:
            effective_from = dt.date.fromisoformat(effective_from)
        except ValueError:
            raise ValidationError({"effective_from": [_("Use a date, YYYY-MM-DD.")]}) from None
    if not date_in_range(effective_from):  # checked before anything is written
        raise ValidationError({"effective_from": [date_range_message()]})
    client = client or connection.tenant
    with tenant_context(client), transaction.atomic():
        latest = CriteriaVersion.objects.select_for_update().order_by("-version").first()
        first = not CriteriaVersion.objects.exists()
        version = CriteriaVersion.objects.create(
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            criteria=criteria,
            author=author if getattr(author, "pk", None) else None,
            author_name=getattr(author, "display_name", "") or "",
            change_note=change_note,
            saved_via=saved_via or (CriteriaVersion.SavedVia.EDITOR if getattr(author, "pk", None) else ""),
        )
        # Staff's open request to review the criteria is answered by this version (its page names it).
        CriteriaReviewRequest.objects.filter(answered_at__isnull=True).update(
            answered_at=timezone.now(), answered_version=version.version)
    created_from = None if first else local_midnight(effective_from, ZoneInfo(client.timezone))
    leads_requalify(client=client, created_from=created_from)
    # Snapshots from the effective month on name the version in effect: they are recomputed too.
    data_changed(client=client, kind="criteria", months={str(Month.of(effective_from))})
    return version


def criteria_review_ask(
    *, client: Client, user: Any, month: dt.date | None = None
) -> tuple[CriteriaReviewRequest, bool]:
    """Staff's "ask an admin" (only the agency's admins change the criteria): a request the criteria page
    and the month check show until an admin saves a new version, and an email to each admin in their
    language. A request already open is returned as it is (False): one click more emails nobody again.
    Runs in ``client``'s schema."""
    with tenant_context(client), transaction.atomic():
        open_request = CriteriaReviewRequest.objects.select_for_update().filter(answered_at__isnull=True).first()
        if open_request is not None:
            return open_request, False
        request = CriteriaReviewRequest.objects.create(
            asked_by=user if getattr(user, "pk", None) else None,
            asked_by_name=getattr(user, "display_name", "") or "",
            month=Month.of(month).first_day if month else None,
        )
        criteria_review_emails(client=client, request=request)
        transaction.on_commit(lambda: outbox_drain_schedule(client=client))
    return request, True


def personas_set(*, personas: list[dict], client: Client | None = None) -> list[Persona]:
    """Replace the client's personas (in priority order) and judge every lead's persona again."""
    problems = personas_problems(personas)
    if problems:
        raise ValidationError({"personas": problems})
    client = client or connection.tenant
    with tenant_context(client), transaction.atomic():
        Persona.objects.all().delete()
        stored = Persona.objects.bulk_create(
            Persona(code=p["code"], name=p["name"], match=p.get("match") or {}, priority=index)
            for index, p in enumerate(personas)
        )
    leads_requalify(client=client)
    return stored
