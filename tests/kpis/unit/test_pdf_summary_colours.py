"""The PDF's first page colours each summary figure's change as the page and the email do (good news
green, bad news red, no news grey) and its target met or missed: in black, "+109.8 %" beside the cost
of a customer did not say it was bad news."""

from __future__ import annotations

import ctypes

import pypdfium2
import pypdfium2.raw as pdfium

from kpis.exports import CHANGE_BAD, CHANGE_FLAT, CHANGE_GOOD, scorecard_pdf


def _entry(label: str, change: dict, *, target: str = "", met: bool | None = None) -> dict:
    return {"label": label, "shown": "1", "change": change, "pace": "", "target": target, "met": met,
            "reason": "", "definition": "", "no_chart": True}


def _colour_of(pdf: bytes, text: str) -> str:
    """The fill colour of the first character of ``text`` on the first page, as #rrggbb."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].get_textpage()
        index = page.get_text_range().index(text)
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        assert pdfium.FPDFText_GetFillColor(page.raw, index, *(ctypes.byref(c) for c in (r, g, b, a)))
        return f"#{r.value:02x}{g.value:02x}{b.value:02x}"
    finally:
        document.close()


def test_the_summarys_changes_and_targets_are_coloured_as_good_or_bad_news() -> None:
    summary = [
        _entry("New leads", {"text": "+9.7 %", "good": True, "flat": False}, target="150", met=True),
        _entry("Cost per lead", {"text": "+23.1 %", "good": False, "flat": False}, target="€250.00", met=False),
        _entry("Sessions", {"text": "nothing to compare", "good": True, "flat": True}),
    ]
    pdf = scorecard_pdf(client_name="Acme", month_label="November 2026", computed="", groups=[],
                        report={"summary": summary})
    assert _colour_of(pdf, "+9.7 %") == CHANGE_GOOD
    assert _colour_of(pdf, "+23.1 %") == CHANGE_BAD
    assert _colour_of(pdf, "nothing to compare") == CHANGE_FLAT
    assert _colour_of(pdf, "Target 150 (met)") == CHANGE_GOOD
    assert _colour_of(pdf, "Target €250.00 (missed)") == CHANGE_BAD
