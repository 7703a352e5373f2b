"""A change from a month at 0: the number stays undefined (a percentage from 0 is not one), but the
cell says so in words — "up from 0" after a month of none, "no change" at 0 both months, "nothing to
compare" when the comparison month has no figure — on the page, the scorecard CSV, the PDF and the
email, in English and Spanish; never a blank cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import unescape

import pytest
from django.db import connection
from django.utils import translation

from kpis.formatting import change, change_shown
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for, tile

JANUARY, FEBRUARY, MARCH = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
UP = {"en": "up from 0", "es": "sube desde 0"}
SAME = {"en": "no change", "es": "sin cambio"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_number_stays_undefined_and_the_cell_has_words(language) -> None:
    with translation.override(language):
        assert change("revenue", 500.0, 0) is None and change("revenue", 0, 0) is None  # no percentage from 0
        up, same = change_shown("revenue", 500.0, 0), change_shown("revenue", 0, 0)
        assert (up["text"], up["good"], up["flat"]) == (UP[language], True, False)
        assert (same["text"], same["flat"]) == (SAME[language], True)
        assert change_shown("cpl", 12.0, 0)["good"] is False  # a cost up from 0 is not good news
        assert change_shown("revenue_uplift", -300.0, 0)["text"] == {"en": "down from 0", "es": "baja desde 0"}[language]
        # Unchanged elsewhere: a number where there is one, nothing without a base or a value.
        assert change_shown("revenue", 600.0, 500.0) == change("revenue", 600.0, 500.0)
        assert change_shown("revenue", None, 0) is None  # no value: an empty cell
        nothing = change_shown("revenue", 600.0, None)  # the comparison month has no figure
        assert nothing["text"] == {"en": "nothing to compare", "es": "sin dato para comparar"}[language]
        assert nothing["flat"] and nothing["why"]
        assert change_shown("revenue", 600.0, None, first=True)["text"] == change("revenue", 1, None, first=True)["text"]


@pytest.fixture
def revenue_from_march(in_tenant_a):
    """Leads every month from January; the first customer (1,000 €) in March: revenue 0, 0, 1,000."""
    from clients.models import Lead

    leads = [
        Lead(id=f"l{m.month}-{i}", created_at=dt.datetime(2026, m.month, 5, 10, tzinfo=dt.UTC))
        for m in (JANUARY, FEBRUARY, MARCH)
        for i in range(3)
    ]
    leads[-1].customer_at, leads[-1].deal_value = dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), 1000
    Lead.objects.bulk_create(leads)
    in_tenant_a.headline_kpis = ["new_leads", "revenue", "customers", "mqls", "sessions", "cpl"]
    in_tenant_a.save()
    snapshot_compute(client=in_tenant_a, months=[JANUARY, FEBRUARY, MARCH])
    connection.set_schema_to_public()
    return in_tenant_a


pytestmark = pytest.mark.django_db


def _change(shown_tile: str) -> str:
    found = shown_tile[shown_tile.index('class="change') :]
    return found[: found.index("</")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_says_up_from_0_and_no_change(client_user_a, revenue_from_march, language):
    http = http_for(client_user_a, language)
    march = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(revenue_from_march)).content.decode())
    assert UP[language] in _change(tile(march, "revenue")), tile(march, "revenue")
    assert 'title="' in _change(tile(march, "revenue"))  # why there is no percentage, on hover
    summary = march[march.index('data-kpi="revenue" data-summary') :]
    assert UP[language] in summary[: summary.index("</article>")]
    february = unescape(http.get("/scorecard/?month=2026-02", HTTP_HOST=host_of(revenue_from_march)).content.decode())
    summary = february[february.index('data-kpi="revenue" data-summary') :]  # (its group is empty: no tiles)
    assert SAME[language] in _change(summary[: summary.index("</article>")]), summary


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_the_words_in_the_change_column(client_user_a, revenue_from_march, language):
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(revenue_from_march)).content.decode())))
    assert next(r for r in rows if r[-1] == "revenue")[3] == UP[language]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_up_from_0(revenue_from_march, language):
    connection.set_tenant(revenue_from_march)
    text = " ".join(_pdf_text(report_pdf_build(client=revenue_from_march, month=MARCH, language=language)).split())
    assert UP[language] in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_email_says_up_from_0(client_user_a, revenue_from_march, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=revenue_from_march, month=MARCH, user=None)
    assert outbox_send_due(client=revenue_from_march) == 1
    message = mail.outbox[0]
    label = {"en": "Revenue", "es": "Ingresos"}[language]
    assert f"{label}: " in message.body and f"({UP[language]})" in message.body, message.body
    assert UP[language] in unescape(message.alternatives[0][0])
