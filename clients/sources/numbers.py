"""Numbers and dates as platforms write them, in the file's language (sources.md "Reading a file").

A file's numbers follow its language: ``1,234.56`` in an English file, ``1.234,56`` in a
Spanish one. Thousands separators must group digits by three, so an English decimal slipped
into a Spanish file (``12.50``) is refused instead of being read as 1,250. ``--`` and empty
cells are "not given" (None); ``27.78%`` is the fraction 0.2778.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

NOT_GIVEN = frozenset({"", "--", "-", "—", "n/a", "N/A"})

# decimal separator -> (thousands separator, example)
SEPARATORS = {".": (",", "1,234.56"), ",": (".", "1.234,56")}


class ValueProblem(ValueError):
    """A cell a source cannot read; ``reason`` is for the person fixing the file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ReadsTwoWays(ValueProblem):
    """An amount that reads two ways (``money``): the file's number format, not the cell, is in doubt,
    so the upload offers to say how the file writes numbers (``decimal`` of its import job)."""


def _pattern(decimal: str) -> re.Pattern[str]:
    thousands = re.escape(SEPARATORS[decimal][0])
    point = re.escape(decimal)
    return re.compile(rf"^[+-]?(?:\d{{1,3}}(?:{thousands}\d{{3}})+|\d+)(?:{point}\d+)?$|^[+-]?{point}\d+$")


_PATTERNS = {decimal: _pattern(decimal) for decimal in SEPARATORS}


_PLAIN = {".": re.compile(r"^-?\d+(?:\.\d+)?$"), ",": re.compile(r"^-?\d+(?:,\d+)?$")}


def _ascii_digits(text: str) -> bool:
    return text.isdigit() and text.isascii()  # str.isdigit alone also takes "²" and other scripts' digits


def _grouped(integer: str, thousands: str) -> str | None:
    """The ASCII digits of an integer part grouped by three with ``thousands`` ("1,234,567"), or None."""
    parts = integer.split(thousands)
    if len(parts) < 2 or not 1 <= len(parts[0]) <= 3 or any(len(part) != 3 for part in parts[1:]):
        return None
    digits = "".join(parts)
    return digits if _ascii_digits(digits) else None


def _common(value: str, decimal: str) -> Decimal | None:
    """The common shapes of a non-negative number (``1234``, ``1234.5``, ``1,234.5``) read without a
    regular expression, exactly as the patterns below would read them; None: let them decide."""
    integer, point, fraction = value.partition(decimal)
    if point and not _ascii_digits(fraction):
        return None
    if not _ascii_digits(integer):
        integer = _grouped(integer, SEPARATORS[decimal][0])
        if integer is None:
            return None
    return Decimal(f"{integer}.{fraction}" if point else integer)


def number(text: str, *, decimal: str = ".") -> Decimal | None:
    """A number written with ``decimal`` as its decimal separator; None when not given."""
    value = text.strip()
    common = _common(value, decimal)
    if common is not None:
        return common
    if _PLAIN[decimal].match(value):  # the common case, without separators or symbols
        return Decimal(value if decimal == "." else value.replace(",", "."))
    if _PATTERNS[decimal].match(value):  # with thousands separators
        return Decimal(value.replace(SEPARATORS[decimal][0], "").replace(decimal, "."))
    value = value.replace("\u00a0", "").replace("\u202f", "")
    if value in NOT_GIVEN:
        return None
    percent = value.endswith("%")
    if percent:
        value = value[:-1].strip()
    for symbol in ("€", "$", "£"):
        value = value.replace(symbol, "")
    value = value.strip()
    if not _PATTERNS[decimal].match(value):
        raise ValueProblem(_("not a number as this file writes them (like %(example)s)")
                           % {"example": SEPARATORS[decimal][1]})
    thousands = SEPARATORS[decimal][0]
    plain = value.replace(thousands, "").replace(decimal, ".")
    try:
        result = Decimal(plain)
    except InvalidOperation:
        raise ValueProblem(_("not a number")) from None
    return result / 100 if percent else result


# An amount whose decimal mark is followed by exactly three digits, after one to three digits: the
# thousands separator of the other way of writing numbers as much as a decimal mark.
_TWO_WAYS = {decimal: re.compile(rf"^[+-]?\d{{1,3}}{re.escape(decimal)}\d{{3}}$") for decimal in SEPARATORS}
_OTHER = {".": ",", ",": "."}  # the other way's decimal mark


def money(text: str, *, decimal: str = ".") -> Decimal | None:
    """An amount of money, read as ``number`` does, except one that reads two ways.

    A file's decimal mark comes from its header's language, but a platform's number format is a
    setting of its own (a HubSpot account in Spanish writing "24,500" the English way). An amount
    has cents, not thousandths, so "24,500" read as 24.5 would divide a deal by a thousand in
    silence: it is refused with both readings instead, never guessed (a count has no such case:
    ``whole`` refuses "24,5" already)."""
    bare = text.strip().replace("\u00a0", "").replace("\u202f", "")
    for symbol in ("€", "$", "£"):
        bare = bare.replace(symbol, "")
    bare = bare.strip()
    if _TWO_WAYS[decimal].match(bare):
        integer, _mark, fraction = bare.partition(decimal)
        raise ReadsTwoWays(
            _("reads two ways: %(small)s as this file writes numbers (like %(example)s), or %(large)s as they are "
              "written like %(other_example)s; an amount has at most two decimals, so write %(large)s without a "
              "separator (or, if the whole file writes its numbers like %(other_example)s, map its columns with that "
              "decimal mark)")
            % {"small": f"{integer}{decimal}{fraction.rstrip('0')}" if fraction.rstrip("0") else integer,
               "large": f"{integer}{fraction}", "example": SEPARATORS[decimal][1],
               "other_example": SEPARATORS[_OTHER[decimal]][1]})
    return number(text, decimal=decimal)


def whole(text: str, *, decimal: str = ".") -> int | None:
    """A count: a number without a fractional part."""
    if decimal not in text:  # the common cases, "1234" and "1,234", without a Decimal
        digits = text if _ascii_digits(text) else _grouped(text, SEPARATORS[decimal][0])
        if digits is not None:
            return int(digits)
    value = number(text, decimal=decimal)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueProblem(_("not a whole number"))
    return int(value)


# --- dates ----------------------------------------------------------------------------------

SPANISH_MONTHS = {
    "ene": "Jan", "feb": "Feb", "mar": "Mar", "abr": "Apr", "may": "May", "jun": "Jun", "jul": "Jul",
    "ago": "Aug", "sep": "Sep", "sept": "Sep", "oct": "Oct", "nov": "Nov", "dic": "Dec",
}
_SPANISH_MONTH = re.compile(r"\b(" + "|".join(sorted(SPANISH_MONTHS, key=len, reverse=True)) + r")\.?(?=[\s,\d]|$)",
                            re.IGNORECASE)

# Formats a mapping may name, in the strftime notation (documented in docs/sources.md).
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y", "%m/%d/%y", "%d/%m/%y",
                "%b %d, %Y", "%d %b %Y")


def _english_months(text: str) -> str:
    return _SPANISH_MONTH.sub(lambda match: SPANISH_MONTHS[match.group(1).lower()], text)


def iso_moment(value: str, form: str) -> dt.datetime | None:
    """The common ISO-like formats without strptime (which costs ~40 µs a call)."""
    try:
        if form == "%Y-%m-%d" and len(value) == 10 and value[4] == "-" and value[7] == "-":
            return dt.datetime.fromisoformat(value)
        if form == "%Y%m%d" and len(value) == 8 and value.isdigit():
            return dt.datetime(int(value[:4]), int(value[4:6]), int(value[6:]))  # noqa: DTZ001 - wall-clock
        if ((form == "%Y-%m-%d %H:%M" and len(value) == 16) or (form == "%Y-%m-%d %H:%M:%S" and len(value) == 19)) \
                and value[4] == "-" and value[7] == "-" and value[10] == " " and value[13] == ":":
            return dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return None


FAST_FORMATS = frozenset({"%Y-%m-%d", "%Y%m%d", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"})


def moment(text: str, formats: tuple[str, ...]) -> dt.datetime | None:
    """A wall-clock date and time in one of ``formats`` (the first that fits); None when not given."""
    value = " ".join(text.split())
    if value in NOT_GIVEN:
        return None
    for form in formats:
        if form in FAST_FORMATS and (parsed := iso_moment(value, form)) is not None:
            return parsed
    candidates = (value, _english_months(value)) if any(c.isalpha() for c in value) else (value,)
    for candidate in candidates:
        for form in formats:
            try:
                parsed = dt.datetime.strptime(candidate, form)  # noqa: DTZ007 - a wall-clock time, zone applied later
            except ValueError:
                continue
            return parsed
    # Each form once, its seconds written too, and a slash between them, not an English "or" amid a Spanish
    # sentence ("YYYY-MM-DD HH:MM / YYYY-MM-DD HH:MM:SS / YYYY-MM-DD", not "… HH:MM:%S or YYYY-MM-DD or YYYY-MM-DD").
    # The year's letters in the reader's language, as the other date messages write them (Spanish "AAAA-MM-DD").
    year, short_year = pgettext("a date form's year", "YYYY"), pgettext("a date form's year", "YY")
    shown = " / ".join(dict.fromkeys(
        f.replace("%Y", year).replace("%m", "MM").replace("%d", "DD").replace("%H", "HH").replace("%M", "MM")
        .replace("%S", "SS").replace("%y", short_year).replace("%b", "Mon").replace("%I", "hh").replace("%p", "am/pm")
        for f in formats))
    raise ValueProblem(_("not a date in the form %(format)s") % {"format": shown})
