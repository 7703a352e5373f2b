"""A breakdown table's "—" is explained by its own row, never by the month (issue #23: the channel
table showed €4,137.93 and 159 leads above "No marketing spend this month. No new leads this month."), and of
the row as what it is — a channel, a campaign, a device —, never "this row": a client does not think in rows."""

from __future__ import annotations

import pytest
from django.utils import translation

from kpis.reasons import row_cell_shown


def test_a_rows_dash_names_what_the_row_lacks() -> None:
    row = {"member": "email", "marketing_spend": 0.0, "new_leads": 12, "cpl": None, "roi": None, "revenue": 0.0}
    cell = row_cell_shown("roi", row, "EUR", dimension="channel")
    assert cell == {"text": "—", "reason": "No marketing spend for this channel."}
    assert "this month" not in row_cell_shown("cpl", row, "EUR", dimension="channel")["reason"]


def test_a_row_with_spend_and_leads_never_says_there_were_none() -> None:
    row = {"member": "paid_search", "marketing_spend": 4137.93, "new_leads": 159, "cpl": None}
    reason = row_cell_shown("cpl", row, "EUR", dimension="channel")["reason"]
    assert "No marketing spend" not in reason and "No new leads" not in reason
    assert reason == "Cannot be worked out for this channel (Marketing spend ÷ new leads)"


def test_a_defined_cell_has_no_reason_and_the_reasons_are_translated() -> None:
    assert row_cell_shown("new_leads", {"new_leads": 3}, "EUR", dimension="channel") == {"text": "3", "reason": ""}
    with translation.override("es"):
        assert row_cell_shown("cpl", {"new_leads": 0, "cpl": None}, "EUR", dimension="channel")["reason"] == (
            "Sin leads nuevos en este canal.")


@pytest.mark.parametrize(("dimension", "english", "spanish"), [
    ("channel", "No new leads for this channel.", "Sin leads nuevos en este canal."),
    ("campaign", "No new leads for this campaign.", "Sin leads nuevos en esta campaña."),
    ("device", "No new leads for this device.", "Sin leads nuevos en este dispositivo."),
    ("persona", "No new leads for this persona.", "Sin leads nuevos en este perfil de comprador."),
    ("platform", "No new leads for this ad platform.", "Sin leads nuevos en esta plataforma de anuncios."),
    ("landing_page", "No new leads for this landing page.", "Sin leads nuevos en esta landing page."),
    ("social_network", "No new leads for this social network.", "Sin leads nuevos en esta red social."),
    ("segment", "No new leads for this segment.", "Sin leads nuevos en este segmento."),
])  # fmt: skip
def test_a_rows_reason_names_the_row_as_what_it_is_never_a_row(dimension, english, spanish) -> None:
    """"No new leads in this row.": a client reading its channels does not think in rows."""
    row = {"new_leads": 0, "cpl": None}
    assert row_cell_shown("cpl", row, "EUR", dimension=dimension)["reason"] == english
    with translation.override("es"):
        assert row_cell_shown("cpl", row, "EUR", dimension=dimension)["reason"] == spanish


def test_a_device_rows_dash_names_the_undefined_figure_and_why_in_both_languages() -> None:
    """The device table's bounce rate and landing page conversion have bases the row does not carry:
    "Not defined for this row" told the reader nothing."""
    row = {"member": "desktop", "sessions": 120, "new_leads": 3, "traffic_to_lead": 0.025, "bounce_rate": None,
           "landing_page_conversion_rate": None}
    assert row_cell_shown("bounce_rate", row, "EUR", dimension="device")["reason"] == (
        "The traffic data of this device does not give bounced sessions, so its bounce rate is unknown."
    )
    assert row_cell_shown("landing_page_conversion_rate", row, "EUR", dimension="device")["reason"] == (
        "No landing page sessions for this device, so its landing page conversion cannot be worked out."
    )
    assert row_cell_shown("bounce_rate", {**row, "sessions": 0}, "EUR", dimension="device")["reason"] == (
        "No sessions for this device.")
    with translation.override("es"):
        assert row_cell_shown("bounce_rate", row, "EUR", dimension="device")["reason"] == (
            "Los datos de tráfico de este dispositivo no indican las sesiones rebotadas, así que su tasa de rebote es "
            "desconocida.")
        assert row_cell_shown("landing_page_conversion_rate", row, "EUR", dimension="device")["reason"].endswith(
            "así que su conversión de landing pages no se puede calcular."
        )


def test_a_campaign_without_ad_rows_says_so_once_for_its_ad_figures() -> None:
    row = {"member": "g1", "new_leads": 4, "impressions": None, "clicks": None, "platform_conversions": None,
           "ctr": None, "cpc": None, "roas": None}
    keys = ("impressions", "clicks", "ctr", "cpc", "roas")
    reasons = {row_cell_shown(k, row, "EUR", dimension="campaign")["reason"] for k in keys}
    assert reasons == {"No ad platform data for this campaign: its ad figures (impressions, clicks, conversions) are unknown."}


def test_ad_rows_without_conversions_say_so_once_for_the_conversion_figures() -> None:
    row = {"member": "linkedin_ads", "impressions": 900, "clicks": 12, "platform_conversions": None,
           "cost_per_conversion": None, "conversion_value": None, "roas": None}
    reasons = {row_cell_shown(k, row, "EUR", dimension="platform")["reason"]
               for k in ("platform_conversions", "conversion_value", "roas")}
    assert reasons == {"No conversions or conversion value reported for this ad platform."}
    with translation.override("es"):
        campaign = row_cell_shown("roas", row, "EUR", dimension="campaign")["reason"]
    assert campaign == "Sin conversiones ni valor de conversión declarados para esta campaña."


def test_a_row_with_conversions_but_no_conversion_value_does_not_say_it_has_no_conversions() -> None:
    """"Retargeting en carrusel": 163 platform conversions beside a ROAS "—" that said "Sin conversiones ni
    valor de conversión": only the value is missing."""
    from kpis.breakdowns_shown import dashes_said

    row = {"member": "c7", "impressions": 118_049, "clicks": 2198, "platform_conversions": 163.0,
           "cost_per_conversion": 8.25, "conversion_value": None, "roas": None}
    assert row_cell_shown("roas", row, "EUR", dimension="campaign")["reason"] == (
        "No conversion value reported for this campaign.")
    with translation.override("es"):
        cell = row_cell_shown("roas", row, "EUR", dimension="campaign")
        assert cell["reason"] == "Sin valor de conversión declarado para esta campaña."
        assert dashes_said([[cell], [cell], [{"text": "2,0", "reason": ""}]]) == [
            "Sin valor de conversión declarado para 2 campañas."]


@pytest.mark.parametrize(("language", "said", "under"), [
    ("en", "No ad platform spend for this ad platform.", "No ad platform spend for 1 ad platform."),
    ("es", "Sin inversión en plataformas de anuncios para esta plataforma de anuncios.",
     "Sin inversión en plataformas de anuncios para 1 plataforma de anuncios."),
])  # fmt: skip
def test_a_platform_row_with_conversion_value_but_no_spend_says_its_roas_lacks_the_spend(language, said, under) -> None:
    """Conversion value credited in a month the platform spent nothing (its campaigns stopped): its data gives a
    value, so "Its ad platform data gives no conversions or conversion value." was wrong; the spend is missing."""
    from kpis.breakdowns_shown import dashes_said

    row = {"member": "meta_ads", "ad_spend": 0.0, "impressions": 0, "clicks": 0, "platform_conversions": 3,
           "conversion_value": 540.0, "roas": None}
    spent = {**row, "member": "google_ads", "ad_spend": 900.0, "roas": 2.0}
    with translation.override(language):
        cell = row_cell_shown("roas", row, "EUR", dimension="platform")
        assert cell == {"text": "—", "reason": said}
        assert row_cell_shown("roas", spent, "EUR", dimension="platform")["reason"] == ""
        other = row_cell_shown("roas", spent, "EUR", dimension="platform")
        assert dashes_said([[cell], [other]]) == [under]  # under the table, of its rows


def _shown(member: str, *cells: tuple[str, str]) -> dict:
    return {"member": member, "cells": [{"text": text, "reason": reason} for text, reason in cells]}


NO_ROWS = "No ad platform data for this campaign: its ad figures (impressions, clicks, conversions) are unknown."


def test_columns_that_read_dash_in_every_row_are_left_out_and_named_once_with_why() -> None:
    """A client without the platforms' delivery got seven columns of dashes in its campaign table."""
    from kpis.breakdowns_shown import blank_columns_dropped

    columns = [("new_leads", "New leads"), ("impressions", "Impressions"), ("clicks", "Clicks"), ("cpl", "Cost per lead")]
    rows = [
        _shown("Brand", ("11", ""), ("—", NO_ROWS), ("—", NO_ROWS), ("€611.85", "")),
        _shown("Trade show", ("0", ""), ("—", NO_ROWS), ("—", NO_ROWS), ("—", "No new leads for this campaign.")),
    ]
    kept, shown, note = blank_columns_dropped(columns, rows, dimension="campaign")
    assert kept == [("new_leads", "New leads"), ("cpl", "Cost per lead")]
    assert [[c["text"] for c in row["cells"]] for row in shown] == [["11", "€611.85"], ["0", "—"]]
    assert shown[1]["cells"][1]["reason"] == "No new leads for this campaign."  # a dash among values keeps its reason
    assert note == (
        "Not shown, as there is no value for any campaign this month: Impressions, Clicks. No ad platform data for "
        "any campaign this month: their ad figures (impressions, clicks, conversions) are unknown."
    )
    with translation.override("es"):
        reason = row_cell_shown("impressions", {"member": "g1", "impressions": None}, "EUR", dimension="campaign")["reason"]
        spanish = blank_columns_dropped(["Leads nuevos", "Impresiones"], [_shown("Brand", ("4", ""), ("—", reason))] * 2,
                                        dimension="campaign")[2]
    assert spanish.startswith("No se muestran, porque no hay valor para ninguna campaña este mes: Impresiones.")
    assert "Este mes no hay datos de plataformas publicitarias para ninguna campaña" in spanish


def test_the_note_of_columns_no_row_has_speaks_of_every_row_not_this_row() -> None:
    """A breakdown's note under the table ended "Sin sesiones en esta fila" ("in this row") of columns
    that no row has; a dash among values keeps its row's words (of a channel: "this channel")."""
    from kpis.breakdowns_shown import blank_columns_dropped

    def note(language: str) -> tuple[str, str]:
        with translation.override(language):
            rows = [
                {"member": member, "sessions": 0, "new_leads": 0, "bounce_rate": None, "cpl": None, "marketing_spend": 0,
                 "landing_page_conversion_rate": None}
                for member in ("Email", "Referral")
            ]
            keys = ("bounce_rate", "landing_page_conversion_rate", "cpl")
            shown = [{"member": r["member"], "cells": [row_cell_shown(k, r, "MXN", dimension="channel") for k in keys]}
                     for r in rows]
            return (blank_columns_dropped(list(keys), shown, dimension="channel")[2],
                    row_cell_shown("cpl", rows[0], "MXN", dimension="channel")["reason"])

    english, one_row = note("en")
    assert "this channel" not in english and "No new leads for any channel." in english
    assert "No sessions for any channel." in english and " row" not in english
    assert "No landing page sessions for any channel, so the landing page conversion cannot be worked out." in english
    assert english.startswith("Not shown, as there is no value for any channel this month: ")
    assert one_row == "No new leads for this channel."  # a single cell's reason is still about its row
    spanish = note("es")[0]
    assert "este canal" not in spanish and "Sin leads nuevos en ningún canal." in spanish and "fila" not in spanish


def test_a_table_with_a_value_in_every_column_or_a_single_row_is_left_as_it_is() -> None:
    from kpis.breakdowns_shown import blank_columns_dropped

    columns = ["New leads", "Impressions"]
    rows = [_shown("Brand", ("11", ""), ("—", NO_ROWS)), _shown("Search", ("3", ""), ("1,200", ""))]
    assert blank_columns_dropped(columns, rows, dimension="campaign") == (columns, rows, "")
    assert blank_columns_dropped(columns, [], dimension="campaign") == (columns, [], "")
    one = [_shown("Brand", ("11", ""), ("—", NO_ROWS))]  # one row: its dash and the reason under the table
    assert blank_columns_dropped(columns, one, dimension="campaign") == (columns, one, "")


def test_a_column_of_platform_conversions_is_written_with_the_same_decimals_in_every_row() -> None:
    """A new client's top campaigns read "272.0" beside "50": whole counts read whole, and one split
    count gives the whole column its decimal."""
    import datetime as dt
    from types import SimpleNamespace

    from kpis.formatting import format_value
    from kpis.report import paid_media

    def top_campaigns(conversions: list[float]) -> list[str]:
        campaign = {f"c{i}": {"marketing_spend": 1000.0 - i, "platform_conversions": c} for i, c in enumerate(conversions)}
        document = {"breakdowns": {"platform": {"google_ads": {"ad_spend": 100.0}}, "campaign": campaign}, "kpis": {}}
        card = SimpleNamespace(snapshot=SimpleNamespace(document=document), month=dt.date(2026, 11, 1),
                               not_fact=lambda month, key: "")  # a client with a lead source (kpis.nodata)
        with translation.override("en"):
            section = paid_media(card, currency="MXN", accent="#123456")
        index = section["campaign_columns"].index("Conversions")
        return [row["cells"][index]["text"] for row in section["campaigns"]]

    assert top_campaigns([272.04, 50.0, 12.0]) == ["272", "50", "12"]
    assert top_campaigns([272.0, 7.5, 50.0]) == ["272.0", "7.5", "50.0"]
    assert format_value("platform_conversions", 272.04, "MXN") == "272"
    assert format_value("platform_conversions", 7.5, "MXN") == "7.5"
