"""A section heading of the PDF never ends a page: it goes over with what it heads (keepWithNext, _headings_kept)."""

from __future__ import annotations

import io

import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kpis.exports import _drilldown_story, _headings_kept, _ltv_story, _para, _styles, scorecard_pdf


def _last_lines(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range().strip().splitlines()[-1] for i in range(len(document))]
    finally:
        document.close()


def test_a_heading_at_the_foot_of_a_page_goes_over_with_its_table() -> None:
    styles = _styles("#2255aa")
    drilldowns = [{"title": "By campaign", "columns": ["Leads"], "rows": [
        {"member": f"Campaign {i}", "cells": [{"text": str(i), "reason": ""}]} for i in range(5)]}]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm)
    # Fill the page so that only a heading or two still fit at its foot.
    filler = document.height - 20 * mm
    story = [_para("Intro", styles["body"]), Spacer(1, filler)]
    story += _drilldown_story(drilldowns, styles=styles, heading=styles["h2"], usable=document.width, accent="#2255aa")
    document.build(story)
    last = _last_lines(buffer.getvalue())
    assert len(last) >= 2
    assert last[0] not in {"Breakdowns", "By campaign"}, last


def _page_texts(pdf: bytes) -> list[list[str]]:
    """Each page's lines, its footer ("Acme · November 2026 … Page 1 of 3") left out."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range().splitlines() for i in range(len(document))]
    finally:
        document.close()
    return [[line.strip() for line in page if line.strip() and " of " not in line.split("Page")[-1]] for page in pages]


def _group(count: int) -> dict:
    tiles = [{"label": f"Figure {i}", "shown": str(i), "change": None, "target": None, "met": None, "reason": ""}
             for i in range(count)]
    return {"title": "Traffic", "tiles": tiles}


LTV_COLUMNS = ["Retainer lifetime value", "Average monthly fee", "Expected terms"]


def _ltv() -> dict:
    rows = [{"segment": f"Segment {i}", "cells": [{"text": f"{i}.{c}"} for c in range(len(LTV_COLUMNS))]} for i in range(4)]
    return {"columns": LTV_COLUMNS, "rows": rows, "total": [{"text": f"T.{c}"} for c in range(len(LTV_COLUMNS))]}


def _breakdowns() -> list[dict]:
    """Acme's: the contract segments said in the lifetime value table, two empty ones, then a channel table
    in two parts (eight figures), and a persona table."""
    columns = [f"Figure {c}" for c in range(8)]
    channel = [{"member": f"Channel {i}", "cells": [{"text": f"c{c}:{i}", "reason": ""} for c in range(8)]} for i in range(13)]
    persona = [{"member": f"Persona {i}", "cells": [{"text": str(i), "reason": ""}]} for i in range(4)]
    return [
        {"title": "Contract segment", "dimension": "segment", "columns": LTV_COLUMNS[:2], "rows": []},
        {"title": "Ad platform", "columns": ["Clicks"], "rows": []},
        {"title": "Landing page", "columns": ["Sessions"], "rows": []},
        {"title": "Channel", "columns": columns, "rows": channel},
        {"title": "Persona", "columns": ["New leads"], "rows": persona},
    ]


def test_no_section_heading_ends_a_page_of_the_whole_report() -> None:
    """Acme's, Globex's, Initech's and Wayne's PDFs ended a page on "Breakdowns" and its one-line notes
    ("Nothing this month: Ad platform, Landing page."), the Channel table on the next page; the lifetime
    value table's heading could too. Whatever the details push down the page, a heading and the lines
    under it are on the page of the first rows they introduce."""
    headings = {"Details", "Contract lifetime value, explained", "Breakdowns", "Channel", "Persona"}
    seen_breakdowns_low = False
    for count in range(10, 60):
        pages = _page_texts(scorecard_pdf(client_name="Acme", month_label="November 2026", computed="",
                                          groups=[_group(count)], ltv=_ltv(), drilldowns=_breakdowns()))
        for number, lines in enumerate(pages):
            assert lines[-1] not in headings, (count, number, lines[-3:])
            assert not lines[-1].startswith(("Nothing this month", "Contract segment:")), (count, number, lines[-3:])
            if "Breakdowns" in lines:
                assert "Channel 0" in " ".join(lines), (count, number, lines[-4:])  # the first table's first row
                seen_breakdowns_low |= lines.index("Breakdowns") > len(lines) // 2
            if "Contract lifetime value, explained" in lines:
                assert any(line.startswith("Segment 0") for line in lines), (count, number, lines[-4:])
    assert seen_breakdowns_low  # the heading did come near a page's foot


def test_the_lifetime_value_heading_goes_over_with_its_table() -> None:
    """Its one table is kept whole with the lines under it (a KeepTogether), which ReportLab never keeps
    a heading with: "Contract lifetime value, explained" ended the page, its table on the next."""
    styles = _styles("#2255aa")
    for filler in range(20, 90, 2):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(buffer, pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm)
        story = [_para("Intro", styles["body"]), Spacer(1, document.height - filler * mm)]
        story += _ltv_story(_ltv(), styles=styles, usable=document.width, accent="#2255aa")
        document.build(_headings_kept(story))
        for lines in _page_texts(buffer.getvalue()):
            assert lines[-1] != "Contract lifetime value, explained", (filler, lines[-3:])
