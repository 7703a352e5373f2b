"""The details tables read as figures: each value and its change side by side at their right edges
(numbers line up down the column, the change next to its value), and what is said of them in words in
a Note column of its own at the right. The change column was left-aligned words and figures, and a
right-aligned one put the changes far from their values."""

from __future__ import annotations

import pypdfium2

from kpis.exports import CHANGE_W, scorecard_pdf

WHY = "In October 2026: 10 new customers have no deal value."


def _tile(label: str, shown: str, change: dict | None, **more) -> dict:
    return {"label": label, "shown": shown, "change": change, "target": None, "met": None, "reason": "", **more}


def _boxes(pdf: bytes, *texts: str) -> dict[str, tuple[float, float]]:
    """The left and right x (points) of each text's first occurrence on page 1."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0].get_textpage()
        whole = page.get_text_range()
        found = {}
        for text in texts:
            start = whole.index(text)
            left = page.get_charbox(start)[0]
            right = page.get_charbox(start + len(text) - 1)[2]
            found[text] = (left, right)
        return found
    finally:
        document.close()


def test_a_change_is_right_aligned_beside_its_value_and_a_note_in_its_own_column() -> None:
    groups = [{"title": "Cost and revenue", "tiles": [
        _tile("Revenue", "€207,782.10", {"text": "+4.4 %", "good": True, "flat": False}),
        _tile("Cost per lead", "€287.46", {"text": "-10.6 %", "good": True, "flat": False}),
        _tile("ROMI", "197.6 %", {"text": "nothing to compare", "good": True, "flat": True, "why": WHY}),
    ]}]
    pdf = scorecard_pdf(client_name="Acme", month_label="November 2026", computed="", groups=groups)
    box = _boxes(pdf, "€207,782.10", "€287.46", "+4.4 %", "-10.6 %", "In October", "Note")
    assert abs(box["€207,782.10"][1] - box["€287.46"][1]) < 1  # values to the right
    assert abs(box["+4.4 %"][1] - box["-10.6 %"][1]) < 1  # changes to the right, one under the other
    gap = box["+4.4 %"][1] - box["€207,782.10"][1]
    assert 0 < gap < CHANGE_W  # the change's column is narrow, next to its value (points, as ReportLab's)
    assert box["In October"][0] > box["+4.4 %"][1]  # the why beside it, in the Note column
    assert box["Note"][0] > box["+4.4 %"][1]


def test_a_group_without_words_keeps_the_note_column_unheaded() -> None:
    """Every details table has the same columns (values and changes one above the other down the pages);
    the Note heading only over a group that has one."""
    groups = [
        {"title": "Email", "tiles": [_tile("Emails sent", "41,783", {"text": "+16.1 %", "good": True, "flat": False})]},
        {"title": "Leads", "tiles": [_tile("Paid leads", "—", None, reason="The CRM's leads name no ad campaign.")]},
    ]
    pdf = scorecard_pdf(client_name="Acme", month_label="November 2026", computed="", groups=groups)
    document = pypdfium2.PdfDocument(pdf)
    try:
        lines = [line.strip() for line in document[0].get_textpage().get_text_range().splitlines()]
    finally:
        document.close()
    assert lines.count("KPI Value Change") == 1 and lines.count("KPI Value Change Note") == 1
    box = _boxes(pdf, "41,783", "—", "+16.1 %", "The CRM's")
    assert abs(box["41,783"][1] - box["—"][1]) < 1  # the two tables' values one above the other
    assert box["The CRM's"][0] > box["+16.1 %"][1]  # why there is no value in the Note column, not the change's


def test_the_same_words_as_the_row_above_are_said_once() -> None:
    """Acme's seven revenue figures each said October's unknown revenue, a page of the same note."""
    nothing = {"text": "nothing to compare", "good": True, "flat": True, "why": WHY}
    groups = [{"title": "Cost and revenue", "tiles": [
        _tile("Revenue", "€207,782.10", nothing), _tile("ROI", "325.2 %", nothing),
        _tile("ROMI", "197.6 %", nothing), _tile("Cost per lead", "€287.46", {"text": "-10.6 %", "good": True}),
    ]}]
    document = pypdfium2.PdfDocument(scorecard_pdf(client_name="Acme", month_label="November 2026", computed="",
                                                   groups=groups))
    try:
        text = " ".join(document[0].get_textpage().get_text_range().split())
    finally:
        document.close()
    assert text.count("In October 2026") == 1 and text.count("Same as above.") == 2
