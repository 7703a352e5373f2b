"""The client's report as a PDF (ReportLab: pure wheels, no system libraries).

The PDF is the report, not a table dump: the same executive summary (headline KPIs with their
13-month charts), commentary, funnel and channel mix as the page, drawn from the same chart
objects (``kpis.charts``), then the detail groups and the lifetime value table. Branded with the
agency's (or the client's) name and colour; every page carries the period and "page N of M".

Rendered once per snapshot state and kept under ``MEDIA_ROOT/<schema>/reports/`` (a Celery task
prepares it after a snapshot is computed; the download serves the kept file, or renders it then).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    ActionFlowable,
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from agency.months import Month
from agency.uploads import logo_readable
from kpis import charts
from kpis.breakdowns_shown import dashes_said
from kpis.formatting import compared_month
from kpis.report import commentary_blocks, match_line
from kpis.scorecard import value_note

# The standard PDF fonts cover Latin-1 and the euro sign (Helvetica's WinAnsi, "…" included); ReportLab
# draws a character Helvetica lacks in the standard Symbol font, which has "→", "≤" and "≥" (every PDF
# reader carries it). Only what neither has is changed: the narrow no-break space, and "−" kept as "-".
_PLAIN = str.maketrans({"\u202f": " ", "\xa0": " ", "−": "-"})
# In a paragraph, which wraps, a no-break space stays one (Latin-1 has it; ReportLab never breaks a line
# there): "41 658,22 €" read "41" at a line's end and "658,22 €" on the next, "100 %" left "%" alone.
_WRAPPED = str.maketrans({"\u202f": "\xa0", "−": "-"})
# A figure and its unit written with a plain space (the catalogue's "can exceed 100 %", "+5.2 pp"):
# tied as the numbers' own formatting ties them.
_UNIT_AFTER = re.compile(r"(?<=\d) (?=%|pp\b|[€$£]|MX\$)")
PAGE_W, PAGE_H = A4
MARGIN = 15 * mm
# A summary chart's height to its width: at 0.36 the eight tiles filled page 1 to its foot, and a line
# under them (why a change has no number) went over alone to the top of page 2.
SUMMARY_CHART_RATIO = 0.32
GROUP_ROOM = 35 * mm  # a details group's heading starts a page only when less than this is left (a few rows)


def pdf_text(value: Any) -> str:
    """Any text for a ReportLab Paragraph: plain text, never markup.

    A Paragraph parses its text as XML-like markup (``<font>``, ``<img src>``, ``<a href>``): a
    client's name such as ``<img src="/etc/passwd"/>`` would read a file from the server's disk, and
    ``<font color="red">unclosed`` would fail the whole PDF. Every user string (client name,
    labels, notes, campaign names) goes through here; the escaping leaves the text as written.
    """
    return escape(_UNIT_AFTER.sub("\xa0", str(value).translate(_WRAPPED)), quote=False)


def _text(value: Any) -> str:
    """Text drawn as is (table cells, the footer, the document's title): never parsed as markup,
    so it is only spelled out for the standard fonts, not escaped."""
    return str(value).translate(_PLAIN)


def _para(value: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, since ReportLab reads its own markup in it."""
    return Paragraph(pdf_text(value), style)


def _target_status(met: bool | None) -> str:
    """As on the page: met, missed, or no value yet (an undefined figure has not missed anything)."""
    if met is None:
        return _("no value yet")
    return _("met") if met else _("missed")


def _numbered_canvas(*, footer_left: str, accent: str, brand: str):
    """A canvas that knows the page count at the end, for "page N of M" in every footer."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFillColor(colors.HexColor(accent))
            self.rect(0, PAGE_H - 6 * mm, PAGE_W, 6 * mm, stroke=0, fill=1)
            self.setFillColor(colors.HexColor("#4b5566"))
            self.setFont("Helvetica", 8)
            self.drawString(MARGIN, 9 * mm, _text(footer_left))
            self.drawRightString(
                PAGE_W - MARGIN, 9 * mm, _text(_("Page %(page)s of %(pages)s") % {"page": self._pageNumber, "pages": total})
            )
            self.setFont("Helvetica-Bold", 8)
            self.drawCentredString(PAGE_W / 2, 9 * mm, _text(brand))
            self.restoreState()

    return NumberedCanvas


def _styles(accent: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    ink = colors.HexColor("#1d2330")
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontSize=20, leading=24, alignment=0, textColor=ink, spaceAfter=2),
        "sub": ParagraphStyle("sub", parent=base["Normal"], fontSize=9, textColor=colors.HexColor("#4b5566")),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontSize=13, textColor=colors.HexColor(accent), spaceBefore=8, spaceAfter=4,
            keepWithNext=1,  # a section's heading never ends a page: it goes over with what it heads
        ),
        "label": ParagraphStyle("label", parent=base["Normal"], fontSize=8.5, textColor=colors.HexColor("#4b5566")),
        "value": ParagraphStyle("value", parent=base["Normal"], fontSize=15, leading=18, fontName="Helvetica-Bold"),
        "fact": ParagraphStyle("fact", parent=base["Normal"], fontSize=7.5, leading=9.5),
        "body": ParagraphStyle("body", parent=base["Normal"], fontSize=9.5, leading=13),
        "note": ParagraphStyle("note", parent=base["Normal"], fontSize=8, textColor=colors.HexColor("#4b5566")),
        "right": ParagraphStyle("right", parent=base["Normal"], fontSize=8, alignment=TA_RIGHT),
        # a details table's change, beside its value (a plain-text cell of the table's 8 pt)
        "change": ParagraphStyle("change", parent=base["Normal"], fontSize=8, leading=9.5, alignment=TA_RIGHT),
        # A table's column headings in bold, as the details tables' (their plain-text cells take the
        # table's bold): the breakdowns' and the lifetime value's read as one more row of figures.
        # At the 8 pt of the tables' figures and on their baseline: at 7.5 pt a row's name and the first
        # heading sat smaller and higher than the figures beside them.
        "head": ParagraphStyle("head", parent=base["Normal"], fontSize=8, leading=9.5, fontName="Helvetica-Bold"),
        "head-right": ParagraphStyle("head-right", parent=base["Normal"], fontSize=8, leading=9.5, alignment=TA_RIGHT,
                                     fontName="Helvetica-Bold"),
        # a table row's name (a KPI, a channel, a campaign), beside figures in the table's 8 pt
        "row": ParagraphStyle("row", parent=base["Normal"], fontSize=8, leading=9.5),
    }


# A change's colour, as the page's and the email's: good news green, bad news red, no news grey.
CHANGE_GOOD, CHANGE_BAD, CHANGE_FLAT = "#17663a", "#a32020", "#4b5566"


def change_colour(change: dict[str, Any]) -> str:
    """The colour of a change as the page and the email give it: "flat" (no change, nothing to
    compare, a figure where neither way is better) grey, else green when good and red when not."""
    if change.get("flat"):
        return CHANGE_FLAT
    return CHANGE_GOOD if change.get("good") else CHANGE_BAD


def _summary_cell(entry: dict[str, Any], styles: dict[str, ParagraphStyle], width: float) -> list[Any]:
    # Markup built from escaped parts (pdf_text): the change in its colour, as on the page and in the
    # email — a first page of black "+109.8 %" did not say which moves were good news.
    facts = []
    if entry["change"]:
        colour = change_colour(entry["change"])
        facts.append(f'<font color="{colour}"><b>{pdf_text(entry["change"]["text"])}</b></font>')
    if entry["pace"]:
        facts.append(pdf_text(entry["pace"]))
    if entry["target"]:
        target = pdf_text(f"{_('Target')} {entry['target']} ({_target_status(entry['met'])})")
        colour = {True: CHANGE_GOOD, False: CHANGE_BAD}.get(entry["met"], CHANGE_FLAT)  # met or missed, as the email's
        facts.append(f'<font color="{colour}">{target}</font>')
    cell: list[Any] = [_para(entry["label"], styles["label"]), _para(entry["shown"], styles["value"])]
    if entry["reason"]:
        cell.append(_para(entry["reason"], styles["fact"]))
    cell.append(Paragraph("  ·  ".join(facts) or " ", styles["fact"]))
    # As on the page and in the email: what the figure means in plain words (MQL, CAC, ROMI are jargon).
    meaning = [_para(entry["definition"], styles["note"])] if entry.get("definition") else []
    if entry.get("no_chart"):  # a cost no month has (no spend loaded): no empty chart
        return cell + meaning
    cell.append(charts.series_drawing(entry["chart"], width=width, height=width * SUMMARY_CHART_RATIO))
    if entry["chart"].note and not entry.get("note_shared"):  # else said once under the summary
        cell.append(_para(entry["chart"].note, styles["note"]))
    return cell + meaning


def changes_line(groups: list[dict[str, Any]], *, compare_to: Any) -> str:
    """"Changes are against October 2026. pp: percentage points.": what a change on paper is against
    (the page has its *Compare with*, the email its own line); "" when no figure has a change against a
    month (the month in progress, a first month)."""
    changes = [t["change"] for group in groups for t in group.get("tiles") or [] if t.get("change")]
    month = compared_month(changes, compare_to=compare_to)
    if not month:
        return ""
    line = _("Changes are against %(month)s.") % {"month": month}
    if any(str(change["text"]).endswith(" pp") for change in changes):
        line += " " + _("pp: percentage points.")
    return line


# The details tables' figure columns: the value and its change side by side at their right edges, read as
# numbers down the page; a change in words ("nothing to compare") wraps in its narrow column.
VALUE_W, CHANGE_W, TARGET_W, NOTE_W = 26 * mm, 24 * mm, 30 * mm, 50 * mm


def _detail_change(tile: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """A details row's change and the words said beside it: why a change has no number ("nothing to
    compare": the comparison month's figure is unknown; across 0: the page's hover), a note on the value
    (partial revenue, nurture leads nobody counts, above 100 %: the page shows it under the figure), and
    for a figure without a change its pace (the month in progress) or why it has no value."""
    change = tile.get("change") or None
    said = str(change["text"]) if change else str(tile.get("pace") or tile.get("reason") or "")
    note = value_note(tile)
    note = "" if note and note in said else note
    parts = (change.get("why") or "", note) if change else (said, note)
    return change, " ".join(str(part) for part in parts if part)


def _change_cell(change: dict[str, Any] | None, styles: dict[str, ParagraphStyle]) -> Paragraph | str:
    """The details table's change: to the right as its value, in the summary's colours (good news green,
    bad red, none grey)."""
    if change is None:
        return ""
    colour = change_colour(change)
    return Paragraph(f'<font color="{colour}">{pdf_text(change["text"])}</font>', styles["change"])


ROWS_KEPT = 2  # a table broken over a page keeps at least this many rows on each side of the break


def _table(rows: list[list[Any]], widths: list[float], accent: str, *, head: int = 1) -> Table:
    """A table whose first ``head`` rows (a title, then the column headings) repeat on every page it
    runs on over; the column headings in bold over a line of the brand colour, figures to the right.
    Broken over a page, it leaves at least ROWS_KEPT rows on each side (one row under its headings at
    a page's foot, or alone at the next page's top, read as a stray line); a short one is never broken."""
    columns = head - 1
    table = Table(rows, colWidths=widths, repeatRows=head)
    table.compactable = len(rows)  # these rows may be drawn tighter to save a short last page (_compacted)
    body = len(rows) - head
    if body <= 2 * ROWS_KEPT:
        kept = [("NOSPLIT", (0, 0), (-1, -1))]
    else:
        kept = [("NOSPLIT", (0, 0), (-1, head + ROWS_KEPT - 1)), ("NOSPLIT", (0, -ROWS_KEPT), (-1, -1))]
    table.setStyle(TableStyle(kept))
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, columns), (-1, columns), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, columns), (-1, columns), 0.8, colors.HexColor(accent)),
                ("ALIGN", (1, columns), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, head), (-1, -1), [colors.white, colors.HexColor("#f2f4f8")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


# A last page filled less than this (a table's last rows, a note) is a short tail: the report is drawn
# again with its tables' rows a little tighter, and that is kept when it has a page fewer.
TAIL_SHORT = 0.4
COMPACT_PADDING = 1.5  # a table row's top and bottom padding when drawn tighter (ReportLab's default: 3)


class _Document(SimpleDocTemplate):
    """A document that knows how far down its last page the story ends (0 at the top, 1 at the foot), and
    whether anything but space is on the page yet (_page_top)."""

    filled = 1.0

    def handle_frameBegin(self, *args: Any, **kwargs: Any) -> None:
        super().handle_frameBegin(*args, **kwargs)
        self.frame._inked = False

    def afterFlowable(self, flowable: Any) -> None:
        frame = self.frame
        if frame is None:  # between pages (a page break, a CondPageBreak's action)
            return
        top = frame._y1 + frame._height - frame._topPadding
        self.filled = (top - frame._y) / max(top - frame._y1p, 1)
        # A page break (a KeepTogether's) is told after the next page began: it inks nothing.
        if not isinstance(flowable, Spacer | ActionFlowable) and not getattr(flowable, "blank", False):
            frame._inked = True


def _page_top(flowable: Any) -> bool:
    """Whether ``flowable`` is being laid out at the top of a page: nothing but space above it there (a
    block's spacer can go over to the top of the next page before what it spaces). The frame that lays a
    flowable out names itself on it; before that (a KeepTogether measuring its content) it is not."""
    frame = getattr(flowable, "_frame", None)
    if frame is None:
        return False
    return bool(frame._atTop) or not getattr(frame, "_inked", True)


class _Continued(Flowable):
    """A section's heading said again, "Paid media (continued)", where a page opens on a later part of the
    section (its daily charts, its top campaigns): Umbrella's page 3 opened on two charts, the section's
    name at the foot of page 2. Anywhere else it is nothing, no height."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self._heading = _para(text, style)
        self.blank = True

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.blank = not _page_top(self)
        if self.blank:
            return 0, 0
        return self._heading.wrapOn(self.canv, available_width, available_height)

    def getSpaceAfter(self) -> float:
        return 0 if self.blank else self._heading.getSpaceAfter()

    def draw(self) -> None:
        if not self.blank:
            self._heading.drawOn(self.canv, 0, 0)


class _TitledTable(Flowable):
    """A table that names itself where a page opens on it: at the top of a page (a breakdown's second part
    that opens one, the rows a table runs on with over a page) its first row is its title ("Campaign
    (continued)"), repeated with its column headings; under what names it on the same page (its heading, the
    part above) it has its column headings only. Wayne's last page opened on "Campaign  Cost per click …",
    which did not say it was the campaigns' breakdown, and the breakdown's heading two pages back.

    ``make(title, start)`` draws the table from its body row ``start`` on, under ``title`` when given."""

    def __init__(self, make: Callable[[str, int], Table], title: str, *, start: int = 0) -> None:
        super().__init__()
        self._make, self._title, self._start = make, title, start
        self._table: Table | None = None
        self._titled = False
        self.compact = False  # drawn tighter (_compacted)

    def _laid_out(self) -> Table:
        titled = _page_top(self)
        if self._table is None or titled != self._titled:
            self._table = self._make(self._title if titled else "", self._start)
            if self.compact:
                _compact(self._table)
            self._titled = titled
        return self._table

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self._laid_out().wrapOn(self.canv, available_width, available_height)

    def split(self, available_width: float, available_height: float) -> list[Any]:
        table = self._laid_out()
        parts = table.splitOn(self.canv, available_width, available_height)
        if len(parts) != 2:
            return parts
        # The rows after the break: a table of their own, which names itself at the top of the next page.
        kept = len(parts[0]._cellvalues) - table.repeatRows  # its title row when it has one, its column headings
        rest = _TitledTable(self._make, self._title, start=self._start + kept)
        rest.compact = self.compact
        return [parts[0], rest]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self._laid_out().drawOn(canvas, x, y, _sW)


def _part_rows(title: str, start: int, *, head: list[Any], body: list[list[Any]], widths: list[float], accent: str,
               notes: list[Paragraph], style: ParagraphStyle) -> Table:
    """A _TitledTable's table: ``_noted_table`` of its column headings and its body from row ``start``, under a
    first row of ``title`` across the table when given (as a details group's title, repeated with the column
    headings where it runs on)."""
    rows = [head, *body[start:]]
    if not title:
        return _noted_table(rows, widths, accent, notes)
    table = _noted_table([[_para(title, style)] + [""] * (len(widths) - 1), *rows], widths, accent, notes, head=2)
    table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("TOPPADDING", (0, 0), (-1, 0), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, 0), 4)]))
    return table


def _group_rows(title: str, start: int, *, group_title: str, rows: list[list[Any]], widths: list[float], accent: str,
                noted: bool, style: ParagraphStyle) -> Table:
    """A _TitledTable's table of a details group: its column headings and KPI rows from body row ``start`` on,
    under a first row of the group's title where it starts and of ``title`` ("Leads (continued)") where it runs
    on at a page's top; the title row and the column headings repeat together."""
    head, body = rows[0], rows[1:]
    named = group_title if start == 0 else title
    if not named:
        table = _table([head, *body[start:]], widths, accent)
        if noted:
            table.setStyle(TableStyle([("ALIGN", (-1, 0), (-1, -1), "LEFT")]))
        return table
    table = _table([[_para(named, style)] + [""] * (len(widths) - 1), head, *body[start:]], widths, accent, head=2)
    table.setStyle(
        TableStyle(
            [
                *([("ALIGN", (-1, 1), (-1, -1), "LEFT")] if noted else []),  # the notes' words read from the left
                ("SPAN", (0, 0), (-1, 0)),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
            ]
        )
    )
    return table


def scorecard_pdf(
    *,
    client_name: str,
    month_label: str,
    computed: str,
    groups: list[dict[str, Any]],
    report: dict[str, Any] | None = None,
    ltv: dict[str, Any] | None = None,
    brand: dict[str, Any] | None = None,
    drilldowns: list[dict[str, Any]] | None = None,
    changes_against: str = "",
) -> bytes:
    """The month's report as an A4 document: summary with charts, commentary, funnel and channel
    mix, the detail groups (empty ones in one line), the lifetime value table and the breakdowns
    (``kpis.breakdowns_shown.drilldown_tables``: on paper every one is open). ``changes_against``: the line
    saying which month the changes are against (changes_line), under the summary and the details' heading.

    A report whose last page would hold only a few lines (Wayne's held the second half of one table) is
    drawn again with the tables' rows a little tighter, kept when that saves the page: a client reads a
    page with a stray table's end as an unfinished report."""
    parts = dict(client_name=client_name, month_label=month_label, computed=computed, groups=groups, report=report,
                 ltv=ltv, brand=brand, drilldowns=drilldowns, changes_against=changes_against)
    pdf, pages, filled = _pdf_drawn(**parts, compact=False)
    if pages > 1 and filled < TAIL_SHORT:
        tighter, fewer, _filled = _pdf_drawn(**parts, compact=True)
        if fewer < pages:
            return tighter
    return pdf


def _headings_kept(story: list[Any]) -> list[Any]:
    """The story with each run of flowables kept with the next (a section's heading, the lines under it)
    moved into the KeepTogether that follows it. ReportLab keeps a heading with the next flowable, but
    not with a KeepTogether (a container): "Contract lifetime value, explained" and "Breakdowns" ended a
    page, what they head on the next."""
    kept: list[Any] = []
    run: list[Any] = []
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            flowable._content[:0] = run
            kept.append(flowable)
            run = []
        elif flowable.getKeepWithNext():
            run.append(flowable)
        else:
            kept += [*run, flowable]
            run = []
    return kept + run


def _compacted(story: list[Any]) -> None:
    """The tables' rows (``_table``'s, inside KeepTogether too) drawn with less padding above and under."""
    for flowable in story:
        if isinstance(flowable, KeepTogether):
            _compacted(flowable._content)
        elif isinstance(flowable, _TitledTable):
            flowable.compact = True
        else:
            _compact(flowable)


def _compact(table: Any) -> None:
    """A table's rows (those of ``_table``, not its notes) drawn with less padding above and under."""
    if rows := getattr(table, "compactable", 0):
        table.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, rows - 1), COMPACT_PADDING),
                                   ("BOTTOMPADDING", (0, 0), (-1, rows - 1), COMPACT_PADDING)]))


def _pdf_drawn(
    *,
    client_name: str,
    month_label: str,
    computed: str,
    groups: list[dict[str, Any]],
    report: dict[str, Any] | None,
    ltv: dict[str, Any] | None,
    brand: dict[str, Any] | None,
    drilldowns: list[dict[str, Any]] | None,
    changes_against: str,
    compact: bool,
) -> tuple[bytes, int, float]:
    """The document drawn (scorecard_pdf), its page count and how far down its last page it ends."""
    brand = brand or {}
    accent = brand.get("accent") or "#1f5fbf"
    brand_name = brand.get("name") or ""
    styles = _styles(accent)
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=_text(f"{client_name} {month_label}"),
        author=_text(brand_name),
    )
    usable = PAGE_W - 2 * MARGIN
    story: list[Any] = []
    logo = brand.get("logo_path")
    heading = [
        _para(client_name, styles["title"]),
        _para(_("Marketing report, %(period)s") % {"period": month_label}, styles["h2"]),
    ]
    drawable = logo_readable(str(logo)) if logo else None  # decoded first: a broken file is left out
    if drawable:
        try:
            from reportlab.platypus import Image

            image = Image(io.BytesIO(drawable))
            ratio = image.imageHeight / image.imageWidth if image.imageWidth else 1
            image.drawWidth, image.drawHeight = 30 * mm, 30 * mm * ratio
            story.append(Table([[heading, image]], colWidths=[usable - 34 * mm, 34 * mm]))
        except Exception:
            story += heading
    else:
        story += heading
    story.append(_para(computed, styles["sub"]))
    report = report or {}
    period = report.get("period")
    if period is not None and not period.complete:
        story.append(Spacer(1, 2 * mm))
        story.append(
            _para(
                _(
                    "This month is still running: %(done)s of %(total)s working days so far. Counts show their pace "
                    "to the month's end; changes and targets are judged once the month is complete."
                )
                % {"done": period.working_elapsed, "total": period.working_total},
                styles["note"],
            )
        )
    story.append(Spacer(1, 3 * mm))
    verdict = report.get("verdict")
    if verdict:
        # Whether marketing paid off, before any figure (kpis.report.month_verdict): the page's line.
        edge = {True: "#2e7d32", False: "#c62828"}.get(verdict["good"], "#98a2b3")
        line = Table([[_para(verdict["text"], ParagraphStyle("verdict", parent=styles["body"], fontName="Helvetica-Bold",
                                                              fontSize=10, leading=12.5))]], colWidths=[usable])
        line.setStyle(TableStyle([("LINEBEFORE", (0, 0), (0, 0), 3, colors.HexColor(edge)),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 1),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        story += [line]  # the summary's heading keeps its own space above

    summary = report.get("summary") or []
    if summary:
        cell_w = (usable - 6 * mm) / 2
        cells = [_summary_cell(entry, styles, cell_w - 4 * mm) for entry in summary]
        rows = [cells[i : i + 2] + ([[]] if len(cells[i : i + 2]) == 1 else []) for i in range(0, len(cells), 2)]

        def grid(part: list) -> Table:
            table = Table(part, colWidths=[cell_w + 3 * mm, cell_w + 3 * mm])
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d5dae3")),
                        ("TOPPADDING", (0, 0), (-1, -1), 5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                    ]
                )
            )
            return table

        # The heading goes over with the first row only: kept with the whole grid, a summary a little
        # taller than what remains of page 1 left that page empty under the title.
        story.append(KeepTogether([_para(_("Summary"), styles["h2"]), grid(rows[:1])]))
        if rows[1:]:
            story.append(grid(rows[1:]))
        if changes_against:  # the page has its "Compare with"; paper says against what "+4.4 %" is
            story.append(_para(changes_against, styles["note"]))
        # Why a change has no number ("nothing to compare": the comparison month's figure is unknown), the
        # page's hover: under the grid, not in its cell, where it pushed the last row off the first page.
        for entry in summary:
            if entry["change"] and entry["change"].get("why"):
                story.append(_para(f"{entry['label']} — {entry['change']['why']}", styles["note"]))
        if report.get("summary_note"):
            story.append(_para(report["summary_note"], styles["note"]))
        # What the charts' note markers stand for: the page lists the notes under the summary (and
        # shows each on hover); paper has neither.
        notes = list(dict.fromkeys(text for entry in summary if not entry.get("no_chart") for _i, text in entry["chart"].marks))
        if notes:
            story.append(_para(f"{_('Notes on these months')}: {' · '.join(notes)}", styles["note"]))
    story += _drivers_story(report, styles, month_label)
    if report.get("commentary"):
        # Each section's title in bold and its lines as written ("- " lines as bullets): the page's
        # formatting, not one run-on paragraph.
        words: list[Any] = [_para(_("The month in a few words"), styles["h2"])]
        title_style = ParagraphStyle("commentary-title", parent=styles["body"], fontName="Helvetica-Bold", spaceBefore=4)
        bullet_style = ParagraphStyle("commentary-item", parent=styles["body"], leftIndent=10, bulletIndent=2)
        for title, lines in commentary_blocks(report["commentary"]):
            words.append(_para(title, title_style))
            for line in lines:
                if line.startswith(("- ", "* ")):
                    words.append(Paragraph(pdf_text(line[2:].strip()), bullet_style, bulletText="•"))
                else:
                    words.append(_para(line, styles["body"]))
        words.append(Spacer(1, 3 * mm))
        story.append(KeepTogether(words))
    if report.get("funnel_chart"):
        half = (usable - 8 * mm) / 2
        funnel = [
            _para(_("Funnel"), styles["h2"]),
            charts.bars_drawing(report["funnel_chart"], width=half)
            if any(bar.value for bar in report["funnel_chart"].bars)
            else _para(_("No sessions, leads or customers this month."), styles["note"]),
        ]
        mix = [_para(_("New leads by channel"), styles["h2"])]
        mix.append(
            charts.bars_drawing(report["mix_chart"], width=half)
            if report.get("mix_chart")
            else _para(report.get("mix_empty") or _("No leads by channel this month."), styles["note"])
        )
        pair = Table([[funnel, mix]], colWidths=[half + 4 * mm, half + 4 * mm])
        # The cells keep the table's 6 pt padding: their headings and charts start where the frame's
        # paragraphs do (the table is as wide as the page's text, centred over the frame's padding).
        pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        # Its headings are in the table's cells, where a heading's space above is not kept: "Funnel" sat
        # close under "What changed"'s last line, closer than any other section to the one before.
        story.append(KeepTogether([Spacer(1, 3 * mm), pair]))

    if "paid_empty" in report:
        story += _paid_story(report.get("paid"), report["paid_empty"], styles=styles, usable=usable, accent=accent)

    # A group's table may run on over the page: kept whole with its heading (keepWithNext), a table a
    # little taller than what remained of a page moved over and left half of it empty. Its heading
    # goes over only when less than a few rows' room is left.
    story.append(CondPageBreak(GROUP_ROOM + 12 * mm))  # the section's heading and its first group's room
    story.append(_para(_("Details"), ParagraphStyle("details", parent=styles["h2"], keepWithNext=0)))
    if changes_against:
        story.append(_para(changes_against, styles["note"]))
    heading = ParagraphStyle("group", parent=styles["h2"], fontSize=11, keepWithNext=1, spaceBefore=6)
    group_heading = ParagraphStyle("group-title", parent=heading, keepWithNext=0, spaceBefore=0, spaceAfter=0)
    # A Target column only when a figure has one: a client without targets read a column of blanks.
    targets = any(tile["target"] for group in groups for tile in group.get("tiles") or [])
    # A Note column only when a figure has words beside it (why there is no value or change, a note on it).
    noted = any(_detail_change(tile)[1] for group in groups if not group.get("empty") for tile in group.get("tiles") or [])
    for group in groups:
        if group.get("empty") and group.get("id") == "paid_media" and "paid_empty" in report and not report.get("paid"):
            continue  # said in the Paid media section above
        if group.get("empty"):
            story.append(_para(f"{group['title']}: {group.get('empty_reason', '')}", styles["note"]))
            continue
        # The Note column is every table's (their values and changes one above the other down the pages),
        # headed where the group has a note.
        has_note = any(_detail_change(tile)[1] for tile in group["tiles"])
        rows = [[_text(_("KPI")), _text(_("Value")), _text(pgettext("column", "Change"))]
                + ([_text(_("Target"))] if targets else []) + ([_text(_("Note") if has_note else "")] if noted else [])]
        before = ""
        for tile in group["tiles"]:
            change, note = _detail_change(tile)
            # The same words as the row above (Acme's revenue figures each said October's unknown revenue,
            # seven times down a page) said once: the rows under it point up to them.
            note, before = (_("Same as above.") if note and note == before else note), note
            target = f"{tile['target']} ({_target_status(tile['met'])})" if tile["target"] else ""
            label: list[Any] = [_para(tile["label"], styles["row"])]
            # On paper there is no hover either: what the figure means in plain words (MRR, ARPA, CLTV,
            # "LTV : CAC"), as the summary says it (the page's tile shows it on its title).
            if tile.get("definition"):
                label.append(_para(str(tile["definition"]), styles["note"]))
            for band in tile.get("benchmarks") or []:  # as on the page: the band, its conversion, its source
                converted = f" ({band['converted']})" if band.get("converted") else ""
                line = f"{_('Benchmark')} · {band['label']}: {band['band']}{converted} ({band['source']})"
                label.append(_para(line, styles["note"]))
            cells = [label, _text(tile["shown"]), _change_cell(change, styles)]
            cells += ([_text(target)] if targets else []) + ([_para(note, styles["note"]) if note else ""] if noted else [])
            rows.append(cells)
        story.append(CondPageBreak(GROUP_ROOM))
        # The value and its change side by side, both to the right (figures read down as numbers); what
        # is said of them in words in a column of its own at the right, never between them.
        widths = [VALUE_W, CHANGE_W] + ([TARGET_W] if targets else []) + ([NOTE_W] if noted else [])
        widths = [usable - sum(widths), *widths]
        # The group's title is the table's first row; where the table runs on over a page its rows there open
        # on "Leads (continued)" and the column headings, as a section's and a breakdown's do (_TitledTable): a
        # page that opened on "KPI Value Change" did not say which group it was, one that opened on the plain
        # "Leads" read as the group starting again.
        continued = _("%(section)s (continued)") % {"section": group["title"]}
        make = partial(_group_rows, group_title=group["title"], rows=rows, widths=widths, accent=accent, noted=noted,
                       style=group_heading)
        story.append(_TitledTable(make, continued))
        story.append(Spacer(1, 2 * mm))
    if ltv and ltv.get("rows"):
        story += _ltv_story(ltv, styles=styles, usable=usable, accent=accent)

    # The contract segment breakdown's figures are every one a column of the lifetime value table, by the
    # same segments: on paper it repeated most of that table a few pages on. Said once, there.
    shown = {str(column) for column in (ltv or {}).get("columns") or []} if ltv and ltv.get("rows") else set()
    folded = [t for t in drilldowns or [] if t.get("dimension") == "segment" and {str(c) for c in t["columns"]} <= shown]
    if folded:
        drilldowns = [table for table in drilldowns or [] if table not in folded]
        above = _("%(breakdown)s: every figure by segment is in the contract lifetime value table above.") % {
            "breakdown": folded[0]["title"]}
    if drilldowns or folded:
        story += _drilldown_story(drilldowns or [], styles=styles, heading=heading, usable=usable, accent=accent,
                                  above=above if folded else "")

    story = _headings_kept(story)
    if compact:
        _compacted(story)
    footer = f"{client_name} · {month_label}"
    document.build(story, canvasmaker=_numbered_canvas(footer_left=footer, accent=accent, brand=brand_name))
    return buffer.getvalue(), document.page, document.filled


MAX_FIGURE_COLUMNS = 6  # beyond this a breakdown continues in a second table (no cut-off columns)
SMALL_TABLE_ROWS = 12  # a breakdown of at most this many rows over all its parts is never broken between them
PLATFORMS_PER_TABLE = 4


def _paid_story(
    paid: dict[str, Any] | None, empty: str, *, styles: dict[str, ParagraphStyle], usable: float, accent: str
) -> list[Any]:
    """The report's "Paid media" section on paper: the platforms side by side (a figure per row),
    each platform's CRM match in one line, the days' spend and clicks, the top campaigns; a "—"
    says why under its table (there is no hover on paper)."""
    title = _para(_("Paid media"), styles["h2"])
    if not paid:
        return [title, _para(empty, styles["note"]), Spacer(1, 2 * mm)]

    def again() -> _Continued:
        """Each later part of the section opens with this: "Paid media (continued)" where it opens a page."""
        return _Continued(_("%(section)s (continued)") % {"section": _("Paid media")}, styles["h2"])

    story: list[Any] = []
    platforms = paid["platforms"]
    label_w = 48 * mm
    for start in range(0, len(platforms), PLATFORMS_PER_TABLE):
        group = platforms[start : start + PLATFORMS_PER_TABLE]
        width = (usable - label_w) / len(group)
        rows = [[_para("", styles["head"])] + [_para(p["label"], styles["head-right"]) for p in group]]
        for index, figure in enumerate(group[0]["figures"]):
            rows.append([_para(figure["label"], styles["row"])] + [_text(p["figures"][index]["text"]) for p in group])
        block = [title] if start == 0 else [again()]
        story.append(KeepTogether([*block, _table(rows, [label_w] + [width] * len(group), accent)]))
        story.append(Spacer(1, 1.5 * mm))
    notes: list[Any] = []  # the lines under the platforms' table
    reasons = list(dict.fromkeys(f["reason"] for p in platforms for f in p["figures"] if f["reason"]))
    if reasons:
        notes.append(_para("— " + " ".join(str(r) for r in reasons), styles["note"]))
    # The CRM's leads naming no campaign, every platform's line said the same but its name (Wayne's three,
    # two lines each, under a table that has their conversions and the CRM's "—" with its reason): said once.
    shared = paid.get("unlinked") is not None and len(platforms) > 1
    if shared:
        names = get_text_list([str(p["label"]) for p in platforms], _("and"))
        notes.append(_para(match_line(names, {}, unlinked=paid["unlinked"]), styles["note"]))
    for p in platforms:
        if not shared and p["match"]:  # none without any lead source: the card's reasons say why
            notes.append(_para(str(p["match"]), styles["note"]))  # it names the platform itself
        if p.get("converted"):
            notes.append(_para(f"{p['label']}: {p['converted']}", styles["note"]))
        for figure in p["figures"]:  # as on the page: the band, its conversion, its source
            for band in figure.get("bands") or []:
                converted = f" ({band['converted']})" if band.get("converted") else ""
                line = f"{p['label']} · {figure['label']} · {_('Benchmark')} · {band['label']}: {band['band']}{converted}"
                notes.append(_para(f"{line} ({band['source']})", styles["note"]))
    story += [KeepTogether([again(), note]) for note in notes]  # each with the section's name, should it open a page
    if paid["charts"]:
        half = (usable - 8 * mm) / 2
        cells = [[_para(chart.title, styles["fact"]), charts.series_drawing(chart, width=half, height=130)]
                 for chart in paid["charts"]]
        pair = Table([cells + ([[]] if len(cells) == 1 else [])], colWidths=[half + 4 * mm, half + 4 * mm])
        # The cells keep the table's 6 pt padding: their headings and charts start where the frame's
        # paragraphs do (the table is as wide as the page's text, centred over the frame's padding).
        pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        # Two charts at a page's top said only "Ad spend per day" and "Clicks per day": of what, the page before said.
        story.append(KeepTogether([again(), Spacer(1, 2 * mm), pair]))
    if paid["campaigns"]:
        member_w = 52 * mm
        width = (usable - member_w) / len(paid["campaign_columns"])
        columns = [_para(c, styles["head-right"]) for c in paid["campaign_columns"]]
        head = [_para(_("Top campaigns by spend"), styles["head"]), *columns]
        body = [[_para(row["member"], styles["row"])] + [_text(c["text"]) for c in row["cells"]] for row in paid["campaigns"]]
        dashes = dashes_said(row["cells"] for row in paid["campaigns"])
        said = (["— " + " ".join(str(r) for r in dashes)] if dashes else []) + (
            [paid["campaigns_blank"]] if paid.get("campaigns_blank") else [])
        # The lines that explain it as its last rows, as a breakdown's: they sat against its last row
        # ("directores financieros" over "No se muestran…") and could start the next page alone.
        table = _noted_table([head, *body], [member_w] + [width] * len(head[1:]), accent,
                             [_para(line, styles["note"]) for line in said])
        story.append(KeepTogether([again(), Spacer(1, 2 * mm), table]))
    story.append(KeepTogether([again(), _para(paid["note"], styles["note"])]))
    story.append(Spacer(1, 3 * mm))
    return story


def _ltv_story(ltv: dict[str, Any], *, styles: dict[str, ParagraphStyle], usable: float, accent: str) -> list[Any]:
    """The lifetime value table: eleven figures per segment do not fit one A4 width (squeezed, words and
    amounts broke mid-way), so it continues under itself with the segment repeated, as the breakdowns
    do; its "—" are explained under it."""
    story: list[Any] = [_para(_("Contract lifetime value, explained"), styles["h2"])]
    if ltv.get("compared"):  # how it differs from the CLTV the recurring revenue's figures show; goes over with the table
        compared = ParagraphStyle("ltv-compared", parent=styles["note"], keepWithNext=1, spaceAfter=2 * mm)
        story.append(_para(ltv["compared"], compared))
    rows = [(r["segment"], r["cells"]) for r in ltv["rows"]] + [(_("All contracts"), ltv["total"])]
    # A figure that reads the same for every segment and all contracts (a rate pooled from all contracts for
    # segments too small for their own, kpis.md) is said once under the table, not in a column of copies:
    # the columns left are what the segments add.
    same = [i for i in range(len(ltv["columns"])) if _same_in_every_row(rows, i)] if len(ltv["rows"]) > 1 else []
    if len(same) == len(ltv["columns"]):  # segments that add nothing still show as a table
        same = []
    kept = [i for i in range(len(ltv["columns"])) if i not in same]
    count = len(kept)
    parts = -(-count // MAX_FIGURE_COLUMNS)
    size = -(-count // parts)
    member_w = 44 * mm
    continued = _("%(section)s (continued)") % {"section": _("Contract lifetime value, explained")}
    part_title = ParagraphStyle("ltv-part", parent=styles["h2"], keepWithNext=0, spaceBefore=0, spaceAfter=0)
    tables: list[Any] = []
    for start in range(0, count, size):
        columns = kept[start : start + size]
        head = [_para(_("Segment"), styles["head"])] + [_para(ltv["columns"][i], styles["head-right"]) for i in columns]
        body = [
            [_para(member, styles["head"] if index == len(rows) - 1 else styles["row"])]
            + [_text(cells[i]["text"]) for i in columns]
            for index, (member, cells) in enumerate(rows)
        ]
        width = (usable - member_w) / len(columns)
        # Its second part, opening a page, says whose segments they are (_TitledTable).
        table = _TitledTable(partial(_ltv_rows, head=head, body=body, widths=[member_w] + [width] * len(columns),
                                     accent=accent, style=part_title), continued)
        last = len(tables)
        tables += [table, Spacer(1, 1.5 * mm)]
    if same:
        figures = " · ".join(f"{ltv['columns'][i]} {rows[0][1][i]['text']}" for i in same)
        line = _("The same for every segment and for all contracts: %(figures)s.") % {"figures": figures}
        tables.append(_para(line, styles["note"]))
    reasons = dashes_said((r["cells"] for r in ltv["rows"]), ltv["total"])
    if reasons:  # kept with the last table: its dashes' reasons never start the next page alone
        tables.append(_para("— " + " ".join(str(r) for r in reasons), styles["note"]))
    return [*story, *tables[:last], KeepTogether(tables[last:])]  # the last table with the lines under it


def _ltv_rows(title: str, start: int, *, head: list[Any], body: list[list[Any]], widths: list[float], accent: str,
             style: ParagraphStyle) -> Table:
    """A part of the lifetime value table (_part_rows), its last row the total of every contract: in bold over
    a line, as a statement's total."""
    table = _part_rows(title, start, head=head, body=body, widths=widths, accent=accent, notes=[], style=style)
    table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                               ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#4b5566"))]))
    return table


def _same_in_every_row(rows: list[tuple[Any, list[dict[str, Any]]]], index: int) -> bool:
    """Whether column ``index`` reads the same figure in every row (a "—" is kept in its column: the line
    under the table says why per row)."""
    texts = {str(cells[index]["text"]) for _member, cells in rows}
    return len(texts) == 1 and texts != {"—"} and not any(cells[index].get("reason") for _member, cells in rows)


def _drivers_story(report: dict[str, Any], styles: dict[str, ParagraphStyle], month_label: str) -> list[Any]:
    """"What changed" (kpis.report_drivers.what_changed) and the pacing bars, as on the page."""
    story: list[Any] = []
    bullet = ParagraphStyle("changed-item", parent=styles["body"], leftIndent=10, bulletIndent=2)
    if report.get("what_changed"):
        block: list[Any] = [_para(_("What changed"), styles["h2"])]
        block += [Paragraph(pdf_text(row["line"].text), bullet, bulletText="•") for row in report["what_changed"]]
        story.append(KeepTogether(block))
    pacing = report.get("pacing") or {}
    if pacing.get("month") or pacing.get("quarter"):
        block = [_para(_("Pace against the targets"), styles["h2"])]
        for scope, rows in (("month", pacing.get("month") or []), ("quarter", pacing.get("quarter") or [])):
            if rows:
                quarter = _("The quarter, %(quarter)s") % {"quarter": report.get("pacing_quarter", "")}
                period = report.get("period")
                named = date_format(period.month, "YEAR_MONTH_FORMAT") if period else month_label
                title = named if scope == "month" else quarter
                block.append(_para(f"{title} ({rows[0]['days']})", styles["body"]))
            for row in rows:
                block += [_para(row["text"], styles["body"]), charts.to_drawing(row["shapes"], 320, 16), Spacer(1, 1.5 * mm)]
        block.append(_para(_("The dark tick is where the bar should be by now."), styles["note"]))
        story.append(KeepTogether(block))
    return story


def _drilldown_story(
    drilldowns: list[dict[str, Any]], *, styles: dict[str, ParagraphStyle], heading: ParagraphStyle, usable: float, accent: str,
    above: str = "",
) -> list[Any]:
    """The breakdowns as the page's tables: the same titles, columns, members and values. A member
    is a client's word (a campaign's name, a landing page): escaped. Wide ones (a contract segment's
    twelve figures) continue under themselves with the member repeated, never off the page; on
    paper "—" has no hover, so each table ends with the reasons of its dashes, then the note of each
    row whose revenue counts only some of its customers."""
    # The heading and the lines under it go over with the first table's heading and first rows (every
    # line keepWithNext, _headings_kept): "Breakdowns" and its notes ended a page, the table on the next.
    lead = ParagraphStyle("breakdowns-lead", parent=styles["note"], keepWithNext=1)
    part_title = ParagraphStyle("breakdown-part", parent=heading, keepWithNext=0, spaceBefore=0, spaceAfter=0)
    story: list[Any] = [_para(_("Breakdowns"), styles["h2"])]
    if above:  # a breakdown said in a table above (the contract segments, in the lifetime value table)
        story.append(_para(above, lead))
    # The empty ones said once, first, in one line: a heading over "Nothing this month." each left the
    # last page near blank, a few headings at its top.
    empty = [table for table in drilldowns if not table["rows"]]
    if empty:
        names = ", ".join(str(table["title"]) for table in empty)
        lines = [_("Nothing this month: %(breakdowns)s.") % {"breakdowns": names}]
        # a persona table of none of the month's leads says why
        lines += [table["left_out_note"] for table in empty if table.get("left_out_note")]
        last = ParagraphStyle("breakdowns-lead-last", parent=lead, spaceAfter=1.5 * mm)
        story += [_para(line, last if index == len(lines) - 1 else lead) for index, line in enumerate(lines)]
    for table in drilldowns:
        if not table["rows"]:
            continue
        block: list[Any] = [_para(table["title"], heading)]
        notes: list[str] = []
        reasons = dashes_said(row["cells"] for row in table["rows"])
        if reasons:
            notes.append("— " + " ".join(str(r) for r in reasons))
        if table.get("blank_note"):
            notes.append(table["blank_note"])
        if table.get("left_out_note"):  # the month's new leads the table leaves out (no device, no persona)
            notes.append(table["left_out_note"])
        # A row whose revenue and ROI count only some of its customers (kpis.breakdowns_shown.row_partial_note):
        # the page says it under the row's name; here under the table, naming the row (a wide table's
        # parts repeat the member, not the note).
        notes += [f"{row['member']} — {row['note']}" for row in table["rows"] if row.get("note")]
        count = len(table["columns"])
        parts = -(-count // MAX_FIGURE_COLUMNS)
        size = -(-count // parts)
        member_w = 44 * mm
        # A part that opens a page, or the rows a part runs on with, says whose they are first (_TitledTable).
        continued = _("%(section)s (continued)") % {"section": table["title"]}
        for start in range(0, count, size):
            columns = range(start, min(start + size, count))
            head = [_para(table["title"], styles["head"])] + [_para(table["columns"][i], styles["head-right"]) for i in columns]
            body = [
                [_para(row["member"], styles["row"])] + [_text(row["cells"][i]["text"]) for i in columns]
                for row in table["rows"]
            ]
            width = (usable - member_w) / len(columns)
            last = start + size >= count
            said = [_para(note, styles["note"]) for note in notes] if last else []
            make = partial(_part_rows, head=head, body=body, widths=[member_w] + [width] * len(columns), accent=accent,
                           notes=said, style=part_title)
            block.append(_TitledTable(make, continued))
            block.append(Spacer(1, 1.5 * mm))
        block.append(Spacer(1, 0.5 * mm))
        # A small table in parts (Wayne's three ad platforms in two parts) is kept whole: broken between
        # its parts, the last page held its second part alone, away from its heading and first part.
        small = len(table["rows"]) * parts <= SMALL_TABLE_ROWS
        story += [KeepTogether(block)] if small and parts > 1 else block
    return story


def _noted_table(rows: list[list[Any]], widths: list[float], accent: str, notes: list[Paragraph], *,
                 head: int = 1) -> Table:
    """A table with the lines that explain it (its dashes' reasons, the rows it leaves out) as its last
    rows, each across the whole width: they never split from its last rows, so a note never starts the
    next page alone, away from the table it is about (on the following page the table's header repeats
    over its last rows and the notes)."""
    if not notes:
        return _table(rows, widths, accent, head=head)
    first = len(rows)
    table = _table([*rows, *([note] + [""] * (len(widths) - 1) for note in notes)], widths, accent, head=head)
    table.compactable = first  # the notes keep their own spacing
    table.setStyle(
        TableStyle(
            [
                *(("SPAN", (0, row), (-1, row)) for row in range(first, first + len(notes))),
                ("BACKGROUND", (0, first), (-1, -1), colors.white),
                ("NOSPLIT", (0, max(first - ROWS_KEPT, 0)), (-1, -1)),
                ("TOPPADDING", (0, first), (-1, -1), 1),
                ("BOTTOMPADDING", (0, first), (-1, -1), 1),
                ("TOPPADDING", (0, first), (-1, first), 5),
            ]
        )
    )
    return table


def report_pdf_path(*, client: Any, month: Any, stamp: str) -> Path:
    """``MEDIA_ROOT/<schema>/reports/<month>-<digest>.pdf``: one file per snapshot state and language."""
    digest = hashlib.sha256(stamp.encode()).hexdigest()[:20]
    return Path(settings.MEDIA_ROOT) / client.schema_name / "reports" / f"{Month.of(month)}-{digest}.pdf"
