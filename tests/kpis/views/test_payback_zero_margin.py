"""CAC payback at a gross margin of 0: kpis.md's cac / (arpa × gross_margin) has no value, and the
page, the PDF and the CSV read a bare "—" where every other undefined figure says why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pypdfium2
import pytest
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from clients.models import Contract, Lead, Spend
from kpis.catalogue import kpi, null_reason
from kpis.selectors_report import snapshot_get
from kpis.services import snapshot_compute
from tests.conftest import host_of

MARCH = dt.date(2026, 3, 1)
WHY = "The gross margin is set to 0 %"


@pytest.fixture
def zero_margin(tenant_a):
    """Alpha with a gross margin of 0: a retainer paying, two customers won in March for spend."""
    tenant_a.gross_margin = Decimal("0")
    tenant_a.save(update_fields=["gross_margin"])
    with schema_context("alpha"):
        Contract.objects.create(id="k1", account="acme", kind="retainer", start_date=dt.date(2026, 1, 1),
                                term_months=12, monthly_fee=Decimal("1000"))
        Lead.objects.bulk_create([
            Lead(id=f"c{i}", created_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
                 customer_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC), deal_value=Decimal("5000"))
            for i in range(2)
        ])
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("3000"))
    snapshot_compute(client=tenant_a, months=[dt.date(2026, 2, 1), MARCH])
    return tenant_a


def _get(user, path: str, tenant):
    http = HttpClient()
    http.force_login(user)
    return http.get(path, HTTP_HOST=host_of(tenant))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_reason_holds_only_when_cac_and_arpa_are_there_but_payback_is_not() -> None:
    payback = kpi("cac_payback_months")
    assert null_reason(payback, {"cac": 1500.0, "arpa": 1000.0, "customers": 2, "accounts": 1,
                                 "cac_payback_months": None}).startswith(WHY)
    # no customers: the month's own reason, not the margin
    assert null_reason(payback, {"cac": None, "arpa": 1000.0, "customers": 0, "accounts": 1,
                                 "cac_payback_months": None}) == "No customers this month."
    assert WHY in str(payback.null_reasons[-1])  # the glossary lists it
    with translation.override("es"):
        assert str(payback.null_reasons[-1]).startswith("El margen bruto está fijado en 0 %")


def test_staff_and_client_read_why_payback_has_no_value_on_the_page_pdf_and_csv(zero_margin, staff_a,
                                                                                  client_user_a) -> None:
    with schema_context("alpha"):
        document = snapshot_get(month=MARCH).document["kpis"]
    assert document["cac"] == 1500 and document["arpa"] == 1000 and document["cac_payback_months"] is None
    for user in (staff_a, client_user_a):
        body = _flat(_get(user, "/scorecard/?month=2026-03", zero_margin).content.decode())
        tile = body[body.index('id="kpi-cac_payback_months"'):]
        tile = tile[: tile.index("</article>")]
        assert '<p class="value">—</p>' in tile and WHY in tile
    rows = list(csv.reader(io.StringIO(_get(client_user_a, "/scorecard/export.csv?month=2026-03", zero_margin)
                                        .content.decode())))
    payback = next(row for row in rows if row[-1] == "cac_payback_months")
    assert payback[2] == "" and payback[7].startswith(WHY)
    pdf = pypdfium2.PdfDocument(_get(client_user_a, "/scorecard/export.pdf?month=2026-03", zero_margin).content)
    text = _flat(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    assert WHY in text
