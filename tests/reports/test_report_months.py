"""The months with a close record, asked after every snapshot computation (reports.receivers)."""

from __future__ import annotations

import datetime as dt

from django_tenants.utils import tenant_context

from reports.models import MonthReport
from reports.selectors import report_months_among

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def test_only_the_asked_months_with_a_close_record_of_this_client(tenant_a, tenant_b) -> None:
    with tenant_context(tenant_a):
        MonthReport.objects.create(month=JAN)
        MonthReport.objects.create(month=MAR)
    with tenant_context(tenant_b):
        MonthReport.objects.create(month=FEB)
    with tenant_context(tenant_a):
        assert sorted(report_months_among(months=[JAN, FEB])) == [JAN]
        assert sorted(report_months_among(months=[JAN, FEB, MAR])) == [JAN, MAR]
        assert report_months_among(months=[]) == []
    with tenant_context(tenant_b):
        assert report_months_among(months=[JAN, FEB, MAR]) == [FEB]  # never another client's
