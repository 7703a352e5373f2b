"""A breakdown row whose revenue and ROI count only some of its new customers (the others have no deal
value, kpis.nodata) says so, as the tiles and the scorecard CSV do: under the row's name on the
breakdown page, in the breakdown CSV's "Note on the value" column and under the PDF's table, in
English and Spanish. The count comes from the snapshot (each channel and campaign member's
``unpriced_customers``); a document stored before it has none and shows no note."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from django.db import connection

from kpis.breakdowns_shown import breakdown_cell, row_partial_note
from kpis.models import Snapshot
from kpis.services import report_pdf_build
from tests.conftest import host_of
from tests.kpis.test_paid_media import write  # noqa: F401 -- fixture
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for
from tests.kpis.test_unpriced_revenue_screens import FEBRUARY, MARCH, _client

pytestmark = pytest.mark.django_db

NOTE = {
    "en": "Partial: 2 of the 3 new customers have no deal value, so the revenue and ROI of this channel count only the "
          "others.",
    "es": "Parcial: 2 de los 3 clientes nuevos no tienen valor de oportunidad, así que los ingresos y el ROI de este "
          "canal solo cuentan los demás.",
}
# The campaign's: of "this campaign", as the channel's is of "this channel" (never "this row").
CAMPAIGN_NOTE = {
    "en": NOTE["en"].replace("this channel", "this campaign"),
    "es": NOTE["es"].replace("este canal", "esta campaña"),
}
CHANNEL = {"en": "Paid search", "es": "Búsqueda de pago"}
NOTE_COLUMN = {"en": "Note on the value", "es": "Nota sobre el valor"}
WHY_COLUMN = {"en": "Why there is no value", "es": "Por qué no hay valor"}


@pytest.fixture
def partial(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    """March: 3 new customers of campaign g1 (paid search), 2 without a deal value, 1 worth 9,000."""
    _client(in_tenant_a, write, march_priced=9000)
    return in_tenant_a


def _page(user, tenant, language: str, dimension: str, month: str = "2026-03") -> str:
    response = http_for(user, language).get(f"/scorecard/breakdowns/{dimension}/?month={month}", HTTP_HOST=host_of(tenant))
    assert response.status_code == 200
    return unescape(response.content.decode())


def _row(html: str, member: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(member)}.*?</tr>', html, re.S)
    assert found, f"no row {member}"
    return found.group(0)


def test_the_snapshot_stores_each_members_customers_without_a_deal_value(partial):
    connection.set_tenant(partial)
    march = Snapshot.objects.get(month=MARCH).document["breakdowns"]
    assert march["channel"]["paid_search"]["unpriced_customers"] == 2
    assert march["campaign"]["g1"]["unpriced_customers"] == 2
    assert march["channel"]["paid_search"]["customers"] == 3 and march["channel"]["paid_search"]["revenue"] == 9000
    february = Snapshot.objects.get(month=FEBRUARY).document["breakdowns"]
    assert february["channel"]["paid_search"]["unpriced_customers"] == 0


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("dimension", "member"), [("channel", CHANNEL), ("campaign", {"en": "Search", "es": "Search"})])
def test_a_partly_priced_row_says_so_under_its_name(client_user_a, partial, language, dimension, member):
    row = _row(_page(client_user_a, partial, language, dimension), member[language])
    note = (NOTE if dimension == "channel" else CAMPAIGN_NOTE)[language]
    assert f"<small class=\"why\" data-row-note>{note}</small></th>" in row, row
    assert row.count(f'title="{note}"') == 2  # its revenue and its ROI, on hover
    february = _page(client_user_a, partial, language, dimension, "2026-02")
    assert "data-row-note" not in february  # every customer priced


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_breakdown_csv_has_the_note_in_its_own_column(client_user_a, partial, language):
    content = http_for(client_user_a, language).get(
        "/scorecard/breakdowns/channel/export.csv?month=2026-03", HTTP_HOST=host_of(partial)).content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][-2:] == [NOTE_COLUMN[language], WHY_COLUMN[language]]
    (paid,) = [r for r in rows if r[0] == CHANNEL[language]]
    assert paid[-2] == NOTE[language] and NOTE[language] not in paid[-1]  # the last: its traffic's "—" (none loaded)
    assert all(r[-2] == "" for r in rows[1:] if r[0] != CHANNEL[language])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_it_under_the_breakdowns_table(partial, language):
    connection.set_tenant(partial)
    text = " ".join(_pdf_text(report_pdf_build(client=partial, month=MARCH, language=language)).split())
    assert f"{CHANNEL[language]} — {NOTE[language]}" in text, text[-3000:]
    assert f"Search — {CAMPAIGN_NOTE[language]}" in text  # the campaign's table too


def test_a_row_with_no_customer_priced_reads_a_dash_not_partial(client_user_a, in_tenant_a, write):  # noqa: F811
    """March's 2 customers both without a deal value: the revenue is "—" with its reason, not a partial 0."""
    _client(in_tenant_a, write)
    row = _row(_page(client_user_a, in_tenant_a, "en", "channel"), "Paid search")
    assert "data-row-note" not in row and "have no deal value: its revenue is unknown" in row


def test_a_document_stored_before_the_count_shows_no_note(client_user_a, partial):
    """Old documents (and approved versions) lack ``unpriced_customers``: read as before, without a note."""
    connection.set_tenant(partial)
    snapshot = Snapshot.objects.get(month=MARCH)
    for dimension in ("channel", "campaign"):
        for figures in snapshot.document["breakdowns"][dimension].values():
            figures.pop("unpriced_customers", None)
    snapshot.save(update_fields=["document"])
    connection.set_schema_to_public()
    html = _page(client_user_a, partial, "en", "channel")
    assert "data-row-note" not in html and "€9,000.00" in _row(html, "Paid search")


def test_the_note_is_only_for_a_row_with_some_but_not_all_customers_priced():
    base = {"member": "paid_search", "customers": 3, "revenue": 9000.0, "roi": 17.0}
    assert row_partial_note({**base, "unpriced_customers": 1}, "channel").startswith("Partial: 1 of the 3 new customers has ")
    assert row_partial_note({**base, "unpriced_customers": 1}, "campaign").endswith(
        "so the revenue and ROI of this campaign count only the others.")
    assert row_partial_note({**base, "unpriced_customers": 0}, "channel") == ""
    assert row_partial_note(base, "channel") == ""  # an old document: unknown
    assert row_partial_note({**base, "unpriced_customers": 3, "revenue": None, "roi": None, "unpriced": {"revenue"}},
                            "channel") == ""
    assert row_partial_note({"member": "x", "customers": 3, "unpriced_customers": 1}, "channel") == ""  # no revenue column
    cell = breakdown_cell("revenue", {**base, "unpriced_customers": 1}, "EUR", dimension="channel")
    assert cell["text"] == "€9,000.00" and cell["note"].startswith("Partial:") and cell["reason"] == ""
    assert "note" not in breakdown_cell("customers", {**base, "unpriced_customers": 1}, "EUR", dimension="channel")
