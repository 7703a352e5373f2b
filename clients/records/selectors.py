"""Reads of the lead screens: the search, and why a lead qualified."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from clients.criteria.qualification import judges
from clients.criteria.rules import SQL_COLUMN, field_type, lead_value, rule_matches, rule_sql
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
    """The client's personas in the order they are tried (priority, then code), each with ``leads``,
    how many leads have it now (a persona no lead takes reads as one to check)."""
    leads = Lead.objects.filter(persona=OuterRef("code")).order_by().values("persona").annotate(n=Count("id")).values("n")
    return Persona.objects.annotate(leads=Coalesce(Subquery(leads), 0)).order_by("priority", "code")


def persona_get(*, code: str) -> Persona | None:
    """A persona by its code, the key leads are matched to."""
    return Persona.objects.filter(code=code).first()


def _top_rows(match: dict) -> list[dict]:
    """The rule's rows as the form lists them: the root group's members (or the one bare rule)."""
    for kind in ("all", "any"):
        if isinstance(match.get(kind), list):
            return match[kind]
    return [match] if match else []


def persona_match_count(*, match: dict, code: str = "") -> dict[str, Any]:
    """How many of the client's leads a (valid) match rule meets — one SQL statement, like the
    criteria backtest, nothing written: ``leads`` in all, ``matched`` meeting the rule, ``taken``
    of those that would get this persona (a lead takes the first persona it meets, in priority
    order, unless its file names one), ``given`` naming this persona in the leads file, and
    ``rows``: each of the rule's top rows with the leads it meets alone (why a rule finds none).
    ``code`` is the persona being edited (its place in the order); a new one comes last."""
    personas = list(Persona.objects.order_by("priority", "code"))
    place = next((index for index, p in enumerate(personas) if p.code == code), len(personas))
    earlier = [rule_sql(p.match or {}) for p in personas[:place]]
    earlier_text = "(" + " OR ".join(e.text for e in earlier) + ")" if earlier else "FALSE"
    rule = rule_sql(match)
    rows = _top_rows(match)
    row_sql = [rule_sql(row) for row in rows]
    columns = "".join(f", count(*) FILTER (WHERE {r.text})" for r in row_sql)
    text = f"""
SELECT count(*), count(*) FILTER (WHERE {rule.text}),
       count(*) FILTER (WHERE {rule.text} AND l.persona_given = '' AND NOT {earlier_text}),
       count(*) FILTER (WHERE l.persona_given <> '' AND l.persona_given = %s){columns}
FROM clients_lead l LEFT JOIN clients_campaign c ON c.id = l.campaign_id"""
    params = [*rule.params, *rule.params, *[v for e in earlier for v in e.params], code, *[v for r in row_sql for v in r.params]]
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        leads, matched, taken, given, *per_row = cursor.fetchone()
    return {
        "leads": leads,
        "matched": matched,
        "taken": taken,
        "given": given,
        "rows": [
            {"rule": row, "leads": count, "values": _values_seen(row) if not count else []}
            for row, count in zip(rows, per_row, strict=True)
        ],
    }


def _values_seen(row: dict) -> list[tuple[str, int]]:
    """The values the leads hold for a text or list row that meets none (the most common first, eight):
    how "SaaS" is really written is what such a row needs."""
    name = row.get("field")
    if row.get("op") not in {"eq", "in", "contains"} or field_type(name) == "number":
        return []
    column = SQL_COLUMN[name]
    if field_type(name) == "list":
        text = f"""SELECT v, count(*) FROM clients_lead l, unnest({column}) AS v
WHERE v <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8"""
    else:
        text = f"""SELECT {column}, count(*) FROM clients_lead l LEFT JOIN clients_campaign c ON c.id = l.campaign_id
WHERE {column} <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8"""
    with connection.cursor() as cursor:
        cursor.execute(text)
        return [(value, count) for value, count in cursor.fetchall()]


def holidays_list() -> list[dt.date]:
    """The client's non-working days, earliest first."""
    return list(Holiday.objects.order_by("date").values_list("date", flat=True))


def contracts_list() -> QuerySet[Contract]:
    """The client's contracts, latest start first, each with the contract it renews."""
    return Contract.objects.select_related("renewal_of").order_by("-start_date", "id")


def contract_get(*, contract_id: str) -> Contract | None:
    """A contract by its id (the CRM's or the import's), to edit, renew or cancel."""
    return Contract.objects.filter(pk=contract_id).first()
