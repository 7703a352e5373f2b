"""The charts in the report as a client reads them. A chart with nothing to draw says why in words
instead of an empty frame: a summary figure no month of its 13 has (ROMI without spend) shows its
reason and no 0–1 axis; a month with nothing at any funnel stage says so instead of five bars of 0,
on the page and in the PDF. The PDF names what the target line and the note markers are, and its
funnel and channel mix line up with the rest of the page."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pypdfium2
import pytest
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import http_for

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
EMPTY_FUNNEL = {"en": "No sessions, leads or customers this month.", "es": "Este mes no hay sesiones, leads ni clientes."}


@pytest.fixture
def leads_only(tenant_a):
    """March has 3 leads; February nothing; no spend, traffic or revenue was ever loaded."""
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"l{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(3)])
    tenant_a.headline_kpis = ["new_leads", "mqls", "customers", "romi", "cac", "sessions"]
    tenant_a.save()
    snapshot_compute(client=tenant_a, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()
    cache.clear()
    return tenant_a


def _tile(html: str, key: str) -> str:
    found = html[html.index(f'data-kpi="{key}" data-summary') :]
    return found[: found.index("</article>")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_figure_no_month_has_shows_its_reason_not_an_empty_chart(client_user_a, leads_only, language) -> None:
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(leads_only)).content.decode())
    romi = _tile(html, "romi")
    # ROMI's reason is no spend in the month (not kpis.nospend's "none loaded"): an empty frame before.
    assert "<svg" not in romi and '<p class="why">' in romi  # the reason, in words
    assert "<svg" in _tile(html, "new_leads")  # a figure with months keeps its chart


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_month_with_nothing_in_the_funnel_says_so(client_user_a, leads_only, language) -> None:
    http = http_for(client_user_a, language)
    host = host_of(leads_only)
    february = unescape(http.get("/scorecard/?month=2026-02", HTTP_HOST=host).content.decode())
    funnel = february[february.index('id="funnel-title"') : february.index('id="mix-title"')]
    assert EMPTY_FUNNEL[language] in funnel and "<svg" not in funnel
    march = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host).content.decode())
    assert EMPTY_FUNNEL[language] not in march
    connection.set_tenant(leads_only)
    pdf = _pdf_text(report_pdf_build(client=leads_only, month=FEBRUARY, language=language))
    assert EMPTY_FUNNEL[language] in pdf



@pytest.mark.parametrize(("language", "words"), [
    ("en", ("Target 5", "Month with a note", "Notes on these months: February 2026: Site redesign")),
    ("es", ("Objetivo 5", "Mes con una nota", "Notas de estos meses: febrero de 2026: Site redesign")),
])
def test_the_pdf_names_the_target_line_and_the_notes_its_markers_stand_for(leads_only, language, words) -> None:
    """On paper there is no hover: the charts' legend says what the dashed line and the markers are,
    and the notes are listed under the summary, as the page lists them."""
    from kpis.models import Annotation
    from portfolio.models import Target

    with schema_context("alpha"):
        Annotation.objects.create(month=FEBRUARY, text="Site redesign", author_name="Sam")
    Target.objects.create(client=leads_only, month=MARCH, kpi="new_leads", value=5)
    connection.set_tenant(leads_only)
    pdf = " ".join(_pdf_text(report_pdf_build(client=leads_only, month=MARCH, language=language)).split())
    for text in words:
        assert text in pdf, text


def _left(document: pypdfium2.PdfDocument, text: str) -> float:
    """Where ``text`` starts on the page that has it, in points from the left edge."""
    for page in document:
        textpage = page.get_textpage()
        found = textpage.search(text, match_case=True, match_whole_word=True).get_next()
        if found:
            return textpage.get_charbox(found[0])[0]
    raise AssertionError(f"{text!r} is not in the PDF")


def test_the_pdfs_funnel_and_channel_mix_start_at_the_margin_as_its_other_headings(leads_only) -> None:
    """They were a table without the frame's padding: 6 pt left of every other heading."""
    connection.set_tenant(leads_only)
    document = pypdfium2.PdfDocument(report_pdf_build(client=leads_only, month=MARCH, language="en"))
    assert abs(_left(document, "Funnel") - _left(document, "Summary")) < 0.5
