"""A chart leaves out the months before its source's first rows (kpis.datastart): a client whose
contracts and spend start long before its leads does not get a leads chart rising from zeros; a 0
after the leads began stays 0. Pure rules first, then the report page and PDF in both languages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from kpis.datastart import before_data, sources_present
from tests.kpis.views.test_scorecard import _pdf_text, get

JAN, FEB, MAR, APR = (dt.date(2026, m, 1) for m in (1, 2, 3, 4))


def test_a_month_before_the_sources_first_rows_is_before_its_data_a_later_zero_is_not() -> None:
    first = {"leads": MAR, "contracts": dt.date(2024, 6, 1), "traffic": None}
    assert before_data("new_leads", FEB, first=first) and before_data("mqls", FEB, first=first)
    assert not before_data("new_leads", APR, first=first)
    assert not before_data("mrr", JAN, first=first)
    assert before_data("sessions", APR, first=first)  # no traffic ever: no line, not a flat 0
    assert not before_data("working_days", JAN, first=first) and not before_data("cpl", JAN, first=first)
    assert not before_data("new_leads", JAN, first={})  # not read: nothing is left out


def test_a_documents_sources_are_those_with_a_row_that_month() -> None:
    assert sources_present({"kpis": {"new_leads": 0, "database_size": 4, "sessions": 0, "mrr": 1000.0}}) == {
        "leads", "contracts"
    }
    assert sources_present({"kpis": {"new_leads": 0, "database_size": 0, "emails_sent": None}}) == set()


@pytest.fixture
def late_leads(tenant_a):
    """Contracts from 2024 and spend from January 2026; leads only from March 2026 (none in April)."""
    from clients.models import Contract, Lead, Spend
    from kpis.services import snapshot_compute

    with schema_context("alpha"):
        Contract.objects.create(
            id="c1", account="acme", kind="retainer", start_date=dt.date(2024, 6, 1), monthly_fee=Decimal("1000"),
            term_months=36,
        )
        Spend.objects.bulk_create(
            Spend(id=f"s{m.month}", date=m + dt.timedelta(days=4), category="media", amount=Decimal("100"))
            for m in (JAN, FEB, MAR, APR)
        )
        Lead.objects.bulk_create(
            Lead(id=f"l{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(4)
        )
    tenant_a.headline_kpis = ["new_leads", "mrr", "marketing_spend"]
    tenant_a.save()
    snapshot_compute(client=tenant_a, months=[JAN, FEB, MAR, APR])
    return tenant_a


def test_the_leads_chart_starts_at_the_first_leads_while_contracts_and_spend_run_from_january(late_leads) -> None:
    from kpis.report import series_chart
    from kpis.selectors_scorecard import scorecard_load

    with schema_context("alpha"):
        card = scorecard_load(month=APR, compare="month", client=late_leads)
        leads = series_chart(card, "new_leads", currency="EUR", accent="#000")
        mrr = series_chart(card, "mrr", currency="EUR", accent="#000")
        spend = series_chart(card, "marketing_spend", currency="EUR", accent="#000")
    assert leads.values[-4:] == [None, None, 4, 0]  # April's 0 is a real 0: the leads had begun
    assert mrr.values[-4:] == [1000, 1000, 1000, 1000]
    assert spend.values[-4:] == [100, 100, 100, 100]
    assert leads.note == "Data from March 2026: 2 months so far."
    assert mrr.note == "Data from January 2026: 4 months so far."
    assert spend.note == "Data from January 2026: 4 months so far."  # said as for the other sources


def test_a_spend_chart_says_from_when_the_spend_runs_as_the_others_do(tenant_a) -> None:
    """Spend from March, as the leads: every summary chart begins in March and says so, so the note is
    said once under the summary. The spend charts said nothing, so the note stood under the lead
    charts only and was repeated under each of them."""
    from clients.models import Lead, Spend
    from kpis.report import series_chart, summary_note
    from kpis.selectors_scorecard import scorecard_load
    from kpis.services import snapshot_compute

    with schema_context("alpha"):
        Spend.objects.bulk_create(
            Spend(id=f"s{m.month}", date=m + dt.timedelta(days=4), category="media", amount=Decimal("100")) for m in (MAR, APR)
        )
        Lead.objects.bulk_create(Lead(id=f"l{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(4))
    snapshot_compute(client=tenant_a, months=[JAN, FEB, MAR, APR])
    with schema_context("alpha"):
        card = scorecard_load(month=APR, compare="month", client=tenant_a)
        charts = {key: series_chart(card, key, currency="EUR", accent="#000") for key in ("new_leads", "marketing_spend", "cpl")}
    assert {key: chart.note for key, chart in charts.items()} == dict.fromkeys(charts, "Data from March 2026: 2 months so far.")
    entries = [{"chart": chart, "no_chart": False} for chart in charts.values()]
    assert summary_note(entries) == "Data from March 2026: 2 months so far."
    assert all(entry["note_shared"] for entry in entries)


@pytest.mark.parametrize(
    ("language", "note"),
    [("en", "Data from March 2026: 2 months so far."), ("es", "Datos desde marzo de 2026: 2 meses hasta ahora.")],
)
def test_the_report_page_and_pdf_say_from_when_the_leads_run(client_user_a, late_leads, language, note) -> None:
    cache.clear()
    client_user_a.language = language
    client_user_a.save()
    page = get(client_user_a, "/scorecard/?month=2026-04", late_leads).content.decode()
    assert f'<p class="chart-note">{note}</p>' in page
    pdf = get(client_user_a, "/scorecard/export.pdf?month=2026-04", late_leads).content
    assert note in _pdf_text(pdf).replace("\r", "").replace("\n", " ")



def test_a_history_note_every_chart_shares_is_said_once_and_differing_ones_each_under_its_chart() -> None:
    from kpis.charts import SeriesChart
    from kpis.report import summary_note

    def entry(note: str) -> dict:
        return {"chart": SeriesChart(title="t", labels=[], values=[], note=note), "no_chart": False}

    same = [entry("Data from January 2026: 3 months so far.") for _ in range(3)]
    assert summary_note(same) == "Data from January 2026: 3 months so far."
    assert all(e["note_shared"] for e in same)
    differing = [entry("Data from January 2026: 3 months so far."), entry("Data from February 2026: 2 months so far.")]
    assert summary_note(differing) == "" and not any(e.get("note_shared") for e in differing)
