"""A breakdown table's "—" is explained by its own row, never by the month (issue #23: the channel
table showed €4,137.93 and 159 leads above "No marketing spend this month. No new leads this month.")."""

from __future__ import annotations

from django.utils import translation

from kpis.scorecard import row_cell_shown


def test_a_rows_dash_names_what_the_row_lacks() -> None:
    row = {"member": "email", "marketing_spend": 0.0, "new_leads": 12, "cpl": None, "roi": None, "revenue": 0.0}
    cell = row_cell_shown("roi", row, "EUR")
    assert cell == {"text": "—", "reason": "No marketing spend in this row."}
    assert "this month" not in row_cell_shown("cpl", row, "EUR")["reason"]


def test_a_row_with_spend_and_leads_never_says_there_were_none() -> None:
    row = {"member": "paid_search", "marketing_spend": 4137.93, "new_leads": 159, "cpl": None}
    reason = row_cell_shown("cpl", row, "EUR")["reason"]
    assert "No marketing spend" not in reason and "No new leads" not in reason
    assert reason == "Not defined for this row."


def test_a_defined_cell_has_no_reason_and_the_reasons_are_translated() -> None:
    assert row_cell_shown("new_leads", {"new_leads": 3}, "EUR") == {"text": "3", "reason": ""}
    with translation.override("es"):
        assert row_cell_shown("cpl", {"new_leads": 0, "cpl": None}, "EUR")["reason"] == "Sin leads nuevos en esta fila."
