"""The targets page: every KPI's target of one month in one form, for the client's agency staff.

Set up at the start of a client (its set-up checklist links here) and at each quarter's turn: last
month's and this month's figures beside each KPI, "copy last month's targets", and the same targets
applied through a later month. The scorecard's one-KPI form stays for a quick change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agency.dates import month_parse
from agency.decorators import client_staff_required
from agency.forms import apply_errors
from agency.months import Month
from clients.criteria.numbers import number_typed
from kpis.catalogue import GROUPS, targetable
from kpis.formatting import format_value
from kpis.forms import TargetsForm
from kpis.report import client_today
from kpis.selectors_targets import targets_months_set_count, targets_of, targets_reference
from kpis.services import targets_months_set


def _named(month: dt.date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _span(months: list[dt.date]) -> str:
    """"March 2027", or "January 2027 – March 2027" for several months."""
    return _named(months[0]) if len(months) == 1 else f"{_named(months[0])} – {_named(months[-1])}"


@client_staff_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest) -> HttpResponse:
    client = request.tenant
    this_month = Month.of(client_today(client)).first_day
    month = month_parse(request.POST.get("month") or request.GET.get("month", "")) or this_month
    previous = (Month.of(month) - 1).first_day
    notice = ""
    if request.method == "POST":
        form = TargetsForm(request.POST, month=month)
        if form.is_valid():
            months = form.cleaned_data["months"]
            try:
                saved = targets_months_set(client=client, months=months, values=form.cleaned_data["values"],
                                           user=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _(
                    "Targets saved for %(months)s: %(written)s set or changed, %(removed)s removed, %(kept)s unchanged."
                ) % {"months": _span(months), "written": saved.written, "removed": saved.removed, "kept": saved.kept})
                return redirect(f"{request.path}?month={Month.of(month)}")
    else:
        copying = request.GET.get("copy") == "previous"
        stored = targets_of(client=client, month=previous if copying else month)
        if copying:
            notice = (_("Filled in from the targets of %(month)s: check them, then save.") if stored
                      else _("%(month)s has no targets to copy.")) % {"month": _named(previous)}
        form = TargetsForm(initial={key: number_typed(value) for key, value in stored.items()}, month=month)
    keys = [declared.key for declared in targetable()]
    reference = targets_reference(client=client, keys=keys)
    ahead = [(Month.of(month) + n).first_day for n in range(1, 12)]
    return render(request, "kpis/targets.html", {
        "form": form,
        "month": month,
        "previous": previous,
        "following": (Month.of(month) + 1).first_day,
        "notice": notice,
        "reference": reference,
        "groups": _groups(form, reference, client.currency),
        "errors": sum(1 for name in form.errors if name in keys),
        "months_ahead_set": targets_months_set_count(client=client, months=ahead),
        "quarter": number_typed(0.25),  # as the page's language writes it ("0,25" in Spain)
    }, status=422 if form.errors else 200)


def _groups(form: TargetsForm, reference: Any, currency: str) -> list[dict[str, Any]]:
    """The form's KPI fields by catalogue group, each with its two reference figures as written."""
    rows: dict[str, list[dict[str, Any]]] = {group.key: [] for group in GROUPS}
    for declared in targetable():
        rows[declared.group].append({
            "field": form[declared.key],
            "kpi": declared,
            "last": format_value(declared.key, reference.last.get(declared.key), currency),
            "this": format_value(declared.key, reference.this.get(declared.key), currency),
        })
    return [{"title": group.title, "key": group.key, "rows": rows[group.key]} for group in GROUPS if rows[group.key]]
