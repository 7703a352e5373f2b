"""The report opens on the last complete month, unless that month has no data at all and an earlier
one has: then on the latest month with data (staff) or the latest approved report (a client user),
saying which month is shown and why, in English and Spanish."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django_tenants.utils import schema_context

from kpis.report import month_with_data
from kpis.services import snapshot_compute
from tests.kpis.views.test_scorecard import get

pytestmark = pytest.mark.django_db
JAN, FEB, MAR, APR, MAY = (dt.date(2026, m, 1) for m in (1, 2, 3, 4, 5))
JUNE_10 = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)  # May is the last complete month


def test_an_empty_default_month_gives_way_to_the_latest_with_data_or_approved() -> None:
    months = [MAY, APR, MAR, FEB, JAN]
    assert month_with_data(MAY, months, with_data={JAN, FEB}, approved=None) == (FEB, "data")
    assert month_with_data(MAY, months, with_data={JAN, FEB}, approved=frozenset({JAN})) == (JAN, "approved")
    assert month_with_data(MAY, months, with_data={JAN, FEB}, approved=frozenset()) == (FEB, "data")
    assert month_with_data(FEB, months, with_data={JAN, FEB}, approved=None) == (FEB, "")
    assert month_with_data(MAY, months, with_data=set(), approved=None) == (MAY, "")  # nothing better: as before


@pytest.fixture
def data_ends_in_february(tenant_a):
    from clients.models import Lead

    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"j{i}", created_at=dt.datetime(2026, 1, 12, tzinfo=dt.UTC)) for i in range(3)]
            + [Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 12, tzinfo=dt.UTC)) for i in range(5)]
        )
    snapshot_compute(client=tenant_a, months=[JAN, FEB, MAR, APR, MAY])
    return tenant_a


def _selected(page: str) -> str:
    picker = page[page.index('<select id="month"') :]
    picker = picker[: picker.index("</select>")]
    return re.search(r'value="([0-9-]+)" selected>', picker).group(1)


@pytest.mark.parametrize(("language", "note"), [
    ("en", "May 2026 has no data yet: showing February 2026, the latest month with data."),
    ("es", "Mayo de 2026 aún no tiene datos: se muestra febrero de 2026, el último mes con datos."),
])
def test_staff_open_on_the_latest_month_with_data_and_are_told_why(staff_a, data_ends_in_february, language, note):
    cache.clear()
    staff_a.language = language
    staff_a.save()
    with time_machine.travel(JUNE_10):
        page = unescape(get(staff_a, "/scorecard/", data_ends_in_february).content.decode())
        asked = unescape(get(staff_a, "/scorecard/?month=2026-05", data_ends_in_february).content.decode())
    assert _selected(page) == "2026-02" and note in page
    assert _selected(asked) == "2026-05" and 'id="month-opened"' not in asked  # a month asked is shown as asked


@pytest.mark.parametrize(("language", "note"), [
    ("en", "showing January 2026, the latest approved report."),
    ("es", "se muestra enero de 2026, el último informe aprobado."),
])
def test_a_client_user_opens_on_the_latest_approved_report(client_user_a, data_ends_in_february, language, note):
    from reports.services import month_approve

    month_approve(client=data_ends_in_february, month=JAN, user=None, notify=False)
    cache.clear()
    client_user_a.language = language
    client_user_a.save()
    with time_machine.travel(JUNE_10):
        page = unescape(get(client_user_a, "/scorecard/", data_ends_in_february).content.decode())
    assert _selected(page) == "2026-01", _selected(page)
    assert note in page
