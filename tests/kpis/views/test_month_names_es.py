"""A month in Spanish reads "marzo de 2026" (Django's es YEAR_MONTH_FORMAT, "F \\d\\e Y"), as the email's
subject already did: the page's month heading, the PDF's title and a chart's title; English keeps
"March 2026"."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.db import connection

from kpis.services import report_pdf_build
from tests.kpis.views.test_scorecard import _pdf_text, get, snapshots  # noqa: F401 -- the fixture

MARCH = dt.date(2026, 3, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_report_pages_month_heading_and_chart_title_read_de_in_spanish(client_user_a, snapshots) -> None:  # noqa: F811
    client_user_a.language = "es"
    client_user_a.save()
    page = unescape(get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode())
    assert "<strong>marzo de 2026</strong>" in page  # the month strip's heading
    assert "Embudo de marzo de 2026" in page  # the funnel chart's title
    assert "marzo 2026" not in page
    client_user_a.language = "en"
    client_user_a.save()
    english = unescape(get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode())
    assert "<strong>March 2026</strong>" in english and "Funnel of March 2026" in english


def test_the_pdfs_title_reads_de_in_spanish(snapshots) -> None:  # noqa: F811
    connection.set_tenant(snapshots)
    spanish = _flat(_pdf_text(report_pdf_build(client=snapshots, month=MARCH, language="es")))
    assert "marzo de 2026" in spanish and "marzo 2026" not in spanish
    english = _flat(_pdf_text(report_pdf_build(client=snapshots, month=MARCH, language="en")))
    assert "March 2026" in english

