"""The report's reads (kpis.selectors_report): what kpis.report is handed, read only when needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.models import Client
from clients.models import Holiday, Lead
from kpis.report import headline_defaults
from kpis.selectors_report import report_period, report_summary_keys

NOV = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def test_the_month_in_progress_counts_the_clients_holidays_in_one_query(in_tenant_a: Client) -> None:
    Holiday.objects.create(date=dt.date(2026, 11, 2))  # a Monday
    Holiday.objects.create(date=dt.date(2026, 12, 8))  # the quarter's next month: its pace
    with CaptureQueriesContext(connection) as queries:
        period = report_period(month=NOV, client=in_tenant_a, now=NOW)
    assert len(queries) == 1
    assert (period.working_elapsed, period.working_total) == (19, 20)  # 21 weekdays, one holiday
    assert period.later_working == ((dt.date(2026, 12, 1), 22),)  # 23 weekdays, one holiday


def test_a_closed_month_reads_no_holidays(in_tenant_a: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        period = report_period(month=dt.date(2026, 10, 1), client=in_tenant_a, now=NOW)
    assert period.complete and len(queries) == 0


def test_a_default_summary_asks_for_revenue_data_and_a_chosen_one_does_not(in_tenant_a: Client) -> None:
    assert "romi" not in report_summary_keys(client=in_tenant_a)  # no revenue data yet
    Lead.objects.create(id="l1", created_at=NOW, customer_at=NOW, deal_value=Decimal("500"))
    assert report_summary_keys(client=in_tenant_a) == headline_defaults()
    in_tenant_a.headline_kpis = ["sessions", "new_leads", "mqls", "sqls", "customers", "romi"]
    with CaptureQueriesContext(connection) as queries:
        assert report_summary_keys(client=in_tenant_a) == tuple(in_tenant_a.headline_kpis)
    assert len(queries) == 0
