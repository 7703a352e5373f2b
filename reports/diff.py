"""What changed between two versions of a month's figures, in words: formatting only.

"Cost per lead 215.72 EUR → 219.40 EUR" — one line per KPI of the scorecard whose value differs,
labelled by the KPI catalogue (kpis.catalogue) and formatted as the scorecard does.
"""

from __future__ import annotations

from typing import Any

from kpis.catalogue import GROUPS, kpi, kpis_in
from kpis.scorecard import format_value

KEYS = tuple(figure.key for group in GROUPS for figure in kpis_in(group.key))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def figures_diff(before: dict[str, Any], after: dict[str, Any], *, currency: str) -> list[dict[str, Any]]:
    """The KPIs whose value moved from the ``before`` document to the ``after`` one, in scorecard order."""
    old, new = before.get("kpis", {}), after.get("kpis", {})
    lines = []
    for key in KEYS:
        if not _same(old.get(key), new.get(key)):
            shown_before, shown_after = format_value(key, old.get(key), currency), format_value(key, new.get(key), currency)
            if shown_before == shown_after:
                continue  # a change below what the page shows is no news to the reader
            label = str(kpi(key).label)
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "before": shown_before,
                    "after": shown_after,
                    "text": f"{label} {shown_before} → {shown_after}",
                }
            )
    return lines


def documents_differ(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether any KPI of the two documents differs (at full precision)."""
    old, new = before.get("kpis", {}), after.get("kpis", {})
    return any(not _same(old.get(key), new.get(key)) for key in set(old) | set(new))
