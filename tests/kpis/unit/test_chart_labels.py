"""A chart's month labels: the whole year ("Nov 25" under a 13-month chart reads as a day), in
the active language's case (Spanish writes "dic", not "Dic"), and only as many as fit."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import translation

from agency.months import Month
from kpis import charts
from kpis.report import month_labels, month_tick

SPAN = [m.first_day for m in Month.range(Month.of(dt.date(2025, 11, 1)), Month.of(dt.date(2026, 11, 1)))]


def test_the_first_month_and_each_january_carry_the_whole_year() -> None:
    with translation.override("en"):
        labels = month_labels(SPAN)
    assert labels[:4] == ["Nov 2025", "Dec", "Jan 2026", "Feb"] and labels[-1] == "Nov"


def test_spanish_months_are_written_in_lower_case_as_spanish_writes_them() -> None:
    with translation.override("es"):
        assert month_labels(SPAN)[:4] == ["nov 2025", "dic", "ene 2026", "feb"]
        assert month_tick(dt.date(2025, 3, 1), True) == "mar 2025" and month_tick(dt.date(2025, 12, 1)) == "dic"
    with translation.override("es-mx"):  # Mexico's Spanish too (its own format module)
        assert month_labels(SPAN)[:3] == ["nov 2025", "dic", "ene 2026"]
    with translation.override("en"):  # English keeps its capitals: the language decides, not a string
        assert month_tick(dt.date(2025, 3, 1), True) == "Mar 2025" and month_tick(dt.date(2025, 12, 1)) == "Dec"


def _chart(values: list[float | None] | None = None) -> charts.SeriesChart:
    return charts.SeriesChart(
        title="Leads", labels=month_labels(SPAN), months=SPAN, month_text=month_tick,
        values=values or [float(100 + 10 * i) for i in range(13)],
    )


def _shown(shapes: list[charts.Shape], size: float) -> list[charts.Shape]:
    return [s for s in shapes if s.kind == "text" and s.anchor == "middle"]


@pytest.mark.parametrize(("width", "size"), [(260, charts.SCREEN_TEXT), (340, charts.SCREEN_TEXT),
                                             (520, charts.SCREEN_TEXT), (250, charts.PRINT_TEXT)])
def test_the_labels_shown_fit_apart_and_the_year_shows_on_the_first_of_each_year(width, size) -> None:
    with translation.override("es"):
        chart = _chart()
        labels = _shown(charts.layout_series(chart, width, charts.series_height(width), size=size), size)
    texts = [s.text for s in labels]
    assert texts[-1] == "nov" and texts[0] == "nov 2025"  # the month shown always, the first with its year
    # A year is never lost when January is not labelled: the first label in 2026 says 2026.
    first_2026 = next(t for t in texts[1:] if t != "dic")
    assert first_2026.endswith("2026"), texts
    assert all(t == t.lower() for t in texts)
    for a, b in itertools.pairwise(labels):  # no two labels overlap
        assert b.coords[0] - a.coords[0] >= (charts.text_width(a.text, size) + charts.text_width(b.text, size)) / 2
    assert labels[0].coords[0] - charts.text_width(texts[0], size) / 2 >= 0  # nor run out of the drawing
    assert labels[-1].coords[0] + charts.text_width(texts[-1], size) / 2 <= width


def test_a_wider_drawing_labels_more_months() -> None:
    with translation.override("en"):
        narrow = _shown(charts.layout_series(_chart(), 260, 150, size=charts.SCREEN_TEXT), charts.SCREEN_TEXT)
        wide = _shown(charts.layout_series(_chart(), 520, 228, size=charts.SCREEN_TEXT), charts.SCREEN_TEXT)
    assert 3 <= len(narrow) < len(wide)


@pytest.mark.parametrize("width", [340, 520])
def test_a_daily_chart_labels_the_months_weeks_from_day_1(width) -> None:
    chart = charts.SeriesChart(title="Clicks per day", labels=[str(d) for d in range(1, 31)],
                               values=[float(d) for d in range(30)], from_start=True)
    labels = _shown(charts.layout_series(chart, width, charts.series_height(width), size=charts.SCREEN_TEXT), 0)
    assert [s.text for s in labels] == ["1", "8", "15", "22", "29"]


def test_an_axis_of_a_series_that_hardly_moves_never_repeats_a_tick() -> None:
    """The walk of 2026-12-07 (walk15): a new client's ROMI, -99.5 % to -100 % all year, drew its
    axis "-99 %, -100 %, -100 %, -100 %" in the PDF: ticks 0.2 points apart, written to whole
    points. The range widens until every tick reads differently."""
    percent = lambda value: f"{value * 100:.0f} %"  # noqa: E731  whole points, as the report's axes write rates
    values = [-0.995, -0.997, -1.0, -0.996, -0.998, -1.0, -0.999, -0.996, -0.995, -0.998, -0.997, -0.999, -1.0]
    chart = charts.SeriesChart(title="ROMI", labels=month_labels(SPAN), months=SPAN, month_text=month_tick,
                               values=values, format=percent)
    ticks = [shape.text for shape in charts.layout_series(chart) if shape.kind == "text" and shape.text.endswith("%")]
    assert len(ticks) >= 3 and len(set(ticks)) == len(ticks), ticks
    assert "-100 %" in ticks and "-99 %" in ticks
