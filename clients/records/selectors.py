"""Reads of the lead screens: the search, and why a lead qualified."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from clients.criteria.qualification import judges
from clients.criteria.rules import lead_value, rule_matches
from clients.models import Contract, CriteriaVersion, Holiday, Lead, Persona


def _persona_name() -> Subquery:
    """The name of the lead's persona (a lead stores its code): pages show "Founder", not "founder"."""
    return Subquery(Persona.objects.filter(code=OuterRef("persona")).values("name")[:1])


def leads_search(*, query: str = "", status: str = "") -> QuerySet[Lead]:
    leads = Lead.objects.annotate(
        resolved_channel=Coalesce(NullIf("channel", Value("")), "campaign__channel", Value("direct")),
        persona_name=_persona_name(),
    ).order_by("-created_at", "id")
    if query:
        leads = leads.filter(Q(id__icontains=query) | Q(email__icontains=query))
    if status == "mql":
        leads = leads.filter(mql_at__isnull=False)
    elif status == "not_mql":
        leads = leads.filter(mql_at__isnull=True)
    return leads


def _leaf_results(rule: dict, lead: Lead, path: str = "fit") -> list[dict[str, Any]]:
    if not rule:
        return []
    for group in ("all", "any"):
        if group in rule:
            return [r for i, member in enumerate(rule[group]) for r in _leaf_results(member, lead, f"{path}.{group}[{i}]")]
    return [{"path": path, "rule": rule, "value": lead_value(lead, rule["field"]), "matched": rule_matches(rule, lead)}]


def lead_qualification_explain(*, lead: Lead, timezone: str) -> dict[str, Any]:
    """Why one lead is (or is not) an MQL, step by step — the same rules the SQL engine applies."""
    zone = ZoneInfo(timezone)
    judge = next(
        (j for j in judges(versions=list(CriteriaVersion.objects.all()), zone=zone) if j.start <= lead.created_at < j.end),
        None,
    )
    if judge is None or judge.version is None:
        return {"version": None}
    criteria = judge.criteria
    fits = rule_matches(criteria.get("fit", {}), lead)
    attribute_points = [
        {
            "rule": {k: v for k, v in entry.items() if k != "points"},
            "points": entry["points"],
            "matched": rule_matches({k: v for k, v in entry.items() if k != "points"}, lead),
        }
        for entry in criteria.get("points", [])
        if "action" not in entry
    ]
    base = sum(p["points"] for p in attribute_points if p["matched"])
    per_action: dict[str, float] = {}
    for entry in criteria.get("points", []):
        if "action" in entry:
            per_action[entry["action"]] = per_action.get(entry["action"], 0) + entry["points"]
    activities = list(lead.activities.order_by("occurred_at", "id"))
    threshold = criteria.get("threshold", 0)

    def score(moment: dt.datetime) -> float:
        return base + sum(per_action.get(a.action, 0) for a in activities if a.occurred_at <= moment)

    timeline, threshold_at = [], None
    if fits and score(lead.created_at) >= threshold:
        threshold_at = lead.created_at
    for activity in activities:
        at = max(activity.occurred_at, lead.created_at)
        running = score(at)
        timeline.append(
            {
                "activity": activity,
                "points": per_action.get(activity.action, 0),
                "score": running,
                "buying_signal": activity.action in criteria.get("sales_ready_actions", []),
            }
        )
        if fits and threshold_at is None and activity.occurred_at > lead.created_at and running >= threshold:
            threshold_at = activity.occurred_at
    signals = [a for a in activities if a.action in criteria.get("sales_ready_actions", [])]
    ready_at = max(lead.created_at, signals[0].occurred_at) if fits and signals else None
    candidates = [t for t in (ready_at, threshold_at) if t is not None]
    mql_at = min(candidates) if candidates else None
    return {
        "version": judge.version,
        "criteria": criteria,
        "fits": fits,
        "fit_rules": _leaf_results(criteria.get("fit", {}), lead),
        "attribute_points": attribute_points,
        "base": base,
        "threshold": threshold,
        "timeline": timeline,
        "score_at_creation": score(lead.created_at),
        "threshold_at": threshold_at,
        "ready_at": ready_at,
        "mql_at": mql_at,
        "fast_tracked": ready_at is not None and (threshold_at is None or ready_at < threshold_at),
    }


def lead_get(*, lead_id: str) -> Lead | None:
    """One lead with its campaign (the lead's page names it)."""
    return Lead.objects.select_related("campaign").annotate(persona_name=_persona_name()).filter(pk=lead_id).first()


def personas_list() -> QuerySet[Persona]:
    """The client's personas in the order they are tried (priority, then code)."""
    return Persona.objects.order_by("priority", "code")


def persona_get(*, code: str) -> Persona | None:
    """A persona by its code, the key leads are matched to."""
    return Persona.objects.filter(code=code).first()


def holidays_list() -> list[dt.date]:
    """The client's non-working days, earliest first."""
    return list(Holiday.objects.order_by("date").values_list("date", flat=True))


def contracts_list() -> QuerySet[Contract]:
    """The client's contracts, latest start first, each with the contract it renews."""
    return Contract.objects.select_related("renewal_of").order_by("-start_date", "id")


def contract_get(*, contract_id: str) -> Contract | None:
    """A contract by its id (the CRM's or the import's), to edit, renew or cancel."""
    return Contract.objects.filter(pk=contract_id).first()
