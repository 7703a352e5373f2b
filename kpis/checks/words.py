"""A finding in words: its sentence in the active language, with figures written as people read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from clients.words import money, share_shown
from kpis.catalogue import Unit, kpi
from kpis.checks.base import REGISTRY, SOURCE_LABELS, Finding
from kpis.formatting import number_shown


def day_ranges(days: list[dt.date]) -> str:
    """ "Oct 3–5, Oct 12" in English, "3–5 oct, 12 oct" in Spanish: consecutive days joined, each day
    written as the portal writes every date (agency.formats: "Oct 12, 2026", "12 oct 2026")."""
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    day_first = (get_language() or "en").startswith("es")
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        if len(run) == 1:
            parts.append(_day(first))
        elif first.month != last.month:
            parts.append(f"{_day(first)}–{_day(last)}")
        else:  # one month named once: "Oct 3–5", "3–5 oct"
            parts.append(f"{first.day}–{_day(last)}" if day_first else f"{_day(first)}–{last.day}")
    return ", ".join(parts)


def _day(day: dt.date, *, year: bool = False) -> str:
    """"Oct 5" in English, "5 oct" in Spanish; with its year as every date ("Oct 5, 2026", "5 oct 2026")."""
    return date_format(day, "DATE_FORMAT" if year else "MONTH_DAY_FORMAT")


def _percent(value: float) -> str:
    """A relative change (+35.0 %): not a share, so the share's "< 0.1 %" does not apply."""
    return f"{number_shown(value * 100, 1)} %"


def _measure(value: str) -> str:
    return {"clicks": _("clicks"), "conversions": _("conversions")}.get(value, value)


def _kpi_value(key: str, value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    if kpi(key).unit == Unit.MONEY:
        return money(value, currency)
    return number_shown(value, 1, force_grouping=True)


def figures_shown(item: Finding, *, currency: str) -> dict[str, str]:
    """Each figure of ``item`` as its sentence shows it."""
    figures, shown = item.figures, {}
    for name, value in figures.items():
        if name == "source":
            shown[name] = str(SOURCE_LABELS.get(value, value))
        elif name == "days" and isinstance(value, list):
            shown[name] = day_ranges(value)
        elif name == "month" and isinstance(value, dt.date):
            shown[name] = date_format(value, "YEAR_MONTH_FORMAT")  # "April 2026", "abril de 2026"
        elif isinstance(value, dt.date):
            shown[name] = _day(value, year=name == "since")
        elif name in ("share", "rate", "low", "high"):  # shares of a whole: a true 0 is "0 %", a sliver "< 0.1 %"
            shown[name] = share_shown(value)
        elif name == "kpi":
            shown[name] = str(kpi(value).label)
        elif name in ("value", "expected"):
            shown[name] = _kpi_value(figures["kpi"], value, currency)
        elif name == "change":
            shown[name] = "—" if value is None else ("+" if value > 0 else "") + _percent(value)
        elif name == "measure":
            shown[name] = _measure(value)
        elif name == "names":
            shown[name] = ", ".join(f"“{n}”" for n in value)
        elif name in ("rows_sum", "total", "difference", "spend"):
            shown[name] = money(value, currency)
        elif isinstance(value, bool) or value is None:
            shown[name] = ""
        elif isinstance(value, (int, float)):
            shown[name] = number_shown(value, 0 if float(value).is_integer() else 1, force_grouping=True)
        else:
            shown[name] = str(value)
    if "months" in figures and "seasonal" in figures:
        months = figures["months"]
        shown["basis"] = (
            ngettext(
                "against the same month last year and the trailing %(months)s month",
                "against the same month last year and the trailing %(months)s months",
                months,
            )
            if figures["seasonal"]
            else ngettext(
                "under 24 months of history: against the trailing %(months)s month only",
                "under 24 months of history: against the trailing %(months)s months only",
                months,
            )
        ) % {"months": months}
    return shown


def sentence(item: Finding, *, currency: str) -> str:
    """The finding's sentence in the active language."""
    check = REGISTRY[item.key]
    shown: dict[str, Any] = figures_shown(item, currency=currency)
    if check.count:
        shown["n"] = int(item.figures.get(check.count) or 0)
    return str(check.sentence % shown)


def plain_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures as JSON values (dates as ISO strings), for storage and the command line."""

    def plain(value: Any) -> Any:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value

    return {name: plain(value) for name, value in figures.items()}


def figures_from_plain(figures: dict[str, Any]) -> dict[str, Any]:
    """Back from storage: ISO dates become dates again."""

    def back(value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        if isinstance(value, list):
            return [back(v) for v in value]
        return value

    return {name: back(value) for name, value in figures.items()}
