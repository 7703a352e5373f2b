"""The staff tools' forms on the scorecard: fresh ones for the month, or the bound ones with errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from kpis.forms import AnnotationForm, TargetForm

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_forms(context: template.Context, month: dt.date) -> dict[str, Any]:
    """``{% staff_forms month as forms %}``: forms.annotation, forms.target, and forms.open after a failed submit.

    A failed submit (kpis.views_context._invalid) leaves its bound forms on the request, so the
    page shows what was typed with the errors beside the fields and the staff tools open.
    """
    bound = getattr(context.get("request"), "scorecard_forms", {})
    return {
        "annotation": bound.get("annotation") or AnnotationForm(month=month),
        "target": bound.get("target") or TargetForm(month=month),
        "open": bool(bound),
    }
