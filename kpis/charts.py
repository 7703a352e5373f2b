"""The report's charts, drawn on the server: one layout, two outputs (SVG for the page and the
email, a ReportLab Drawing for the PDF).

Why not a JavaScript charting library: the PDF and the email cannot run JavaScript, so a JS
chart would need a second, server-side twin that drifts from it. Here a chart is a small data
object (``SeriesChart``, ``BarChart``); ``layout`` turns it into a list of shapes (lines, boxes,
text) in a fixed coordinate box, and two tiny back ends write those shapes as SVG markup or as
``reportlab.graphics`` shapes. The page, the PDF and the email show the same picture by
construction, need no extra dependency, and work with JavaScript off and under a strict CSP.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

# Colours by role; the accent is the agency's (or the client's) brand colour.
INK, MUTED, GRID, TARGET, MARK, GOOD, BAD = "#1d2330", "#4b5566", "#d5dae3", "#17663a", "#c77700", "#17663a", "#a32020"

# Text sizes, in the drawing's units. On a page a chart is drawn at about the width it is shown at
# (``responsive_svg``: one drawing per width its box may have, the box shows the one that fits), so a
# unit is about a CSS pixel and no label renders under 12 px, on a phone either. In the PDF a unit
# is a point.
SCREEN_TEXT = 13.0
PRINT_TEXT = 9.5
# The widths a chart is drawn at for the page (classes w260, w340, w520). static/css/portal.css
# shows the middle one, and with container queries the wider one where its box can show it with
# its text at 12 px or more (520 × 12 / 13: from 480 px), the narrower one where the middle one's
# text would shrink under that (below 315 px): the one shown is at most a little enlarged.
WIDTHS = (260, 340, 520)


@dataclass
class SeriesChart:
    """A monthly time series: x labels, values (None = undefined that month), y tick texts."""

    title: str
    labels: list[str]
    values: list[float | None]
    format: object = str  # value -> text for the axis and the last point
    target: float | None = None
    target_text: str = ""
    marks: list[tuple[int, str]] = field(default_factory=list)  # (x index, note text)
    marks_text: str = ""  # the legend's word for a mark ("Month with a note"): "" draws no legend for them
    projected: float | None = None  # month in progress: the pace to month end, drawn dashed
    projected_text: str = ""  # the legend's words for it ("Pace to the month's end")
    accent: str = "#1f5fbf"
    whole: bool = False  # counted in whole units: no tick between two whole numbers ("0.5 customers")
    note: str = ""  # under the chart: why it is nearly empty ("Data from March 2026: 2 months so far.")
    # A monthly chart's months and how to write one under the axis (the caller's language): then the
    # year shows on the first month labelled and on the first labelled in each new year, whichever
    # months the width leaves room to label ("nov 2025 · mar 2026 · jul · nov").
    months: list[dt.date] | None = None
    month_text: Callable[[dt.date, bool], str] | None = None
    from_start: bool = False  # label every n-th point from the first (days: 1, 8, 15…), not from the last


@dataclass
class Bar:
    label: str
    value: float
    text: str  # the value as shown
    note: str = ""  # e.g. the conversion from the bar before


@dataclass
class BarChart:
    """Horizontal bars; ``log`` puts them on a log scale so that every stage of a funnel shows."""

    title: str
    bars: list[Bar]
    log: bool = False
    scale_note: str = ""
    accent: str = "#1f5fbf"


@dataclass
class Shape:
    kind: str  # line, poly, rect, text, circle
    coords: tuple[float, ...]
    stroke: str | None = None
    fill: str | None = None
    width: float = 1.0
    dash: tuple[float, ...] | None = None
    text: str = ""
    size: float = 9.0
    anchor: str = "start"  # start, middle, end
    bold: bool = False
    tooltip: str = ""


def nice_ticks(low: float, high: float, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round tick values covering low..high (1, 2, 2.5, 5 × 10^n steps); with ``whole``, steps of
    at least 1 and never 2.5 (an axis of customers must not read "0.5" or "2.5")."""
    if high == low:
        high = low + (abs(low) or 1)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in factors if m * magnitude >= raw)
    if whole:
        step = max(step, 1)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def axis_ticks(low: float, high: float, format: Callable[[float], str], *, whole: bool = False,
               ) -> tuple[list[float], list[str]]:
    """``nice_ticks`` and their texts, no two texts alike: a series that hardly moves (a ROMI of
    -99.5 % to -100 % month after month) gave ticks 0.2 points apart, all written "-100 %" by the
    figure's format. The range is widened around the series until each tick reads differently."""
    for _attempt in range(12):
        ticks = nice_ticks(low, high, whole=whole)
        texts = [str(format(tick)) for tick in ticks]
        if len(set(texts)) == len(texts):
            break
        centre, half = (low + high) / 2, (high - low) or abs(low) or 1.0
        low, high = (0.0 if low >= 0 > centre - half else centre - half), centre + half
    return ticks, texts


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """About how wide ``text`` is at font ``size`` (a sans-serif glyph averages 0.6 em, bold 0.66):
    enough to keep labels apart and inside the drawing without measuring a font."""
    return len(text) * size * (0.66 if bold else 0.6)


def x_labels(chart: SeriesChart, positions: list[float], size: float) -> list[tuple[int, str]]:
    """The x labels that fit: every ``step``-th point counted back from the last (the month shown
    is always labelled) or, ``from_start``, on from the first; the step the smallest that keeps
    neighbouring labels a gap apart."""
    count = len(chart.labels)

    def texts(step: int) -> list[tuple[int, str]]:
        shown = list(range(0, count, step)) if chart.from_start else sorted(range(count - 1, -1, -step))
        if not (chart.months and chart.month_text):
            return [(i, chart.labels[i]) for i in shown]
        out, year = [], None
        for i in shown:
            month = chart.months[i]
            out.append((i, chart.month_text(month, month.year != year)))
            year = month.year
        return out

    for step in (1, 2, 3, 4, 6, 12, 24, 48) if not chart.from_start else (1, 7, 14):
        shown = texts(step)
        if all(
            positions[b] - positions[a] >= (text_width(ta, size) + text_width(tb, size)) / 2 + size * 0.8
            for (a, ta), (b, tb) in itertools.pairwise(shown)
        ):
            return shown
    return texts(max(count - 1, 1))


def legend_rows(chart: SeriesChart, width: float, size: float) -> list[list[tuple[float, str, str]]]:
    """What the dashed target line and the note markers mean, under the axis (a phone has no hover
    to show their tooltips): rows of (x, kind, text), wrapped to the width."""
    items = []
    if chart.target is not None and chart.target_text:
        items.append(("target", chart.target_text))
    if chart.marks and chart.marks_text:
        items.append(("mark", chart.marks_text))
    if chart.projected is not None and chart.values and chart.values[-1] is not None and chart.projected_text:
        items.append(("pace", chart.projected_text))
    rows: list[list[tuple[float, str, str]]] = []
    at = width
    for kind, text in items:
        lines = _wrap(text, width - size * 1.9, size)
        room = size * 1.9 + text_width(lines[0], size)
        if not rows or len(lines) > 1 or at + room > width:
            rows.append([])
            at = 0.0
        rows[-1].append((at, kind, lines[0]))
        for line in lines[1:]:  # a long item goes on under its first line, without a second sample
            rows.append([(0.0, "", line)])
        at = width if len(lines) > 1 else at + room + size * 1.2
    return rows


def legend_height(chart: SeriesChart, width: float, size: float) -> float:
    return size * 1.5 * len(legend_rows(chart, width, size))


def layout_series(chart: SeriesChart, width: float = 320, height: float = 150, *, size: float = PRINT_TEXT) -> list[Shape]:
    """Axes with round ticks, the line (gaps where undefined), the target line, note markers. The
    margins are as wide as the tick and month labels at ``size`` need, so none is cut or overlaps.
    ``height`` leaves out the legend, drawn below it (``legend_height`` more: the plot keeps its size)."""
    known = [v for v in chart.values if v is not None]
    extra = [v for v in (chart.target, chart.projected) if v is not None]
    low, high = min(known + extra, default=0.0), max(known + extra, default=1.0)
    low = min(low, 0.0) if low >= 0 else low
    ticks, tick_texts = axis_ticks(low, high, chart.format, whole=chart.whole)
    y_min, y_max = ticks[0], ticks[-1]
    count = max(len(chart.values), 2)
    legend = legend_rows(chart, width, size)
    height += legend_height(chart, width, size)
    top, bottom = size * 0.6, size * 1.9 + size * 1.5 * len(legend)
    left = max(text_width(text, size) for text in tick_texts) + size * 0.5
    right = size * 0.8
    # Two passes: the labels chosen decide how much room the last one needs at the right.
    for _pass in range(2):
        plot_w, plot_h = width - left - right, height - top - bottom
        positions = [left + plot_w * index / (count - 1) for index in range(len(chart.labels))]
        labels = x_labels(chart, positions, size) if chart.labels else []
        if labels:
            right = max(size * 0.8, text_width(labels[-1][1], size) / 2 + 2)
            left = max(left, text_width(labels[0][1], size) / 2 + 2)

    def x(index: float) -> float:
        return left + plot_w * index / (count - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / ((y_max - y_min) or 1))

    shapes: list[Shape] = []
    for tick, text in zip(ticks, tick_texts, strict=True):
        shapes.append(Shape("line", (left, y(tick), width - right, y(tick)), stroke=GRID, width=0.6))
        shapes.append(Shape("text", (left - size * 0.4, y(tick) + size * 0.35), fill=MUTED, text=text, size=size, anchor="end"))
    shapes.append(Shape("line", (left, top + plot_h, width - right, top + plot_h), stroke=MUTED, width=0.8))
    label_y = height - size * (0.45 + 1.5 * len(legend))
    for index, label in labels:
        shapes.append(Shape("text", (x(index), label_y), fill=MUTED, text=label, size=size, anchor="middle"))
    for number, row in enumerate(legend):
        baseline = height - size * (0.35 + 1.5 * (len(legend) - 1 - number))
        for at, kind, text in row:
            if kind == "target":
                shapes.append(
                    Shape(
                        "line",
                        (at, baseline - size * 0.35, at + size * 1.4, baseline - size * 0.35),
                        stroke=TARGET,
                        width=1.2,
                        dash=(5, 3),
                    )
                )
            elif kind == "pace":
                shapes.append(
                    Shape("circle", (at + size * 0.7, baseline - size * 0.35, 3), stroke=chart.accent, fill="#ffffff", width=1.5)
                )
            elif kind == "mark":  # "" is a long item's next line: no sample
                shapes.append(
                    Shape(
                        "line",
                        (at + size * 0.7, baseline - size * 0.9, at + size * 0.7, baseline + size * 0.1),
                        stroke=MARK,
                        width=1,
                        dash=(2, 2),
                    )
                )
                shapes.append(Shape("circle", (at + size * 0.7, baseline - size * 0.9, 3), fill=MARK))
            shapes.append(Shape("text", (at + size * 1.9, baseline), fill=MUTED, text=text, size=size))
    for index, text in chart.marks:
        shapes.append(Shape("line", (x(index), top, x(index), top + plot_h), stroke=MARK, width=1, dash=(2, 2), tooltip=text))
        shapes.append(Shape("circle", (x(index), top + 3, 3), fill=MARK, tooltip=text))
    if chart.target is not None:
        shapes.append(
            Shape(
                "line",
                (left, y(chart.target), width - right, y(chart.target)),
                stroke=TARGET,
                width=1.2,
                dash=(5, 3),
                tooltip=chart.target_text,
            )
        )
    segment: list[float] = []
    for index, value in enumerate([*chart.values, None]):
        if value is None:
            if len(segment) >= 4:
                shapes.append(Shape("poly", tuple(segment), stroke=chart.accent, width=2))
            elif len(segment) == 2:
                shapes.append(Shape("circle", (segment[0], segment[1], 2), fill=chart.accent))
            segment = []
            continue
        segment += [x(index), y(value)]
    last = len(chart.values) - 1
    if chart.values and chart.values[-1] is not None:
        shapes.append(
            Shape("circle", (x(last), y(chart.values[-1]), 3.2), fill=chart.accent, tooltip=chart.format(chart.values[-1]))
        )
        if chart.projected is not None:
            shapes.append(
                Shape(
                    "line",
                    (x(last), y(chart.values[-1]), x(last), y(chart.projected)),
                    stroke=chart.accent,
                    width=1.5,
                    dash=(3, 2),
                )
            )
            shapes.append(
                Shape(
                    "circle",
                    (x(last), y(chart.projected), 3),
                    stroke=chart.accent,
                    fill="#ffffff",
                    width=1.5,
                    tooltip=chart.format(chart.projected),
                )
            )
    return shapes


def layout_bars(chart: BarChart, width: float = 320, *, size: float = PRINT_TEXT) -> tuple[list[Shape], float]:
    """One row per bar: label above (wrapped when long), bar, value at its end, and the note (a
    conversion, a share) at the right of the label; on its own line under the bar when too long."""
    shapes: list[Shape] = []
    values = [max(bar.value, 0) for bar in chart.bars]
    top_value = max(values, default=0) or 1
    big = size * 1.12

    def share(value: float) -> float:
        if chart.log:
            return math.log10(value + 1) / math.log10(top_value + 1) if top_value > 0 else 0
        return value / top_value

    reserve = max((text_width(bar.text, big) for bar in chart.bars), default=0) + big * 0.5
    bar_area = max(width - reserve, width * 0.35)
    base = 0.0
    for bar in chart.bars:
        note_w = text_width(bar.note, size) + size if bar.note else 0
        under = note_w > width * 0.55  # too long to share the label's line
        label_lines = _wrap(bar.label, width - (0 if under else note_w), big, bold=True) or [""]
        for number, line in enumerate(label_lines):
            shapes.append(Shape("text", (0, base + big * (1 + 1.2 * number)), fill=INK, text=line, size=big, bold=True))
        if bar.note and not under:
            shapes.append(Shape("text", (width, base + big), fill=MUTED, text=bar.note, size=size, anchor="end"))
        bar_top = base + big * (1.2 * len(label_lines) + 0.15)
        length = max(2.0, bar_area * share(max(bar.value, 0)))
        shapes.append(Shape("rect", (0, bar_top, length, big * 0.95), fill=chart.accent, tooltip=f"{bar.label}: {bar.text}"))
        shapes.append(Shape("text", (length + big * 0.35, bar_top + big * 0.8), fill=INK, text=bar.text, size=big))
        base = bar_top + big * 1.75
        if bar.note and under:
            for line in _wrap(bar.note, width, size):
                shapes.append(Shape("text", (0, base), fill=MUTED, text=line, size=size))
                base += size * 1.3
            base += size * 0.5
    lines = _wrap(chart.scale_note, width, size) if chart.scale_note else []
    for index, line in enumerate(lines):
        shapes.append(Shape("text", (0, base + size * (0.6 + 1.3 * index)), fill=MUTED, text=line, size=size))
    height = base + size * 1.3 * len(lines) + 2
    return shapes, height


def _wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines of ``text`` that fit ``width`` at font ``size`` (text_width's average glyph)."""
    limit = max(10, int(width / (size * (0.66 if bold else 0.6))))
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _svg_shape(shape: Shape) -> str:
    paint = f' stroke="{shape.stroke}" stroke-width="{shape.width:g}"' if shape.stroke else ""
    paint += f' fill="{shape.fill}"' if shape.fill else (' fill="none"' if shape.kind != "text" else "")
    if shape.dash:
        paint += f' stroke-dasharray="{" ".join(f"{d:g}" for d in shape.dash)}"'
    tip = f"<title>{escape(shape.tooltip)}</title>" if shape.tooltip else ""
    c = [f"{v:.1f}" for v in shape.coords]
    if shape.kind == "line":
        return f'<line x1="{c[0]}" y1="{c[1]}" x2="{c[2]}" y2="{c[3]}"{paint}>{tip}</line>'
    if shape.kind == "poly":
        points = " ".join(f"{c[i]},{c[i + 1]}" for i in range(0, len(c), 2))
        return f'<polyline points="{points}"{paint} stroke-linejoin="round"/>'
    if shape.kind == "rect":
        return f'<rect x="{c[0]}" y="{c[1]}" width="{c[2]}" height="{c[3]}" rx="2"{paint}>{tip}</rect>'
    if shape.kind == "circle":
        return f'<circle cx="{c[0]}" cy="{c[1]}" r="{c[2]}"{paint}>{tip}</circle>'
    weight = ' font-weight="600"' if shape.bold else ""
    return (
        f'<text x="{c[0]}" y="{c[1]}" font-size="{shape.size:g}" text-anchor="{shape.anchor}"{weight}{paint}>'
        f"{escape(shape.text)}</text>"
    )


def to_svg(shapes: list[Shape], width: float, height: float, *, label: str, css_class: str = "chart") -> str:
    """Inline SVG markup (escaped texts; presentation attributes only, so no CSS or script needed)."""
    body = "".join(_svg_shape(shape) for shape in shapes)
    return (
        f'<svg class="{css_class}" viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}" '
        f'role="img" aria-label="{escape(label)}" font-family="system-ui, sans-serif" overflow="visible">'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def responsive_svg(draw: Callable[[float], tuple[list[Shape], float]], *, label: str, css_class: str = "chart") -> str:
    """The chart drawn at each of ``WIDTHS``, classed by its width: portal.css shows the one that
    fits its box. A phone then gets a drawing made for about its width, labels ≥ 12 px, not the wide
    one scaled down; no script, no measuring in the browser (a browser without container queries
    shows the middle one)."""
    drawings = []
    for width in WIDTHS:
        shapes, height = draw(width)
        drawings.append(to_svg(shapes, width, height, label=label, css_class=f"{css_class} w{width}"))
    return "".join(drawings)


def series_height(width: float) -> float:
    """A line chart's height at ``width``: a little taller when wider, never flatter than 150."""
    return round(150 + max(width - 260, 0) * 0.3)


def series_svg(chart: SeriesChart) -> str:
    """A line chart for the page, drawn for a box of any width from a phone's to half a page."""

    def draw(width: float) -> tuple[list[Shape], float]:
        height = series_height(width)
        return layout_series(chart, width, height, size=SCREEN_TEXT), height + legend_height(chart, width, SCREEN_TEXT)

    return responsive_svg(draw, label=chart.title)


def bars_svg(chart: BarChart) -> str:
    """A bar chart for the page, drawn for a box of any width from a phone's to half a page."""
    return responsive_svg(lambda w: layout_bars(chart, w, size=SCREEN_TEXT), label=chart.title, css_class="chart bars")


def to_drawing(shapes: list[Shape], width: float, height: float, *, font: str = "Helvetica", bold_font: str = "Helvetica-Bold"):
    """The same shapes as a ReportLab Drawing (y flipped: ReportLab's origin is bottom left)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib.colors import HexColor

    def colour(value: str | None):
        return HexColor(value) if value else None

    drawing = Drawing(width, height)
    for s in shapes:
        c = s.coords
        common = {"strokeColor": colour(s.stroke), "strokeWidth": s.width, "strokeDashArray": list(s.dash) if s.dash else None}
        if s.kind == "line":
            drawing.add(Line(c[0], height - c[1], c[2], height - c[3], **common))
        elif s.kind == "poly":
            points = [v if i % 2 == 0 else height - v for i, v in enumerate(c)]
            drawing.add(PolyLine(points, **common, strokeLineJoin=1))
        elif s.kind == "rect":
            drawing.add(Rect(c[0], height - c[1] - c[3], c[2], c[3], fillColor=colour(s.fill), strokeColor=None, rx=2, ry=2))
        elif s.kind == "circle":
            drawing.add(Circle(c[0], height - c[1], c[2], fillColor=colour(s.fill), **common))
        else:
            drawing.add(
                String(
                    c[0],
                    height - c[1],
                    s.text,
                    fontSize=s.size,
                    fontName=bold_font if s.bold else font,
                    fillColor=colour(s.fill) or colour(INK),
                    textAnchor=s.anchor,
                )
            )
    return drawing


def series_drawing(chart: SeriesChart, width: float = 320, height: float = 150, *, size: float = PRINT_TEXT, **fonts: str):
    full = height + legend_height(chart, width, size)
    return to_drawing(layout_series(chart, width, height, size=size), width, full, **fonts)


def bars_drawing(chart: BarChart, width: float = 320, *, size: float = PRINT_TEXT, **fonts: str):
    shapes, height = layout_bars(chart, width, size=size)
    return to_drawing(shapes, width, height, **fonts)

    return to_drawing(shapes, width, height, **fonts)


def png(drawing, scale: float = 2.0) -> bytes:
    """The drawing as a PNG, for email programs that do not show SVG (most webmail): ReportLab
    writes it as a one-page PDF and PDFium (pypdfium2) rasterizes it, so the picture is the same."""
    import io

    import pypdfium2
    from reportlab.graphics import renderPDF

    document = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
