"""The PDF's contract lifetime value table reads like the page's: its eleven figures in parts of a
few columns each, so that a figure ("46 833.97 MX$") and a heading's words stay whole."""

from __future__ import annotations

import pypdfium2

from kpis.exports import scorecard_pdf

COLUMNS = [
    "Retainer lifetime value", "Project lifetime value", "Average monthly fee", "Early cancellation rate",
    "Share completing the term", "Contraction factor", "Renewal rate", "Expected terms",
    "Contract lifetime value", "Repeat project rate", "Expected projects",
]


def _lines(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [line.strip() for i in range(len(document)) for line in document[i].get_textpage().get_text_range().splitlines()]
    finally:
        document.close()


def test_the_lifetime_value_table_keeps_each_figure_and_heading_word_whole() -> None:
    cells = [{"text": "46 833.97 MX$"} for _ in COLUMNS]
    ltv = {"columns": COLUMNS, "rows": [{"segment": "Manufacturing", "cells": cells}], "total": cells}
    lines = _lines(scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[], ltv=ltv))
    text = "\n".join(lines)
    assert text.count("46 833.97 MX$") == 2 * len(COLUMNS)  # every figure on one line, the row and the total
    assert any("Manufacturing" in line.split() for line in lines)  # not "Manufactur" then "ing"
    for word in ("cancellation", "Contraction", "lifetime"):
        assert any(word in line.split() for line in lines), word  # a heading's word never broken in two
    assert text.count("Segment") == 2  # the segment repeated over each part
