"""How a figure is written: the catalogue's unit, the reader's locale, the change against a month, a sparkline.

Pure formatting, no queries: the scorecard, the breakdowns, the PDF, the CSV, the email and the
commentary draft all write a figure through these, so the same value reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.words import currency_symbol, minor_unit, money, share_shown, symbol_first
from kpis.catalogue import (
    NO_RETAINERS,
    Better,
    Kpi,
    Reason,
    Unit,
    kpi,
    null_reason,
)

# Figures the scorecard shows that are not snapshot KPIs: the two that explain retainer_ltv in the
# lifetime value panel, and a breakdown column. Declared like the catalogue's, so they format alike.
PANEL_FIGURES = {
    figure.key: figure
    for figure in (
        Kpi(
            "retainer_base_value",
            "recurring_revenue_and_value",
            _("Mean fee × mean term"),
            _("Mean monthly fee × mean term of the retainers."),
            Unit.MONEY,
            null_reasons=(NO_RETAINERS,),
        ),
        Kpi(
            "served_fraction_when_cancelled",
            "recurring_revenue_and_value",
            _("Served fraction when cancelled early"),
            _("Mean share of the term served by retainers cancelled early."),
            Unit.RATE,
            null_reasons=(Reason(_("No retainer was cancelled early.")),),
        ),
        Kpi("form_submissions", "traffic", _("Form submissions"), _("Form submissions in the month."), Unit.COUNT),
    )
}


def figure(key: str) -> Kpi:
    """The declaration of a figure the scorecard shows: a catalogue KPI or a panel figure."""
    return PANEL_FIGURES.get(key) or kpi(key)


def number_shown(value: float | int, places: int, force_grouping: bool = False) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, written the active locale's way.

    Django's number_format cuts extra decimals off a float (1.96875 would show as 1.96, 1/6 as
    16.6 %); round first so the shown figure is the nearest one. A rounded zero loses its sign.
    """
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return number_format(rounded, places, force_grouping=force_grouping)


def unit(key: str) -> str:
    """The catalogue's unit of ``key`` (count, money, rate, ratio, hours, days, months)."""
    return figure(key).unit.value


def compact(value: float, places: int = 1) -> str:
    """A short axis number: 1.2k, 3.4M; a whole one without its ".0" ("5k", as "20k" beside it: an axis
    of "0 €, 5,0k €, 10k €, 15k €" read as if 5,000 were measured more closely than the others); below
    10, at most ``places`` decimals (0 for an amount in a currency without a minor unit: "¥8", never "¥7.5")."""
    size = abs(value)
    if size >= 1_000_000:
        return _tenths(value / 1_000_000, 1 if size < 10_000_000 else 0) + "M"
    if size >= 10_000:
        return number_shown(value / 1000, 0) + "k"
    if size >= 1000:
        return _tenths(value / 1000, 1) + "k"
    return number_shown(value, 0 if size >= 10 or value == int(value) else min(1, places))


def _tenths(value: float, places: int) -> str:
    """``value`` to ``places`` decimals, none when they would read 0 ("5", not "5.0")."""
    return number_shown(value, 0 if round(value, places) == round(value) else places)


def axis_format(key: str, currency: str) -> Any:
    """How a chart's axis writes this KPI's values (shorter than the tiles)."""
    kind = figure(key).unit
    symbol = currency_symbol(currency)
    if kind == Unit.MONEY:
        # The symbol and the sign where the tiles put them (clients.words.money): "€60k" and "-€500k" in
        # English and Mexico's Spanish ("-$500k"), "60k €" and "-500k €" in Spain's; "€-500k" read as if
        # the symbol were part of the number.
        places = minor_unit(currency)

        def money_axis(v: float) -> str:
            if symbol_first(symbol):
                text = compact(abs(v), places)
                return f"{'-' if v < 0 and text.strip('0,. ') else ''}{symbol}{text}"
            return f"{compact(v, places)}\xa0{symbol}"

        return money_axis
    if kind == Unit.RATE:
        return lambda v: f"{number_shown(v * 100, 0 if abs(v) >= 0.1 or v == 0 else 1)} %"
    if kind == Unit.HOURS:
        return lambda v: f"{compact(v)} h"
    return compact


FRACTIONAL_COUNTS = frozenset({"platform_conversions"})


def format_value(key: str, value: float | None, currency: str) -> str:
    """The value as the active locale writes it: grouping, decimals, percent, currency symbol."""
    if value is None:
        return "—"
    kind = figure(key).unit
    if kind == Unit.MONEY:
        return money(value, currency)
    if kind == Unit.RATE:
        if figure(key).bounds is None:  # a share of a whole (0–1): never "0.0 %" (share_shown)
            return share_shown(value)
        return f"{number_shown(value * 100, 1, force_grouping=True)} %"
    if kind == Unit.HOURS:
        return f"{number_shown(value, 1, force_grouping=True)} h"
    if kind in (Unit.COUNT, Unit.DAYS):
        # Platforms split a conversion's credit (7.5 conversions): that count keeps one decimal.
        # One decimal only where it shows one: 272.04 read "272.0" beside another row's "50".
        fractional = key in FRACTIONAL_COUNTS and not round(float(value), 1).is_integer()
        return number_shown(value, 1 if fractional else 0, force_grouping=True)
    return number_shown(value, 2, force_grouping=True)  # ratios and months


def fractional_counts_aligned(keys: list[str], rows: list[dict[str, Any]], shown: list[dict[str, Any]]) -> None:
    """A column of platform conversions written with the same decimals in every row of a table: one
    decimal in each when any row's count is split (7.5), none when all are whole ("272.0" beside
    "50" read as two kinds of figure). ``shown`` as breakdown_cell draws ``rows``, in the same order."""
    for index, key in enumerate(keys):
        if key not in FRACTIONAL_COUNTS:
            continue
        values = [row.get(key) for row in rows]
        places = 1 if any(v is not None and not round(float(v), 1).is_integer() for v in values) else 0
        for value, row in zip(values, shown, strict=True):
            if value is not None and row["cells"][index]["text"] != "—":
                row["cells"][index]["text"] = number_shown(value, places, force_grouping=True)


def cell_shown(key: str, value: float | None, currency: str, *, values: dict[str, Any] | None = None) -> dict[str, str]:
    """A table cell: the value as shown and, for "—", why there is none — the reasons that hold for
    ``values`` (the figures of the month or of the row the cell is in) when given."""
    return {"text": format_value(key, value, currency), "reason": null_reason(figure(key), values) if value is None else ""}


SMALL_BASE = 20  # a count below this the month before: its change is a number, not a percentage


def small_base(key: str, before: float) -> bool:
    """Whether ``key``'s change from ``before`` is a number ("+3"), not a percentage: a count under
    SMALL_BASE the month before (issue #21). The tiles, "What changed" and the commentary draft
    all ask this. A month's working days move by a day or two, and read so ("-1"), never as a
    percentage ("Working days 21, -4.5 %" beside the leads is the calendar, not a result)."""
    return key == "working_days" or (figure(key).unit == Unit.COUNT and abs(before) < SMALL_BASE)


def change(key: str, value: float | None, before: float | None, *, first: bool = False) -> dict[str, Any] | None:
    """Against the comparison month: points for rates, a relative change otherwise; None if undefined.

    No percentage on a base too small to mean anything (issue #21): a count that was below
    SMALL_BASE shows its absolute change ("+14"), and the first month with data says so."""
    if value is None or not figure(key).compared:  # a calendar ratio (catalogue Kpi.compared): no change
        return None
    if before is None:
        return {"text": gettext("first full month"), "good": True, "flat": True, "first": True} if first else None
    better = figure(key).better
    kind = figure(key).unit
    if kind == Unit.RATE:
        delta, text = value - before, f"{number_shown((value - before) * 100, 1)} pp"
    elif small_base(key, before):
        # The same small count both months reads "no change", not a bare "0" beside the figure.
        delta = value - before
        text = number_shown(delta, 0, force_grouping=True) if delta else gettext("no change")
    elif before == 0 or (value != 0 and (before < 0) != (value < 0)):
        return None  # from 0, or across it (a revenue uplift from +€658 to −€51,833 read "-7875.0 %")
    else:
        delta = (value - before) / abs(before)
        text = f"{number_shown(delta * 100, 1)} %"
    if delta == 0:  # the same figure both months: in words, as a small count's, not "0.0 %" or "0.0 pp"
        text = gettext("no change")
    # A change too small for its one decimal ("0.0 pp") is shown as it rounds, neither good nor bad:
    # a red "0.0 pp" read as a fall of nothing.
    if delta != 0 and not text.strip("+-0.,% p\xa0"):
        return {"text": text.lstrip("-"), "good": True, "flat": True}
    good = delta == 0 or ((delta < 0) if better == Better.DOWN else (delta > 0))
    return {"text": ("+" if delta > 0 else "") + text, "good": good, "flat": delta == 0 or better == Better.NEUTRAL}


def change_shown(
    key: str, value: float | None, before: float | None, *, first: bool = False, compare: dt.date | None = None,
    before_why: str = "",
) -> dict[str, Any] | None:
    """The change cell as shown: change() where it is a number, else words where a percentage from 0 is
    undefined — "up from 0" (a revenue after a month of none), "no change" (0 both months) — or
    "nothing to compare" when the comparison month has no figure, with ``why`` on hover (``before_why``:
    the comparison month's own reason, Scorecard.compared_why). None (an empty cell) only without a
    value. ``compare``: the comparison month, named on hover."""
    shown = change(key, value, before, first=first)
    if shown is not None or value is None or not figure(key).compared:
        return shown
    if before is None:  # the comparison month has no figure (undefined, unknown, or no month at all)
        why = before_why or (
            gettext("No figure for this in %(month)s.") % {"month": date_format(compare, "YEAR_MONTH_FORMAT")}
            if compare else gettext("The comparison month has no figure for this."))
        return {"text": gettext("nothing to compare"), "good": True, "flat": True, "why": why}
    if before != 0 and value != 0 and (before < 0) != (value < 0):  # across 0: in words, as from 0
        better, up = figure(key).better, value > before
        return {
            "text": gettext("up above 0") if up else gettext("down below 0"),
            "good": up == (better != Better.DOWN),
            "flat": better == Better.NEUTRAL,
            "why": gettext("A change across 0 has no percentage."),
        }
    if before != 0:
        return shown
    if value == 0:
        return {"text": gettext("no change"), "good": True, "flat": True, "why": ""}
    better = figure(key).better
    good = (value < 0) if better == Better.DOWN else (value > 0)
    return {
        "text": gettext("up from 0") if value > 0 else gettext("down from 0"),
        "good": good,
        "flat": better == Better.NEUTRAL,
        "why": gettext("A change from 0 has no percentage."),
    }


def compared_month(changes: Iterable[dict[str, Any] | None], *, compare_to: dt.date) -> str:
    """"October 2026": the month ``changes`` are against, named as the tiles and the PDF name it (the
    figures table's column, the email's note); "" when none is against a month (the month in
    progress, a first month whose changes all read "first full month")."""
    if not any(shown and not shown.get("first") for shown in changes):
        return ""
    return date_format(compare_to, "YEAR_MONTH_FORMAT")


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> str:
    """Polyline points for the SVG; gaps (undefined months) break the line into segments."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    segments, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{index * step:.1f},{height - 2 - (value - low) / span * (height - 4):.1f}")
    if current:
        segments.append(current)
    return "|".join(" ".join(points) for points in segments if len(points) > 1)
