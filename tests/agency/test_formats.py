"""The project's date formats (agency.formats): a short date nobody can read the wrong way round."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format


def test_an_english_short_date_names_its_month_so_6_december_never_reads_as_12_june() -> None:
    with translation.override("en"):
        assert date_format(dt.date(2026, 12, 6), "SHORT_DATE_FORMAT") == "Dec 6, 2026"
        moment = dt.datetime(2026, 12, 6, 14, 50, tzinfo=dt.UTC)
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "Dec 6, 2026, 2:50 p.m. UTC"  # its zone named
    with translation.override("es"):
        assert date_format(dt.date(2026, 12, 6), "SHORT_DATE_FORMAT") == "06/12/2026"
