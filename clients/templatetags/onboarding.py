"""Small includes about a client's set-up, usable on any of its pages (home, scorecard).

Kept as template tags so the pages that show them (the scorecard is reworked elsewhere)
need one line each and no change to their views.
"""

from __future__ import annotations

from typing import Any

from django import template

from clients.criteria.selectors import criteria_exist
from clients.selectors import setup_steps, spend_exists

register = template.Library()


@register.inclusion_tag("clients/includes/no_criteria_warning.html", takes_context=True)
def no_criteria_warning(context: template.Context) -> dict[str, Any]:
    """A warning while the client has no qualification criteria: its MQL figures are not real zeros.
    A page that has already read the answer (the scorecard, in its one read) passes it as
    ``criteria_exist`` in its context. ``leads_loaded`` False (the page's month has no lead source
    yet, kpis.nodata.leads_loaded): those figures read "—", not 0, and the warning says why."""
    request = context.get("request")
    known = context.get("criteria_exist")
    return {
        "show": not (criteria_exist() if known is None else known),
        "user": getattr(request, "user", None),
        "leads_loaded": context.get("leads_loaded", True) is not False,
    }


@register.inclusion_tag("clients/includes/no_spend_warning.html", takes_context=True)
def no_spend_warning(context: template.Context) -> dict[str, Any]:
    """A warning while the client has no spend at all: its cost figures (spend, cost per lead, CAC)
    read zero for want of data, not because nothing was spent. A page that has already read the
    answer (the scorecard, in its one read) passes it as ``spend_exists`` in its context. Staff only:
    the month's draft says "no marketing spend is recorded" in the words the client reads."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_agency", False):
        # Staff fix it (connect, import); a client's page reads nothing but its approved version.
        return {"show": False, "user": user}
    known = context.get("spend_exists")  # the scorecard's one read has it
    return {"show": not (spend_exists() if known is None else known), "user": user}


@register.inclusion_tag("clients/includes/checklist.html", takes_context=True)
def setup_checklist(context: template.Context) -> dict[str, Any]:
    """The new client's checklist for agency staff, until every step is done."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_agency", False):
        # The set-up is the agency's work: a client's own people never see the to-do list.
        return {"steps": [], "done": True, "user": user}
    steps = setup_steps(client=getattr(request, "tenant", None))
    # An optional step (targets) is offered, never awaited: the list goes once the others are done.
    return {"steps": steps, "done": all(step["done"] for step in steps if not step.get("optional")), "user": user}
