"""Staff actions around the scorecard: notes, targets, recompute with progress, the planner."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.dates import month_parse
from agency.decorators import client_staff_required
from agency.forms import apply_errors
from agency.http import found
from agency.months import Month
from clients.imports.selectors import job_get
from clients.jobs import job_retry, jobs_stale_fail
from clients.models import Job
from kpis.formatting import format_value
from kpis.forms import AnnotationForm, TargetForm
from kpis.services import annotation_create, plan_compute, recompute_request, target_set, targets_from_plan
from kpis.tasks import snapshot_recompute_job
from kpis.views import scorecard_page


def _month(value: str) -> dt.date | None:
    """``YYYY-MM`` inside the portal's date range (agency.dates), else None."""
    return month_parse(value)


PLAN_MAX_MONTHS = 120


def _back(month: dt.date | None) -> HttpResponse:
    return redirect(f"/scorecard/?month={Month.of(month)}" if month else "/scorecard/")


def _invalid(request: HttpRequest, **bound: Any) -> HttpResponse:
    """The scorecard of the form's month again, staff tools open with the field errors (422).

    The page is the scorecard's of that month; the bound forms reach the staff tools through
    the template context (kpis.templatetags.scorecard_staff).
    """
    form = next(iter(bound.values()))
    month = form.cleaned_data.get("month") or _month(form.data.get("month", ""))
    return scorecard_page(request, month_text=str(Month.of(month)) if month else "", bound_forms=bound, status=422)


@client_staff_required
@require_POST
def annotation_add(request: HttpRequest) -> HttpResponse:
    form = AnnotationForm(request.POST, month=_month(request.POST.get("month", "")))
    if not form.is_valid():
        return _invalid(request, annotation=form)
    month = form.cleaned_data["month"]
    try:
        annotation_create(client=request.tenant, month=month, text=form.cleaned_data["text"], user=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return _invalid(request, annotation=form)
    messages.success(request, _("Note added."))
    return _back(month)


@client_staff_required
@require_POST
def target_set_view(request: HttpRequest) -> HttpResponse:
    form = TargetForm(request.POST, month=_month(request.POST.get("month", "")))
    if not form.is_valid():
        return _invalid(request, target=form)
    month, value = form.cleaned_data["month"], form.cleaned_data["value"]
    try:
        target_set(client=request.tenant, month=month, kpi=form.cleaned_data["kpi"], value=value, user=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return _invalid(request, target=form)
    messages.success(request, _("Target saved.") if value is not None else _("Target removed."))
    return _back(month)


@client_staff_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    month = _month(request.POST.get("month", ""))
    if month is None:
        return HttpResponse(_("Choose a month."), status=400)
    job = recompute_request(client=request.tenant, months=[month], user=request.user)
    job = found(job_get(job_id=job.pk, kind="recompute"))  # queuing ran at commit: with the queue unreachable it failed
    return render(request, "kpis/recompute_status.html", {"job": job, "month": _job_month(job)})


@client_staff_required
@require_GET
def recompute_status(request: HttpRequest, job_id: int) -> HttpResponse:
    jobs_stale_fail(job_ids=[job_id])  # a job whose worker died unnoticed (clients.jobs)
    job = found(job_get(job_id=job_id, kind="recompute"))
    return render(request, "kpis/recompute_status.html", {"job": job, "month": _job_month(job)})


def _job_month(job: Job) -> str:
    """The month the scorecard swaps back to once the recompute is done ("YYYY-MM")."""
    months = (job.params or {}).get("months") or []
    return months[0] if months else ""


@client_staff_required
@require_POST
def recompute_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Run a failed recompute again (its worker died, or the queue was unreachable)."""
    job = found(job_get(job_id=job_id, kind="recompute"))
    job_retry(client=request.tenant, job=job, task=snapshot_recompute_job)
    job = found(job_get(job_id=job_id, kind="recompute"))  # as the retry left it (failed again without a queue)
    return render(request, "kpis/recompute_status.html", {"job": job, "month": _job_month(job)})


class PlanForm(forms.Form):
    """The planner's goal and rates, read in the page's number format (``localize``): a Spanish page
    takes the rate "0,25" as it is typed there (and "0.25" too), as the targets form does."""

    revenue_goal = forms.DecimalField(label=gettext_lazy("Revenue goal"), min_value=Decimal("0.01"), max_value=Decimal("1e12"),
                                      localize=True)
    average_deal = forms.DecimalField(label=gettext_lazy("Average deal"), min_value=Decimal("0.01"), max_value=Decimal("1e12"),
                                      localize=True)
    first_month = forms.CharField(label=gettext_lazy("From (YYYY-MM)"), max_length=7)
    last_month = forms.CharField(label=gettext_lazy("To (YYYY-MM)"), max_length=7)
    sql_to_customer = forms.DecimalField(
        label=gettext_lazy("SQL → customer rate (blank: trailing 12 months)"),
        required=False,
        min_value=Decimal("0.0001"),
        max_value=1,
        localize=True,
    )
    mql_to_sql = forms.DecimalField(
        label=gettext_lazy("MQL → SQL rate"), required=False, min_value=Decimal("0.0001"), max_value=1, localize=True
    )
    lead_to_mql = forms.DecimalField(
        label=gettext_lazy("Lead → MQL rate"), required=False, min_value=Decimal("0.0001"), max_value=1, localize=True
    )
    traffic_to_lead = forms.DecimalField(
        label=gettext_lazy("Traffic → lead rate"), required=False, min_value=Decimal("0.0001"), max_value=1, localize=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # localized: text boxes, with a phone's number keypad
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["inputmode"] = "decimal"

    def clean(self) -> dict:
        data = super().clean()
        first, last = _month(data.get("first_month", "")), _month(data.get("last_month", ""))
        if first is None:
            self.add_error("first_month", _("Use YYYY-MM."))
        if last is None:
            self.add_error("last_month", _("Use YYYY-MM."))
        if first and last and last < first:
            self.add_error("last_month", _("The plan ends before it starts."))
        elif first and last and (last.year - first.year) * 12 + last.month - first.month >= PLAN_MAX_MONTHS:
            self.add_error("last_month", _("A plan covers at most %(n)s months.") % {"n": PLAN_MAX_MONTHS})
        data["first"], data["last"] = first, last
        return data


@client_staff_required
@require_http_methods(["GET", "POST"])
def planner(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rates = {
            k: float(data[k]) if data[k] is not None else None
            for k in ("sql_to_customer", "mql_to_sql", "lead_to_mql", "traffic_to_lead")
        }
        plan = plan_compute(
            client=request.tenant,
            revenue_goal=float(data["revenue_goal"]),
            average_deal=float(data["average_deal"]),
            first_month=data["first"],
            last_month=data["last"],
            rates=rates,
        )
        if request.POST.get("apply") == "1":
            count = targets_from_plan(client=request.tenant, plan=plan, user=request.user)
            messages.success(request, _("%(count)s targets set from the plan.") % {"count": count})
            return _back(data["first"])
    status = 422 if form.errors else 200
    if plan is not None:
        plan = {**plan, "rates_shown": _rates_shown(plan["rates"])}
    return render(request, "kpis/planner.html", {"form": form, "plan": plan}, status=status)


RATE_NAMES = {
    "sql_to_customer": _lazy("SQL → customer rate"),
    "mql_to_sql": _lazy("MQL → SQL rate"),
    "lead_to_mql": _lazy("Lead → MQL rate"),
    "traffic_to_lead": _lazy("Traffic → lead rate"),
}


def _rates_shown(rates: dict[str, float | None]) -> list[tuple[str, str]]:
    """The rates the plan used, as percentages ("—" where the client has no history)."""
    return [(str(label), format_value("traffic_to_lead", rates.get(key), "")) for key, label in RATE_NAMES.items()]
