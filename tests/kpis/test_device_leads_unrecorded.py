"""A month whose CRM leads record no device (a HubSpot export) while its traffic has devices: the device
breakdown's new leads and traffic → lead are kpis.md's 0, no fact. The page and the PDF show no such 0
and say why under the table; when some leads record a device, they say how many the table leaves out;
the CSV keeps the stored values (kpis.nodevice), in English and Spanish."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.utils import translation

from kpis.breakdowns_shown import drilldown_tables
from kpis.nodevice import device_leads_unknown, leads_left_out, leads_without_device
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import _note, http_for

MONTH = dt.date(2026, 3, 1)
NONE_RECORDED = {
    "en": "None of this month's 6 new leads records a device (their source does not send one)",
    "es": "Ninguno de los 6 leads nuevos de este mes registra un dispositivo (su origen no lo envía)",
}
LEFT_OUT = {
    "en": "4 of this month's 6 new leads record no device (their source does not send one): they are left out",
    "es": "4 de los 6 leads nuevos de este mes no registran ningún dispositivo (su origen no lo envía): quedan fuera",
}
COLUMNS = {"en": ("New leads", "Traffic → lead rate"), "es": ("Leads nuevos", "Tasa tráfico → lead")}
NOT_SHOWN = {"en": "Not shown, as there is no value for any device this month: ",
             "es": "No se muestran, porque no hay valor para ningún dispositivo este mes: "}
ZEROS = {"0", "0 %", "0.0 %", "0,0 %"}  # a lead count or traffic → lead as kpis.md stores them
DEVICE = {"en": "Device", "es": "Dispositivo"}


def _month(tenant, *, with_device: int) -> None:
    """March: 300 desktop and 200 mobile sessions, and 6 new leads of which ``with_device`` come from a
    mobile (the others, as a HubSpot export brings them, with no device) and as many are founders (the
    others match no persona)."""
    from clients.models import Lead, Persona, TrafficRow

    Persona.objects.create(code="founder", name="Founder")
    TrafficRow.objects.bulk_create([
        TrafficRow(date=dt.date(2026, 3, 5), channel="organic_search", device="desktop", sessions=300, bounced_sessions=90),
        TrafficRow(date=dt.date(2026, 3, 5), channel="organic_search", device="mobile", sessions=200, bounced_sessions=80),
    ])  # fmt: skip
    at = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create([
        Lead(id=f"h{i}", created_at=at, channel="organic_search", device="mobile" if i < with_device else "",
             persona="founder" if i < with_device else "")
        for i in range(6)
    ])  # fmt: skip
    snapshot_compute(client=tenant, months=[MONTH])
    connection.set_schema_to_public()


@pytest.fixture
def no_device(in_tenant_a):
    _month(in_tenant_a, with_device=0)
    return in_tenant_a


@pytest.fixture
def some_device(in_tenant_a):
    _month(in_tenant_a, with_device=2)
    return in_tenant_a


def _page(user, tenant, language: str) -> str:
    http = http_for(user, language)
    return unescape(http.get("/scorecard/breakdowns/device/?month=2026-03", HTTP_HOST=host_of(tenant)).content.decode())


def _row(html: str, member: str) -> str:
    found = html[html.index(f'<th scope="row">{member}') :]
    return found[: found.index("</tr>")]


def test_the_documents_count_the_leads_without_a_device() -> None:
    document = {"kpis": {"new_leads": 6}, "breakdowns": {"device": {"desktop": {"new_leads": 0}, "mobile": {"new_leads": 2}}}}
    assert leads_without_device(document) == (4, 6) and device_leads_unknown(document) is None
    document["breakdowns"]["device"]["mobile"]["new_leads"] = 0
    assert leads_without_device(document) == (6, 6) and device_leads_unknown(document) == 6
    document["breakdowns"]["device"]["mobile"]["new_leads"] = 6
    assert leads_without_device(document) is None
    assert leads_without_device({"kpis": {"new_leads": 6}, "breakdowns": {"device": {}}}) is None  # no table
    assert leads_without_device({"kpis": {"new_leads": 0}, "breakdowns": {"device": {"mobile": {}}}}) is None
    # A persona table has rows only from leads: an empty one leaves out every new lead of the month.
    assert leads_left_out({"kpis": {"new_leads": 6}, "breakdowns": {"persona": {}}}, "persona") == (6, 6)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_device_drilldown_shows_no_0_leads_and_says_no_lead_records_a_device(client_user_a, no_device, language):
    html = _page(client_user_a, no_device, language)
    for member in ("Desktop", "Mobile") if language == "en" else ("Escritorio", "Móvil"):
        row = _row(html, member)
        assert not ZEROS & set(re.findall(r">([^<>]*)</td>", row)), row
        for column in COLUMNS[language]:
            assert f'data-label="{column}"' not in row, row
    note = _note(html)
    assert note.startswith(NOT_SHOWN[language] + ", ".join(COLUMNS[language])) and NONE_RECORDED[language] in note, note
    assert "data-left-out" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_device_drilldown_says_how_many_leads_it_leaves_out(client_user_a, some_device, language):
    html = _page(client_user_a, some_device, language)
    mobile = _row(html, "Mobile" if language == "en" else "Móvil")
    assert f'data-label="{COLUMNS[language][0]}">2<' in mobile, mobile  # the leads that record one: a fact
    note = html[html.index("data-left-out>") :]
    assert LEFT_OUT[language] in note[: note.index("</p>")] and NONE_RECORDED[language] not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_device_csv_keeps_the_stored_0_and_says_why(client_user_a, no_device, language):
    http = http_for(client_user_a, language)
    content = http.get("/scorecard/breakdowns/device/export.csv?month=2026-03", HTTP_HOST=host_of(no_device))
    rows = list(csv.reader(io.StringIO(content.content.decode("utf-8-sig"))))
    header = rows[0]
    for row in rows[1:]:
        assert row[header.index(COLUMNS[language][0])] == "0", row
        assert NONE_RECORDED[language] in " ".join(row), row


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_device_table_shows_no_0_leads_and_says_why(no_device, language):
    from kpis.models import Snapshot

    connection.set_tenant(no_device)
    with translation.override(language):
        tables = {t["dimension"]: t for t in drilldown_tables(Snapshot.objects.get(month=MONTH), currency="EUR", names={})}
        device = tables["device"]
        assert not set(COLUMNS[language]) & set(device["columns"]), device["columns"]
        assert not ZEROS & {c["text"] for row in device["rows"] for c in row["cells"]}
        assert NONE_RECORDED[language] in device["blank_note"]
        connection.set_schema_to_public()
        text = " ".join(_pdf_text(report_pdf_build(client=no_device, month=MONTH, language=language)).split())
    breakdowns = text[text.rindex(DEVICE[language]) :]
    assert NONE_RECORDED[language] in breakdowns and NOT_SHOWN[language] + COLUMNS[language][0] in breakdowns


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_how_many_leads_the_device_table_leaves_out(some_device, language):
    connection.set_tenant(some_device)
    with translation.override(language):
        connection.set_schema_to_public()
        text = " ".join(_pdf_text(report_pdf_build(client=some_device, month=MONTH, language=language)).split())
    assert LEFT_OUT[language] in text[text.rindex(DEVICE[language]) :]


PERSONA = {
    "none": {"en": "None of this month's 6 new leads matches a persona, so this table has none of this month's new leads.",
             "es": "Ninguno de los 6 leads nuevos de este mes encaja en un perfil de comprador, así que esta tabla no tiene "
                   "ninguno de los leads nuevos de este mes."},
    "some": {"en": "4 of this month's 6 new leads match no persona: they are left out of this table.",
             "es": "4 de los 6 leads nuevos de este mes no encajan en ningún perfil de comprador: quedan fuera de esta tabla."},
}


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("case", ["none", "some"])
def test_the_persona_table_says_how_many_leads_match_no_persona(client_user_a, in_tenant_a, language, case):
    """kpis.md leaves the leads matching no persona out of the persona breakdown too: its table says how many
    of the month's new leads it leaves out (page and PDF), rather than read as all of them."""
    _month(in_tenant_a, with_device=0 if case == "none" else 2)
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/breakdowns/persona/?month=2026-03", HTTP_HOST=host_of(in_tenant_a)).content.decode())
    note = html[html.index("data-left-out>") :]
    assert note[len("data-left-out>") : note.index("</p>")] == PERSONA[case][language]
    with translation.override(language):
        text = " ".join(_pdf_text(report_pdf_build(client=in_tenant_a, month=MONTH, language=language)).split())
    assert PERSONA[case][language] in text
