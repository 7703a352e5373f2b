"""The page's lifetime value table by segment: eleven columns scrolled sideways at 1440 px, six of them
"28.6 %" or "0.80" in every row (a rate a small segment takes pooled from all contracts, kpis.md). As the
PDF does, a figure the same for every segment and for all contracts is said once under the table; the
columns left are what the segments add, and no figure is lost."""

from __future__ import annotations

from kpis.scorecard import segment_table_shown

COLUMNS = ["Contract lifetime value", "Early cancellation rate", "Renewal rate", "Expected terms"]


def _cells(*texts: str, reason: str = "") -> list[dict]:
    return [{"text": text, "reason": reason if text == "—" else ""} for text in texts]


PANEL = {
    "columns": COLUMNS,
    "rows": [
        {"segment": "Retail", "cells": _cells("€45,138.50", "28.6 %", "80.0 %", "2.08")},
        {"segment": "SaaS", "cells": _cells("€59,678.57", "28.6 %", "80.0 %", "2.19")},
    ],
    "total": _cells("€56,070.52", "28.6 %", "80.0 %", "2.19"),
}


def test_a_figure_the_same_for_every_segment_and_all_contracts_is_said_once_under_the_table() -> None:
    table = segment_table_shown(PANEL)
    assert table["columns"] == ["Contract lifetime value", "Expected terms"]
    assert [row["cells"] for row in table["rows"]] == [_cells("€45,138.50", "2.08"), _cells("€59,678.57", "2.19")]
    assert [row["segment"] for row in table["rows"]] == ["Retail", "SaaS"]
    assert table["total"] == _cells("€56,070.52", "2.19")
    assert table["same"] == ("The same for every segment and for all contracts: Early cancellation rate 28.6 % · "
                             "Renewal rate 80.0 %.")


def test_a_single_segment_keeps_every_column() -> None:
    """One segment and all contracts are alike by nature: nothing is folded."""
    one = {**PANEL, "rows": PANEL["rows"][:1]}
    table = segment_table_shown(one)
    assert table["columns"] == COLUMNS and table["same"] == ""


def test_a_column_of_dashes_stays_a_column() -> None:
    """A "—" is said per row, with its reason: a column of them is not a figure the same everywhere."""
    panel = {
        "columns": ["Contract lifetime value", "Served fraction when cancelled early"],
        "rows": [
            {"segment": "Retail", "cells": _cells("€1.00", "—", reason="No retainer was cancelled early.")},
            {"segment": "SaaS", "cells": _cells("€2.00", "—", reason="No retainer was cancelled early.")},
        ],
        "total": _cells("€3.00", "—", reason="No retainer was cancelled early."),
    }
    assert segment_table_shown(panel)["columns"] == panel["columns"]


def test_segments_that_add_nothing_still_show_as_a_table() -> None:
    same = _cells("€1.00", "28.6 %", "80.0 %", "2.19")
    panel = {"columns": COLUMNS, "rows": [{"segment": "Retail", "cells": same}, {"segment": "SaaS", "cells": same}],
             "total": same}
    table = segment_table_shown(panel)
    assert table["columns"] == COLUMNS and table["same"] == ""
