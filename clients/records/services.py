"""Writes of the staff screens' records, one at a time: holidays, personas, contracts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.dates import date_in_range, date_range_message
from agency.models import Client
from agency.months import Month
from clients.criteria.services import personas_set
from clients.models import Holiday, Persona
from clients.records.public_holidays import public_holidays
from clients.signals import data_changed


def holidays_set(*, client: Client, dates: Iterable[dt.date | str]) -> list[dt.date]:
    """Replace the client's non-working days (they change leads per working day)."""
    parsed: set[dt.date] = set()
    errors = []
    for value in dates:
        if isinstance(value, dt.date):
            if date_in_range(value):
                parsed.add(value)
            else:
                errors.append(f"{value}: {date_range_message()}")
            continue
        try:
            if len(value) != 10:
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            errors.append(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value})
            continue
        if not date_in_range(day):
            errors.append(f"{value}: {date_range_message()}")
        else:
            parsed.add(day)
    if errors:
        raise ValidationError({"dates": errors})
    with tenant_context(client), transaction.atomic():
        old = set(Holiday.objects.values_list("date", flat=True))
        Holiday.objects.exclude(date__in=parsed).delete()
        Holiday.objects.bulk_create([Holiday(date=day) for day in sorted(parsed - old)])
    changed = old ^ parsed
    if changed:
        data_changed(client=client, kind="holidays", months={str(Month.of(day)) for day in changed})
    return sorted(parsed)


# --- personas and contracts, one at a time (staff screens) --------------------------------------



def holidays_add_public(
    *, client: Client, country: str, region: str = "", years: range, language: str
) -> tuple[list[tuple[dt.date, str]], int]:
    """Add a country's (and region's) public holidays of ``years`` to the client's non-working days;
    the days already there stay. Returns the public holidays (date, name in ``language``) and how many
    of them were new. Their months are recomputed as any change of holidays (``holidays_set``)."""
    public = public_holidays(country=country, region=region, years=years, language=language)
    with tenant_context(client):
        current = set(Holiday.objects.values_list("date", flat=True))
    days = {day for day, _name in public}
    holidays_set(client=client, dates=current | days)
    return public, len(days - current)

def persona_save(*, client: Client, code: str, name: str, match: dict, original_code: str | None = None) -> list[Persona]:
    """Add or change one persona (kept in its priority place) through :func:`personas_set`."""
    with tenant_context(client):
        current = [{"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority", "code")]
    if original_code is None and any(p["code"] == code for p in current):
        raise ValidationError({"code": [_("A persona with code “%(code)s” already exists.") % {"code": code}]})
    replaced = [{"code": code, "name": name, "match": match} if p["code"] == original_code else p for p in current]
    if original_code is None:
        replaced.append({"code": code, "name": name, "match": match})
    return personas_set(personas=replaced, client=client)


def persona_move(*, client: Client, code: str, step: int) -> bool:
    """Move a persona one place earlier (``step`` -1) or later (+1) in the priority order — a lead
    takes the first persona it matches (kpis.md "Persona"), so the order decides; leads are judged
    again. False when there is no such persona or it is already first / last."""
    with tenant_context(client):
        current = [{"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority", "code")]
    index = next((i for i, p in enumerate(current) if p["code"] == code), None)
    if index is None or step not in {-1, 1} or not 0 <= index + step < len(current):
        return False
    current[index], current[index + step] = current[index + step], current[index]
    personas_set(personas=current, client=client)
    return True


def _contract_months(contract: Any) -> set[str]:
    return {str(Month.of(day)) for day in (contract.start_date, contract.end_date, contract.cancelled_on) if day}


def contract_save(*, client: Client, contract: Any, created: bool) -> Any:
    with tenant_context(client):
        contract.save(force_insert=created)
    data_changed(client=client, kind="contracts", months=_contract_months(contract))
    return contract


def contract_cancel(*, client: Client, contract: Any, cancelled_on: dt.date) -> Any:
    """End a contract early (or on its last day); the months from then on are recomputed."""
    if cancelled_on < contract.start_date:
        raise ValidationError({"cancelled_on": [_("A contract cannot be cancelled before it starts.")]})
    contract.cancelled_on = cancelled_on
    with tenant_context(client):
        contract.save(update_fields=["cancelled_on"])
    data_changed(client=client, kind="contracts", months=_contract_months(contract))
    return contract
