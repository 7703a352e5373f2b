"""Writes of the commentary draft: "Draft from the figures" fills the sections nobody wrote.

A section whose current text a person typed is never touched; an empty one, or one holding an
earlier draft, gets the new draft, saved like any commentary (kept in the history, with who
pressed the button and when) and marked ``drafted`` so that the next draft may replace it while
it stays untouched. Once a person edits a drafted section it is theirs (the autosave stores it
with ``drafted`` false).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client, User
from kpis.draft import draft_sections_text
from reports.models import Commentary, MonthReport
from reports.selectors import commentary_current
from reports.selectors_draft import month_draft_for
from reports.services import month_close_mirror
from reports.text import MAX_LENGTH


def commentary_draft_apply(
    *, client: Client, month: dt.date, user: User, language: str | None = None
) -> tuple[list[str], list[str]]:
    """Write the month's draft into the sections a person has not written: (filled, kept)."""
    if not user.is_agency:
        raise ValidationError(_("Only agency staff write the commentary."))
    with tenant_context(client):
        texts = draft_sections_text(month_draft_for(client=client, month=month, language=language))
        filled, kept = [], []
        with transaction.atomic():
            MonthReport.objects.get_or_create(month=month)
            current = commentary_current(month=month)
            for section in Commentary.Section:
                row = current.get(section.value)
                text = texts.get(section.value, "")[:MAX_LENGTH]
                if row is not None and row.text.strip() and not row.drafted:
                    kept.append(section.value)
                    continue
                if not text or (row is not None and row.text == text):
                    continue
                Commentary.objects.create(
                    month=month, section=section.value, text=text, author=user.pk,
                    author_name=user.display_name, written_at=timezone.now(), drafted=True,
                )  # fmt: skip
                filled.append(section.value)
            if filled:  # the close board's Commentary column (and the bulk confirmation) says "Draft" now
                month_close_mirror(client=client, month=month)
    return filled, kept
