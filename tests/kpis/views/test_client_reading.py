"""The scorecard as its client reads it, page and PDF: the summary's jargon (MQL, CAC, ROMI) in plain
words on the tile itself (a phone has no hover), a PDF column's heading over its figures."""

from __future__ import annotations

import re

import pypdfium2

from tests.kpis.views.test_scorecard import get, snapshots  # noqa: F401 (the fixture)


def _runs(content: bytes) -> list[tuple[str, tuple[float, float, float, float], int]]:
    """Every text run of every page with its box (left, bottom, right, top) and its page."""
    document = pypdfium2.PdfDocument(content)
    runs = []
    for i in range(len(document)):
        text = document[i].get_textpage()
        for r in range(text.count_rects()):
            box = text.get_rect(r)
            runs.append((text.get_text_bounded(*box).strip(), box, i))
    return runs


def test_the_change_heading_stands_over_the_changes_in_the_details_tables(client_user_a, snapshots) -> None:  # noqa: F811
    runs = _runs(get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots).content)
    headings = [(box, page) for text, box, page in runs if text == "Change"]
    assert headings, "no details table"
    for heading, page in headings:
        # The first run between "Value" and the Note column, below the heading on its page: a change (the
        # words of a row without one are in the Note column, right of the heading).
        values = [box for text, box, on in runs if text == "Value" and on == page]
        value = min(values, key=lambda box: abs(box[1] - heading[1]))
        below = [box for _text, box, on in runs
                 if on == page and box[1] < heading[1] - 5 and box[0] > value[2] and box[2] < heading[2] + 3]
        first = max(below, key=lambda box: box[1])
        # Right-aligned, as the values beside them: the heading ends where the changes do.
        assert abs(first[2] - heading[2]) < 3, (heading, first)


def _summary_tile(body: str, key: str) -> str:
    found = re.search(rf'<article class="card headline-kpi" data-kpi="{key}".*?</article>', body, re.S)
    assert found, key
    return found.group(0)


def test_the_summary_tiles_say_what_their_jargon_means_in_english_and_spanish(client_user_a, snapshots) -> None:  # noqa: F811
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert '<p class="definition">Leads that became marketing-qualified in the month.</p>' in _summary_tile(body, "mqls")
    assert "(Marketing spend + sales spend) ÷ customers." in _summary_tile(body, "cac")
    client_user_a.language = "es"
    client_user_a.save()
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    tile = _summary_tile(body, "mqls")
    assert '<p class="definition">Leads que pasaron a ser cualificados por marketing durante el mes.</p>' in tile


def test_romi_is_named_in_words_with_its_abbreviation(db) -> None:
    from django.utils import translation

    from kpis.catalogue import kpi

    with translation.override("en"):
        assert str(kpi("romi").label) == "Return on marketing investment (ROMI)"  # like "Customer acquisition cost (CAC)"
    with translation.override("es"):
        assert str(kpi("romi").label) == "Retorno de la inversión en marketing (ROMI)"


def test_the_pdf_summary_says_what_its_figures_mean_in_english_and_spanish(client_user_a, snapshots) -> None:  # noqa: F811
    import datetime as dt

    from kpis.services import report_pdf_build

    def text(pdf: bytes) -> str:
        document = pypdfium2.PdfDocument(pdf)
        first = document[0].get_textpage().get_text_range()  # the summary, page 1
        return " ".join(first.split())

    english = text(get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots).content)
    assert "Leads that became marketing-qualified in the month." in english
    spanish = text(report_pdf_build(client=snapshots, month=dt.date(2026, 3, 1), language="es"))
    assert "Leads que pasaron a ser cualificados por marketing durante el mes." in spanish


def test_the_channel_chart_says_it_counts_new_leads_on_the_page_and_in_the_pdf(client_user_a, snapshots) -> None:  # noqa: F811
    """Its bars are the month's new leads by channel; headed "Channel mix", a client could not tell
    what 45 or 34 counted."""
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert '<h2 id="mix-title">New leads by channel</h2>' in body and "Channel mix" not in body
    pdf = pypdfium2.PdfDocument(get(client_user_a, "/scorecard/export.pdf?month=2026-03", snapshots).content)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    assert "New leads by channel" in text and "Channel mix" not in text
    client_user_a.language = "es"
    client_user_a.save()
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert '<h2 id="mix-title">Leads nuevos por canal</h2>' in body


def test_a_drill_down_chart_says_what_its_bars_count(client_user_a, snapshots) -> None:  # noqa: F811
    """The bars follow the sorted column: without a heading, a client saw bars of 1,769 and 1,342 and
    could not tell sessions from leads."""
    body = get(client_user_a, "/scorecard/breakdowns/channel/?month=2026-02&sort=new_leads&dir=desc", snapshots).content.decode()
    assert '<h3 class="drill-chart-title">New leads by channel</h3>' in body
    client_user_a.language = "es"
    client_user_a.save()
    body = get(client_user_a, "/scorecard/breakdowns/channel/?month=2026-02&sort=new_leads&dir=desc", snapshots).content.decode()
    assert '<h3 class="drill-chart-title">Leads nuevos por canal</h3>' in body


def test_the_verdict_and_every_summary_figure_share_the_pdfs_first_page(client_user_a, example_snapshots) -> None:
    """The verdict line over the summary pushed its last row (ROMI, sessions) onto page 2."""
    import datetime as dt

    from django_tenants.utils import schema_context

    from clients.models import Lead
    from kpis.services import report_pdf_build

    with schema_context("alpha"):  # revenue data: ROMI joins the summary, eight figures in four rows
        won = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
        Lead.objects.create(id="deal", created_at=won, customer_at=won, deal_value=1000)
    pdf = pypdfium2.PdfDocument(report_pdf_build(client=example_snapshots, month=dt.date(2026, 3, 1), language="en"))
    first = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert "Marketing paid off in March 2026" in first
    for label in ("New leads", "MQLs", "Customers", "Marketing spend", "Cost per lead", "Return on marketing", "Sessions"):
        assert label in first, label


def test_a_drill_down_names_each_figure_in_its_cell_for_a_phone(client_user_a, snapshots) -> None:  # noqa: F811
    """Ten columns at 390 px: the table scrolled sideways and a phone showed the channel and its
    sessions only. Each row is a card of labelled lines there (stack-table), as the paid campaigns are."""
    body = get(client_user_a, "/scorecard/breakdowns/channel/?month=2026-03", snapshots).content.decode()
    assert re.search(r'<table class="data stack-table[ "]', body)
    assert re.search(r'<td class="num" data-label="New leads"[^>]*>', body)
    assert re.search(r'<td class="num" data-label="MQLs"[^>]*>', body)


def test_the_pdf_details_have_a_target_column_only_when_a_figure_has_a_target(client_user_a, snapshots) -> None:  # noqa: F811
    """Without any target, every details table ended in a column of blanks headed "Target"."""
    import datetime as dt

    from kpis.services import report_pdf_build
    from portfolio.models import Target

    def headings(pdf: bytes) -> list[str]:
        return [text for text, _box, page in _runs(pdf) if page > 0 and text in ("Change", "Target")]

    without = headings(report_pdf_build(client=snapshots, month=dt.date(2026, 3, 1), language="en"))
    assert "Change" in without and "Target" not in without
    Target.objects.create(client=snapshots, month=dt.date(2026, 3, 1), kpi="new_leads", value=10)
    assert "Target" in headings(report_pdf_build(client=snapshots, month=dt.date(2026, 3, 1), language="en"))


def test_each_detail_tile_says_what_its_figure_means_on_the_tile(client_user_a, snapshots) -> None:  # noqa: F811
    """The details' definitions were for screen readers only (and a hover title): on a phone a client
    read "Growth needed per working day" or "Lead velocity rate" with nothing to explain them."""
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    tile = body[body.index('id="kpi-lead_velocity_rate"') :]
    tile = tile[: tile.index("</article>")]
    assert '<p class="definition" id="def-lead_velocity_rate">The change in MQLs against the previous month.</p>' in tile
    assert "visually-hidden\" id=\"def-" not in body
