"""A change without a number says why on paper and in the email, as the page does on hover: Acme's
ROMI read "nothing to compare" over a chart with October missing, and nothing said that October's
revenue was unknown (10 new customers without a deal value)."""

from __future__ import annotations

import pypdfium2
from django.template.loader import render_to_string

from kpis.exports import scorecard_pdf

WHY = "In October 2026: 10 new customers have no deal value, so the return cannot be worked out."
NOTHING = {"text": "nothing to compare", "good": True, "flat": True, "why": WHY}


def _text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    finally:
        document.close()


def test_the_pdf_says_why_a_change_has_no_number_in_the_summary_and_the_details() -> None:
    entry = {"label": "ROMI", "shown": "197.6 %", "change": NOTHING, "pace": "", "target": "", "met": None,
             "reason": "", "definition": "", "no_chart": True}
    tile = {"label": "ROMI", "shown": "197.6 %", "change": NOTHING, "target": None, "met": None, "reason": ""}
    summary_only = _text(scorecard_pdf(client_name="Acme", month_label="November 2026", computed="", groups=[],
                                       report={"summary": [entry]}))
    assert "ROMI 197.6 % nothing to compare ROMI — " + WHY in summary_only  # under the grid: no taller cell
    details_only = _text(scorecard_pdf(client_name="Acme", month_label="November 2026", computed="",
                                       groups=[{"title": "Cost and revenue", "tiles": [tile]}]))
    assert "nothing to compare " + WHY in details_only


def test_the_email_says_why_a_key_figure_has_no_change() -> None:
    entry = {"label": "ROMI", "shown": "197.6 %", "change": NOTHING, "definition": "Return.", "reason": "",
             "chart": None, "target": None, "met": None}
    html = render_to_string("reports/email/approved.html", {
        "summary": [entry], "brand": {"accent": "#0f766e", "name": "Northwind"}, "client": {"name": "Acme"}})
    notes = html[html.index("data-figure-notes") :]
    assert f"<div data-change-why>{WHY}</div>" in notes[: notes.index("</td>")]
    text = render_to_string("reports/email/approved.txt", {"summary": [entry], "client": {"name": "Acme"}})
    assert f"ROMI: 197.6 % (nothing to compare). {WHY}" in text
