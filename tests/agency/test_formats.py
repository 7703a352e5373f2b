"""The project's date formats (agency.formats): a short date nobody can read the wrong way round, and
one way of writing a date per language — a date alone, a date in a range, a date with its time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

DAY = dt.date(2026, 12, 6)
MOMENT = dt.datetime(2026, 12, 6, 14, 50, tzinfo=dt.UTC)


def test_an_english_short_date_names_its_month_so_6_december_never_reads_as_12_june() -> None:
    with translation.override("en"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "Dec 6, 2026"
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "Dec 6, 2026, 2:50 p.m. UTC"  # its zone named
    with translation.override("es"):
        assert date_format(DAY, "SHORT_DATE_FORMAT") == "6 dic 2026"


@pytest.mark.parametrize(("language", "day", "moment", "month_day"), [
    ("en", "Dec 6, 2026", "Dec 6, 2026, 2:50 p.m. UTC", "Dec 6"),
    ("es", "6 dic 2026", "6 dic 2026, 14:50 UTC", "6 dic"),
    ("es-mx", "6 dic 2026", "6 dic 2026, 14:50 UTC", "6 dic"),
])
def test_a_date_is_written_one_way_per_language_whichever_format_a_page_asks_for(
    language: str, day: str, moment: str, month_day: str,
) -> None:
    """The client's home page read "Approved Dec. 7, 2026" (Django's DATE_FORMAT, "N j, Y") beside
    "Nov 1, 2025–Dec 1, 2026" (SHORT_DATE_FORMAT), and Spanish "7 de diciembre de 2026" beside
    "01/11/2025–01/12/2026": every format a template or a sentence names now writes the same date."""
    with translation.override(language):
        assert date_format(DAY, "DATE_FORMAT") == day
        assert date_format(DAY, "SHORT_DATE_FORMAT") == day
        assert date_format(MOMENT, "DATETIME_FORMAT") == moment
        assert date_format(MOMENT, "SHORT_DATETIME_FORMAT") == moment
        assert date_format(DAY, "MONTH_DAY_FORMAT") == month_day
        assert date_format(dt.date(2026, 9, 30), "DATE_FORMAT") == {"en": "Sep 30, 2026"}.get(language, "30 sep 2026")
