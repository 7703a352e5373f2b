"""Sections of the PDF keep their space: "Funnel" (its heading in a table's cell, where a heading's space
above is lost) sat close under "What changed"'s last line, and the top campaigns' notes sat against the
table's last row (Umbrella's "directores financieros" over "No se muestran…")."""

from __future__ import annotations

from types import SimpleNamespace

import pypdfium2

from kpis import charts
from kpis.exports import scorecard_pdf


def _box(pdf: bytes, text: str) -> tuple[float, float]:
    """The bottom and the top (PDF points, up the page) of the first line holding ``text`` on page 1."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].get_textpage()
        index = page.get_text_range().find(text)
        assert index >= 0, text
        boxes = [page.get_charbox(i) for i in range(index, index + len(text)) if not text[i - index].isspace()]
        return min(b[1] for b in boxes), max(b[3] for b in boxes)
    finally:
        document.close()


def _report() -> dict:
    bars = [charts.Bar(label=label, value=value, text=str(value)) for label, value in (("Sessions", 900), ("Leads", 90))]
    platform = {"label": "Google Ads", "figures": [{"label": "Clicks", "text": "10", "reason": "", "bands": []}],
                "match": "Google Ads claims 7 conversions.", "converted": ""}
    paid = {"platforms": [platform], "unlinked": None, "charts": [], "note": "Platform conversions are the platforms' claims.",
            "campaign_columns": ["Spend"],
            "campaigns_blank": "Not shown, as there is no value for any campaign this month: New leads.",
            "campaigns": [{"member": f"Campaign {i}", "cells": [{"text": f"€{i}00", "reason": ""}]} for i in range(5)]}
    return {"what_changed": [{"line": SimpleNamespace(text="MQLs +61.9 % against October: mostly Direct.")}],
            "funnel_chart": charts.BarChart(title="Funnel", bars=bars), "mix_chart": None, "paid": paid, "paid_empty": ""}


def test_the_funnel_and_the_top_campaigns_notes_keep_their_space() -> None:
    pdf = scorecard_pdf(client_name="Umbrella", month_label="November 2026", computed="", groups=[], report=_report())
    changed_bottom, _top = _box(pdf, "mostly Direct.")
    _bottom, funnel_top = _box(pdf, "Funnel")
    assert funnel_top < changed_bottom - 12, (changed_bottom, funnel_top)  # a section's space (8 pt was)
    row_bottom, _top = _box(pdf, "Campaign 4")
    _bottom, note_top = _box(pdf, "Not shown, as there is")
    assert note_top < row_bottom - 10, (row_bottom, note_top)  # not against the last row (7.5 pt was)
