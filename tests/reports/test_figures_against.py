"""The month page's table of figures and the report email name the month their changes are against
("vs. February 2026", "frente a febrero de 2026"), as the PDF's note and the tiles do
(kpis.formatting.compared_month), not "the previous month"; a first month, whose changes all read
"first full month", names none."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_context

from clients.models import Lead, OutboxEmail
from kpis.catalogue import kpi, null_reason
from kpis.services import report_pdf_build, snapshot_compute
from reports.services import month_approve
from tests.kpis.test_paid_media_report import _pdf_text
from tests.reports.conftest import MARCH, browser_for

FEBRUARY = dt.date(2026, 2, 1)

HEADER = {"en": "vs. February 2026", "es": "frente a febrero de 2026"}
FIRST_HEADER = {"en": "Change", "es": "Variación"}
# What the column, its phone label and the email said before (a figure's "—" may still say why with
# "the previous month": kpis.catalogue's reasons, the same in the glossary).
PREVIOUS = {"en": "against the previous month", "es": "frente al mes anterior"}
EMAIL_HTML = {"en": "Changes are against February 2026.", "es": "Las variaciones son frente a febrero de 2026."}
EMAIL_TEXT = {
    "en": "In brackets: the change against February 2026.",
    "es": "Entre paréntesis: el cambio frente a febrero de 2026.",
}


@pytest.fixture
def two_months(march):
    """March (8 leads) after a February of 5: every change is against February."""
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)) for i in range(5)]
        )
    snapshot_compute(client=march, months=[FEBRUARY, MARCH])
    return march


def _page(user, tenant, language: str, path: str = "/reports/2026-03/") -> str:
    user.language = language
    user.save()
    return unescape(browser_for(user, tenant, language=language).get(path, follow=True).content.decode())


def _headers(html: str) -> list[str]:
    """The change column's header of each table of figures."""
    return re.findall(r'<th scope="col" class="num">([^<]*)</th></tr></thead>', html)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_figures_table_names_the_month_its_changes_are_against(two_months, client_user_a, staff_a, language):
    month_approve(client=two_months, month=MARCH, user=staff_a)
    html = _page(client_user_a, two_months, language)
    headers = _headers(html)
    assert headers and set(headers) == {HEADER[language]}, headers
    # A phone shows each row as a card: the change says against what before its number.
    assert f'<span class="vs-label">{HEADER[language]} </span>+3' in html
    assert PREVIOUS[language] not in html and "vs. previous month" not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_figures_as_computed_and_a_version_name_the_month_too(two_months, client_user_a, staff_a, language):
    month_approve(client=two_months, month=MARCH, user=staff_a)
    staff_page = _page(staff_a, two_months, language)
    version = _page(client_user_a, two_months, language, "/reports/2026-03/versions/1/")
    for html in (staff_page, version):
        assert set(_headers(html)) == {HEADER[language]} and PREVIOUS[language] not in html


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_first_months_figures_table_names_no_month(march, client_user_a, staff_a, language):
    month_approve(client=march, month=MARCH, user=staff_a)
    html = _page(client_user_a, march, language)
    assert set(_headers(html)) == {FIRST_HEADER[language]}
    assert 'class="vs-label"' not in html and PREVIOUS[language] not in html


def _email() -> dict:
    with schema_context("alpha"):
        return OutboxEmail.objects.get(kind="report_approved").payload


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_email_names_the_month_its_changes_are_against(two_months, client_user_a, staff_a, language):
    client_user_a.language = language
    client_user_a.save()
    month_approve(client=two_months, month=MARCH, user=staff_a)
    payload = _email()
    assert EMAIL_TEXT[language] in payload["body"].splitlines()
    assert EMAIL_HTML[language] in payload["html"]
    assert PREVIOUS[language] not in payload["body"] and PREVIOUS[language] not in payload["html"]


def test_a_first_months_email_has_no_line_about_the_brackets(march, client_user_a, staff_a):
    """Its brackets say "first full month": nothing to name."""
    month_approve(client=march, month=MARCH, user=staff_a)  # Spanish
    payload = _email()
    assert "(primer mes completo)" in payload["body"]
    assert "Entre paréntesis" not in payload["body"] and "data-against" not in payload["html"]


DATED = {"en": "No MQLs in February 2026.", "es": "No hubo MQL en febrero de 2026."}
ANY_PREVIOUS = {"en": "previous month", "es": "mes anterior"}
UNDATED = {"en": "No MQLs in the previous month.", "es": "No hubo MQL el mes anterior."}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reason_about_the_month_before_names_it(two_months, client_user_a, staff_a, language):
    """No MQLs in February: March's lead velocity rate reads "—" because of February, named (the glossary,
    which knows no month, keeps "the previous month")."""
    month_approve(client=two_months, month=MARCH, user=staff_a)
    html = _page(client_user_a, two_months, language)
    assert DATED[language] in html
    assert ANY_PREVIOUS[language] not in html
    with translation.override(language):
        assert ANY_PREVIOUS[language] in null_reason(kpi("lead_velocity_rate"))
    connection.set_tenant(two_months)
    pdf = " ".join(_pdf_text(report_pdf_build(client=two_months, month=MARCH, language=language)).split())
    # (its definition, "The change in MQLs against the previous month.", is every month's: kept)
    assert DATED[language] in pdf and UNDATED[language] not in pdf
