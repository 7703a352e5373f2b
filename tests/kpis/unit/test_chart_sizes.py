"""The charts' text is readable where it is shown: on the page each chart is drawn at the widths its
box may have (kpis.charts.responsive_svg, portal.css shows one), at screen size, so that a phone renders its labels at
≥ 12 px instead of a wide drawing scaled down (they were about 10 px at 390 px); the PDF keeps its
point sizes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpis import charts

FUNNEL = charts.BarChart(
    title="Embudo de noviembre de 2026",
    bars=[charts.Bar("Sesiones", 6462, "6 462"), charts.Bar("Leads", 169, "169", "2,6 % de Sesiones"),
          charts.Bar("MQL", 57, "57", "33,7 % de Leads"), charts.Bar("Clientes", 8, "8", "22,2 % de SQL")],
    log=True,
    scale_note="Longitud de las barras en escala logarítmica, para que se vean todas las etapas.",
)
SERIES = charts.SeriesChart(title="Inversión en marketing", labels=[str(i) for i in range(13)],
                            values=[30000.0 + 1000 * i for i in range(13)], format=lambda v: f"{v / 1000:g}k MX$")


def _texts(svg: str) -> list[tuple[float, float, str]]:
    """(font size, x, text) of each text of one drawing."""
    return [(float(size), float(x), text) for x, size, text in
            re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="([\d.]+)"[^>]*>([^<]*)</text>', svg)]


def _drawings(svg: str) -> list[tuple[str, float, str]]:
    return [(cls, float(width), body) for cls, width, body in
            re.findall(r'<svg class="([^"]+)" viewBox="0 0 ([\d.]+) [\d.]+".*?>(.*?)</svg>', svg, flags=re.S)]


@pytest.mark.parametrize("svg", [charts.series_svg(SERIES), charts.bars_svg(FUNNEL)])
def test_every_label_is_drawn_at_12_px_or_more_at_each_width(svg) -> None:
    drawings = _drawings(svg)
    assert [(cls.split()[-1], width) for cls, width, _b in drawings] == [("w260", 260), ("w340", 340), ("w520", 520)]
    for _cls, _width, body in drawings:
        texts = _texts(body)
        assert texts and min(size for size, _x, _t in texts) >= 12


def _shown_at(box: float) -> str:
    """The drawing portal.css shows in a chart box ``box`` px wide (its container queries)."""
    return "w260" if box < 315 else "w520" if box >= 480 else "w340"


@pytest.mark.parametrize("box", [250, 294, 305, 314, 315, 324, 335, 400, 442, 479, 480, 530])
def test_the_drawing_a_box_of_any_width_shows_renders_its_text_at_12_px_or_more(box) -> None:
    """A card's chart box is 324 px at 390 px (a summary tile's 335), 294 at 360, 250 in four
    columns, 530 in two: the wide 520 drawing scaled down to 324 rendered the bars' labels at 10 px."""
    for svg in (charts.series_svg(SERIES), charts.bars_svg(FUNNEL)):
        width, body = next((width, body) for cls, width, body in _drawings(svg) if _shown_at(box) in cls.split())
        sizes = [size * box / width for size, _x, _t in _texts(body)]
        assert min(sizes) >= 12 and max(sizes) <= 13 * 1.12 * 1.45


def test_portal_css_switches_drawings_where_the_tests_above_say() -> None:
    css = (Path(__file__).resolve().parents[3] / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    assert "@container (max-width: 314.98px) { .chart-box > svg.w260 { display: block; }" in css
    assert "@container (min-width: 480px) { .chart-box > svg.w520 { display: block; }" in css


def test_a_long_label_wraps_and_a_note_too_long_for_its_line_goes_under_the_bar() -> None:
    chart = charts.BarChart(title="t", bars=[
        charts.Bar("Campaña de primavera, búsqueda de marca, concordancia exacta", 40, "40", "61,5 %"),
        charts.Bar("Redes sociales orgánicas y de pago, con influencers", 25, "25", "38,5 % de los leads nuevos del mes"),
    ])
    shapes, height = charts.layout_bars(chart, 260, size=charts.SCREEN_TEXT)
    texts = [s for s in shapes if s.kind == "text"]
    for s in texts:  # nothing runs out of the drawing
        left = s.coords[0] - (charts.text_width(s.text, s.size, bold=s.bold) if s.anchor == "end" else 0)
        assert left >= 0 and left + charts.text_width(s.text, s.size, bold=s.bold) <= 260 + 0.5, s.text
    assert len([s for s in texts if s.bold]) >= 4  # both labels on two lines or more
    note = [s for s in texts if s.text.startswith("38,5 %")]
    bar = [s for s in shapes if s.kind == "rect"][1]
    assert len(note) == 1 and note[0].coords[1] > bar.coords[1] + bar.coords[3]  # under its bar
    assert height > max(s.coords[1] for s in texts)


def test_the_pdf_keeps_its_point_sizes() -> None:
    shapes, _height = charts.layout_bars(FUNNEL, 250)
    assert {s.size for s in shapes if s.kind == "text"} == {charts.PRINT_TEXT, charts.PRINT_TEXT * 1.12}
    assert charts.PRINT_TEXT >= 9.5  # as readable as before (9–10.5 pt) or better
    drawing = charts.series_drawing(SERIES, width=250, height=90)
    assert drawing.width == 250 and len(drawing.contents) == len(charts.layout_series(SERIES, 250, 90))


@pytest.mark.parametrize(("width", "size"), [(260, charts.SCREEN_TEXT), (340, charts.SCREEN_TEXT), (250, charts.PRINT_TEXT)])
def test_the_target_line_and_the_note_markers_are_named_under_the_axis(width, size) -> None:
    """A phone has no hover: the dashed line and the orange markers say what they are in a legend."""
    chart = charts.SeriesChart(title="Leads", labels=[str(i) for i in range(13)], values=[float(i) for i in range(13)],
                               target=10, target_text="Objetivo 10", marks=[(4, "marzo de 2026: rediseño")],
                               marks_text="Mes con una nota")
    shapes = charts.layout_series(chart, width, 150, size=size)
    legend = {s.text: s for s in shapes if s.kind == "text" and s.text in ("Objetivo 10", "Mes con una nota")}
    assert set(legend) == {"Objetivo 10", "Mes con una nota"}
    month_y = max(s.coords[1] for s in shapes if s.kind == "text" and s.anchor == "middle")
    assert all(s.coords[1] > month_y + size for s in legend.values())  # under the month labels, not on them
    assert all(s.coords[0] + charts.text_width(s.text, size) <= width for s in legend.values())
    plain = charts.SeriesChart(title="Leads", labels=chart.labels, values=chart.values)
    assert not [s for s in charts.layout_series(plain, width, 150, size=size) if s.kind == "text" and s.anchor == "start"]


def test_the_pace_to_month_end_is_named_and_a_long_legend_wraps_inside_the_drawing() -> None:
    chart = charts.SeriesChart(title="Inversión", labels=[str(i) for i in range(13)], values=[float(i) for i in range(13)],
                               projected=20.0, projected_text="Al ritmo actual, 45 000,00 € a fin de mes",
                               target=15, target_text="Objetivo 40 000,00 €")
    shapes = charts.layout_series(chart, 260, 150, size=charts.SCREEN_TEXT)
    legend = [s for s in shapes if s.kind == "text" and s.anchor == "start"]
    assert " ".join(s.text for s in legend) == "Objetivo 40 000,00 € Al ritmo actual, 45 000,00 € a fin de mes"
    assert len({s.coords[1] for s in legend}) == 3  # the pace on two lines under the target's
    assert all(s.coords[0] + charts.text_width(s.text, s.size) <= 260 for s in legend)
    assert len([s for s in shapes if s.kind == "circle" and s.fill == "#ffffff"]) == 2  # the hollow point and its sample
