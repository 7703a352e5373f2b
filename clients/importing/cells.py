"""Parsers for one CSV cell (formats.md "CSV files"): text in, a typed value or a reason out.

Every parser takes the cell's text, already stripped and known to be non-empty, and
returns the value to store or raises :class:`CellError` with a translatable reason. They are
shared by the file importer and the ingestion API so both accept exactly the same values.
Text is never interpreted beyond its type: a value that looks like a spreadsheet formula
(``=SUM(A1)``, ``+1``, ``@x``) is stored as given and never evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency.dates import date_bounds, date_in_range, date_range_message

UTC = dt.UTC
Parser = Callable[[str], Any]

TRUE_WORDS = frozenset({"true", "1", "yes"})
FALSE_WORDS = frozenset({"false", "0", "no"})


class CellError(ValueError):
    """A cell's value is not acceptable; ``reason`` says why, for the person fixing the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(value: str) -> str | None:
    """Why a text cannot be stored (a NUL character, a lone UTF-16 surrogate), or None."""
    if "\x00" in value:
        return _("contains a NUL character")
    if not value.isascii() and _SURROGATE.search(value) is not None:  # a C scan, not a Python loop per character
        return _("contains an invalid character (a lone surrogate)")
    return None


def cell_text(value: Any) -> str:
    """A typed value written as a canonical CSV cell (how a typed value is shown in messages)."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def storable(value: str) -> str:
    """The text with what PostgreSQL cannot store replaced (for keys and messages of bad rows)."""
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")


def text(max_length: int | None) -> Parser:
    def parse(value: str) -> str:
        if max_length is not None and len(value) > max_length:
            raise CellError(_("longer than %(n)s characters") % {"n": max_length})
        return value

    return parse


def choice(values: tuple[str, ...]) -> Parser:
    allowed = frozenset(values)

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(_("not one of: %(values)s") % {"values": ", ".join(values)})
        return value

    return parse


def boolean(value: str) -> bool:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("not a boolean (true/false, 1/0, yes/no)"))


NOT_A_DATE = gettext_noop("not a date in the form YYYY-MM-DD")
NOT_A_TIMESTAMP = gettext_noop("not an ISO 8601 timestamp (YYYY-MM-DDTHH:MM:SS, optionally with an offset)")


def _iso(value: str, read: Callable[[str], Any], *, exact: bool, message: str) -> Any:
    """``read`` (a ``fromisoformat``) of text that starts YYYY-MM-DD (is exactly that when ``exact``):
    fromisoformat alone also accepts "20260304" and week dates, which the formats do not promise.
    ``message`` is translated only when the value is refused (this runs for every cell)."""
    if (len(value) != 10 if exact else len(value) < 10) or value[4] != "-" or value[7] != "-":
        raise CellError(_(message))
    try:
        return read(value)
    except ValueError:
        raise CellError(_(message)) from None


def _utc(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """A naive time is a wall-clock time in ``zone``; every time is stored in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise CellError(date_range_message()) from None


def date(value: str) -> dt.date:
    day = _iso(value, dt.date.fromisoformat, exact=True, message=NOT_A_DATE)
    if not date_in_range(day):
        raise CellError(date_range_message())
    return day


def _date_check(value: Any) -> dt.date:
    """``date`` for a value already typed (the sources): the same checks without the text."""
    if type(value) is not dt.date:
        return date(cell_text(value))
    if not date_in_range(value):
        raise CellError(date_range_message())
    return value


date.check = _date_check  # type: ignore[attr-defined]


def timestamp(zone: ZoneInfo) -> Parser:
    """ISO 8601 timestamps; a naive one is a wall-clock time in the client's time zone.

    ``replace(tzinfo=zone)`` keeps ``fold=0``: an ambiguous time (the repeated hour when
    clocks go back) is the earlier instant, and a time that does not exist (skipped when
    clocks go forward) is read with the offset before the change, i.e. moved forward by the
    gap (02:30 on the spring-forward day in Madrid is stored as 03:30 CEST).
    """

    def parse(value: str) -> dt.datetime:
        moment = _iso(value, dt.datetime.fromisoformat, exact=False, message=NOT_A_TIMESTAMP)
        # Judged on the wall-clock date as written, before any conversion: 9999-12-31T23:59:59-12:00
        # would overflow when converted to UTC, year 1 would fail later in month arithmetic.
        if not date_in_range(moment):
            raise CellError(date_range_message())
        return _utc(moment, zone)

    first, last = date_bounds()  # read once per parser (per import), not per value

    def check(moment: Any) -> dt.datetime:
        # A typed wall-clock time (the sources): what parse(moment.isoformat(timespec="seconds")) gives.
        if type(moment) is not dt.datetime:
            return parse(cell_text(moment))
        if moment.microsecond:
            moment = moment.replace(microsecond=0)
        if not first <= moment.date() <= last:
            raise CellError(date_range_message())
        return _utc(moment, zone)

    parse.check = check  # type: ignore[attr-defined]
    return parse


def count(maximum: int = 2**63 - 1) -> Parser:
    """A whole number that cannot be negative (counts, employees, age, term_months)."""

    def bounded(number: int) -> int:
        if number < 0:
            raise CellError(_("negative; a count or an amount cannot be negative"))
        if number > maximum:
            raise CellError(_("too large (at most %(n)s)") % {"n": maximum})
        return number

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise CellError(_("not a whole number")) from None
        return bounded(number)

    def check(number: Any) -> int:  # a typed value (the sources): an int is only bounded
        return bounded(number) if type(number) is int else parse(cell_text(number))

    parse.check = check  # type: ignore[attr-defined]
    return parse


def amount(max_digits: int, decimal_places: int) -> Parser:
    """A non-negative decimal amount that fits the column."""
    limit = Decimal(10) ** (max_digits - decimal_places)

    def bounded(number: Decimal) -> Decimal:
        if not number.is_finite():
            raise CellError(_("not a number (use a dot for decimals, no thousands separators)"))
        if number < 0:
            raise CellError(_("negative; a count or an amount cannot be negative"))
        if number >= limit:
            raise CellError(_("too large (less than %(n)s)") % {"n": limit})
        return number

    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError(_("not a number (use a dot for decimals, no thousands separators)")) from None
        return bounded(number)

    def check(number: Any) -> Decimal:  # a typed value (the sources): a Decimal is only bounded
        return bounded(number) if type(number) is Decimal else parse(cell_text(number))

    parse.check = check  # type: ignore[attr-defined]
    return parse


def interests(value: str) -> list[str]:
    items = [item.strip() for item in value.split(";")]
    items = [item for item in items if item]
    for item in items:
        if len(item) > 100:
            raise CellError(_("an interest is longer than 100 characters"))
    return items
