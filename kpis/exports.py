"""The scorecard as a PDF (ReportLab: pure wheels, no system libraries) and as the monthly email."""

from __future__ import annotations

import io
from html import escape
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# The standard PDF fonts cover Latin-1 and a few more; arrows and the like are spelled out.
_PLAIN = str.maketrans({"→": "->", "≤": "<=", "≥": ">=", "\u202f": " ", "\xa0": " "})


def pdf_text(value: Any) -> str:
    """Any text for a ReportLab Paragraph: plain text, never markup.

    A Paragraph parses its text as XML-like markup (``<font>``, ``<img src>``, ``<a href>``): a
    client's name such as ``<img src="/etc/passwd"/>`` would read a file from the server's disk, and
    ``<font color="red">unclosed`` would fail the whole PDF. Every user string (client name,
    labels, notes, campaign names) goes through here; the escaping leaves the text as written.
    """
    return escape(str(value).translate(_PLAIN), quote=False)


_text = pdf_text


def _target_status(met: bool | None) -> str:
    """As on the page: met, missed, or no value yet (an undefined figure has not missed anything)."""
    if met is None:
        return _("no value yet")
    return _("met") if met else _("missed")


def scorecard_pdf(*, client_name: str, month_label: str, computed: str, groups: list[dict[str, Any]]) -> bytes:
    """The month's tiles, group by group: value, change and target, as a printable A4 document."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{client_name} {month_label}".translate(_PLAIN),  # document metadata: not markup
    )
    story: list[Any] = [
        Paragraph(_text(f"{client_name}: {_('Scorecard')} {month_label}"), styles["Title"]),
        Paragraph(_text(computed), styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    for group in groups:
        story.append(Paragraph(_text(group["title"]), styles["Heading2"]))
        rows = [[_text(_("KPI")), _text(_("Value")), _text(_("Change")), _text(_("Target"))]]
        for tile in group["tiles"]:
            change = tile["change"]["text"] if tile["change"] else ""
            target = f"{tile['target']} ({_target_status(tile['met'])})" if tile["target"] else ""
            rows.append([_text(tile["label"]), _text(tile["shown"]), _text(change), _text(target)])
        table = Table(rows, colWidths=[70 * mm, 45 * mm, 25 * mm, 40 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f4f8")]),
                ]
            )
        )
        story += [table, Spacer(1, 3 * mm)]
    document.build(story)
    return buffer.getvalue()
