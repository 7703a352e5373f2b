"""A PDF page never opens on part of a section or a table without naming it: Umbrella's and Wayne's page 3
opened on the paid media's daily charts ("Paid media" at the foot of page 2), Wayne's last page on the
Campaign breakdown's second part under its column headings only. Such a page opens on "Paid media
(continued)" or "Campaign (continued)"; where the part follows what names it on the same page, nothing is
added."""

from __future__ import annotations

from types import SimpleNamespace

import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from kpis import charts
from kpis.exports import _Document, _drilldown_story, _headings_kept, _ltv_story, _para, _styles, scorecard_pdf

PAID_PARTS = ("Ad spend per day", "Google Ads claims", "Top campaigns by spend", "Platform conversions are")


def _pages(pdf: bytes) -> list[list[str]]:
    """Each page's lines, its footer ("… Page 1 of 3") left out."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range().splitlines() for i in range(len(document))]
    finally:
        document.close()
    return [[line.strip() for line in page if line.strip() and not line.strip().startswith("Umbrella ·")]
            for page in pages]


def _report(lines: int) -> dict:
    """"What changed" of ``lines`` lines, then the paid media section: a platform, its CRM match under it, the
    two daily charts, the top campaigns and the section's last note."""
    platform = {"label": "Google Ads", "figures": [{"label": f"Figure {i}", "text": "10", "reason": "", "bands": []}
                                                  for i in range(8)],
                "match": "Google Ads claims 7 conversions.", "converted": ""}
    days = [str(day) for day in range(1, 31)]
    daily = [charts.SeriesChart(title=title, labels=days, values=[float(day % 7) for day in range(30)], from_start=True)
             for title in ("Ad spend per day", "Clicks per day")]
    paid = {"platforms": [platform], "unlinked": None, "charts": daily,
            "note": "Platform conversions are the platforms' claims.", "campaign_columns": ["Spend"], "campaigns_blank": "",
            "campaigns": [{"member": f"Campaign {i}", "cells": [{"text": f"€{i}00", "reason": ""}]} for i in range(5)]}
    return {"what_changed": [{"line": SimpleNamespace(text=f"Line {i} of what changed.")} for i in range(lines)],
            "paid": paid, "paid_empty": ""}


def test_a_page_that_opens_on_paid_media_names_the_section() -> None:
    opened_on_charts = False
    for lines in range(18, 62, 2):
        pages = _pages(scorecard_pdf(client_name="Umbrella", month_label="November 2026", computed="", groups=[],
                                     report=_report(lines)))
        for number, page in enumerate(pages):
            parts = [index for index, line in enumerate(page) if line.startswith(PAID_PARTS)]
            if not parts:
                continue
            headings = [index for index, line in enumerate(page) if line.startswith("Paid media")]
            assert headings and headings[0] < parts[0], (lines, number, page[:4])
            if page[0] == "Paid media (continued)":
                opened_on_charts |= page[1] == "Ad spend per day"
            else:  # the section's own heading on this page: it is not said again
                assert "Paid media (continued)" not in page, (lines, number, page[:4])
    assert opened_on_charts  # the charts did open a page


def _breakdown(title: str, rows: int, columns: int) -> dict:
    return {"title": title, "columns": [f"Figure {c}" for c in range(columns)],
            "rows": [{"member": f"{title} {i}", "cells": [{"text": f"{c}:{i}", "reason": ""} for c in range(columns)]}
                     for i in range(rows)]}


def _breakdown_pages(filler: float, tables: list[dict]) -> list[list[str]]:
    styles = _styles("#2255aa")
    buffer = __import__("io").BytesIO()
    document = _Document(buffer, pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm)
    heading = styles["h2"]
    story = [_para("Intro", styles["body"]), Spacer(1, filler)]
    story += _drilldown_story(tables, styles=styles, heading=heading, usable=document.width, accent="#2255aa")
    document.build(story)
    return _pages(buffer.getvalue())


def test_a_breakdowns_part_that_opens_a_page_names_the_breakdown() -> None:
    """The Campaign breakdown's nine figures in two parts of 24 rows: wherever the first part ends, a page that
    opens on the second part, or on the rows it runs on with, says "Campaign (continued)" first."""
    opened_on_second_part = opened_on_rows = False
    for filler in range(20, 250, 6):
        pages = _breakdown_pages(filler * mm, [_breakdown("Channel", 3, 2), _breakdown("Campaign", 24, 9)])
        for number, page in enumerate(pages[1:], start=1):
            if not any(line.startswith("Campaign") for line in page):
                continue
            if page[0] == "Breakdowns" or page[:2] == ["Campaign", "Campaign Figure 0 Figure 1 Figure 2 Figure 3 Figure 4"]:
                continue  # the section or the breakdown starts here, its heading first
            assert page[:2] == ["Campaign (continued)", "Campaign Figure 5 Figure 6 Figure 7 Figure 8"], (filler, number,
                                                                                                          page[:3])
            opened_on_second_part |= page[2].startswith("Campaign 0 ")
            opened_on_rows |= not page[2].startswith("Campaign 0 ")
        for page in pages:  # under the part before, on the same page: not said again
            if "Campaign" in page:
                assert "Campaign (continued)" not in page, (filler, page[:4])
    assert opened_on_second_part and opened_on_rows


def test_the_lifetime_value_tables_second_part_that_opens_a_page_names_the_table() -> None:
    """Eleven figures per segment: the table continues under itself, "Segment" and figures; on a page of its
    own that did not say it was the lifetime value table."""
    columns = [f"Figure {c}" for c in range(11)]
    ltv = {"columns": columns, "total": [{"text": f"T{c}"} for c in range(11)],
           "rows": [{"segment": f"Segment {i}", "cells": [{"text": f"{c}:{i}"} for c in range(11)]} for i in range(5)]}
    styles = _styles("#2255aa")
    opened = False
    for filler in range(120, 250, 4):
        buffer = __import__("io").BytesIO()
        document = _Document(buffer, pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm)
        story = [_para("Intro", styles["body"]), Spacer(1, filler * mm)]
        story += _ltv_story(ltv, styles=styles, usable=document.width, accent="#2255aa")
        document.build(_headings_kept(story))
        for number, page in enumerate(_pages(buffer.getvalue())[1:], start=1):
            if page[0].startswith("Segment"):
                raise AssertionError((filler, number, page[:3]))
            opened |= page[0] == "Contract lifetime value, explained (continued)"
    assert opened
