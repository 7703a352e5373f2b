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
    assert reason == "Cost per lead cannot be worked out for this row: Marketing spend ÷ new leads."


def test_a_defined_cell_has_no_reason_and_the_reasons_are_translated() -> None:
    assert row_cell_shown("new_leads", {"new_leads": 3}, "EUR") == {"text": "3", "reason": ""}
    with translation.override("es"):
        assert row_cell_shown("cpl", {"new_leads": 0, "cpl": None}, "EUR")["reason"] == "Sin leads nuevos en esta fila."


def test_a_device_rows_dash_names_the_undefined_figure_and_why_in_both_languages() -> None:
    """The device table's bounce rate and landing page conversion have bases the row does not carry:
    "Not defined for this row" told the reader nothing."""
    row = {"member": "desktop", "sessions": 120, "new_leads": 3, "traffic_to_lead": 0.025, "bounce_rate": None,
           "landing_page_conversion_rate": None}
    assert row_cell_shown("bounce_rate", row, "EUR")["reason"] == (
        "Bounce rate: the traffic data of this row does not give bounced sessions, so the share that bounced is unknown."
    )
    assert row_cell_shown("landing_page_conversion_rate", row, "EUR")["reason"].startswith(
        "Landing page conversion: no landing page sessions in this row"
    )
    assert row_cell_shown("bounce_rate", {**row, "sessions": 0}, "EUR")["reason"] == "No sessions in this row."
    with translation.override("es"):
        assert row_cell_shown("bounce_rate", row, "EUR")["reason"].startswith(
            "Tasa de rebote: los datos de tráfico de esta fila no indican las sesiones rebotadas"
        )
        assert row_cell_shown("landing_page_conversion_rate", row, "EUR")["reason"].startswith(
            "Conversión de landing pages: no hay sesiones en landing pages en esta fila"
        )


def test_a_campaign_without_ad_rows_says_so_once_for_its_ad_figures() -> None:
    row = {"member": "g1", "new_leads": 4, "impressions": None, "clicks": None, "platform_conversions": None,
           "ctr": None, "cpc": None, "roas": None}
    reasons = {row_cell_shown(k, row, "EUR")["reason"] for k in ("impressions", "clicks", "ctr", "cpc", "roas")}
    assert reasons == {"No ad platform rows for this campaign: its ad figures (impressions, clicks, conversions) are unknown."}
