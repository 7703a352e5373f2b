"""A client for whom no spend was ever loaded: its costs read "—" with the reason on every screen
that shows them, in English and Spanish, never 0 € (kpis.nospend); export_snapshot keeps kpis.md's 0
and names them; a client with spend rows but none in the month keeps its real 0; an approved version
keeps the answer it was approved with."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from html import unescape

import pytest
from django.core.management import call_command
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
REASON = {  # what the client reads of its own report
    "en": "No spend is recorded up to this month: costs are unknown, not zero.",
    "es": "No hay inversión registrada hasta este mes: los costos son desconocidos, no cero.",
}
STAFF_REASON = {  # what the agency's staff read (the portfolio, the client's pages at its address, export_snapshot)
    "en": "No spend has been loaded for this client: costs are unknown, not zero. Import it or connect an ad platform "
          "on the Imports page.",
    "es": "No se ha cargado ninguna inversión para este cliente: los costos son desconocidos, no cero. Impórtala o "
          "conecta una plataforma de anuncios en la página Importaciones.",
}
# The "nothing to compare" of a month after one without spend: February's own reason, in its reader's words.
CLIENT_BEFORE = {
    "en": "In February 2026: no spend is recorded up to its end, so its costs are unknown.",
    "es": "En febrero de 2026: no hay inversión registrada hasta su final, así que sus costos son desconocidos.",
}
STAFF_BEFORE = {  # then " Import its spend on the Imports page."
    "en": "In February 2026: no spend was loaded up to its end, so its costs are unknown.",
    "es": "En febrero de 2026: no se había cargado ninguna inversión hasta su final, así que sus costos son "
          "desconocidos.",
}
AGENCY_WORDS = {"en": "for this client", "es": "para este cliente"}  # never in the client's own report
COSTS = ("marketing_spend", "cpl", "cost_per_mql", "cac")
FEBRUARY_SPEND = "id,date,category,amount,campaign\nf1,2026-02-03,media,120,g1\n"
MARCH_SPEND = "id,date,category,amount,campaign\nm1,2026-03-03,media,200,g1\n"


def _client(tenant, write, *, spend: str | None) -> None:  # noqa: F811 -- the fixture of the same name
    """February and March with 4 new leads each, one a customer; spend rows as ``spend`` says."""
    from clients.models import Campaign, Lead

    Campaign.objects.create(id="g1", name="Search", channel="paid_search")
    leads = []
    for month in (FEBRUARY, MARCH):
        at = dt.datetime(month.year, month.month, 10, 10, tzinfo=dt.UTC)
        leads += [Lead(id=f"l{month.month}-{i}", created_at=at, campaign_id="g1") for i in range(4)]
    for lead in (leads[3], leads[7]):
        lead.customer_at, lead.deal_value = lead.created_at + dt.timedelta(days=5), 1000
    Lead.objects.bulk_create(leads)
    if spend:
        assert data_import(kind="spend", path_or_file=write(spend), client=tenant).ok
    tenant.headline_kpis = ["marketing_spend", "cpl", "new_leads", "cac", "revenue", "customers"]
    tenant.save()
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def no_spend(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write, spend=None)
    return in_tenant_a


@pytest.fixture
def spend_in_february_only(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    _client(in_tenant_a, write, spend=FEBRUARY_SPEND)
    return in_tenant_a


def summary_tile(html: str, key: str) -> str:
    found = html[html.index(f'data-kpi="{key}" data-summary') :]
    return found[: found.index("</article>")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_pages_tiles_and_summary_read_a_dash_with_the_reason(client_user_a, no_spend, language):
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(no_spend)).content.decode())
    for key in COSTS:
        shown = tile(html, key)
        assert REASON[language] in shown and '<p class="value">—</p>' in shown, shown
        assert "0,00" not in shown and "0.00" not in shown, shown
    for key in ("marketing_spend", "cpl", "cac"):
        shown = summary_tile(html, key)
        assert REASON[language] in shown and "0,00" not in shown and "0.00" not in shown, shown
        assert 'class="chart-box"' not in shown  # no empty 0–1 € chart under the dash
    assert 'class="chart-box"' in summary_tile(html, "new_leads")
    assert REASON[language] not in tile(html, "new_leads")  # a count keeps its value
    assert '<p class="value">4</p>' in tile(html, "new_leads")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_with_spend_but_none_this_month_keeps_its_real_0(client_user_a, spend_in_february_only, language):
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(spend_in_february_only)).content.decode())
    shown = tile(html, "cpl")
    assert REASON[language] not in html
    assert ("0,00" if language == "es" else "0.00") in shown, shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_month_before_the_first_spend_reads_a_dash(client_user_a, no_spend, write, language):  # noqa: F811
    """Spend loaded from March on: February (before it) has none up to its end, March has its costs."""
    connection.set_tenant(no_spend)
    assert data_import(kind="spend", path_or_file=write(MARCH_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()
    http = http_for(client_user_a, language)
    february = unescape(http.get("/scorecard/?month=2026-02", HTTP_HOST=host_of(no_spend)).content.decode())
    assert REASON[language] in tile(february, "cpl")
    march = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(no_spend)).content.decode())
    assert REASON[language] not in march
    assert ("50,00" if language == "es" else "50.00") in tile(march, "cpl")
    # Its "nothing to compare" says why on hover: February's own reason, not only that it has no figure.
    before = CLIENT_BEFORE[language]
    assert f'title="{before}"' in tile(march, "marketing_spend"), tile(march, "marketing_spend")
    # No change against February's unknown 0 € (the spend did not rise "from 0").
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(no_spend)).content.decode())))
    row = next(r for r in rows if r[-1] == "marketing_spend")
    nothing = {"en": "nothing to compare", "es": "sin dato para comparar"}[language]
    assert row[2] and row[3] == nothing, row  # March's 200 €, no change against an unknown February


def test_staff_read_where_the_spend_of_a_month_before_it_is_imported(client_user_a, staff_a, no_spend, write):  # noqa: F811
    """The "nothing to compare" of March's spend names February's reason; staff read where to import it, the
    client only what it means."""
    connection.set_tenant(no_spend)
    assert data_import(kind="spend", path_or_file=write(MARCH_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()
    before = STAFF_BEFORE["en"]
    staff = unescape(http_for(staff_a, "en").get("/scorecard/?month=2026-03", HTTP_HOST=host_of(no_spend)).content.decode())
    assert f'title="{before} Import its spend on the Imports page."' in tile(staff, "marketing_spend")
    client = unescape(http_for(client_user_a, "en").get("/scorecard/?month=2026-03",
                                                        HTTP_HOST=host_of(no_spend)).content.decode())
    assert f'title="{CLIENT_BEFORE["en"]}"' in tile(client, "marketing_spend") and "Imports page" not in client
    assert "was loaded" not in client  # loading is the agency's work: a client reads its spend "recorded"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_has_no_value_and_the_reason(client_user_a, no_spend, language):
    rows = list(csv.reader(io.StringIO(http_for(client_user_a, language).get(
        "/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(no_spend)).content.decode())))
    for key in COSTS:
        row = next(r for r in rows if r[-1] == key)
        assert (row[2], row[3], row[-2]) == ("", "", REASON[language]), row
    assert next(r for r in rows if r[-1] == "new_leads")[2] == "4"


def test_export_snapshot_keeps_kpis_md_values_and_names_the_spend_figures(no_spend):
    out = io.StringIO()
    call_command("export_snapshot", no_spend.slug, "--month", "2026-03", stdout=out)
    document = json.loads(out.getvalue())
    assert document["kpis"]["marketing_spend"] == 0 and document["kpis"]["cpl"] == 0  # kpis.md's values
    note = document["spend_not_loaded"]
    assert note["reason"] == STAFF_REASON["en"]  # the agency's machine export
    assert {"marketing_spend", "cpl", "cost_per_mql", "cac", "sales_spend"} <= set(note["figures"])
    assert "new_leads" not in note["figures"] and "roi" not in note["figures"]


def test_export_snapshot_of_a_client_with_spend_names_none(spend_in_february_only):
    out = io.StringIO()
    call_command("export_snapshot", spend_in_february_only.slug, "--month", "2026-03", stdout=out)
    assert json.loads(out.getvalue())["spend_not_loaded"] is None


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_reads_a_dash_with_the_reason(no_spend, language):
    connection.set_tenant(no_spend)
    text = " ".join(_pdf_text(report_pdf_build(client=no_spend, month=MARCH, language=language)).split())
    assert REASON[language] in text
    assert " 0,00 €" not in text and "€0.00" not in text, text  # (1 000,00 € of revenue is no cost)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_monthly_emails_key_figures_say_why_costs_are_dashes(client_user_a, no_spend, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    month_approve(client=no_spend, month=MARCH, user=None)
    assert outbox_send_due(client=no_spend) == 1
    message = mail.outbox[0]
    body = message.body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    label = {"en": "Cost per lead", "es": "Costo por lead"}[language]
    assert f"{label}: — ({REASON[language]})" in figures, figures
    assert "0,00 €" not in figures and "€0.00" not in figures
    html = unescape(message.alternatives[0][0])
    assert html.count(REASON[language]) >= 3  # spend, cost per lead, CAC under their labels
    assert AGENCY_WORDS[language] not in body and AGENCY_WORDS[language] not in html


def test_an_approved_version_keeps_the_answer_it_was_approved_with(client_user_a, staff_a, no_spend, write):  # noqa: F811
    """Approved without spend: spend loaded afterwards (dated in the month) changes what staff read, not
    the client's approved report, until staff approve the revision."""
    from reports.models import ReportVersion
    from reports.services import month_approve

    month_approve(client=no_spend, month=MARCH, user=None)
    connection.set_tenant(no_spend)
    assert ReportVersion.objects.get(month=MARCH).document["report"]["has_spend"] is False
    assert data_import(kind="spend", path_or_file=write(MARCH_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[MARCH])
    connection.set_schema_to_public()
    client_page = unescape(http_for(client_user_a, "en").get("/scorecard/?month=2026-03",
                                                              HTTP_HOST=host_of(no_spend)).content.decode())
    assert REASON["en"] in tile(client_page, "cpl")
    staff_page = unescape(http_for(staff_a, "en").get("/scorecard/?month=2026-03",
                                                      HTTP_HOST=host_of(no_spend)).content.decode())
    assert REASON["en"] not in tile(staff_page, "cpl") and "50.00" in tile(staff_page, "cpl")
    # The revision's diff reads the approved "—", not "€0.00 → €50.00".
    from kpis.models import Snapshot
    from reports.diff import figures_diff

    connection.set_tenant(no_spend)
    version, snapshot = ReportVersion.objects.get(month=MARCH), Snapshot.objects.get(month=MARCH)
    lines = {line["key"]: line for line in figures_diff(version.document, snapshot.document, currency="EUR")}
    assert (lines["cpl"]["before"], lines["cpl"]["after"]) == ("—", "€50.00"), lines["cpl"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_at_the_clients_address_read_it_as_the_agencys_client(client_user_a, staff_a, no_spend, language):
    """The client's page, drill-down, PDF and email speak of its own report ("No spend is recorded up to
    this month"), never of "this client"; staff reading the same pages keep the agency's sentence."""
    def pages(user) -> tuple[str, str]:
        http = http_for(user, language)
        return tuple(unescape(http.get(url, HTTP_HOST=host_of(no_spend)).content.decode()) for url in (
            "/scorecard/?month=2026-03", "/scorecard/breakdowns/campaign/?month=2026-03"))

    client_report, client_campaigns = pages(client_user_a)
    staff_report, staff_campaigns = pages(staff_a)
    for key in COSTS:
        assert STAFF_REASON[language] in tile(staff_report, key) and REASON[language] not in tile(staff_report, key)
    assert f'title="{STAFF_REASON[language]}"' in staff_campaigns and REASON[language] not in staff_campaigns
    assert f'title="{REASON[language]}"' in client_campaigns
    connection.set_tenant(no_spend)
    pdf = " ".join(_pdf_text(report_pdf_build(client=no_spend, month=MARCH, language=language)).split())
    for text in (client_report, client_campaigns, pdf):
        assert AGENCY_WORDS[language] not in text
        assert not any(fix in text for fix in ("Imports page", "página Importaciones", "Import it", "Impórtala"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_campaign_drilldown_and_its_csv_read_no_cost(client_user_a, no_spend, language):
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/breakdowns/campaign/?month=2026-03", HTTP_HOST=host_of(no_spend)).content.decode())
    search = html[html.index('<th scope="row">Search</th>') :]
    search = search[: search.index("</tr>")]
    assert search.count(f'title="{REASON[language]}"') == 2, search  # marketing spend, cost per lead
    assert ">0,00 €<" not in search and ">€0.00<" not in search, search
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/campaign/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(no_spend)).content.decode())))
    header, search_row = rows[0], next(row for row in rows if row[0] == "Search")
    for column in ({"en": "Marketing spend", "es": "Inversión en marketing"}[language],
                   {"en": "Cost per lead", "es": "Costo por lead"}[language]):
        assert search_row[header.index(column)] == "", (header, search_row)
    assert REASON[language] in search_row[-1]


def test_the_pdf_drilldowns_of_a_client_with_spend_keep_their_0(spend_in_february_only):
    connection.set_tenant(spend_in_february_only)
    text = " ".join(_pdf_text(report_pdf_build(client=spend_in_february_only, month=MARCH, language="en")).split())
    assert REASON["en"] not in text and "€0.00" in text


DRAFT_NO_SPEND = {
    "en": "no marketing spend is recorded for the month",
    "es": "no hay inversión en marketing registrada en el mes",
}


def _all_text(draft) -> str:
    return " ".join(draft.text(section) for section in draft.sections)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_draft_says_no_cost_and_names_no_zero_cost(no_spend, language):
    from reports.selectors_draft import month_draft_for

    connection.set_tenant(no_spend)
    text = _all_text(month_draft_for(client=no_spend, month=MARCH, language=language))
    assert DRAFT_NO_SPEND[language] in text
    assert " 0,00 €" not in text and "€0.00" not in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_first_month_without_spend_is_not_written_as_0_of_spend(in_tenant_a, write, language):  # noqa: F811
    from reports.selectors_draft import month_draft_for

    _client(in_tenant_a, write, spend=None)
    connection.set_tenant(in_tenant_a)
    text = _all_text(month_draft_for(client=in_tenant_a, month=FEBRUARY, language=language))
    # The draft becomes the client's commentary: its words, not the agency's ("loaded for this client").
    said = {"en": "No spend is recorded up to this month, so its costs are unknown.",
            "es": "No hay inversión registrada hasta este mes, así que sus costos son desconocidos."}
    assert said[language] in text, text
    assert AGENCY_WORDS[language] not in text
    assert " 0,00 €" not in text and "€0.00" not in text, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_costs_against_a_month_before_the_first_spend_are_no_move(client_user_a, no_spend, write, language):  # noqa: F811
    """Spend loaded from March on: neither the draft nor "What changed" says the cost per lead or the
    spend rose from 0 (February's costs are unknown)."""
    from reports.selectors_draft import month_draft_for

    connection.set_tenant(no_spend)
    assert data_import(kind="spend", path_or_file=write(MARCH_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[FEBRUARY, MARCH])
    text = _all_text(month_draft_for(client=no_spend, month=MARCH, language=language))
    assert " 0,00 €" not in text and "€0.00" not in text, text
    connection.set_schema_to_public()
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(no_spend)).content.decode())
    if 'class="what-changed"' in html:
        changed = html[html.index('class="what-changed"') :]
        changed = changed[: changed.index("</section>")]
        assert " 0,00 €" not in changed and "€0.00" not in changed, changed


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolio_shows_the_costs_of_a_client_without_spend_as_dashes(admin_user, no_spend, write, language):  # noqa: F811
    from portfolio.models import ClientMonthSummary

    assert not ClientMonthSummary.objects.get(client=no_spend, month=MARCH).has_spend
    admin_user.language = language
    admin_user.save()
    http = HttpClient()
    http.force_login(admin_user)
    html = unescape(http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None), HTTP_HX_REQUEST="true").content.decode())
    row = html[html.index(f">{no_spend.name}</a>") :]
    row = row[: row.index("</tr>")]
    assert row.count(f'title="{STAFF_REASON[language]}"') == 3, row  # marketing spend, cost per lead, CAC
    assert ">0,00 €<" not in row and ">€0.00<" not in row, row
    # Spend backdated to February: March's (not recomputed) row and the page read costs again.
    connection.set_tenant(no_spend)
    assert data_import(kind="spend", path_or_file=write(FEBRUARY_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[FEBRUARY])
    connection.set_schema_to_public()
    assert ClientMonthSummary.objects.get(client=no_spend, month=MARCH).has_spend is True
    html = unescape(http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None), HTTP_HX_REQUEST="true").content.decode())
    row = html[html.index(f">{no_spend.name}</a>") :]
    assert STAFF_REASON[language] not in row[: row.index("</tr>")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_value_panel_reads_cac_and_cpl_as_dashes_too(client_user_a, no_spend, language):
    from decimal import Decimal

    from django_tenants.utils import schema_context

    from clients.models import Contract

    with schema_context(no_spend.schema_name):  # the panel is offered to a client with a contract to explain
        Contract.objects.create(id="k1", account="a", kind="retainer", start_date=dt.date(2025, 1, 1), term_months=6,
                                monthly_fee=Decimal("1000"), segment="smb")
    snapshot_compute(client=no_spend, months=[MARCH])
    connection.set_schema_to_public()
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(no_spend)).content.decode())
    panel = html[html.index('<dl class="ltv-side">') :]
    panel = panel[: panel.index("</dl>")]
    assert panel.count(REASON[language]) == 3, panel  # CAC, CAC payback, cost per lead
    assert ">0,00 €<" not in panel and ">€0.00<" not in panel and "0,00 €" not in panel, panel


def test_the_portfolio_sorts_a_client_without_spend_with_the_unknown_costs_and_judges_no_cost_target(
    admin_user, tenant_a, tenant_b, write  # noqa: F811 -- the fixture of the same name
):
    """Sorted by cost per lead, the client without spend (its stored 0) comes after a client whose
    leads cost 50 €, both ways, as the "—" it shows; and its 0 does not meet a cost-per-lead target."""
    from kpis.portfolio import portfolio_rows, target_summary
    from portfolio.models import Target

    tenant_b.currency = tenant_a.currency  # amounts rank within one currency (kpis.portfolio.MONEY_COLUMNS)
    tenant_b.save()
    connection.set_tenant(tenant_a)
    _client(tenant_a, write, spend=None)
    connection.set_tenant(tenant_b)
    _client(tenant_b, write, spend=MARCH_SPEND)  # 200 € over March's 4 leads: 50 € a lead

    def order(descending: bool) -> list[str]:
        rows = portfolio_rows(user=admin_user, month=MARCH, sort="cpl", descending=descending)
        return [c.slug for c in rows if c.slug in (tenant_a.slug, tenant_b.slug)]

    assert order(False) == [tenant_b.slug, tenant_a.slug]
    assert order(True) == [tenant_b.slug, tenant_a.slug]
    Target.objects.create(client=tenant_a, month=MARCH, kpi="cpl", value=10)
    row = next(c for c in portfolio_rows(user=admin_user, month=MARCH) if c.pk == tenant_a.pk)
    assert row.cpl == 0 and row.has_spend is False  # kpis.md's 0 is kept in the summary
    assert target_summary(row, {"cpl": 10.0}) == {"met": [], "missed": [], "total": 1}


def _visible(html: str) -> str:
    """The page's words as read, without its tags and their attributes (a hover is not read on a phone)."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_nothing_to_compare_says_why_in_words_on_the_page_not_only_on_hover(
    client_user_a, staff_a, no_spend, write, language  # noqa: F811
):
    """Acme's November ROMI read "nothing to compare" on the client's page with its reason only in a
    hover, while the PDF and the email said it ("In October 2026: 10 new customers have no deal value…"):
    a phone has no hover, and the staff's month page had not even that. Said once a group: Acme's seven
    revenue rows each repeated it."""
    connection.set_tenant(no_spend)
    assert data_import(kind="spend", path_or_file=write(MARCH_SPEND), client=no_spend).ok
    snapshot_compute(client=no_spend, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()
    before = CLIENT_BEFORE[language]
    march = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                           HTTP_HOST=host_of(no_spend)).content.decode())
    costs = march[march.index('data-group="cost_and_revenue"'):]
    costs = _visible(costs[: costs.index("</details>")])
    assert costs.count(before) == 1, costs  # the details' tiles: said once, at the first of them
    assert f'title="{before}"' in tile(march, "marketing_spend")  # and on hover on each
    summary = march[march.index('data-kpi="marketing_spend" data-summary'):]
    assert before in _visible(summary[: summary.index("</article>")])  # the summary's tile
    month_page = unescape(http_for(staff_a, language).get("/reports/2026-03/",
                                                          HTTP_HOST=host_of(no_spend)).content.decode())
    # its figures' table, in staff's words (what to do)
    assert _visible(month_page[month_page.index("report-group"):]).count(STAFF_BEFORE[language]) == 1
