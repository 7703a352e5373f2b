"""Email counts left empty are not given (NULL), never 0: a file without its delivered column read as
a deliverability of 0 %, and one without unique opens as an open rate of 0 %. Each rate is worked out
over the rows that give both its counts, and is null with its reason when none does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from clients.models import Campaign, EmailRow
from clients.services import data_import
from kpis.catalogue import kpi, null_reason
from kpis.models import Snapshot
from kpis.services import snapshot_compute

MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
EMAIL = """date,campaign,sent,delivered,unique_opens,unique_clicks,unsubscribes
2026-03-02,news,1000,900,300,40,5
2026-03-09,news,500,,,,
2026-04-06,news,800,,,20,
"""


@pytest.fixture
def emailed(in_tenant_a, tmp_path):
    Campaign.objects.create(id="news", name="Newsletter", channel="email")
    path = tmp_path / "email.csv"
    path.write_text(EMAIL, encoding="utf-8")
    result = data_import(kind="email", path_or_file=path, client=in_tenant_a)
    assert result.ok, result.errors
    snapshot_compute(client=in_tenant_a, months=[MARCH, APRIL])
    return {s.month: s.document["kpis"] for s in Snapshot.objects.filter(month__in=[MARCH, APRIL])}


def test_empty_counts_are_stored_as_not_given(emailed) -> None:
    row = EmailRow.objects.get(date=dt.date(2026, 3, 9))
    assert (row.sent, row.delivered, row.unique_opens, row.unique_clicks, row.unsubscribes) == (500, None, None, None, None)


def test_the_rates_count_only_the_rows_that_give_their_counts(emailed) -> None:
    march = emailed[MARCH]
    assert (march["emails_sent"], march["emails_delivered"]) == (1500, 900)
    assert march["deliverability_rate"] == pytest.approx(0.9)  # 900 of the 1,000 sent by the row that says, not of 1,500
    assert march["open_rate"] == pytest.approx(300 / 900)
    assert march["click_through_rate"] == pytest.approx(40 / 900)
    assert march["email_unsubscribe_rate"] == pytest.approx(5 / 900)


def test_a_month_whose_rows_give_no_deliveries_has_no_rates_and_says_why(emailed) -> None:
    april = emailed[APRIL]
    assert april["emails_sent"] == 800
    assert april["emails_delivered"] is None and april["deliverability_rate"] is None  # not 0 %
    assert april["open_rate"] is None and april["click_through_rate"] is None and april["email_unsubscribe_rate"] is None
    with translation.override("en"):
        said = "The email results of this month do not give the emails delivered."
        assert null_reason(kpi("deliverability_rate"), april) == said and null_reason(kpi("open_rate"), april) == said
    with translation.override("es"):
        assert "no indican los correos entregados" in null_reason(kpi("deliverability_rate"), april)


def test_clicks_without_deliveries_are_checked_against_the_emails_sent(in_tenant_a, tmp_path) -> None:
    Campaign.objects.create(id="news", name="Newsletter", channel="email")
    path = tmp_path / "email.csv"
    path.write_text("date,campaign,sent,delivered,unique_opens,unique_clicks,unsubscribes\n2026-03-02,news,100,,,120,\n",
                    encoding="utf-8")
    result = data_import(kind="email", path_or_file=path, client=in_tenant_a)
    assert not result.ok
    assert any("larger than sent (100)" in str(error) for error in result.errors), result.errors
