"""A breakdown's notes on paper (why its "—", the rows it leaves out) stay on the page of its last row:
Wayne's "Not shown, as no row has a value this month…" opened the PDF's last page alone, away from the
Ad platform table it explains; and the empty breakdowns are said in one line, not each a heading over "Nothing this month."."""

from __future__ import annotations

import io

import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kpis.exports import _drilldown_story, _para, _styles

NOTE = "Not shown, as there is no value for any ad platform this month: Paid leads."


def _pages(story: list) -> list[str]:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _story(filler: float, drilldowns: list[dict]) -> list:
    styles = _styles("#2255aa")
    document = SimpleDocTemplate(io.BytesIO(), pagesize=A4, topMargin=15 * mm, bottomMargin=15 * mm)
    story = [_para("Intro", styles["body"]), Spacer(1, document.height - filler)]
    return story + _drilldown_story(drilldowns, styles=styles, heading=styles["h2"], usable=document.width, accent="#2255aa")


def test_a_breakdowns_note_never_opens_a_page_away_from_its_table() -> None:
    rows = [{"member": f"Platform {i}", "cells": [{"text": str(i), "reason": ""}]} for i in range(3)]
    drilldowns = [{"title": "Ad platform", "columns": ["Clicks"], "rows": rows, "blank_note": NOTE}]
    for filler in range(30, 90, 2):  # every foot of page where the table fits and its note may not
        pages = _pages(_story(filler * mm, drilldowns))
        noted = next(page for page in pages if "Not shown" in page)
        assert "Platform 2" in noted, (filler, pages)  # the table's last row on the note's page


def test_the_empty_breakdowns_are_one_line_under_the_heading() -> None:
    drilldowns = [
        {"title": "Channel", "columns": ["Sessions"], "rows": [{"member": "Direct", "cells": [{"text": "5", "reason": ""}]}]},
        {"title": "Landing page", "columns": ["Sessions"], "rows": []},
        {"title": "Social network", "columns": ["Sessions"], "rows": []},
    ]
    text = "".join(_pages(_story(200 * mm, drilldowns)))
    lines = [line.strip() for line in text.splitlines()]
    said = "Nothing this month: Landing page, Social network."
    assert said in lines and lines.index(said) == lines.index("Breakdowns") + 1  # before the tables
    assert "Landing page" not in lines and "Nothing this month." not in lines  # no heading over a lone line


def test_a_table_broken_over_a_page_keeps_two_rows_on_each_side() -> None:
    """Globex's channel table left its second part's headings and one row ("Búsqueda de pago") at a
    page's foot, the rest over the page."""
    columns = [f"Figure {c}" for c in range(8)]  # two parts of four columns, the second under the first
    rows = [{"member": f"Member {i}", "cells": [{"text": f"{c}:{i}", "reason": ""} for c in range(8)]} for i in range(12)]
    drilldowns = [{"title": "Channel", "columns": columns, "rows": rows}]
    for filler in range(100, 180, 2):
        for page in _pages(_story(filler * mm, drilldowns)):
            for part in ("0:", "4:"):  # each part's rows on this page
                shown = [line for line in page.splitlines() if line.startswith("Member ") and f" {part}" in line]
                assert len(shown) in (0, len(rows)) or len(shown) >= 2, (filler, part, shown)
