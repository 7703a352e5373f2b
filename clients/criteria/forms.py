"""The criteria editor's form: a rule tree posted as flat fields, and back.

Each group is posted as ``group-<path>`` (all/any) and each rule as ``rule-<path>-field|op|value``,
where ``<path>`` is the dotted position in the tree (``r`` is the root, ``r.0.1`` its first
child's second child). Points rows are ``points-<i>-…``. Parsing never fails: an incomplete
row stays in the draft for the page to show again; :func:`draft_to_criteria` turns values
into numbers and lists, and the validator of clients.criteria.rules reports what is wrong.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.criteria.numbers import NumberUnclear, number_read, number_typed, numbers_split
from clients.criteria.rules import NUMBER_FIELDS, field_type
from clients.words import ACTION_LABELS, TOP_LABELS, field_label, rule_sentence, rules_sentence

PATH = re.compile(r"^r(\.\d+)*$")


def _node(draft: dict, path: str) -> dict:
    node = draft
    for index in path.split(".")[1:]:
        node = node["children"][int(index)]
    return node


def draft_from_post(data: Any) -> dict[str, Any]:
    """The editor's state from posted fields: {"fit": tree, "points": [...], "threshold", "sales_ready_actions"}."""
    groups = {key[6:]: value for key, value in data.items() if key.startswith("group-") and PATH.match(key[6:])}
    rules: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        match = re.match(r"^rule-(r(?:\.\d+)+)-(field|op|value)$", key)
        if match:
            rules.setdefault(match.group(1), {})[match.group(2)] = value
    nodes = {path: {"kind": kind if kind in {"all", "any"} else "all", "children": []} for path, kind in groups.items()}
    nodes.setdefault("r", {"kind": "all", "children": []})
    nodes.update(
        {path: {"field": r.get("field", ""), "op": r.get("op", ""), "value": r.get("value", "")} for path, r in rules.items()}
    )
    for path in sorted(nodes, key=lambda p: [int(i) for i in p.split(".")[1:]]):
        if path != "r":
            parent = nodes.get(path.rsplit(".", 1)[0])
            if parent is not None and "children" in parent:
                parent["children"].append(nodes[path])
    points = []
    for index in sorted({int(m.group(1)) for key in data if (m := re.match(r"^points-(\d+)-", key))}):
        get = lambda name, i=index: data.get(f"points-{i}-{name}", "")  # noqa: E731
        points.append(
            {
                "kind": get("kind") or "action",
                "action": get("action"),
                "field": get("field"),
                "op": get("op"),
                "value": get("value"),
                "points": get("points"),
            }
        )
    ready = data.getlist("sales_ready") if hasattr(data, "getlist") else data.get("sales_ready", [])
    return {"fit": nodes["r"], "points": points, "threshold": data.get("threshold", ""), "sales_ready_actions": list(ready)}


def draft_apply(draft: dict[str, Any], operation: str) -> dict[str, Any]:
    """Add or remove a rule, a group or a points row (the builder's buttons)."""
    action, _, path = operation.partition(":")
    if action in {"add-rule", "add-group"} and PATH.match(path):
        child = {"field": "", "op": "", "value": ""} if action == "add-rule" else {"kind": "any", "children": []}
        _node(draft["fit"], path)["children"].append(child)
    elif action == "remove" and PATH.match(path) and path != "r":
        parent, index = path.rsplit(".", 1)
        del _node(draft["fit"], parent)["children"][int(index)]
    elif action == "add-points":
        draft["points"].append({"kind": "action", "action": "", "field": "", "op": "", "value": "", "points": ""})
    elif action == "remove-points" and path.isdigit() and int(path) < len(draft["points"]):
        del draft["points"][int(path)]
    return draft


def _number(text: str) -> Any:
    """A typed number as the page's language writes it (clients.criteria.numbers); text when it is not
    one (the validator says a number is needed; :func:`draft_number_problems` says how to write it)."""
    try:
        return number_read(text)
    except NumberUnclear:
        return text


def _value(field: str, op: str, raw: str) -> Any:
    raw = (raw or "").strip()
    kind = field_type(field) if field else "text"
    if op == "exists":
        return None
    if op in {"in", "not_in", "between"}:
        if field in NUMBER_FIELDS:
            return [_number(part) for part in numbers_split(raw)]
        return [part.strip() for part in raw.split(",") if part.strip()]
    return raw if kind != "number" else _number(raw)


def value_number_problem(field: str, op: str, raw: str) -> str:
    """Why a number row's value cannot be read in the page's language ("" when it can, or is not a number)."""
    if field not in NUMBER_FIELDS or op == "exists" or not str(raw or "").strip():
        return ""
    parts = numbers_split(str(raw)) if op in {"in", "not_in", "between"} else [str(raw).strip()]
    for part in parts:
        problem = _number_error(part)
        if problem:
            return problem
    return ""


def draft_number_problems(draft: dict[str, Any]) -> list[str]:
    """The draft's numbers that cannot be read as the page's language writes them, each said with its place."""
    problems: list[str] = []

    def visit(node: dict) -> None:
        if "children" in node:
            for child in node["children"]:
                visit(child)
            return
        problem = value_number_problem(node.get("field", ""), node.get("op", ""), node.get("value", ""))
        if problem:
            problems.append(f"{field_label(node['field'])}: {problem}")

    visit(draft["fit"])
    for row in draft["points"]:
        if row.get("kind") != "action":
            visit({"field": row.get("field", ""), "op": row.get("op", ""), "value": row.get("value", "")})
        if _number_error(str(row.get("points", ""))):
            problems.append(f"{TOP_LABELS['points']}: {_number_error(str(row['points']))}")
    if _number_error(str(draft.get("threshold", ""))):
        problems.append(f"{TOP_LABELS['threshold']}: {_number_error(str(draft['threshold']))}")
    return problems


def _number_error(text: str) -> str:
    """How to write a number that has digits but cannot be read ("1,000" on a Spanish page); "" otherwise
    (a word where a number goes is the validator's to say)."""
    if not any(character.isdigit() for character in text):
        return ""
    try:
        number_read(text.strip())
    except NumberUnclear as error:
        return str(error)
    return ""


def _typed(value: Any) -> Any:
    """Points and the threshold as typed in the page's language (2,5 on a Spanish page)."""
    return number_typed(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _shown(field: str, value: Any) -> str:
    """A stored value as typed in a row: numbers of number fields in the page's language's format."""
    if field in NUMBER_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_typed(value)
    return str(value)


def _tree_to_rule(node: dict) -> dict:
    if "children" in node:
        return {node["kind"]: [_tree_to_rule(child) for child in node["children"]]} if node["children"] else {}
    rule = {"field": node["field"], "op": node["op"]}
    value = _value(node["field"], node["op"], node["value"])
    if value is not None:
        rule["value"] = value
    return rule


def draft_to_criteria(draft: dict[str, Any]) -> dict[str, Any]:
    points = []
    for row in draft["points"]:
        amount = _number(str(row["points"]).strip())
        if row["kind"] == "action":
            points.append({"action": row["action"], "points": amount})
        else:
            rule = _tree_to_rule({"field": row["field"], "op": row["op"], "value": row["value"]})
            points.append({**rule, "points": amount})
    return {
        "fit": _tree_to_rule(draft["fit"]),
        "threshold": _number(str(draft["threshold"]).strip()),
        "points": points,
        "sales_ready_actions": draft["sales_ready_actions"],
    }


def _rule_to_tree(rule: dict) -> dict:
    for group in ("all", "any"):
        if group in rule:
            return {"kind": group, "children": [_rule_to_tree(member) for member in rule[group]]}
    if not rule:
        return {"kind": "all", "children": []}
    value = rule.get("value", "")
    field = rule.get("field", "")
    joiner = "; " if field in NUMBER_FIELDS else ", "  # a number list: "1.000; 2,5" reads back as two numbers
    text = joiner.join(_shown(field, v) for v in value) if isinstance(value, list) else (
        "" if value is None else _shown(field, value))
    return {"field": rule["field"], "op": rule["op"], "value": text}


def criteria_to_draft(criteria: dict[str, Any]) -> dict[str, Any]:
    fit = _rule_to_tree(criteria.get("fit", {}))
    if "children" not in fit:
        fit = {"kind": "all", "children": [fit]}
    points = []
    for entry in criteria.get("points", []):
        if "action" in entry:
            points.append(
                {"kind": "action", "action": entry["action"], "field": "", "op": "", "value": "",
                 "points": _typed(entry.get("points"))}
            )
        else:
            leaf = _rule_to_tree({k: v for k, v in entry.items() if k != "points"})
            points.append({"kind": "rule", "action": "", **leaf, "points": _typed(entry.get("points"))})
    return {
        "fit": fit,
        "points": points,
        "threshold": _typed(criteria.get("threshold", "")),
        "sales_ready_actions": list(criteria.get("sales_ready_actions", [])),
    }


def _point_words(entry: dict[str, Any]) -> str:
    """A scoring rule in words: "Demo request: 20 points", "Employees at least 250: 25 points"."""
    what = (
        str(ACTION_LABELS.get(entry["action"], entry["action"]))
        if "action" in entry
        else rule_sentence({k: v for k, v in entry.items() if k != "points"})
    )
    return ngettext("%(what)s: %(points)s point", "%(what)s: %(points)s points", entry.get("points") or 0) % {
        "what": what,
        "points": entry.get("points"),
    }


def _actions_words(actions: Any) -> str:
    return ", ".join(str(ACTION_LABELS.get(a, a)) for a in actions or []) or _("none")


def criteria_words(criteria: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Every part of a version in words, in the order qualification applies them (the version page's
    "The rules"): who fits, the scoring rules, the threshold, the buying signals. The page showed the
    fit rules alone, so the points and the threshold that decide an MQL could only be read as JSON."""
    points = [_point_words(entry) for entry in criteria.get("points") or []]
    threshold = criteria.get("threshold")
    return [
        (str(TOP_LABELS["fit"]), [rules_sentence(criteria.get("fit") or {})]),
        (str(TOP_LABELS["points"]), points or [str(_("none: every lead that fits scores 0"))]),
        (str(_("MQL threshold (points)")), [str(threshold if threshold is not None else 0)]),
        (str(_("Buying signals (fast-track to MQL)")), [_actions_words(criteria.get("sales_ready_actions"))]),
    ]


def criteria_diff(before: dict | None, after: dict) -> list[str]:
    """What changed between two versions, in words (the version page's "What changed")."""
    if before is None:
        return [_("The first version.")]
    shown = {"threshold": str, "fit": rules_sentence, "sales_ready_actions": _actions_words}
    changes = [
        f"{TOP_LABELS[key]}: {words(before.get(key))} → {words(after.get(key))}"
        for key, words in shown.items()
        if before.get(key) != after.get(key)
    ]
    old_points = [json.dumps(p, sort_keys=True) for p in before.get("points", [])]
    new_points = [json.dumps(p, sort_keys=True) for p in after.get("points", [])]
    changes += [
        _("Scoring rule removed: %(rule)s") % {"rule": _point_words(json.loads(p))} for p in old_points if p not in new_points
    ]
    changes += [
        _("Scoring rule added: %(rule)s") % {"rule": _point_words(json.loads(p))} for p in new_points if p not in old_points
    ]
    return changes
