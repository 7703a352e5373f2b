"""A report never ends on a page holding a few stray lines when it can help it: a small breakdown in
parts is kept whole (Wayne's last page held the second part of its three-row Ad platform table alone),
and a report whose last page would hold only a few lines is drawn with its tables' rows a little
tighter when that saves the page."""

from __future__ import annotations

import pypdfium2

from kpis import exports
from kpis.exports import scorecard_pdf

AD_COLUMNS = ["Ad spend", "Impressions", "Clicks", "Click-through rate", "Cost per click",
              "Cost per 1,000 impressions", "Platform conversions", "Cost per conversion", "Conversion value", "ROAS"]


def _pages(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _group(count: int) -> dict:
    tiles = [{"label": f"Figure {i}", "shown": str(i), "change": None, "target": None, "met": None, "reason": ""}
             for i in range(count)]
    return {"title": "Traffic", "tiles": tiles}


def _ad_platforms() -> dict:
    rows = [{"member": name, "cells": [{"text": f"{name[:2]}{i}", "reason": ""} for i in range(len(AD_COLUMNS))]}
            for name in ("Google Ads", "LinkedIn Ads", "Meta Ads")]
    return {"title": "Ad platform", "columns": AD_COLUMNS, "rows": rows}


def test_a_small_breakdown_in_two_parts_is_never_broken_between_them(monkeypatch) -> None:
    monkeypatch.setattr(exports, "TAIL_SHORT", 0)  # no second, tighter drawing: the parts kept whole by themselves
    for count in range(20, 60, 2):
        pdf = scorecard_pdf(client_name="Wayne", month_label="February 2026", computed="", groups=[_group(count)],
                            drilldowns=[_ad_platforms()])
        for page in _pages(pdf):
            if "Me9" in page:  # the second part's last figure (Meta Ads, ROAS)
                assert "Go0" in page, count  # the first part's first figure (Google Ads, Ad spend) on the same page


def test_a_last_page_of_a_few_lines_is_saved_by_tighter_rows() -> None:
    """Between them the rows' padding holds more than a few lines: a report whose last page would hold
    a table's last rows is drawn again tighter, one page shorter; a full last page is drawn as it was."""
    parts = dict(client_name="Wayne", month_label="February 2026", computed="", report=None, ltv=None, brand=None,
                 changes_against="", drilldowns=None)
    saved, full = [], []
    for count in range(40, 80):
        _pdf, pages, filled = exports._pdf_drawn(groups=[_group(count)], **parts, compact=False)
        drawn = len(_pages(scorecard_pdf(groups=[_group(count)], **parts)))
        if filled < exports.TAIL_SHORT and pages > 1:
            saved.append(drawn == pages - 1)
        elif filled > 0.5:
            full.append(drawn == pages)
    assert saved and saved[0]  # the first row over the page is drawn back onto it
    assert full and all(full)
