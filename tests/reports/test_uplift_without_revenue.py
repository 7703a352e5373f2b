"""A month without any marketing deal: kpis.md's revenue uplift is 0 − the three months' mean, and its
annualized figure × 12 read "−€720,000.00" bare on the page, the PDF and the email, a loss to a client
who had simply no deal that month. The figure is kept; the words beside it say what it is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pypdfium2
import pytest
from django_tenants.utils import schema_context

from clients.models import Lead, OutboxEmail, Spend
from kpis.services import snapshot_compute
from reports.services import month_approve, month_open
from tests.reports.conftest import browser_for

MARCH = dt.date(2026, 3, 1)
WORDS = {
    "en": "No marketing revenue this month, against €60,000.00 a month on average in the three months before: this "
          "is that fall × 12",
    "es": "No hubo ingresos de marketing este mes, frente a 60 000,00 € al mes de media en los tres meses anteriores: "
          "esta cifra es esa caída × 12",
}


@pytest.fixture
def no_deal_march(tenant_a, client_user_a, staff_a):
    """Deals of 30,000, 60,000 and 90,000 EUR in December to February, none in March."""
    tenant_a.headline_kpis = ["new_leads", "customers", "marketing_spend", "cpl", "revenue_uplift_annualized",
                              "revenue_uplift"]
    tenant_a.save(update_fields=["headline_kpis"])
    client_user_a.email = "ann@alpha.example"
    client_user_a.save()
    with schema_context("alpha"):
        for index, (month, deal) in enumerate(((dt.date(2025, 12, 1), 30000), (dt.date(2026, 1, 1), 60000),
                                              (dt.date(2026, 2, 1), 90000))):
            Lead.objects.create(id=f"d{index}", created_at=dt.datetime(2025, 11, 20, tzinfo=dt.UTC),
                                customer_at=dt.datetime(month.year, month.month, 15, tzinfo=dt.UTC),
                                deal_value=Decimal(deal))
        Lead.objects.bulk_create([Lead(id=f"m{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(4)])
        Spend.objects.create(id="s1", date=dt.date(2025, 11, 5), category="media", amount=Decimal("500"))
        Spend.objects.create(id="s2", date=dt.date(2026, 3, 5), category="media", amount=Decimal("800"))
    snapshot_compute(client=tenant_a, months=[dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1),
                                              dt.date(2026, 2, 1), MARCH])
    return tenant_a


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_pdf_and_email_say_why_the_annualized_uplift_is_a_large_fall(no_deal_march, client_user_a, staff_a,
                                                                                language) -> None:
    client_user_a.language = language
    client_user_a.save()
    month_open(client=no_deal_march, month=MARCH)
    month_approve(client=no_deal_march, month=MARCH, user=staff_a)
    reader = browser_for(client_user_a, no_deal_march, language=language)
    page = _flat(reader.get("/scorecard/?month=2026-03").content.decode())
    summary = page[page.index('data-kpi="revenue_uplift_annualized" data-summary'):]
    assert _flat(WORDS[language]) in summary[: summary.index("</article>")]
    tile = page[page.index('id="kpi-revenue_uplift_annualized"'):]
    assert _flat(WORDS[language]) in tile[: tile.index("</article>")]
    pdf = pypdfium2.PdfDocument(reader.get("/scorecard/export.pdf?month=2026-03").content)
    assert _flat(WORDS[language]) in _flat(" ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
    with schema_context("alpha"):
        email = OutboxEmail.objects.get(kind="report_approved").payload
    assert _flat(WORDS[language]) in _flat(email["body"]) and _flat(WORDS[language]).split(":")[0] in _flat(email["html"])
    if language == "en":
        assert "-€720,000.00" in page  # the figure itself is kept, as kpis.md computes it
        assert "the uplift is that whole average, as a fall." in page  # the uplift's own tile


def test_an_uplift_below_zero_with_revenue_this_month_has_no_such_words(no_deal_march, client_user_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="late", created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                            customer_at=dt.datetime(2026, 3, 20, tzinfo=dt.UTC), deal_value=Decimal("1000"))
    snapshot_compute(client=no_deal_march, months=[MARCH])
    page = _flat(browser_for(client_user_a, no_deal_march, language="en").get("/scorecard/?month=2026-03").content.decode())
    assert "No marketing revenue this month" not in page
