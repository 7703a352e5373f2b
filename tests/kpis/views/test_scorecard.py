"""The client scorecard: formatting, changes, undefined values, HTMX swaps, drill-downs, CSV, access."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pypdfium2
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from clients.models import Campaign, Lead, Spend
from kpis.services import snapshot_compute
from tests.conftest import host_of

MONTHS = [dt.date(2026, m, 1) for m in (1, 2, 3)]


@pytest.fixture
def snapshots(tenant_a):
    """Three months for alpha (EUR): January has no leads, February 4, March 8 with spend."""
    with schema_context("alpha"):
        Campaign.objects.create(id="=cmd|calc", name="=SUM(1+1) campaign", channel="email")
        Lead.objects.bulk_create(
            [Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC), campaign_id="=cmd|calc") for i in range(4)]
            + [Lead(id=f"m{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(8)]
        )
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("12345.60"))
    snapshot_compute(client=tenant_a, months=MONTHS)
    return tenant_a


def get(user, path: str, tenant, **headers):
    http = HttpClient()
    http.force_login(user)
    return http.get(path, HTTP_HOST=host_of(tenant), **headers)


def test_tiles_show_values_in_the_locale_with_the_change_and_undefined_as_a_dash(client_user_a, snapshots) -> None:
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "€12,345.60" in body  # marketing spend, English grouping and the client's currency
    assert "€1,543.20" in body  # cost per lead = 12,345.60 / 8
    assert '<span class="change good">+4 ' in body  # new leads 4 → 8: a base under 20 shows the absolute change (#21)
    # CAC undefined: a dash with its reason in words, visible without hovering, never 0
    cac = body[body.index('id="kpi-cac"') :]
    assert '<p class="value">—</p><p class="why">No customers this month.</p>' in cac[: cac.index("</article>")]


def test_spanish_uses_spanish_labels_and_number_formats(client_user_a, snapshots) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "12\xa0345,60\xa0€" in body and "1\xa0543,20\xa0€" in body  # Django's Spanish format: a space groups thousands
    assert "Costo por lead" in body and 'lang="es"' in body


def test_changing_month_over_htmx_returns_only_the_tiles(client_user_a, snapshots) -> None:
    response = get(client_user_a, "/scorecard/?month=2026-02", snapshots, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="tiles"' in body
    assert "February 2026" in body
    assert response.headers["Vary"].count("HX-Request") == 1


def test_queries_do_not_grow_with_months_or_members(client_user_a, tenant_a, snapshots) -> None:
    def count(path: str) -> int:
        http = HttpClient()
        http.force_login(client_user_a)
        http.get(path, HTTP_HOST=host_of(tenant_a))  # warm the session
        cache.clear()  # measure the uncached path, the expensive one
        with CaptureQueriesContext(connection) as queries:
            assert http.get(path, HTTP_HOST=host_of(tenant_a)).status_code == 200
        return len(queries.captured_queries)

    few = count("/scorecard/?month=2026-03")
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [
                Lead(
                    id=f"x{i}",
                    created_at=dt.datetime(2025, 1 + i % 12, 3, tzinfo=dt.UTC),
                    channel=["email", "referral", "display"][i % 3],
                )
                for i in range(36)
            ]
        )
    snapshot_compute(client=tenant_a, months=[dt.date(2025, m, 1) for m in range(1, 13)] + MONTHS)
    assert count("/scorecard/?month=2026-03") == few
    assert count("/scorecard/breakdowns/channel/?month=2025-06") == count("/scorecard/breakdowns/channel/?month=2026-03")


def test_a_cached_scorecard_reads_only_its_stamp_membership_once_and_the_months(client_user_a, tenant_a, snapshots) -> None:
    http = HttpClient()
    http.force_login(client_user_a)
    http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a))  # renders and caches the body
    with CaptureQueriesContext(connection) as queries:
        assert http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("agency_membership" in q for q in sql) == 1  # the middleware's answer serves the view's guard
    assert sum("kpis_snapshot" in q and "count(" in q.lower() for q in sql) == 1
    rows = [q for q in sql if "count(" not in q.lower()]
    assert not [q for q in rows if "kpis_annotation" in q or '"kpis_snapshot"."id"' in q]  # notes, freshness, tiles: cached
    # The host's domain and two SET search_path, the session (in the database since a session signed
    # out while Redis was down must stay out), the user, the membership, and one read for the
    # months, the stamp, the months a client user may see of the monthly close and the criteria
    # (kpis.selectors_scorecard.scorecard_page_read). 11 before that read took them all.
    assert len(sql) <= 7


def test_breakdowns_sort_on_the_server(client_user_a, snapshots) -> None:
    body = get(client_user_a, "/scorecard/breakdowns/channel/?month=2026-02&sort=new_leads&dir=desc", snapshots).content.decode()
    assert 'aria-sort="descending"' in body and '<th scope="row">Email</th>' in body


def test_csv_exports_escape_spreadsheet_formulas(client_user_a, snapshots) -> None:
    response = get(client_user_a, "/scorecard/breakdowns/campaign/export.csv?month=2026-02", snapshots)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Campaign", "Marketing spend", "New leads"] and rows[1][0] == "'=SUM(1+1) campaign"
    scorecard_rows = list(
        csv.reader(io.StringIO(get(client_user_a, "/scorecard/export.csv?month=2026-03", snapshots).content.decode()))
    )
    assert scorecard_rows[0][:6] == ["Group", "KPI", "Value", "Change", "Target", "Status"]
    # as shown (February's cost per lead is undefined: nothing to compare)
    assert scorecard_rows[0][6:] == ["Note on the value", "Why there is no value", "key"]
    assert ["Cost and revenue", "Cost per lead", "€1,543.20", "nothing to compare", "", "", "", "", "cpl"] in scorecard_rows
    assert next(r for r in scorecard_rows if r[-1] == "new_leads") == [
        "Leads and funnel",
        "New leads",
        "8",
        "+4",  # 4 → 8: no percentage on a base under 20 (issue #21)
        "",
        "",
        "",
        "",
        "new_leads",
    ]
    cac = next(r for r in scorecard_rows if r[-1] == "cac")
    assert cac[2] == "" and cac[6] == "" and cac[7] == "No customers this month."


def test_the_csv_speaks_the_users_language(client_user_a, snapshots) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    rows = list(csv.reader(io.StringIO(get(client_user_a, "/scorecard/export.csv?month=2026-03", snapshots).content.decode())))
    assert rows[0][:4] == ["Grupo", "KPI", "Valor", "Variación"]  # the figure's change, not the verb "Cambiar"
    assert next(r for r in rows if r[-1] == "cpl")[:3] == ["Costo e ingresos", "Costo por lead", "1\xa0543,20\xa0€"]


def test_the_spanish_pdf_heads_the_change_column_variacion(client_user_a, snapshots) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    response = get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="alpha-informe-2026-03.pdf"'  # the name too
    document = pypdfium2.PdfDocument(response.content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Variación" in text and "Cambiar" not in text


def test_another_clients_user_gets_404_everywhere(client_user_b, snapshots) -> None:
    for path in ("/scorecard/", "/scorecard/export.csv?month=2026-03", "/scorecard/breakdowns/channel/"):
        assert get(client_user_b, path, snapshots).status_code == 404


def test_a_client_without_snapshots_sees_an_empty_state(client_user_a, staff_a, tenant_a) -> None:
    body = get(client_user_a, "/scorecard/", tenant_a).content.decode()
    # A client reads no "snapshot" (the engine's word); staff do.
    assert "No figures yet: once your agency has added your data, each month's figures appear here." in body
    assert "snapshot" not in body.lower()
    assert "No monthly snapshot has been computed for this client yet." in get(staff_a, "/scorecard/", tenant_a).content.decode()


def test_a_client_reading_a_month_without_figures_reads_no_engine_word(client_user_a, snapshots) -> None:
    body = get(client_user_a, "/scorecard/?month=2025-01", snapshots).content.decode()
    assert "No figures for this month yet." in body and "snapshot" not in body.lower()


def test_benchmark_bands_are_formatted_in_the_kpis_unit_with_their_source(client_user_a, snapshots) -> None:
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    tile = body[body.index('class="tile" data-kpi="lead_to_customer_rate"') :]
    tile = tile[: tile.index("</article>")]
    assert "2.0 %–5.0 %" in tile  # lead-to-customer conversion typically 2–5 %, as a percentage
    assert "(" in tile and "()" not in tile  # the source is named


def test_a_usd_money_band_is_converted_for_a_euro_client_or_hidden_without_a_rate(client_user_a, snapshots) -> None:
    from agency.models import Client, ExchangeRate
    from portfolio.models import Benchmark
    from portfolio.seed import benchmarks_seed

    benchmarks_seed(Benchmark)  # the published CPL bands are in USD (Media and publishing: 11–25)
    Client.objects.filter(slug="alpha").update(industry="media")  # that band is of its industry only
    ExchangeRate.objects.filter(currency="USD").delete()

    def cpl_tile() -> str:
        cache.clear()
        body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
        tile = body[body.index('class="tile" data-kpi="cpl"') :]
        return tile[: tile.index("</article>")]

    assert "Media and publishing" not in cpl_tile()  # no rate: no band rather than a wrong one
    ExchangeRate.objects.create(currency="USD", date=dt.date(2026, 3, 20), per_euro=Decimal("1.0870"))
    assert "Media and publishing" not in cpl_tile()  # 11 days before the month's last day: too old
    ExchangeRate.objects.create(currency="USD", date=dt.date(2026, 3, 31), per_euro=Decimal("1.0870"))
    tile = cpl_tile()
    assert "Media and publishing" in tile and "€10.12–€23.00" in tile
    assert "converted from USD at 0.92 on 2026-03-31" in tile


def test_a_rate_import_changes_the_cached_scorecard_at_once(client_user_a, snapshots, tmp_path) -> None:
    """The money bands are converted with the agency's rates when the parts are rendered: the
    cached parts' stamp carries the rates they were converted with, so a rate loaded or corrected
    later shows on the next request, with nothing cleared by hand."""
    from agency.models import Client, ExchangeRate
    from clients.sources import rates_import
    from portfolio.models import Benchmark
    from portfolio.seed import benchmarks_seed

    benchmarks_seed(Benchmark)  # the published CPL bands are in USD (Media and publishing: 11–25)
    Client.objects.filter(slug="alpha").update(industry="media")  # that band is of its industry only
    ExchangeRate.objects.filter(currency="USD").delete()
    cache.clear()

    def cpl_tile() -> str:
        body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
        tile = body[body.index('class="tile" data-kpi="cpl"') :]
        return tile[: tile.index("</article>")]

    assert "Media and publishing" not in cpl_tile()  # no rate yet: no band (and now in the cache)
    rates = tmp_path / "rates.csv"
    rates.write_text("Date,USD,\n2026-03-31,1.0870,\n")
    assert rates_import(path=rates).ok
    tile = cpl_tile()
    assert "€10.12–€23.00" in tile and "converted from USD at 0.92 on 2026-03-31" in tile
    rates.write_text("Date,USD,\n2026-03-31,1.1000,\n")  # the same day corrected: same count, same dates
    assert rates_import(path=rates).ok
    tile = cpl_tile()
    assert "€10.00–€22.73" in tile and "converted from USD at 0.9091 on 2026-03-31" in tile


def test_funnel_and_lifetime_value_panel(client_user_a, snapshots) -> None:
    with schema_context("alpha"):
        from clients.models import Contract

        Contract.objects.create(
            id="k1",
            account="a",
            kind="retainer",
            start_date=dt.date(2025, 1, 1),
            term_months=6,
            monthly_fee=Decimal("1000"),
            segment="smb",
        )
    snapshot_compute(client=snapshots, months=MONTHS)
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    funnel = body[body.index('class="funnel') :]
    assert "Leads</span>" in funnel[: funnel.index("</ol>")] and ">8</strong>" in funnel
    panel = body[body.index("Contract lifetime value, explained") :]
    panel = panel[: panel.index("</table>")]
    assert '<th scope="row">Small and midsize businesses</th>' in panel and "€6,000.00" in panel  # 1000 × 6 months


def test_the_scorecard_pdf(client_user_a, client_user_b, snapshots) -> None:
    response = get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 2000
    assert get(client_user_b, "/scorecard/export.pdf?month=2026-03", snapshots).status_code == 404


def _pdf_text(content: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_the_pdf_carries_every_breakdown_in_the_pages_words(client_user_a, snapshots) -> None:
    from kpis.breakdowns_shown import DIMENSION_LABELS
    from kpis.catalogue import BREAKDOWN_KEYS, kpi, null_reason
    from kpis.services import report_pdf_build

    text = _pdf_text(get(client_user_a, "/scorecard/export.pdf?month=2026-02", snapshots).content)
    assert "Breakdowns" in text
    for dimension, title in DIMENSION_LABELS.items():
        assert (str(title) in text) is (dimension != "segment")  # no contracts: no contract segment breakdown
    # The campaign drill-down as the page shows it: the campaign by its name, the same figures.
    page = get(client_user_a, "/scorecard/breakdowns/campaign/?month=2026-02", snapshots, HTTP_HX_REQUEST="true").content.decode()
    assert "=SUM(1+1) campaign" in page and "=SUM(1+1) campaign" in text
    campaigns = text[text.index("=SUM(1+1) campaign") :]
    # The campaign's row, in as many parts as the paper's width needs, column for column as on the
    # page: 4 new leads, no MQL, customer or revenue; every other figure "—" (the client has no spend
    # loaded, so its spend and CPL are unknown, not €0.00 (kpis.nospend); no ad platform's file).
    shown = {"new_leads": "4", "mqls": "0", "customers": "0", "revenue": "€0.00"}
    keys = BREAKDOWN_KEYS["campaign"]
    cells = [cell for line in campaigns.splitlines() if line.startswith("=SUM(1+1) campaign") for cell in line.split()[2:]]
    assert cells == [shown.get(key, "—") for key in keys]
    # On paper a dash has no hover: the table's note says why from the row's own figures, once each
    # (issue #23: never the month's "No marketing spend this month" under a row of a month that spent).
    # Up to the next breakdown's title (the empty ones are named in one line before the tables).
    titles = [str(t) for d, t in DIMENSION_LABELS.items() if d != "campaign"]  # its parts repeat its own
    after = [campaigns.find(t) for t in titles if campaigns.find(t) > 0]
    campaign_part = " ".join(campaigns[: min(after, default=len(campaigns))].split())
    campaign_part = campaign_part.split(" Alpha Analytics · ")[0]  # the last one: before the page's footer
    assert campaign_part.endswith(
        "— No spend is recorded up to this month: costs are unknown, not zero. No marketing spend for this campaign. "
        "No ad platform data for this campaign: its ad figures (impressions, clicks, conversions) are unknown."
    ), campaign_part[-300:]
    assert str(null_reason(kpi("cpl"))) not in campaign_part
    spanish = _pdf_text(report_pdf_build(client=snapshots, month=dt.date(2026, 2, 1), language="es"))
    assert "Desgloses" in spanish and "Campaña" in spanish


def test_a_hostile_campaign_name_in_a_breakdown_is_printed_as_text() -> None:
    from kpis.exports import scorecard_pdf

    hostile = '<img src="/etc/hostname"/><font color="red">'
    drilldowns = [{"dimension": "campaign", "title": "Campaign", "columns": ["New leads"],
                   "rows": [{"member": hostile, "cells": [{"text": "4", "reason": ""}]}]}]
    pdf = scorecard_pdf(client_name="A", month_label="March 2026", computed="now", groups=[], drilldowns=drilldowns)
    assert b"/Subtype /Image" not in pdf
    assert '<img src="/etc/hostname"/>' in " ".join(_pdf_text(pdf).split())  # as text, wherever its line wraps


def test_the_cached_scorecard_changes_as_soon_as_what_it_shows_changes(staff_a, snapshots) -> None:
    cache.clear()
    first = get(staff_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "Target 5" not in first
    with CaptureQueriesContext(connection) as cold:
        get(staff_a, "/scorecard/?month=2026-03&compare=year", snapshots)
    with CaptureQueriesContext(connection) as warm:
        get(staff_a, "/scorecard/?month=2026-03&compare=year", snapshots)
    assert len(warm.captured_queries) <= len(cold.captured_queries)
    http = HttpClient()
    http.force_login(staff_a)
    http.post("/scorecard/targets/", {"month": "2026-03", "kpi": "new_leads", "value": "5"}, HTTP_HOST=host_of(snapshots))
    assert "Target 5" in get(staff_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    with schema_context("alpha"):
        Lead.objects.create(id="late", created_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC))
    snapshot_compute(client=snapshots, months=[dt.date(2026, 3, 1)])
    tile = get(staff_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    tile = tile[tile.index('data-kpi="new_leads"') :]
    assert '<p class="value">9</p>' in tile[: tile.index("</article>")]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("+4.4 %", "+4.4 %"),
        ("-2.1 pp", "-2.1 pp"),
        ("-1 234,5 %", "-1 234,5 %"),
        ("-€51,833.33", "-€51,833.33"),  # a negative amount as the CSV writes it: no "'" before it
        ("-51\xa0833,33\xa0€", "-51\xa0833,33\xa0€"),
        ("-MX$1,234.00", "-MX$1,234.00"),
        ("-1\xa0234,00\xa0CHF", "-1\xa0234,00\xa0CHF"),
        ("-€1+cmd|x", "'-€1+cmd|x"),
        ("-A1", "'-A1"),
        ("+1+cmd|x", "'+1+cmd|x"),
        ("-2+3", "'-2+3"),
        ("=1", "'=1"),
    ],
)
def test_signed_figures_stay_readable_but_formulas_are_escaped(cell, safe) -> None:
    from kpis.views import spreadsheet_safe

    assert spreadsheet_safe(cell) == safe


def test_the_criteria_version_is_staffs_information_a_client_sees_when_the_figures_are_from(
    client_user_a, staff_a, snapshots
) -> None:
    cache.clear()
    client_page = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "criteria version" not in client_page and "figures as of" in client_page
    staff_page = get(staff_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "criteria version" in staff_page


def test_a_nearly_empty_13_month_chart_says_from_when_the_data_runs(client_user_a, snapshots) -> None:
    cache.clear()
    page = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    # The leads start in February, the spend in March (kpis.datastart, kpis.nospend): the charts differ,
    # so each says its own (a note shared by every chart is said once: tests/kpis/test_chart_data_start.py).
    assert "data-summary-note" not in page
    assert '<p class="chart-note">Data from February 2026: 2 months so far.</p>' in page  # the leads' charts
    assert '<p class="chart-note">Data from March 2026: 1 month so far.</p>' in page  # the spend's
    assert "Data from January 2026" not in page  # January has neither leads nor spend
    pdf = _pdf_text(get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots).content)
    pdf = pdf.replace("\r", "").replace("\n", " ")
    assert "Data from February 2026: 2 months so far." in pdf and "Data from March 2026: 1 month so far." in pdf


def test_an_mql_to_sql_rate_over_100_says_it_compares_the_months_sqls_with_its_mqls(client_user_a, tenant_a) -> None:
    """October: 10 leads became MQLs and 15 became SQLs, 12 of them MQLs of September — 150 %, as
    kpis.md defines it (not a cohort). The tile says what it divides and why it passes 100 %, in
    both languages; the definition is in the tile's title and its described-by text."""
    september, october = dt.datetime(2026, 9, 8, tzinfo=dt.UTC), dt.datetime(2026, 10, 14, tzinfo=dt.UTC)
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"o{i}", created_at=october, mql_at=october, sql_at=october if i < 3 else None) for i in range(10)]
            + [Lead(id=f"s{i}", created_at=september, mql_at=september, sql_at=october) for i in range(12)]
        )
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 9, 1), dt.date(2026, 10, 1)])

    def tile() -> str:
        body = get(client_user_a, "/scorecard/?month=2026-10", tenant_a).content.decode()
        start = body.index('id="kpi-mql_to_sql_rate"')
        return body[start: body.index("</article>", start)]

    english = tile()
    assert "150" in english and "%" in english
    definition = ("This month&#x27;s SQLs ÷ this month&#x27;s MQLs. They are not the same leads (a lead that became an "
                  "MQL in an earlier month can become an SQL this month), so the rate can exceed 100 %.")
    assert f'title="{definition}"' in english and f'id="def-mql_to_sql_rate">{definition}</p>' in english
    assert ("Above 100 %: this month&#x27;s SQLs include leads that became MQLs in earlier months.") in english
    client_user_a.language = "es"
    client_user_a.save()
    spanish = tile()
    assert "150" in spanish and "Tasa MQL → SQL" in spanish
    assert ("SQL de este mes ÷ MQL de este mes. No son los mismos leads (un lead que pasó a MQL en un mes anterior "
            "puede pasar a SQL este mes), así que la tasa puede superar el 100 %.") in spanish
    assert "Por encima del 100 %: los SQL de este mes incluyen leads que pasaron a MQL en meses anteriores." in spanish
    assert "This month" not in spanish and "Above 100" not in spanish


def test_every_funnel_rate_over_100_says_why_on_its_tile(client_user_a, tenant_a) -> None:
    """Not only MQL → SQL: the lead → MQL and lead → customer rates also divide this month's later
    stage by this month's earlier one (kpis.md), so September's leads qualifying and closing in
    October beside one new lead read 300 % and 400 %, with the reason on the tile in both languages;
    a rate with nothing over 100 % carries none."""
    september, october = dt.datetime(2026, 9, 8, tzinfo=dt.UTC), dt.datetime(2026, 10, 14, tzinfo=dt.UTC)
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id="new", created_at=october)]
            + [Lead(id=f"s{i}", created_at=september, mql_at=october, sql_at=september, customer_at=october)
               for i in range(3)]
            + [Lead(id="sql", created_at=september, mql_at=september, sql_at=september, customer_at=october)]
        )
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 9, 1), dt.date(2026, 10, 1)])

    def tile(key: str) -> str:
        body = get(client_user_a, "/scorecard/?month=2026-10", tenant_a).content.decode()
        start = body.index(f'id="kpi-{key}"')
        return body[start: body.index("</article>", start)]

    assert "Above 100 %: this month&#x27;s MQLs include leads created in earlier months." in tile("qualified_lead_rate")
    assert "Above 100 %: this month&#x27;s customers include leads created in earlier months." in tile(
        "lead_to_customer_rate")
    assert "Above 100" not in tile("mql_to_sql_rate")  # 0 SQLs in October
    client_user_a.language = "es"
    client_user_a.save()
    assert "Por encima del 100 %: los MQL de este mes incluyen leads creados en meses anteriores." in tile(
        "qualified_lead_rate")
    assert "Por encima del 100 %: los clientes de este mes incluyen leads creados en meses anteriores." in tile(
        "lead_to_customer_rate")


def test_an_mql_to_sql_rate_under_100_carries_no_note(client_user_a, snapshots) -> None:
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert 'id="kpi-mql_to_sql_rate"' in body and "Above 100 %" not in body


def test_a_client_without_contracts_is_offered_no_contract_value_panel_nor_segment_breakdown(
    client_user_a, snapshots
) -> None:
    """A new client with no contract at all read "Contract lifetime value, explained" over a table of
    dashes, a "Contract segment" breakdown that opened empty and, in the PDF, its "Nothing this month."."""
    from kpis.breakdowns_shown import drilldown_tables
    from kpis.selectors_scorecard import scorecard_load

    client_user_a.language = "es"
    client_user_a.save()
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "Valor de vida del contrato, explicado" not in body and 'data-group="lifetime-value"' not in body
    assert "/scorecard/breakdowns/segment/" not in body and "Segmento de contrato" not in body
    assert "/scorecard/breakdowns/channel/" in body  # the other breakdowns are offered as before
    with schema_context("alpha"):
        card = scorecard_load(month=dt.date(2026, 3, 1), compare="month", client=snapshots)
        tables = drilldown_tables(card.snapshot, currency="EUR", names={})
    assert "segment" not in [table["dimension"] for table in tables] and "channel" in [t["dimension"] for t in tables]
