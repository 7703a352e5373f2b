"""A section heading of the PDF never ends a page: it goes over with what it heads (keepWithNext)."""

from __future__ import annotations

import io

import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kpis.exports import _drilldown_story, _para, _styles


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
