"""A chart's month labels say their year whole: "Nov 25" under a 13-month chart reads as a day."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from agency.months import Month
from kpis.report import month_labels


def test_the_first_month_and_each_january_carry_the_whole_year() -> None:
    span = [m.first_day for m in Month.range(Month.of(dt.date(2025, 11, 1)), Month.of(dt.date(2026, 11, 1)))]
    with translation.override("en"):
        labels = month_labels(span)
    assert labels[:4] == ["Nov 2025", "Dec", "Jan 2026", "Feb"] and labels[-1] == "Nov"
    with translation.override("es"):
        assert month_labels(span)[:3] == ["Nov 2025", "Dic", "Ene 2026"]
