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


def _font_of(pdf: bytes, text: str, *, last: bool = False) -> str:
    """The font of the first character of ``text`` (its last occurrence with ``last``) in the PDF."""
    import ctypes

    import pypdfium2.raw as pdfium

    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            page = document[number].get_textpage()
            whole = page.get_text_range()
            index = whole.rfind(text) if last else whole.find(text)
            if index >= 0:
                name = ctypes.create_string_buffer(128)
                pdfium.FPDFText_GetFontInfo(page.raw, index, name, 128, None)
                return name.value.decode()
        raise AssertionError(text)
    finally:
        document.close()


def test_the_tables_headings_and_the_lifetime_values_total_are_bold() -> None:
    """The breakdowns' and the lifetime value's column headings read as one more row of figures beside
    the details tables' bold ones, and "All contracts" did not read as a total."""
    cells = [{"text": "€1,000.00", "reason": ""} for _ in COLUMNS]
    ltv = {"columns": COLUMNS, "rows": [{"segment": "Manufacturing", "cells": cells}], "total": cells}
    drilldowns = [{"title": "Channel", "columns": ["Sessions"], "rows": [
        {"member": "Direct", "cells": [{"text": "5", "reason": ""}]}]}]
    pdf = scorecard_pdf(client_name="Globex", month_label="November 2026", computed="", groups=[], ltv=ltv,
                        drilldowns=drilldowns)
    assert _font_of(pdf, "Segment").endswith("Helvetica-Bold")
    assert _font_of(pdf, "Sessions").endswith("Helvetica-Bold")
    assert _font_of(pdf, "All contracts").endswith("Helvetica-Bold")
    assert _font_of(pdf, "Manufacturing").endswith("Helvetica")
    assert _font_of(pdf, "€1,000.00", last=True).endswith("Helvetica-Bold")  # the total's figures too
