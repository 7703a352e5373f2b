"""The criteria editor for agency admins: build rules, backtest a draft, save a new version.

The versions and each version's rules are open to the client's agency staff too, read-only: the
month check "the criteria qualify none of the leads" sends them here, and they ask an admin."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.dates import month_parse
from agency.decorators import client_admin_required, client_staff_required
from agency.http import found
from agency.months import Month
from clients.criteria.forms import (
    criteria_diff,
    criteria_to_draft,
    criteria_words,
    draft_apply,
    draft_from_post,
    draft_number_problems,
    draft_to_criteria,
)
from clients.criteria.numbers import examples
from clients.criteria.qualification import backtest
from clients.criteria.rules import FIELDS, OPS_FOR, criteria_max_score, criteria_problems, field_type
from clients.criteria.selectors import (
    criteria_admin_names,
    criteria_effective_default,
    criteria_periods,
    criteria_review_open,
    criteria_version_before,
    criteria_version_get,
    criteria_version_latest,
    criteria_versions_list,
)
from clients.criteria.services import criteria_review_ask, criteria_version_create
from clients.vocab import ACTIONS
from clients.words import names_joined, problem_words

EMPTY = {"fit": {}, "threshold": 30, "points": [], "sales_ready_actions": []}


def _with_paths(node: dict, path: str = "r") -> dict:
    """Number the tree's nodes for the form's field names (see clients.criteria.forms)."""
    node["path"] = path
    for index, child in enumerate(node.get("children", [])):
        _with_paths(child, f"{path}.{index}")
    return node


def _context(request: HttpRequest, draft: dict, **extra: object) -> dict:
    _with_paths(draft["fit"])
    return {
        "draft": draft,
        "fields": sorted(FIELDS),
        "actions": ACTIONS,
        "ops": sorted(set().union(*OPS_FOR.values())),
        "ops_by_type": {kind: sorted(ops) for kind, ops in OPS_FOR.items()},
        "field_types": {name: field_type(name) for name in FIELDS},
        "number_examples": examples(),  # the hint's 1,000 and 2.5, as the page's language writes them
        **extra,
    }


def _json_edited(request: HttpRequest) -> bool:
    """Whether the JSON box holds other criteria than the page showed (spaces and line breaks aside)."""
    typed, shown = request.POST.get("json", ""), request.POST.get("json_shown", "")
    try:
        return json.loads(typed) != json.loads(shown)
    except (ValueError, RecursionError):
        return typed.split() != shown.split()


def _draft_criteria(request: HttpRequest) -> tuple[dict | None, list[str]]:
    if request.POST.get("mode") != "json" and "json_shown" in request.POST and _json_edited(request):
        # Saving the rules above would silently drop what was pasted in the JSON box.
        return None, [_("The JSON box was changed but “Use the JSON” is not ticked: tick it to save the JSON, "
                        "or undo the change to save the rules above.")]
    if request.POST.get("mode") == "json":
        try:
            criteria = json.loads(request.POST.get("json", ""))
        except json.JSONDecodeError as error:
            return None, [_("Not valid JSON: %(error)s") % {"error": error}]
        except (RecursionError, ValueError):  # nested thousands deep; an integer of 5000 digits
            return None, [_("Not valid JSON: nested too deep or a number too long.")]
    else:
        draft = draft_from_post(request.POST)
        criteria = draft_to_criteria(draft)
        # "1,000" on a Spanish page: said how to write it, never guessed; what the validator would say of
        # the same row ("between takes two numbers") follows from it, so it waits until the number is fixed.
        unclear = draft_number_problems(draft)
        if unclear:
            return criteria, unclear
    return criteria, [problem_words(problem) for problem in criteria_problems(criteria)]


@client_staff_required
@require_GET
def criteria_versions(request: HttpRequest) -> HttpResponse:
    periods = criteria_periods(criteria_versions_list())
    return render(request, "clients/criteria/versions.html", {
        "versions": periods, "review": criteria_review_open(), "admins": names_joined(criteria_admin_names())})


@client_staff_required
@require_POST
def criteria_review_ask_view(request: HttpRequest) -> HttpResponse:
    """Staff's one click "ask an admin to review the criteria" (from the month check or the criteria
    page): the request is shown there until a new version answers it, and each admin is emailed."""
    month = month_parse(request.POST.get("month", ""))
    asked, created = criteria_review_ask(client=request.tenant, user=request.user, month=month)
    if created:
        messages.success(request, _("Request sent to %(admins)s: it shows on the criteria page and was emailed.") % {
            "admins": names_joined(criteria_admin_names()) or _("the agency's admins")})
    else:
        messages.info(request, _("%(name)s already asked the admins on %(when)s: they have not answered yet.") % {
            "name": asked.asked_by_name, "when": date_format(timezone.localtime(asked.asked_at), "DATETIME_FORMAT")})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("criteria_versions")
    return redirect(back)


@client_staff_required
@require_GET
def criteria_version_detail(request: HttpRequest, version: int) -> HttpResponse:
    current = found(criteria_version_get(version=version))
    previous = criteria_version_before(version=version)
    return render(
        request,
        "clients/criteria/version.html",
        {
            "version": current,
            "previous": previous,
            "changes": criteria_diff(previous.criteria if previous else None, current.criteria),
            "rules": criteria_words(current.criteria),
            "pretty": json.dumps(current.criteria, indent=2, ensure_ascii=False),
        },
    )


@client_staff_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request: HttpRequest) -> HttpResponse:
    if not request.user.is_agency_admin:
        # Staff following a link here (the month check's "Look") read the criteria instead: the
        # versions page says that an agency admin changes them.
        if request.method != "GET":
            raise Http404
        return redirect("criteria_versions")
    zone = ZoneInfo(request.tenant.timezone)
    today = timezone.now().astimezone(zone).date()
    if request.method == "POST":
        criteria, problems = _draft_criteria(request)
        effective = request.POST.get("effective_from", "")
        if not problems:
            try:
                version = criteria_version_create(
                    criteria=criteria,
                    effective_from=effective,
                    author=request.user,
                    change_note=request.POST.get("change_note", ""),
                    client=request.tenant,
                )
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("Criteria version %(n)s saved; leads were judged again.") % {"n": version.version})
                return redirect("criteria_version_detail", version=version.version)
        draft = criteria_to_draft(criteria) if criteria and request.POST.get("mode") == "json" else draft_from_post(request.POST)
        context = _context(
            request,
            draft,
            problems=problems,
            effective_from=effective,
            change_note=request.POST.get("change_note", ""),
            json_text=request.POST.get("json", ""),
            json_shown=request.POST.get("json_shown", request.POST.get("json", "")),
            json_open=request.POST.get("mode") == "json" or _json_edited(request),
            json_mode=request.POST.get("mode") == "json",
        )
        return render(request, "clients/criteria/edit.html", context, status=422)
    latest = criteria_version_latest()
    criteria = latest.criteria if latest else EMPTY
    # A first version applies from the first month with leads (from today, past months stayed at 0
    # MQLs); a later one from the first month not approved, so approved months keep their criteria.
    effective = criteria_effective_default(timezone=request.tenant.timezone, today=today)
    context = _context(
        request,
        criteria_to_draft(criteria),
        effective_from=effective.isoformat(),
        json_text=json.dumps(criteria, indent=2, ensure_ascii=False),
    )
    return render(request, "clients/criteria/edit.html", context)


@client_admin_required
@require_POST
def criteria_builder(request: HttpRequest) -> HttpResponse:
    """Re-render the rule builder after an add/remove button, keeping what was typed."""
    draft = draft_apply(draft_from_post(request.POST), request.POST.get("operation", ""))
    return render(request, "clients/criteria/edit.html#builder", _context(request, draft))


@client_admin_required
@require_POST
def criteria_backtest(request: HttpRequest) -> HttpResponse:
    """The last 12 months under the stored criteria and under the draft, side by side; saves nothing."""
    criteria, problems = _draft_criteria(request)
    if problems:
        return render(request, "clients/criteria/edit.html#backtest", {"problems": problems}, status=422)
    zone = ZoneInfo(request.tenant.timezone)
    this_month = Month.of(timezone.now(), zone)
    months = [str(month) for month in Month.range(this_month - 12, this_month - 1)]
    result = backtest(criteria=criteria, timezone=request.tenant.timezone, months=months)
    rows = [{"month": m, "first_day": Month.parse(m).first_day,
             **{f"{w}_{k}": v for w in ("current", "draft") for k, v in result[m][w].items()}} for m in months]
    any_dash = any(row["current_rate"] is None or row["draft_rate"] is None for row in rows)  # its "—" says why
    return render(request, "clients/criteria/edit.html#backtest",
                  {"rows": rows, "why_none": _why_none(criteria, rows), "any_dash": any_dash})


def _why_none(criteria: dict, rows: list[dict]) -> str:
    """A backtest of 0 MQLs in every month, explained (it read as a broken editor)."""
    if any(row["draft_mqls"] for row in rows):
        return ""
    threshold, best = criteria.get("threshold") or 0, criteria_max_score(criteria)
    if best < threshold and not criteria.get("sales_ready_actions"):
        return _(
            "No lead becomes an MQL with this draft: its rules can score at most %(best)s points (each rule and "
            "action once), and the threshold is %(threshold)s. Lower the threshold or give the rules more points."
        ) % {"best": f"{best:g}", "threshold": f"{threshold:g}"}
    return _(
        "No lead of the last 12 months becomes an MQL with this draft: none both fits and reaches %(threshold)s "
        "points. Loosen the fit rules or lower the threshold."
    ) % {"threshold": f"{threshold:g}"}
