"""The PDF prints "→" as an arrow, never as "->": Helvetica (WinAnsi) has no arrow, so ReportLab
draws it in the standard Symbol font, which has one (arrowright), in paragraphs, table cells and
the footer alike."""

from __future__ import annotations

import ctypes

import pypdfium2
import pypdfium2.raw as pdfium

from kpis.exports import pdf_text, scorecard_pdf


def _characters(pdf: bytes) -> list[tuple[str, str]]:
    """Every character of every page with the name of the font that draws it."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            for i in range(textpage.count_chars()):
                name, flags = ctypes.create_string_buffer(128), ctypes.c_int()
                pdfium.FPDFText_GetFontInfo(textpage.raw, i, name, 128, ctypes.byref(flags))
                found.append((chr(pdfium.FPDFText_GetUnicode(textpage.raw, i)), name.value.decode()))
    finally:
        document.close()
    return found


def test_arrows_and_comparisons_are_printed_in_a_font_that_has_them() -> None:
    groups = [{"title": "Funnel → sales", "tiles": [
        {"label": "Lead → MQL rate", "shown": "12.0 % → 14.0 %", "change": {"text": "(10 → 12), ≥ 3 …"},
         "target": "≤ 20.0 %", "met": True},
    ]}]
    pdf = scorecard_pdf(client_name="Acme → Norte", month_label="March 2026", computed="now", groups=groups)
    characters = _characters(pdf)
    text = "".join(c for c, _font in characters).replace("\r\n", " ")  # a change wraps in its narrow column
    for shown in ("Funnel → sales", "Lead → MQL rate", "12.0 % → 14.0 %", "(10 → 12), ≥ 3 …", "≤ 20.0 %", "Acme → Norte"):
        assert shown in text, shown
    assert "->" not in text and "<=" not in text and ">=" not in text and "..." not in text
    fonts = {font for c, font in characters if c in "→≤≥"}
    assert fonts == {"Symbol"}  # the standard font with these glyphs, not ZapfDingbats' "not defined" box
    assert text.count("→") == 6


def test_pdf_text_keeps_the_arrow() -> None:
    assert pdf_text("Café → 5 <b>") == "Café → 5 &lt;b&gt;"
