"""New customers without a deal value: ROMI (and ROI, revenue) read "—" with the reason on the tile, the
CSV, the PDF, the monthly email and the portfolio, in English and Spanish, never −100 % (kpis.nodata,
the verdict's own condition); the stored document keeps kpis.md's −100 %; a month with priced
customers keeps its figures."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import unescape

import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.services import data_import
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media import write  # noqa: F401 -- fixture
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for, tile

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
UNPRICED = {
    "en": "2 new customers have no deal value: the month's revenue is unknown, not zero, so the return on marketing "
          "cannot be worked out.",
    "es": "2 clientes nuevos no tienen valor de oportunidad: los ingresos del mes son desconocidos, no cero, así que "
          "el retorno del marketing no se puede calcular.",
}
MARKETING_UNPRICED = {
    "en": "No deal value is recorded for the new customers from marketing",
    "es": "No hay valor de oportunidad registrado para los clientes nuevos que vienen de marketing",
}
SPEND = "id,date,category,amount,campaign\nf1,2026-02-03,media,500,g1\nm1,2026-03-03,media,500,g1\n"


def _client(tenant, write, *, march_sales_value: int | None = None, march_priced: int | None = None) -> None:  # noqa: F811
    """February and March with 4 new leads each; February's 2 customers with deal values, March's 2 from
    marketing without; ``march_sales_value``: a third March customer, sales-sourced, priced."""
    from clients.models import Campaign, Lead

    Campaign.objects.create(id="g1", name="Search", channel="paid_search")
    leads = []
    for month in (FEBRUARY, MARCH):
        at = dt.datetime(month.year, month.month, 3, 10, tzinfo=dt.UTC)
        leads += [Lead(id=f"l{month.month}-{i}", created_at=at, campaign_id="g1") for i in range(4)]
    for lead in leads[:2] + leads[4:6]:
        lead.customer_at = lead.created_at + dt.timedelta(days=5)
        lead.deal_value = 2000 if lead.created_at.month == 2 else None
    if march_priced is not None:  # a third March customer, from marketing, with its deal value
        leads[6].customer_at, leads[6].deal_value = leads[6].created_at + dt.timedelta(days=5), march_priced
    if march_sales_value is not None:
        leads.append(Lead(id="sales-1", created_at=dt.datetime(2026, 3, 4, tzinfo=dt.UTC), origin="sales",
                          customer_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC), deal_value=march_sales_value))
    Lead.objects.bulk_create(leads)
    assert data_import(kind="spend", path_or_file=write(SPEND), client=tenant).ok
    tenant.headline_kpis = ["new_leads", "customers", "marketing_spend", "revenue", "roi", "romi"]
    tenant.save()
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def unpriced(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write)
    return in_tenant_a


def _summary_tile(html: str, key: str) -> str:
    found = html[html.index(f'data-kpi="{key}" data-summary') :]
    return found[: found.index("</article>")]


def test_the_stored_document_keeps_kpis_md_minus_100_percent(unpriced):
    from kpis.models import Snapshot

    connection.set_tenant(unpriced)
    kpis = Snapshot.objects.get(month=MARCH).document["kpis"]
    assert kpis["romi"] == -1 and kpis["revenue"] == 0 and kpis["customers"] == 2


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_tiles_read_a_dash_with_the_reason_not_minus_100(client_user_a, unpriced, language):
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(unpriced)).content.decode())
    for key in ("romi", "roi", "revenue"):
        shown = _summary_tile(html, key)
        assert UNPRICED[language] in shown and '<p class="value">—</p>' in shown, shown
        assert "-100" not in shown and "−100" not in shown, shown
    for key in ("romi", "marketing_revenue"):
        assert UNPRICED[language] in tile(html, key)
    assert UNPRICED[language] not in _summary_tile(html, "customers")
    february = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-02",
                                                              HTTP_HOST=host_of(unpriced)).content.decode())
    assert UNPRICED[language] not in february


@pytest.mark.parametrize("language", ["en", "es"])
def test_revenue_partly_known_says_the_return_on_marketing_is_unknown(client_user_a, in_tenant_a, write, language):  # noqa: F811
    """A sales-sourced customer is priced, marketing's are not: revenue keeps its 3,000, ROMI says why it is "—"."""
    _client(in_tenant_a, write, march_sales_value=3000)
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(in_tenant_a)).content.decode())
    assert MARKETING_UNPRICED[language] in _summary_tile(html, "romi")
    assert "3" in _summary_tile(html, "revenue") and MARKETING_UNPRICED[language] not in _summary_tile(html, "revenue")


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_no_value_and_the_reason(client_user_a, unpriced, language):
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(unpriced)).content.decode())))
    for key in ("romi", "roi", "revenue"):
        assert next((r[2], r[-2]) for r in rows if r[-1] == key) == ("", UNPRICED[language])


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_a_dash_with_the_reason(unpriced, language):
    connection.set_tenant(unpriced)
    text = " ".join(_pdf_text(report_pdf_build(client=unpriced, month=MARCH, language=language)).split())
    assert UNPRICED[language] in text
    assert "-100,0 %" not in text and "-100.0 %" not in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_emails_key_figures_say_why_romi_is_a_dash(client_user_a, unpriced, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=unpriced, month=MARCH, user=None, checks_reason="The CRM export lacks deal values.")
    assert outbox_send_due(client=unpriced) == 1
    body = mail.outbox[0].body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    assert f"ROMI): — ({UNPRICED[language]})" in figures, figures
    assert "-100" not in figures


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolio_shows_romi_as_a_dash_with_the_reason(admin_user, unpriced, language):
    admin_user.language = language
    admin_user.save()
    http = HttpClient()
    http.force_login(admin_user)
    html = unescape(http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None), HTTP_HX_REQUEST="true").content.decode())
    row = html[html.index(f">{unpriced.name}</a>") :]
    row = row[: row.index("</tr>")]
    assert row.count(f'title="{UNPRICED[language]}"') == 2, row  # revenue, ROMI
    assert {"en": "no deal values", "es": "sin valor de oportunidad"}[language] in row
    assert "-100" not in row, row


def test_the_portfolio_sorts_romi_unknown_last_and_judges_no_target(admin_user, unpriced):
    from kpis.portfolio import portfolio_rows, target_summary

    row = next(c for c in portfolio_rows(user=admin_user, month=MARCH, sort="romi") if c.pk == unpriced.pk)
    assert row.romi == -1  # the summary keeps kpis.md's value
    assert target_summary(row, {"romi": 0.5}) == {"met": [], "missed": [], "total": 1}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_campaign_drilldown_reads_no_revenue_and_no_roi(client_user_a, unpriced, language):
    html = unescape(http_for(client_user_a, language).get("/scorecard/breakdowns/campaign/?month=2026-03",
                                                          HTTP_HOST=host_of(unpriced)).content.decode())
    search = html[html.index('<th scope="row">Search</th>') :]
    search = search[: search.index("</tr>")]
    reason = {"en": "The new customers of this campaign have no deal value: its revenue is unknown, not zero.",
              "es": "Los clientes nuevos de esta campaña no tienen valor de oportunidad: sus ingresos son desconocidos, "
                    "no cero."}
    assert search.count(f'title="{reason[language]}"') == 2, search  # revenue, ROI
    assert "-100" not in search, search


def test_export_snapshot_keeps_kpis_md_values_and_names_the_figures_that_are_no_facts(unpriced):
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("export_snapshot", unpriced.slug, "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    assert document["kpis"]["romi"] == -1 and document["kpis"]["revenue"] == 0  # kpis.md's values
    notes = {note["reason"]: note["figures"] for note in document["figures_not_facts"]}
    assert {"revenue", "marketing_revenue", "roi", "romi"} <= set(notes[UNPRICED["en"]])
    assert "customers" not in notes[UNPRICED["en"]]


PARTIAL = {
    "en": "Partial: 2 of the 3 new customers have no deal value, so this figure counts only the others.",
    "es": "Parcial: 2 de los 3 clientes nuevos no tienen valor de oportunidad, así que esta cifra solo cuenta los demás.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_revenue_of_some_customers_only_is_shown_and_said_partial(client_user_a, in_tenant_a, write, language):  # noqa: F811
    """Two of March's three customers lack a deal value: revenue and ROMI keep their figures (a floor),
    each says it is partial; the page, the PDF and the approved version agree."""
    from reports.models import ReportVersion
    from reports.services import month_approve

    _client(in_tenant_a, write, march_priced=9000)
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(in_tenant_a)).content.decode())
    for key in ("revenue", "romi"):
        shown = _summary_tile(html, key)
        assert PARTIAL[language] in shown and '<p class="value">—</p>' not in shown, shown
    assert PARTIAL[language] not in _summary_tile(html, "customers")
    connection.set_tenant(in_tenant_a)
    text = " ".join(_pdf_text(report_pdf_build(client=in_tenant_a, month=MARCH, language=language)).split())
    assert PARTIAL[language] in text
    month_approve(client=in_tenant_a, month=MARCH, user=None, checks_reason="Two deal values are missing.")
    connection.set_tenant(in_tenant_a)
    assert ReportVersion.objects.get(month=MARCH).document["report"]["unpriced_customers"] == 2


def test_a_partial_romi_at_or_below_zero_gives_no_verdict():
    from types import SimpleNamespace

    from django.utils import translation

    from kpis.report import month_verdict

    values = {"romi": -0.4, "marketing_spend": 1000, "new_leads": 8, "customers": 3, "marketing_revenue": 500}
    card = SimpleNamespace(snapshot=object(), in_progress=False, month=MARCH, kpi=values.get,
                           shown=lambda key: (values.get(key), "Partial: …" if key == "romi" else ""),
                           not_fact=lambda month, key: "")  # a client with a lead source (kpis.nodata)
    with translation.override("en"):
        verdict = month_verdict(card, keys=("romi", "marketing_spend"), currency="EUR")
    assert verdict["good"] is None and "some of these customers have no deal value" in verdict["text"], verdict
    values["romi"] = 0.8  # a floor above 0: it paid off at least that much
    with translation.override("en"):
        assert month_verdict(card, keys=("romi", "marketing_spend"), currency="EUR")["good"] is True
