"""``{{ version.approved_by_name|approver:user.is_agency }}``: who approved a month, in its reader's words
(reports.models.approver_shown): a person by name, the operator's command as "your agency" to a client."""

from __future__ import annotations

from django import template

from reports.models import approver_shown

register = template.Library()


@register.filter
def approver(name: str, staff: bool = False) -> str:
    return approver_shown(name, staff=bool(staff))
