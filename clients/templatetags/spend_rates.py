"""The rates behind converted spend, shown under the spend drill-downs (a one-line include)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from clients.selectors import spend_conversions

register = template.Library()


@register.inclusion_tag("clients/includes/converted_spend.html", takes_context=True)
def converted_spend(context: template.Context, month: dt.date | None) -> dict[str, Any]:
    """Spend of ``month`` that arrived in another currency: per currency and rate, original and converted totals."""
    request = context.get("request")
    client = getattr(request, "tenant", None)
    rows = spend_conversions(month=month) if month else []
    return {"rows": rows, "currency": getattr(client, "currency", ""), "month": month}
