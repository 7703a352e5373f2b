"""Why a table's "—" cells are undefined, in words under the table: a cell's title is hover-only
and a phone has no hover (the PDF lists them the same way, kpis.exports)."""

from __future__ import annotations

from typing import Any

from django import template

from kpis.breakdowns_shown import dashes_said

register = template.Library()


@register.filter
def dash_reasons(rows: list[dict[str, Any]], more_cells: list[dict[str, Any]] | None = None) -> list[str]:
    """The reasons of the rows' "—" cells (``row["cells"]``), and of ``more_cells`` (a total row),
    each once, in the order they first appear, said of the rows that have them (kpis.breakdowns_shown.dashes_said:
    "No sessions in 2 rows.", not "in this row")."""
    return dashes_said([row.get("cells", ()) for row in rows or ()], more_cells or ())


@register.filter
def labelled(cells: list[dict[str, Any]], labels: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Each cell beside its column's label: a table that becomes a stack of cards on a phone
    names each figure in its cell (``data-label``), its header row being hidden there."""
    return list(zip(labels or (), cells or (), strict=False))
