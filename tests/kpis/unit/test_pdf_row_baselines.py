"""A PDF table's row reads on one line: the row's name (a channel, a campaign, a KPI) in the table's 8 pt
on the baseline of the figures beside it, and the first column's heading on the others'. At 7.5 pt the
names and "Channel" sat smaller and higher than "1,800" and "Sessions" (Globex's breakdowns)."""

from __future__ import annotations

import pypdfium2
import pypdfium2.raw as pdfium

from kpis.exports import scorecard_pdf


def _glyph(pdf: bytes, text: str, *, last: bool = False) -> tuple[float, float]:
    """The baseline (the bottom of its first letter, one without a descender or overshoot) and the size
    of the first ``text`` in the PDF (its last on the page with ``last``)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            page = document[number].get_textpage()
            whole = page.get_text_range()
            index = whole.rfind(text) if last else whole.find(text)
            if index >= 0:
                return page.get_charbox(index)[1], pdfium.FPDFText_GetFontSize(page.raw, index)
        raise AssertionError(text)
    finally:
        document.close()


def test_a_breakdown_rows_name_and_its_first_heading_sit_on_the_figures_baseline() -> None:
    table = {"title": "Device", "columns": ["Leads", "MQLs"],
             "rows": [{"member": "Desktop", "cells": [{"text": "1800", "reason": ""}, {"text": "7", "reason": ""}]}]}
    group = {"title": "Traffic", "tiles": [{"label": "Bounce rate", "shown": "1.5 %", "change": None, "target": None,
                                           "met": None, "reason": ""}]}
    pdf = scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[group], drilldowns=[table])
    (name, name_size), (figure, figure_size) = _glyph(pdf, "Desktop"), _glyph(pdf, "1800")
    assert abs(name - figure) < 0.2 and name_size == figure_size, (name, figure, name_size, figure_size)
    # the table's "Device" (the heading above it is the first)
    (title, title_size), (column, column_size) = _glyph(pdf, "Device", last=True), _glyph(pdf, "Leads")
    assert abs(title - column) < 0.2 and title_size == column_size, (title, column, title_size, column_size)
    (label, label_size), (value, value_size) = _glyph(pdf, "Bounce rate"), _glyph(pdf, "1.5 %")
    assert abs(label - value) < 0.2 and label_size == value_size, (label, value, label_size, value_size)
