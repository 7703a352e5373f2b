"""The lifetime value panel explains the contract value with the worked example's November 2025."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client as HttpClient

from kpis.scorecard import retainer_explained
from tests.conftest import host_of


def panel(user, tenant, month: str) -> str:
    http = HttpClient()
    http.force_login(user)
    body = http.get(f"/scorecard/?month={month}", HTTP_HOST=host_of(tenant)).content.decode()
    start = body.index("Contract lifetime value, explained")
    return body[start : body.index("</table>", start)]


def test_served_fraction_and_base_value_follow_from_the_snapshot() -> None:
    # retainer_ltv = mean fee × mean term × f × expected_terms, f = 1 − e × (1 − served)
    explained = retainer_explained(
        {"retainer_ltv": 900.0, "contraction_factor": 0.9, "expected_terms": 2.0, "early_cancel_rate": 0.25}
    )
    assert explained["retainer_base_value"] == 500.0
    assert abs(explained["served_fraction_when_cancelled"] - 0.6) < 1e-12
    none_cancelled = retainer_explained(
        {"retainer_ltv": 500.0, "contraction_factor": 1.0, "expected_terms": 1.0, "early_cancel_rate": 0.0}
    )
    assert none_cancelled["served_fraction_when_cancelled"] is None  # undefined, not 0 or 100 %
    assert retainer_explained({"retainer_ltv": None})["retainer_base_value"] is None


def test_the_panel_shows_every_factor_per_segment_and_overall(client_user_a, example_snapshots) -> None:
    html = panel(client_user_a, example_snapshots, "2025-11")
    for header in (
        "Mean fee × mean term",
        "Early cancellation rate",
        "Served fraction when cancelled early",
        "Renewal rate",
        "Expected terms",
        "Contraction factor",
    ):
        assert header in html
    overall = html[html.index("All contracts") :]
    # early cancels 1 in 6, served 42.9 % of their term (checked by hand from contracts.csv)
    assert "16.7 %" in overall and "42.9 %" in overall and "60.0 %" in overall and "1.97" in overall
    assert "€67,679.68" in overall and "€47,401.71" in overall  # contract LTV and mean fee × mean term
    gov = html[html.index('<th scope="row">Public sector</th>') :]
    gov = gov[: gov.index("</tr>")]
    assert gov.count("—") == 3  # no projects in gov: project value, repeat rate, expected projects undefined


def test_cltv_cac_ltv_to_cac_and_payback_side_by_side(client_user_a, example_snapshots) -> None:
    http = HttpClient()
    http.force_login(client_user_a)
    body = http.get("/scorecard/?month=2025-11", HTTP_HOST=host_of(example_snapshots)).content.decode()
    side = body[body.index("Customer value against its cost") :]
    side = side[: side.index("</dl>")]
    for shown in ("€52,222.22", "€8,935.09", "5.84", "2.63", "€523.79"):
        assert shown in side


def test_the_pdf_says_no_value_yet_for_a_target_on_an_undefined_figure(client_user_a, example_snapshots) -> None:
    import base64
    import re
    import zlib

    from portfolio.models import Target

    Target.objects.create(client=example_snapshots, month="2025-11-01", kpi="revenue_uplift", value=1000)  # null in Nov
    Target.objects.create(client=example_snapshots, month="2025-11-01", kpi="new_leads", value=50)  # 45: missed
    http = HttpClient()
    http.force_login(client_user_a)
    pdf = http.get("/scorecard/export.pdf?month=2025-11", HTTP_HOST=host_of(example_snapshots)).content
    text = b"".join(  # ReportLab writes page streams ASCII85 + Flate encoded
        zlib.decompress(base64.a85decode(stream.strip(), adobe=True))
        for stream in re.findall(rb"/Filter \[ /ASCII85Decode /FlateDecode \].*?stream\r?\n(.*?)endstream", pdf, re.S)
    )
    assert b"1,000.00 \\(no value yet\\)) Tj" in text and rb"(50 \(missed\)) Tj" in text


SEGMENTS = {
    "en": ("Enterprises", "Public sector", "Small and midsize businesses"),
    "es": ("Grandes empresas", "Sector público", "Pymes"),
}


def _pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    try:
        return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).replace("\r\n", " ")
    finally:
        document.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_contract_segments_read_in_words_never_as_codes(client_user_a, example_snapshots, language) -> None:
    """The worked example's segments (smb, enterprise, gov) on the value panel, the segment
    drill-down, its CSV and the PDF: their labels in the reader's language, not the import codes."""
    client_user_a.language = language
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    host = host_of(example_snapshots)
    page = unescape(http.get("/scorecard/?month=2025-11", HTTP_HOST=host).content.decode())
    start = page.index('id="ltv-segments-title"')
    ltv = page[start : page.index("</table>", start)]
    drill = unescape(http.get("/scorecard/breakdowns/segment/?month=2025-11", HTTP_HOST=host).content.decode())
    csv = http.get("/scorecard/breakdowns/segment/export.csv?month=2025-11", HTTP_HOST=host).content.decode()
    pdf = _pdf_text(http.get("/scorecard/export.pdf?month=2025-11", HTTP_HOST=host).content)
    for label in SEGMENTS[language]:
        assert f'<th scope="row">{label}</th>' in ltv, label
        assert f'<th scope="row">{label}</th>' in drill, label
        assert f"\n{label}," in csv or f'\n"{label}",' in csv, label
        assert label in pdf, label
    for code in ("smb", "enterprise", "gov"):
        assert f">{code}<" not in ltv and f">{code}<" not in drill and f"\n{code}," not in csv
        assert f" {code} " not in pdf


def test_a_segment_outside_the_usual_words_reads_as_written_and_none_says_so() -> None:
    from django.utils import translation

    from clients.words import member_label

    with translation.override("es"):
        assert member_label("segment", "mid_market") == "Mediana empresa"
        assert member_label("segment", "SMB") == "Pymes"
        assert member_label("segment", "healthcare_eu") == "Healthcare eu"
        assert member_label("segment", "saas") == "SaaS" and member_label("segment", "retail") == "Comercio minorista"
        assert member_label("segment", "") == "Sin segmento"
    assert member_label("segment", "Retail") == "Retail"
    assert member_label("channel", "") == "Not attributed"  # other breakdowns keep their word


COMPARED = {
    "en": ("CLTV and contract lifetime value estimate what a customer is worth in two ways.",
           "so one month's cancellations move it a lot", "so it moves slowly"),
    "es": ("El CLTV y el valor de vida del contrato estiman de dos formas el valor de un cliente.",
           "así que las cancelaciones de un solo mes lo mueven mucho", "así que cambia despacio"),
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_pdf_and_glossary_say_why_cltv_and_contract_value_differ(client_user_a, example_snapshots,
                                                                             language) -> None:
    """CLTV (€8,935.09) stood beside a contract lifetime value of €52,222.22 with no word on why:
    the panel, the PDF's "Contract lifetime value, explained" and the glossary say how each is worked out."""
    client_user_a.language = language
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    host = host_of(example_snapshots)
    page = unescape(http.get("/scorecard/?month=2025-11", HTTP_HOST=host).content.decode())
    side = page[page.index('id="ltv-title"') :]
    side = side[: side.index("<table")]
    pdf = " ".join(_pdf_text(http.get("/scorecard/export.pdf?month=2025-11", HTTP_HOST=host).content).split())
    glossary = unescape(http.get("/glossary/", HTTP_HOST=host).content.decode())
    for said in COMPARED[language]:
        assert said in side, said
        assert said in pdf, said
        assert said in glossary, said
