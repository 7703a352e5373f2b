"""A persona's match rule on a form: the criteria editor's rule rows (field, operator, value),
and back to the spec's JSON rule syntax — so an account manager never writes JSON.

The rows are posted and parsed exactly as the criteria editor's "Who fits" tree
(clients.criteria.forms: ``group-<path>``, ``rule-<path>-field|op|value``); this module adds what a
persona needs on top: an error beside the row at fault, one row stored as a bare rule (the spec's
example shape), a stored rule kept as it is when the rows did not change its meaning, and the words
for a rule the rows cannot show (``exists: false``, a comma inside a list value, an empty group).
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.criteria.forms import criteria_to_draft, draft_to_criteria, value_number_problem
from clients.criteria.numbers import examples
from clients.criteria.rules import ALL_OPS, FIELDS, OPS_FOR, field_type, personas_problems
from clients.words import OP_LABELS, field_label, number_words, op_label, problem_words, rules_sentence, vocab_label


def builder_choices() -> dict[str, list[str]]:
    """The menus of the criteria editor's rows (clients/criteria/_group.html), the same for personas."""
    return {"fields": sorted(FIELDS), "ops": sorted(ALL_OPS)}


def with_paths(node: dict, path: str = "r") -> dict:
    """Number the rows for the posted names (``rule-r.0-field``), as the criteria editor does."""
    node["path"] = path
    for index, child in enumerate(node.get("children", [])):
        with_paths(child, f"{path}.{index}")
    return node


def fine_rows(node: dict) -> list[str]:
    """The paths of the rows :func:`match_from_tree` found nothing wrong with (the live count
    clears the error a save left beside them)."""
    if "children" not in node:
        return [] if node.get("error") else [node["path"]]
    return [path for child in node["children"] for path in fine_rows(child)]


def match_tree(match: Any) -> dict:
    """The rows of a stored match: a root group (all/any) whose children are rows or groups."""
    return criteria_to_draft({"fit": match if isinstance(match, dict) else {}})["fit"]


def _tree_rule(tree: dict) -> dict:
    """The rows as the spec's rule, the root always a group (so problems' paths follow the rows)."""
    return draft_to_criteria({"fit": tree, "points": [], "threshold": "", "sales_ready_actions": []})["fit"]


def _stored_shape(rule: dict) -> dict:
    """One row is stored as the bare rule (``{"field": …}``, the spec's example), no rows as ``{}``."""
    for kind in ("all", "any"):
        members = rule.get(kind)
        if isinstance(members, list) and len(members) == 1 and "field" in members[0]:
            return members[0]
    return rule


def _canonical(rule: Any) -> Any:
    """A rule with what does not change its meaning left out, to compare two shapes of one rule."""
    if not isinstance(rule, dict):
        return rule
    for kind in ("all", "any"):
        if kind in rule and len(rule) == 1 and isinstance(rule[kind], list):
            members = [_canonical(member) for member in rule[kind]]
            return members[0] if len(members) == 1 and "field" in (members[0] or {}) else {kind: members}
    if rule.get("op") == "exists" and rule.get("value") is True:
        return {k: v for k, v in rule.items() if k != "value"}
    return rule


def match_shown_by_rows(match: Any) -> bool:
    """Whether the rows show this stored rule faithfully (else the page offers its JSON)."""
    if not isinstance(match, dict) or personas_problems([{"code": "x", "name": "x", "match": match}]):
        return False
    return _canonical(_stored_shape(_tree_rule(match_tree(match)))) == _canonical(match)


def _row_error(node: dict, rule: dict) -> str:
    """What is wrong with one row, in the user's words; "" when nothing is."""
    name, op, raw = node.get("field", ""), node.get("op", ""), str(node.get("value", "")).strip()
    if not name:
        return _("Choose a field.")
    if name not in FIELDS:
        return _("Choose a field from the list.")
    if not op:
        return _("Choose an operator.")
    kind = field_type(name)
    if op not in OPS_FOR[kind]:
        allowed = [_("“%(value)s”") % {"value": op_label(o)} for o in OP_LABELS if o in OPS_FOR[kind]]
        return _("“%(op)s” does not apply to %(field)s: choose %(ops)s.") % {
            "op": op_label(op),
            "field": field_label(name),
            "ops": _("%(items)s or %(last)s") % {"items": ", ".join(allowed[:-1]), "last": allowed[-1]},
        }
    if op == "exists":
        return ""
    if not raw:
        return _("Enter a value.")
    unclear = value_number_problem(name, op, raw)  # "1.000" on an English page: said, never read as 1
    if unclear:
        return unclear
    problems = personas_problems([{"code": "x", "name": "x", "match": rule}])
    if not problems:
        return ""
    if op == "between":
        return _("Enter two numbers, the lower first, separated by a semicolon: 50; %(thousand)s.") % examples()
    if op in {"in", "not_in"}:
        if kind == "number":
            return _("Enter one or more numbers separated by semicolons: 10; 50.")
        return _("Enter one or more values separated by commas.")
    if kind == "number":
        return _("Enter a number, such as 250 or %(thousand)s.") % examples()
    return problems[0].partition(": ")[2] or problems[0]


def _mark_rows(node: dict, rule: dict) -> int:
    """Put each row's error on it (``node["error"]``); the number of rows at fault."""
    if "children" not in node:
        node["error"] = _row_error(node, rule)
        return 1 if node["error"] else 0
    members = rule.get(node["kind"], []) if rule else []
    faults = 0
    for index, child in enumerate(node["children"]):
        faults += _mark_rows(child, members[index] if index < len(members) else {})
    return faults


def match_from_tree(tree: dict, *, stored: Any = None) -> tuple[dict | None, int, list[str]]:
    """The rows as a rule to store: (rule, rows at fault, other problems in words).

    Rows at fault carry their error (``error``) for the page; the rule is None while any is.
    When the rows say what ``stored`` already said, ``stored`` itself is returned, so opening a
    persona and saving it changes nothing of its JSON.
    """
    rule = _tree_rule(tree)
    faults = _mark_rows(tree, rule)
    if faults:
        return None, faults, []
    problems = personas_problems([{"code": "x", "name": "x", "match": rule}])
    if problems:
        return None, 0, [problem_words(p.replace("[0].match", "match")) for p in problems]
    shaped = _stored_shape(rule)
    if isinstance(stored, dict) and match_shown_by_rows(stored) and _canonical(stored) == _canonical(shaped):
        return copy.deepcopy(stored), 0, []
    return shaped, 0, []


def _seen_value(name: str, value: str) -> str:
    """A value as it must be typed, with its words when it is a vocabulary's code: “paid_search” (Paid search)."""
    typed = _("“%(value)s”") % {"value": value}
    words = vocab_label(value) if name in {"channel", "device", "origin"} else ""
    return f"{typed} ({words})" if words and words != value else typed


def match_count_words(count: dict[str, Any], match: dict) -> dict[str, Any]:
    """The live count in words: the headline, why it is what it is, and each row's own count."""

    def leads(n: int) -> str:
        return ngettext("%(n)s lead", "%(n)s leads", n) % {"n": number_words(n)}

    rows = [
        {
            "words": rules_sentence(r["rule"]),
            "leads": leads(r["leads"]),
            "none": not r["leads"],
            "seen": _("The leads hold: %(values)s.") % {"values": "; ".join(
                f"{_seen_value(r['rule']['field'], value)}: {number_words(n)}" for value, n in r["values"]
            )} if r.get("values") else "",
        }
        for r in count["rows"]
    ]
    notes: list[str] = []
    if not count["leads"]:
        headline = _("The client has no leads yet, so no count: it appears once leads are imported.")
        return {"headline": headline, "notes": notes, "rows": [], "none": True}
    if count["matched"]:
        headline = _("This rule matches %(matched)s of the client's %(leads)s.") % {
            "matched": number_words(count["matched"]),
            "leads": leads(count["leads"]),
        }
        if not match:
            notes.append(_("With no rows, every lead matches: add a row to narrow it."))
        if count["taken"] < count["matched"]:
            notes.append(
                _(
                    "%(taken)s would get this persona: the others meet an earlier persona first (a lead takes the "
                    "first one it matches) or name their persona in the leads file."
                )
                % {"taken": leads(count["taken"])}
            )
    else:
        headline = _("No lead meets this rule.")
        if count["rows"] and all(r["leads"] for r in count["rows"]):
            notes.append(
                _(
                    "Each row matches some leads, but no lead meets all of them at once: choose “any of these”, "
                    "or loosen a row."
                )
            )
        elif any(r["values"] for r in count["rows"]):  # a text value no lead holds: how it is written
            notes.append(
                _(
                    "No lead meets the rows counted 0 below. Check each value is written as in the leads: "
                    "text must match exactly (“saas” is not “SaaS”)."
                )
            )
        elif count["rows"]:
            notes.append(_("No lead meets the rows counted 0 below."))
    if count["given"]:
        notes.append(
            _("%(given)s name this persona in the leads file and keep it whatever the rule.") % {"given": leads(count["given"])}
        )
    shown = rows if len(rows) > 1 or not count["matched"] else []  # one row's count is the headline's
    return {"headline": headline, "notes": notes, "rows": shown, "none": not count["matched"]}
