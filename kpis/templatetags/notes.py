"""``{{ version.reason|revision_note }}``: a revision's reason inside a sentence of the page's language
(kpis.notes); ``|revision_note:user.is_agency`` in staff's words on a page both read."""

from __future__ import annotations

from django import template

from kpis.notes import revision_note as note

register = template.Library()


@register.filter
def revision_note(reason: str, staff: bool = False) -> str:
    return note(reason, staff=bool(staff))
