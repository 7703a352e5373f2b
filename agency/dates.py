"""The one range of dates the portal accepts, everywhere (issue #10 item 3).

Every date and timestamp that comes in — importer cells, API fields, form fields, query
parameters, command options — must fall between ``PORTAL_DATE_MIN`` and ``PORTAL_DATE_MAX``
(settings, default 2000-01-01 … 2100-12-31). Outside it, month arithmetic (the 13 months a
snapshot reads, the plan's months, time-zone conversion) would reach year 0 or 10000 and fail
long after the value was stored; inside it, every computation has room on both sides.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agency.months import Month


def date_bounds() -> tuple[dt.date, dt.date]:
    return settings.PORTAL_DATE_MIN, settings.PORTAL_DATE_MAX


def date_in_range(value: dt.date | dt.datetime) -> bool:
    first, last = date_bounds()
    day = value.date() if isinstance(value, dt.datetime) else value
    return first <= day <= last


def date_range_message() -> str:
    first, last = date_bounds()
    return _("outside the dates this portal accepts (%(first)s to %(last)s)") % {
        "first": first.isoformat(), "last": last.isoformat()}


def date_range_validate(value: dt.date | dt.datetime) -> None:
    """A validator for form and model fields."""
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_range")


def month_parse(text: object) -> dt.date | None:
    """``YYYY-MM`` inside the range, as the first day of the month (agency.months.Month); else None."""
    if not isinstance(text, str):
        return None
    try:
        month = Month.parse(text).first_day
    except ValueError:
        return None
    return month if date_in_range(month) else None


def date_parse(text: object) -> dt.date | None:
    """``YYYY-MM-DD`` (ASCII) inside the range; else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) != 10 or not text.isascii() or text[4] != "-" or text[7] != "-":
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if date_in_range(day) else None


def months_fit(start: dt.date, months: int) -> bool:
    """Whether ``months`` months from ``start`` (a contract's term) still end inside the range."""
    last = start.year * 12 + start.month - 1 + months
    return last // 12 <= date_bounds()[1].year
