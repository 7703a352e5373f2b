"""Whether marketing paid off, in one sentence, before any figure: a client opening the report, its
email or its home page read eight tiles and had to work out the answer from ROMI themselves.
The home, the report page, the PDF and the email say the same sentence (kpis.report.month_verdict)."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

import pypdfium2
from django.utils import translation
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from kpis.report import month_verdict
from reports.services import month_approve, month_open
from tests.reports.conftest import MARCH, browser_for

NOVEMBER = dt.date(2026, 11, 1)
WITH_REVENUE = ("new_leads", "mqls", "customers", "marketing_spend", "cpl", "cac", "romi", "sessions")
WITHOUT_REVENUE = ("new_leads", "mqls", "customers", "marketing_spend", "cpl", "cac", "sessions")


def _card(values: dict, *, in_progress: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        snapshot=object(), in_progress=in_progress, month=NOVEMBER,
        shown=lambda key: (values.get(key), ""), kpi=lambda key: values.get(key),
        not_fact=lambda month, key: "",  # a client with a lead source (kpis.nodata.leads_loaded)
    )


def test_a_positive_romi_says_marketing_paid_off_and_what_each_unit_of_spend_brought_back() -> None:
    card = _card({"romi": 2.327, "marketing_spend": 48867.87})
    with translation.override("en"):
        verdict = month_verdict(card, keys=WITH_REVENUE, currency="EUR")
    assert verdict == {
        "text": "Marketing paid off in November 2026: each €1.00 of marketing spend brought back €3.33 of gross margin "
        "(return on marketing investment, ROMI: 232.7\xa0%).",
        "good": True,
    }
    with translation.override("es"):
        spanish = month_verdict(card, keys=WITH_REVENUE, currency="MXN")["text"]
    assert spanish == (
        "El marketing fue rentable en noviembre de 2026: cada 1,00\xa0MX$ de inversión en marketing devolvió "
        "3,33\xa0MX$ de margen bruto (retorno de la inversión en marketing, ROMI: 232,7\xa0%)."
    )


def test_a_romi_at_or_below_zero_says_marketing_did_not_pay_for_itself() -> None:
    with translation.override("en"):
        verdict = month_verdict(_card({"romi": -0.6, "marketing_spend": 1000}), keys=WITH_REVENUE, currency="EUR")
    assert verdict["good"] is False
    assert verdict["text"].startswith("Marketing did not pay for itself in November 2026: each €1.00 of marketing spend "
                                      "brought back €0.40 of gross margin")


def test_without_revenue_data_or_spend_it_says_the_month_in_counts_and_why_there_is_no_verdict() -> None:
    values = {"romi": None, "marketing_spend": 725.76, "new_leads": 8, "customers": 1}
    with translation.override("en"):
        verdict = month_verdict(_card(values), keys=WITHOUT_REVENUE, currency="EUR")
        no_spend = month_verdict(_card({"new_leads": 1, "customers": 0}), keys=WITH_REVENUE, currency="EUR")
    assert verdict == {
        "text": "November 2026: €725.76 of marketing spend brought 8 new leads and 1 new customer. Without revenue "
        "figures, this report cannot say whether marketing paid for itself.",
        "good": None,
    }
    assert no_spend["text"] == (
        "November 2026: 1 new lead and 0 new customers. No marketing spend is recorded for the month, so this report "
        "cannot say whether marketing paid for itself."
    )
    with translation.override("es"):
        spanish = month_verdict(_card(values), keys=WITHOUT_REVENUE, currency="EUR")["text"]
    assert spanish.startswith(
        "Noviembre de 2026: con 725,76\xa0€ de inversión en marketing llegaron 8 leads nuevos y 1 cliente nuevo."
    )


def test_new_customers_without_revenue_are_not_read_as_marketing_failing() -> None:
    """Their deal values missing, ROMI reads -100 %: the demo's October said "Marketing did not pay
    for itself" over 10 new customers whose revenue nobody had recorded."""
    values = {"romi": -1.0, "marketing_spend": 500, "marketing_revenue": 0, "new_leads": 155, "customers": 10}
    with translation.override("en"):
        verdict = month_verdict(_card(values), keys=WITH_REVENUE, currency="EUR")
    assert verdict == {
        "text": "November 2026: €500.00 of marketing spend brought 155 new leads and 10 new customers, but no revenue "
        "is recorded for them, so this report cannot say whether marketing paid for itself.",
        "good": None,
    }


def test_spend_without_any_new_customer_says_no_revenue_is_counted_yet_not_that_each_unit_came_back_as_zero() -> None:
    """A new client's first month: ROMI -100 % (the spec's figure, kept) read "each $1.00 of spend brought
    back $0.00" beside a Google Ads ROAS of 9.95; the reason is that no customer was won yet."""
    values = {"romi": -1.0, "marketing_spend": 1234, "marketing_revenue": 0, "new_leads": 40, "customers": 0}
    with translation.override("en"):
        verdict = month_verdict(_card(values), keys=WITH_REVENUE, currency="USD")
    assert verdict == {
        "text": "No new customers in November 2026, so the $1,234.00 of marketing spend has brought back no revenue "
        "yet (return on marketing investment, ROMI: -100.0\xa0%).",
        "good": False,
    }
    with translation.override("es"):
        spanish = month_verdict(_card(values), keys=WITH_REVENUE, currency="MXN")["text"]
    assert spanish.startswith("Ningún cliente nuevo en noviembre de 2026, así que los ")
    assert "aún no han devuelto ingresos" in spanish and "devolvió" not in spanish


def test_a_month_still_running_has_no_verdict_yet() -> None:
    assert month_verdict(_card({"romi": 1.0}, in_progress=True), keys=WITH_REVENUE, currency="EUR") is None


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _verdict_in(page: str) -> str:
    found = re.search(r"<p [^>]*data-verdict[^>]*>(.*?)</p>", page, re.S)
    assert found, "no verdict"
    return _text(found.group(1))


def test_the_home_the_report_the_pdf_and_the_email_say_the_same_verdict(march, client_user_a, staff_a) -> None:
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a)  # the client user reads Spanish
    expected = (
        "Marzo de 2026: con 1 725,76 € de inversión en marketing llegaron 8 leads nuevos y 0 clientes nuevos. Sin cifras "
        "de ingresos, este informe no puede decir si el marketing cubrió su costo."
    )
    reader = browser_for(client_user_a, march)
    assert _verdict_in(reader.get("/panels/report/").content.decode()) == expected
    assert _verdict_in(reader.get("/scorecard/?month=2026-03").content.decode()) == expected
    pdf = pypdfium2.PdfDocument(reader.get("/scorecard/export.pdf?month=2026-03").content)
    first_page = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert expected in first_page.replace("\xa0", " ")
    with schema_context("alpha"):
        email = OutboxEmail.objects.get(kind="report_approved").payload
    assert _verdict_in(email["html"]) == expected
    body = email["body"].replace("\xa0", " ")
    assert expected in body and body.index(expected) < body.index("Cifras clave")


def test_the_inbox_preview_opens_on_the_verdict_when_there_is_one() -> None:
    """The preview under the subject is the email's first screen: it said three figures and left the
    reader to work out whether the month went well."""
    from reports.emails import preview_line

    entries = [{"label": "New leads", "shown": "167", "change": {"text": "-1.8 %"}}]
    paid = {"text": "Marketing paid off in October 2026: each $1.00 of marketing spend brought back $3.59 …", "good": True}
    assert preview_line(entries, verdict=paid) == f"{paid['text']} · New leads: 167 (-1.8 %)"
    no_verdict = {"text": "October 2026: … cannot say whether marketing paid for itself.", "good": None}
    assert preview_line(entries, verdict=no_verdict) == "New leads: 167 (-1.8 %)"  # the figures say more than that


def test_a_currency_without_a_minor_unit_says_what_each_hundred_of_spend_brought_back() -> None:
    """"each ¥1 brought back ¥1" hid a 45 % return in the rounding of a yen without decimals."""
    with translation.override("en"):
        verdict = month_verdict(_card({"romi": 0.45, "marketing_spend": 1_000_000}), keys=WITH_REVENUE, currency="JPY")
    assert "each ¥100 of marketing spend brought back ¥145 of gross margin" in verdict["text"]
