"""Qualification rules (formats.md "criteria", kpis.md "Qualification"): validate, compile, evaluate.

One table of fields and operators serves three readers: the validator (criteria that would
not mean anything are rejected when saved), the SQL compiler (the engine judges every lead
in the database) and the Python evaluator (the explanation of one lead on its detail page).

A rule on a field the lead lacks is false; ``exists`` tests for that. Missing text is ``""``,
missing numbers NULL, missing interests an empty list. A lead's ``channel`` is the resolved
one: its own, else its campaign's, else ``direct``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clients.vocab import ACTIONS
from clients.words import OP_LABELS, field_label, op_label

NUMBER_FIELDS = {"company_revenue", "employees", "age", "income"}
TEXT_FIELDS = {"vertical", "gender", "challenge", "channel", "device", "origin", "campaign", "landing_page"}
LIST_FIELDS = {"interests"}
FIELDS = NUMBER_FIELDS | TEXT_FIELDS | LIST_FIELDS

OPS_FOR = {
    "number": {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"},
    "text": {"eq", "ne", "in", "not_in", "exists"},
    "list": {"contains", "exists"},
}
ALL_OPS = set().union(*OPS_FOR.values())

# SQL for each field, over ``l`` (clients_lead) left-joined to ``c`` (clients_campaign).
SQL_COLUMN = {
    **{name: f"l.{name}" for name in NUMBER_FIELDS | TEXT_FIELDS - {"channel", "campaign"}},
    "campaign": "l.campaign_id",
    "channel": "COALESCE(NULLIF(l.channel, ''), c.channel, 'direct')",
    "interests": "l.interests",
}


def field_type(name: str) -> str:
    return "number" if name in NUMBER_FIELDS else "list" if name in LIST_FIELDS else "text"


# --- validation ----------------------------------------------------------------------------


MAX_DEPTH = 20  # rule groups nested deeper than this are a mistake (or an attack), not criteria
MAX_NUMBER = 10**15


def _is_number(value: Any) -> bool:
    """A finite JSON number of a sane size (1e309 is infinity once parsed; NaN is no number)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return math.isfinite(value) and abs(value) <= MAX_NUMBER


def _text_problems(document: Any) -> list[str]:
    """Texts PostgreSQL cannot store (a NUL, a lone surrogate), found without recursion."""
    stack, problems = [document], []
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and ("\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)):
            problems.append(_("a text holds a NUL or an invalid character"))
            break
    return problems


def _check_rule(rule: Any, path: str, problems: list[str], depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        problems.append(f"{path}: " + _("groups nested more than %(n)s deep") % {"n": MAX_DEPTH})
        return
    if not isinstance(rule, dict):
        problems.append(f"{path}: " + _("a rule is an object"))
        return
    if not rule:
        return  # {} fits every lead
    groups = [key for key in ("all", "any") if key in rule]
    if groups:
        if len(rule) != 1:
            problems.append(f"{path}: " + _("a group has exactly one key, “all” or “any”"))
            return
        members = rule[groups[0]]
        if not isinstance(members, list):
            problems.append(f"{path}.{groups[0]}: " + _("a group holds a list of rules"))
            return
        for index, member in enumerate(members):
            _check_rule(member, f"{path}.{groups[0]}[{index}]", problems, depth + 1)
        return
    name, op = rule.get("field"), rule.get("op")
    unknown = set(rule) - {"field", "op", "value", "points"}
    if unknown:
        problems.append(f"{path}: " + _("unknown keys %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    if name not in FIELDS:
        problems.append(f"{path}.field: " + _("unknown field “%(field)s”") % {"field": name})
        return
    if op not in ALL_OPS:
        problems.append(f"{path}.op: " + _("unknown operator “%(op)s”") % {"op": op})
        return
    kind = field_type(name)
    if op not in OPS_FOR[kind]:
        allowed = [_("“%(value)s”") % {"value": op_label(o)} for o in OP_LABELS if o in OPS_FOR[kind]]
        problems.append(
            f"{path}.op: "
            + _("“%(op)s” does not apply to %(field)s: choose %(ops)s.")
            % {
                "op": op_label(op),
                "field": field_label(name),
                "ops": _("%(items)s or %(last)s") % {"items": ", ".join(allowed[:-1]), "last": allowed[-1]},
            }
        )
        return
    value = rule.get("value")
    if op == "exists":
        if "value" in rule and not isinstance(value, bool):
            problems.append(f"{path}.value: " + _("“%(op)s” takes true or false") % {"op": op_label("exists")})
        return
    if "value" not in rule:
        problems.append(f"{path}.value: " + _("a value is required"))
        return
    scalar_ok = _is_number if kind == "number" else (lambda v: isinstance(v, str))
    if op == "between":
        if not (isinstance(value, list) and len(value) == 2 and all(map(_is_number, value)) and value[0] <= value[1]):
            problems.append(f"{path}.value: " + _("“%(op)s” takes two numbers, the lower first") % {"op": op_label("between")})
    elif op in {"in", "not_in"}:
        if not (isinstance(value, list) and value and all(map(scalar_ok, value))):
            problems.append(
                f"{path}.value: "
                + (_("“%(op)s” takes one or more numbers") if kind == "number" else _("“%(op)s” takes one or more texts"))
                % {"op": op_label(op)}
            )
    elif op == "contains":
        if not isinstance(value, str):
            problems.append(f"{path}.value: " + _("“%(op)s” takes a text") % {"op": op_label("contains")})
    elif not scalar_ok(value):
        problems.append(
            f"{path}.value: "
            + (_("“%(op)s” on %(field)s takes a number") if kind == "number" else _("“%(op)s” on %(field)s takes a text"))
            % {"op": op_label(op), "field": field_label(name)}
        )


def criteria_problems(criteria: Any) -> list[str]:
    """Every problem of a criteria document, each with its JSON path; empty when valid."""
    problems: list[str] = []
    if not isinstance(criteria, dict):
        return [_("The criteria are a JSON object.")]
    unknown = set(criteria) - {"fit", "threshold", "points", "sales_ready_actions"}
    if unknown:
        problems.append(_("unknown keys %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    problems.extend(_text_problems(criteria))
    _check_rule(criteria.get("fit", {}), "fit", problems)
    threshold = criteria.get("threshold")
    if not _is_number(threshold):
        problems.append("threshold: " + _("a number is required"))
    points = criteria.get("points", [])
    if not isinstance(points, list):
        problems.append("points: " + _("a list is required"))
        points = []
    for index, entry in enumerate(points):
        path = f"points[{index}]"
        if not isinstance(entry, dict) or not _is_number(entry.get("points")):
            problems.append(f"{path}.points: " + _("a number of points is required"))
            continue
        if "action" in entry:
            if entry["action"] not in ACTIONS:
                problems.append(f"{path}.action: " + _("unknown action “%(action)s”") % {"action": entry["action"]})
            if set(entry) - {"action", "points"}:
                problems.append(f"{path}: " + _("an action rule has only “action” and “points”"))
        else:
            _check_rule({k: v for k, v in entry.items() if k != "points"}, path, problems)
    actions = criteria.get("sales_ready_actions", [])
    if not isinstance(actions, list):
        problems.append("sales_ready_actions: " + _("a list is required"))
    else:
        for index, action in enumerate(actions):
            if action not in ACTIONS:
                problems.append(f"sales_ready_actions[{index}]: " + _("unknown action “%(action)s”") % {"action": action})
    return problems


def personas_problems(personas: Any) -> list[str]:
    if not isinstance(personas, list):
        return [_("Personas are a JSON list.")]
    problems: list[str] = []
    codes: set[str] = set()
    for index, persona in enumerate(personas):
        path = f"[{index}]"
        if not isinstance(persona, dict):
            problems.append(f"{path}: " + _("a persona is an object"))
            continue
        code = persona.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"{path}.code: " + _("a code is required"))
        elif code in codes:
            problems.append(f"{path}.code: " + _("“%(code)s” is used twice") % {"code": code})
        codes.add(code)
        if not isinstance(persona.get("name"), str) or not persona["name"].strip():
            problems.append(f"{path}.name: " + _("a name is required"))
        _check_rule(persona.get("match", {}), f"{path}.match", problems)
    return problems + _text_problems(personas)


def criteria_max_score(criteria: dict) -> float:
    """The most a lead can score doing each listed action once: the positive points of every
    attribute rule and action rule, each counted once (the criteria editor explains a backtest of
    0 MQLs with it: "your rules can score at most 25; the threshold is 30")."""
    return float(sum(max(0, entry.get("points") or 0) for entry in criteria.get("points", []) if isinstance(entry, dict)))


def criteria_validate(criteria: Any) -> None:
    problems = criteria_problems(criteria)
    if problems:
        raise ValidationError({"criteria": problems})


# --- SQL -----------------------------------------------------------------------------------


@dataclass
class Sql:
    """A SQL fragment and its parameters (values are always parameters, never text)."""

    text: str
    params: list[Any] = field(default_factory=list)


def _present(name: str) -> str:
    column = SQL_COLUMN[name]
    kind = field_type(name)
    if kind == "number" or name == "campaign":
        return f"{column} IS NOT NULL"
    if kind == "list":
        return f"cardinality({column}) > 0"
    return f"{column} <> ''"


def rule_sql(rule: dict) -> Sql:
    """A boolean SQL expression (never NULL) for a rule or group."""
    if not rule:
        return Sql("TRUE")
    for group, joiner, empty in (("all", " AND ", "TRUE"), ("any", " OR ", "FALSE")):
        if group in rule:
            parts = [rule_sql(member) for member in rule[group]]
            if not parts:
                return Sql(empty)
            return Sql("(" + joiner.join(p.text for p in parts) + ")", [v for p in parts for v in p.params])
    name, op, value = rule["field"], rule["op"], rule.get("value")
    column, present = SQL_COLUMN[name], _present(name)
    if op == "exists":
        return Sql(f"({present})" if value is not False else f"(NOT ({present}))")
    if op == "contains":
        return Sql(f"(%s = ANY({column}))", [value])
    comparisons = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
    if op in comparisons:
        return Sql(f"({present} AND {column} {comparisons[op]} %s)", [value])
    if op == "between":
        return Sql(f"({present} AND {column} BETWEEN %s AND %s)", list(value))
    if op == "in":
        return Sql(f"({present} AND {column} = ANY(%s))", [list(value)])
    return Sql(f"({present} AND {column} <> ALL(%s))", [list(value)])  # not_in


# --- Python (one lead) ---------------------------------------------------------------------


def lead_value(lead: Any, name: str) -> Any:
    """The value a rule sees for one lead (a clients.models.Lead)."""
    if name == "channel":
        return lead.channel or (lead.campaign.channel if lead.campaign_id else "") or "direct"
    if name == "campaign":
        return lead.campaign_id
    value = getattr(lead, name)
    return float(value) if value is not None and name in NUMBER_FIELDS else value


def _has(value: Any) -> bool:
    return value is not None and value != "" and value != []


def rule_matches(rule: dict, lead: Any) -> bool:
    if not rule:
        return True
    if "all" in rule:
        return all(rule_matches(member, lead) for member in rule["all"])
    if "any" in rule:
        return any(rule_matches(member, lead) for member in rule["any"])
    name, op, value = rule["field"], rule["op"], rule.get("value")
    actual = lead_value(lead, name)
    if op == "exists":
        return _has(actual) == (value is not False)
    if op == "contains":
        return value in (actual or [])
    if not _has(actual):
        return False
    checks = {
        "eq": lambda: actual == value,
        "ne": lambda: actual != value,
        "gt": lambda: actual > value,
        "gte": lambda: actual >= value,
        "lt": lambda: actual < value,
        "lte": lambda: actual <= value,
        "between": lambda: value[0] <= actual <= value[1],
        "in": lambda: actual in value,
        "not_in": lambda: actual not in value,
    }
    return checks[op]()
