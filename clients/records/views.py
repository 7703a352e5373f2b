"""Staff screens for a client's personas and contracts."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.decorators import client_staff_required
from agency.http import found
from agency.months import add_months
from clients.criteria.forms import draft_apply
from clients.criteria.numbers import examples
from clients.records.forms import CancelForm, ContractForm, HolidaysForm, PersonaForm, PublicHolidaysForm
from clients.records.persona_builder import builder_choices, match_count_words, with_paths
from clients.records.public_holidays import COUNTRIES, ZONE_COUNTRY, region_names
from clients.records.selectors import (
    contract_get,
    contracts_list,
    holidays_list,
    persona_get,
    persona_match_count,
    personas_list,
)
from clients.records.services import (
    contract_cancel,
    contract_save,
    holidays_add_public,
    holidays_set,
    persona_move,
    persona_save,
)


@client_staff_required
@require_GET
def persona_list(request: HttpRequest) -> HttpResponse:
    return render(request, "clients/records/personas.html", {"personas": personas_list()})


@client_staff_required
@require_POST
def persona_move_view(request: HttpRequest, code: str) -> HttpResponse:
    """Up or down one place in the priority order (buttons, so the keyboard works as the mouse)."""
    persona = found(persona_get(code=code))
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        return HttpResponse(status=400)
    if persona_move(client=request.tenant, code=persona.code, step=step):
        messages.success(request, _("“%(name)s” moved %(where)s; leads were matched to personas again.") % {
            "name": persona.name, "where": _("up") if step < 0 else _("down")})
    response = redirect("persona_list")
    response["Location"] += f"#persona-{persona.code}"  # back to the row moved, where the focus was
    return response


def _persona_context(form: PersonaForm, *, code: str | None, persona: object | None, match: dict | None) -> dict:
    """The persona page's state: the rows (numbered as the criteria editor numbers them), the live count."""
    with_paths(form.tree)
    count = None
    if match is not None:
        count = match_count_words(persona_match_count(match=match, code=code or ""), match)
    return {
        "form": form,
        "number_examples": examples(),  # the hint's 1,000 and 2.5, as the page's language writes them
        "tree": form.tree,
        "count": count,
        "original_code": code or "",
        "json_mode": form.json_mode(),
        "oob_rows": None,  # the count's answer alone clears the errors of rows fixed since (persona_builder)
        "json_open": form.json_mode() or bool(form.errors.get("match")),
        "rows_show_stored": form.rows_show_stored,
        # The summary says only "rows need fixing": the live count hides it once they are fixed.
        "only_row_faults": bool(form.row_faults) and len(form.errors) == 1 and len(form.non_field_errors()) == 1,
        "title": _("Persona %(name)s") % {"name": persona.name} if persona else _("New persona"),
        **builder_choices(),
    }


@client_staff_required
@require_http_methods(["GET", "POST"])
def persona_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    persona = found(persona_get(code=code)) if code else None
    stored = persona.match if persona else None
    initial = {}
    if persona:
        initial = {"code": persona.code, "name": persona.name, "match": json.dumps(persona.match, ensure_ascii=False, indent=2)}
    form = PersonaForm(request.POST or None, initial=initial, stored_match=stored)
    form.initial["use_json"] = form.json_mode()
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in ("code", "name", "match")}
            persona_save(client=request.tenant, original_code=code, **fields)
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            messages.success(request, _("Persona saved; leads were judged again."))
            return redirect("persona_list")
    match = form.match_to_count() if form.is_bound else (stored if stored is not None else None)
    context = _persona_context(form, code=code, persona=persona, match=match)
    return render(request, "clients/records/persona_form.html", context, status=422 if form.errors else 200)


@client_staff_required
@require_POST
def persona_builder(request: HttpRequest) -> HttpResponse:
    """The rows after an add/remove button (``operation``), or only the live count, keeping what was typed."""
    code = request.POST.get("original_code") or None
    persona = persona_get(code=code) if code else None
    form = PersonaForm(request.POST, stored_match=persona.match if persona else None)
    operation = request.POST.get("operation", "")
    if operation:
        form.tree = draft_apply({"fit": form.tree, "points": []}, operation)["fit"]
    context = _persona_context(form, code=code, persona=persona, match=form.match_to_count())
    if operation:
        return render(request, "clients/records/persona_form.html#builder", context)
    context["oob_rows"] = [] if form.json_mode() else form.fine_rows
    context["oob_summary"] = not form.json_mode() and context["count"] is not None
    return render(request, "clients/records/persona_form.html#count", context)


@client_staff_required
@require_http_methods(["GET", "POST"])
def holidays_edit(request: HttpRequest) -> HttpResponse:
    """The client's non-working days on a screen: the set-up checklist's step without a shell, and a
    country's public holidays added in one step."""
    current = "\n".join(f"{day:%Y-%m-%d}" for day in holidays_list())
    public_post = request.method == "POST" and request.POST.get("action") == "public"
    form = HolidaysForm(request.POST if request.method == "POST" and not public_post else None, initial={"dates": current})
    public = PublicHolidaysForm(request.POST if public_post else None, initial=_public_initial(request.tenant))
    if public_post and public.is_valid():
        return _holidays_add_public(request, public)
    if request.method == "POST" and not public_post and form.is_valid():
        try:
            saved = holidays_set(client=request.tenant, dates=form.date_list())
        except ValidationError as error:
            for message in error.message_dict.get("dates", error.messages):
                form.add_error("dates", message)
        else:
            messages.success(request, _("%(count)s non-working days saved.") % {"count": len(saved)})
            return redirect("holidays")
    status = 422 if form.errors or public.errors else 200
    return render(request, "clients/records/holidays.html", {"form": form, "public": public}, status=status)


def _public_initial(client: Any) -> dict[str, Any]:
    year = timezone.now().astimezone(ZoneInfo(client.timezone)).year
    return {"country": ZONE_COUNTRY.get(client.timezone, ""), "first_year": year - 1, "last_year": year + 1}


def _holidays_add_public(request: HttpRequest, form: PublicHolidaysForm) -> HttpResponse:
    country, region = form.cleaned_data["country"], form.region_code()
    years = range(form.cleaned_data["first_year"], form.cleaned_data["last_year"] + 1)
    try:
        public, added = holidays_add_public(client=request.tenant, country=country, region=region, years=years,
                                            language=translation.get_language() or "en")
    except ValidationError as error:  # a date outside the portal's range
        for message in error.message_dict.get("dates", error.messages):
            form.add_error("first_year", message)
        return render(request, "clients/records/holidays.html",
                      {"form": HolidaysForm(initial={"dates": "\n".join(f"{d:%Y-%m-%d}" for d in holidays_list())}),
                       "public": form}, status=422)
    place = str(COUNTRIES[country]) + (f" ({region_names(country).get(region, region)})" if region else "")
    values = {"added": added, "place": place, "total": len(public),
              "years": str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"}
    if added == len(public):  # every one new: no "others were already in the list" when there are none
        messages.success(request, ngettext(
            "%(added)s public holiday of %(place)s for %(years)s added.",
            "%(added)s public holidays of %(place)s for %(years)s added.", added) % values)
    else:
        messages.success(request, ngettext(
            "%(added)s public holiday of %(place)s for %(years)s added (%(total)s in those years; "
            "the others were already in the list).",
            "%(added)s public holidays of %(place)s for %(years)s added (%(total)s in those years; "
            "the others were already in the list).",
            added) % values)
    return redirect("holidays")


@client_staff_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = contracts_list()
    return render(request, "clients/records/contracts.html", {"contracts": contracts, "cancel_form": CancelForm()})


@client_staff_required
@require_http_methods(["GET", "POST"])
def contract_edit(request: HttpRequest, contract_id: str | None = None, renew: str | None = None) -> HttpResponse:
    contract = found(contract_get(contract_id=contract_id)) if contract_id else None
    initial = {}
    if renew:
        renewed = found(contract_get(contract_id=renew))
        start = renewed.cancelled_on or renewed.end_date
        if renewed.kind == "retainer" and start is None:
            start = add_months(renewed.start_date, renewed.term_months or 0)
        initial = {
            "account": renewed.account,
            "kind": renewed.kind,
            "segment": renewed.segment,
            "start_date": start,
            "term_months": renewed.term_months,
            "monthly_fee": renewed.monthly_fee,
            "renewal_of": renewed.pk,
        }
    form = ContractForm(request.POST or None, instance=contract, initial=initial)
    if contract is not None:
        form.fields["id"].disabled = True
    if request.method == "POST" and form.is_valid():
        contract_save(client=request.tenant, contract=form.save(commit=False), created=contract is None)
        messages.success(request, _("Contract saved."))
        return redirect("contract_list")
    return render(
        request, "clients/records/form.html", {"form": form, "title": _("Contract")}, status=422 if form.errors else 200
    )


@client_staff_required
@require_http_methods(["GET", "POST"])
def contract_cancel_view(request: HttpRequest, contract_id: str) -> HttpResponse:
    contract = found(contract_get(contract_id=contract_id))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contract_cancel(client=request.tenant, contract=contract, cancelled_on=form.cleaned_data["cancelled_on"])
        except ValidationError as error:
            form.add_error("cancelled_on", error.messages[0])
        else:
            messages.success(request, _("Contract %(id)s cancelled.") % {"id": contract.pk})
            return redirect("contract_list")
    return render(
        request,
        "clients/records/form.html",
        {"form": form, "title": _("Cancel contract %(id)s") % {"id": contract.pk}},
        status=422 if form.errors else 200,
    )
