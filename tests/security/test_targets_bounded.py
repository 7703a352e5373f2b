"""Issue #24 item 4: a target is a finite number in the range its KPI can take.

A target of 1e27 (cost per lead) or 1e29 (sessions) used to be accepted and then broke the
client's scorecard and PDF for every user; 1e309 and NaN answered 500 at once.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client as HttpClient

from kpis.catalogue import KPIS
from portfolio.models import Target
from tests.conftest import host_of, march_with_leads, signed_in

MARCH = dt.date(2026, 3, 1)
march = march_with_leads  # the fixture (alpha, three March leads, the snapshot) under the name these tests use


def _as(user, tenant) -> HttpClient:
    return signed_in(user, tenant, raise_request_exception=False)


def test_every_kpi_has_a_finite_range() -> None:
    for declared in KPIS:
        low, high = declared.range
        assert -1e12 <= low < high <= 1e12, declared.key


@pytest.mark.parametrize(("kpi", "typed"), [
    ("cpl", "1e27"), ("sessions", "1e29"), ("cpl", "1e309"), ("cpl", "NaN"), ("sessions", "9223372036854775808"),
    ("roi", "-1e20"), ("cpl", "-inf"),
])
def test_a_target_beyond_its_kpis_range_is_a_field_error(staff_a, march, kpi, typed) -> None:
    response = _as(staff_a, march).post("/scorecard/targets/", {"month": "2026-03", "kpi": kpi, "value": typed})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Target.objects.filter(client=march).exists()


@pytest.mark.parametrize(("kpi", "value"), [("cpl", 1e27), ("sessions", 1e29), ("cpl", float("inf")), ("cpl", float("nan"))])
def test_a_stored_target_out_of_range_breaks_no_page(staff_a, client_user_a, march, kpi, value) -> None:
    """Rows stored before the bounds existed: the scorecard, its PDF and the portfolio still answer."""
    Target.objects.create(client=march, month=MARCH, kpi=kpi, value=value)
    for user in (staff_a, client_user_a):
        http = _as(user, march)
        assert http.get("/scorecard/", {"month": "2026-03"}).status_code == 200
        assert http.get("/scorecard/export.pdf", {"month": "2026-03"}).status_code in {200, 404}
    console = HttpClient(HTTP_HOST=host_of(None), raise_request_exception=False)
    console.force_login(staff_a)
    assert console.get("/portfolio/", {"month": "2026-03"}).status_code == 200
