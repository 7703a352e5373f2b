"""The staff tools' forms on the scorecard: fresh ones for the month, or the bound ones with errors."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kpis.forms import AnnotationForm, TargetForm

register = template.Library()
FORMS = {"annotation": AnnotationForm, "target": TargetForm}


@lru_cache(maxsize=512)
def _blank(kind: str, month: dt.date, language: str) -> SafeString:
    """An empty form's fields as HTML: the same for every user, so written once per month and
    language (it holds no token or user data; the CSRF token is outside, in the <form>)."""
    return mark_safe(render_to_string("includes/form.html", {"form": FORMS[kind](month=month)}))  # noqa: S308


@register.simple_tag(takes_context=True)
def staff_forms(context: template.Context, month: dt.date) -> dict[str, Any]:
    """``{% staff_forms month as forms %}``: forms.annotation and forms.target (the fields as HTML),
    and forms.open after a failed submit.

    A failed submit (kpis.views_context._invalid) puts its bound forms in the page's context, so
    the page shows what was typed with the errors beside the fields and the staff tools open.
    """
    bound = context.get("scorecard_forms") or {}
    language = get_language() or ""
    shown: dict[str, Any] = {"open": bool(bound)}
    for kind in FORMS:
        form = bound.get(kind)
        shown[kind] = (
            mark_safe(render_to_string("includes/form.html", {"form": form}))  # noqa: S308
            if form is not None
            else _blank(kind, month, language)
        )
    return shown
