"""Templates across clients: one client's set-up copied to others — qualification criteria, buyer
personas, saved mappings, the executive summary's choice, targets, holidays and the brand (accent colour).

The rule is the same for every part: what a client set for itself is **kept** (an override), and
only what it lacks is copied; the preview (:func:`template_plan`) says, per client and part, what
will be copied and what is kept, and applying (:func:`template_apply`) does exactly that plan,
computed again at that moment. Connector settings are not copied: the connectors are not in the
portal yet.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tenants.utils import tenant_context

from agency.models import Client, User
from agency.months import Month
from clients.criteria.selectors import first_lead_month
from clients.criteria.services import criteria_version_create, personas_set
from clients.models import CriteriaVersion, Holiday, Persona, SavedMapping
from clients.records.services import holidays_set
from portfolio.models import Target

PARTS = {
    "criteria": gettext_lazy("Qualification criteria"),
    "personas": gettext_lazy("Buyer personas"),
    "mappings": gettext_lazy("Saved mappings"),
    "summary": gettext_lazy("Executive summary KPIs"),
    "targets": gettext_lazy("Targets"),
    "holidays": gettext_lazy("Holidays"),
    "brand": gettext_lazy("Brand colour"),
}
SETTINGS = {"summary": "headline_kpis", "brand": "brand_accent"}  # the parts that are one field of the client's row


@dataclass
class Step:
    """One part for one client: ``copy`` (with what), ``keep`` (the client's own) or ``same``."""

    part: str
    action: str
    detail: str
    payload: Any = None

    @property
    def label(self) -> str:
        return str(PARTS[self.part])


def _source_criteria(source: Client) -> dict | None:
    with tenant_context(source):
        latest = CriteriaVersion.objects.order_by("-version").first()
        return latest.criteria if latest else None


def _plan_criteria(source_criteria: dict | None, target: Client) -> Step | None:
    if source_criteria is None:
        return None
    with tenant_context(target):
        latest = CriteriaVersion.objects.order_by("-version").first()
        start = first_lead_month(timezone=target.timezone)
    if latest is None:
        # A new client is copied its criteria before its history is imported (a platform brings its
        # last 13 months): dated this month, the copy cut short any version saved later for those
        # months, and the month in review kept the copied rules. From the first of the 13 months a
        # report shows, a version saved from the first month with leads replaces it (docs/kpis.md).
        start = start or (Month.of(timezone.now().date()) - 13).first_day
        # A client's first version judges every lead whatever its date (docs/kpis.md): saying "in effect
        # from" this month (a new client has no leads yet) read as if its past would have no MQLs.
        return Step("criteria", "copy", _("version 1, its first criteria: they judge every lead"), start)
    if latest.criteria == source_criteria:
        return Step("criteria", "same", _("already the same"))
    return Step("criteria", "keep", _("its own criteria (version %(n)s) are kept") % {"n": latest.version})


def _plan_personas(source_personas: list[dict[str, Any]], target: Client) -> Step | None:
    """A new client's personas (typed one by one, with their match rules) from another's: only where it has none."""
    if not source_personas:
        return None
    with tenant_context(target):
        theirs = [{"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority")]
    if theirs == source_personas:
        return Step("personas", "same", _("already the same"))
    if theirs:
        return Step("personas", "keep", ngettext("its own persona is kept", "its own %(count)s personas are kept",
                                                 len(theirs)) % {"count": len(theirs)})
    return Step("personas", "copy", ", ".join(p["name"] for p in source_personas), source_personas)


def _plan_mappings(source_rows: list[SavedMapping], target: Client) -> Step | None:
    if not source_rows:
        return None
    with tenant_context(target):
        theirs = {m.name: m.spec for m in SavedMapping.objects.all()}
    new = [m for m in source_rows if m.name not in theirs]
    kept = [m.name for m in source_rows if m.name in theirs and theirs[m.name] != m.spec]
    if not new:
        return Step("mappings", "keep" if kept else "same", ", ".join(kept) or _("already the same"))
    detail = ", ".join(m.name for m in new)
    if kept:
        detail += " · " + _("kept: %(names)s") % {"names": ", ".join(kept)}
    return Step("mappings", "copy", detail, new)


def _plan_setting(part: str, source: Client, target: Client) -> Step | None:
    """A part that is one setting on the client's row (SETTINGS): copied where the target has none."""
    field = SETTINGS[part]
    value, theirs = getattr(source, field), getattr(target, field)
    if not value:
        return None
    if theirs == value:
        return Step(part, "same", _("already the same"))
    if part == "summary":
        kept, copied = _("its own choice is kept"), _("%(count)s KPIs") % {"count": len(value)}
    else:
        kept, copied = _("its own colour %(colour)s is kept") % {"colour": theirs}, value
    if theirs:
        return Step(part, "keep", kept)
    return Step(part, "copy", copied, copy.copy(value))


def _plan_targets(source_targets: list[Target], target: Client) -> Step | None:
    if not source_targets:
        return None
    theirs = set(Target.objects.filter(client=target).values_list("month", "kpi"))
    new = [t for t in source_targets if (t.month, t.kpi) not in theirs]
    kept = len(source_targets) - len(new)
    if not new:
        return Step("targets", "keep" if kept else "same", _("its own %(count)s targets are kept") % {"count": kept})
    detail = _("%(count)s targets") % {"count": len(new)}
    if kept:
        detail += " · " + _("%(count)s of its own kept") % {"count": kept}
    return Step("targets", "copy", detail, new)


def _plan_holidays(source_days: list[dt.date], target: Client) -> Step | None:
    if not source_days:
        return None
    with tenant_context(target):
        theirs = set(Holiday.objects.values_list("date", flat=True))
    new = [day for day in source_days if day not in theirs]
    if not new:
        return Step("holidays", "same", _("already the same"))
    return Step("holidays", "copy", _("%(count)s days") % {"count": len(new)}, new)


def template_plan(*, source: Client, targets: list[Client], parts: list[str]) -> dict[Client, list[Step]]:
    """What copying ``parts`` of ``source`` to each of ``targets`` would do, part by part."""
    wanted = [part for part in PARTS if part in parts]
    criteria = _source_criteria(source) if "criteria" in wanted else None
    with tenant_context(source):
        personas = ([{"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority")]
                    if "personas" in wanted else [])
        mappings = list(SavedMapping.objects.order_by("name")) if "mappings" in wanted else []
        days = list(Holiday.objects.values_list("date", flat=True)) if "holidays" in wanted else []
    source_targets = list(Target.objects.filter(client=source)) if "targets" in wanted else []
    plan: dict[Client, list[Step]] = {}
    for target in targets:
        steps = [
            _plan_criteria(criteria, target) if "criteria" in wanted else None,
            _plan_personas(personas, target) if "personas" in wanted else None,
            _plan_mappings(mappings, target) if "mappings" in wanted else None,
            _plan_setting("summary", source, target) if "summary" in wanted else None,
            _plan_targets(source_targets, target) if "targets" in wanted else None,
            _plan_holidays(days, target) if "holidays" in wanted else None,
            _plan_setting("brand", source, target) if "brand" in wanted else None,
        ]
        plan[target] = [step for step in steps if step is not None]
    return plan


def template_apply(*, source: Client, targets: list[Client], parts: list[str], user: User) -> dict[Client, list[Step]]:
    """Copy what the plan says, client by client (each in its own transaction); returns the plan done."""
    plan = template_plan(source=source, targets=targets, parts=parts)
    criteria = _source_criteria(source)
    for target, steps in plan.items():
        for step in steps:
            if step.action != "copy":
                continue
            if step.part == "criteria":
                criteria_version_create(
                    criteria=criteria,
                    effective_from=step.payload,
                    author=user,
                    change_note=_("Copied from %(client)s") % {"client": source.name},
                    client=target,
                    saved_via=CriteriaVersion.SavedVia.COPY,
                )
            elif step.part == "personas":  # through the service: the leads are judged again by persona
                personas_set(personas=step.payload, client=target)
            elif step.part == "mappings":
                with tenant_context(target), transaction.atomic():
                    for m in step.payload:
                        SavedMapping.objects.create(
                            name=m.name, kind=m.kind, header=m.header, header_signature=m.header_signature, spec=m.spec,
                            created_by=user,
                        )
            elif step.part == "holidays":  # through the service: the months they touch are recomputed
                with tenant_context(target):
                    theirs = list(Holiday.objects.values_list("date", flat=True))
                holidays_set(client=target, dates=[*theirs, *step.payload])
            elif step.part == "targets":
                Target.objects.bulk_create(
                    [
                        Target(client=target, month=t.month, kpi=t.kpi, value=t.value, set_by=user.display_name)
                        for t in step.payload
                    ],
                    ignore_conflicts=True,
                )
            elif step.part in SETTINGS:
                setattr(target, SETTINGS[step.part], step.payload)
                target.save(update_fields=[SETTINGS[step.part], "updated_at"])
    return plan
