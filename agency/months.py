"""Calendar months: the one type every app uses to parse, print, shift and bound a month.

A month is a calendar month in some client's time zone (kpis.md): snapshots, imports, the
qualification backtest and the monthly close all speak of "2026-03". The type is pure (no
database, no settings) and sits in the lowest app so that every other app may import it.

Shifting is integer arithmetic on the month's index (``year * 12 + month - 1``); days are shifted
with :func:`add_months` the same way (the same day ``n`` months later, clamped to the month's end,
as ``dateutil.relativedelta`` does, at a fraction of its cost: contract lifetime values shift
every contract's dates for every month computed).
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from collections.abc import Container
from dataclasses import dataclass
from typing import Self
from zoneinfo import ZoneInfo

_TEXT = re.compile(r"(\d{4})-(\d{2})")


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant (in UTC) a ``day`` begins in ``zone``.

    Where the clocks jump at midnight (no 00:00 that day) this is the instant of the same wall
    time with the offset in force before the jump, as Python's zoneinfo reads it (fold=0).
    """
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later (or earlier), clamped to that month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """One calendar month. Frozen, ordered and hashable; ``str()`` is ``YYYY-MM``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"{self.year:04d}-{self.month:02d} is not a month: the year runs 1–9999, the month 1–12")

    # --- making one ------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Self:
        """``"2026-03"`` → ``Month(2026, 3)``; anything else raises a ValueError saying what is expected."""
        match = _TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"{text!r} is not a month: write it YYYY-MM, e.g. 2026-03")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, value: dt.date | dt.datetime, tz: dt.tzinfo | None = None) -> Self:
        """The month a date falls in, or the month an aware instant falls in as seen in ``tz``.

        A datetime needs ``tz`` and must be aware: the month of an instant depends on where you
        stand (23:30 UTC on 31 March is April in Madrid).
        """
        if isinstance(value, dt.datetime):
            if tz is None or value.tzinfo is None or value.utcoffset() is None:
                raise ValueError("the month of an instant needs an aware datetime and a time zone")
            value = value.astimezone(tz)
        return cls(value.year, value.month)

    @classmethod
    def from_index(cls, index: int) -> Self:
        return cls(index // 12, index % 12 + 1)

    @classmethod
    def range(cls, first: Month, last: Month) -> list[Self]:
        """Every month from ``first`` to ``last``, both included, oldest first (empty if last < first)."""
        return [cls.from_index(index) for index in range(first.index, last.index + 1)]

    @classmethod
    def between(cls, first: dt.datetime, last: dt.datetime, tz: dt.tzinfo) -> list[Self]:
        """The months (as seen in ``tz``) from the instant ``first`` to the instant ``last``, both included."""
        return cls.range(cls.of(first, tz), cls.of(last, tz))

    # --- reading one -----------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indexes."""
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, monthrange(self.year, self.month)[1])

    def days(self) -> list[dt.date]:
        """Every day of the month, in order."""
        return [self.first_day + dt.timedelta(days=offset) for offset in range(self.last_day.day)]

    def working_days(self, holidays: Container[dt.date] = (), *, through: dt.date | None = None) -> int:
        """Monday to Friday in the month, minus ``holidays`` (the client's); with ``through``, only
        the days up to that one (included): the working days of a month so far."""
        if through is None and isinstance(holidays, (set, frozenset, tuple, list)):
            # Counted, not walked (every snapshot asks for two months, the checks for four): the
            # weekdays of the month, less the holidays that are weekdays of it.
            first_weekday, length = monthrange(self.year, self.month)
            weeks, rest = divmod(length, 7)
            weekdays = weeks * 5 + sum(1 for offset in range(rest) if (first_weekday + offset) % 7 < 5)
            return weekdays - sum(
                1 for day in set(holidays)
                if type(day) is dt.date and day.year == self.year and day.month == self.month and day.weekday() < 5
            )  # fmt: skip
        return sum(1 for day in self.days() if day.weekday() < 5 and day not in holidays and (through is None or day <= through))

    def bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The instants (in UTC) the month spans in ``tz``: its first midnight, and the next month's.

        Half-open: an instant ``t`` is in the month when ``start <= t < end``. Across a change
        of clocks the span is an hour shorter or longer than its days times 24 hours.
        """
        return local_midnight(self.first_day, tz), local_midnight((self + 1).first_day, tz)

    # --- arithmetic ------------------------------------------------------------------------

    def __add__(self, months: int) -> Self:
        if not isinstance(months, int):
            return NotImplemented
        return self.from_index(self.index + months)

    __radd__ = __add__

    def __sub__(self, other: int | Month) -> Self | int:
        """``month - 3`` is three months earlier; ``month - other`` is how many months apart they are."""
        if isinstance(other, Month):
            return self.index - other.index
        if not isinstance(other, int):
            return NotImplemented
        return self.from_index(self.index - other)
