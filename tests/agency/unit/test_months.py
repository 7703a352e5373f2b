"""The month type by hand, with no database: parsing, printing, arithmetic, ranges, and the
instants a month spans in a time zone across year ends and changes of clocks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agency.months import Month, add_months, local_midnight

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def test_parse_and_str_round_trip() -> None:
    assert Month.parse("2026-03") == Month(2026, 3)
    assert str(Month(2026, 3)) == "2026-03"
    assert str(Month(987, 1)) == "0987-01"
    assert Month.parse(" 2026-12 ") == Month(2026, 12)


@pytest.mark.parametrize("text", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "2026-03-01", "", "march", None])
def test_parse_refuses_anything_but_yyyy_mm_with_a_clear_error(text) -> None:
    with pytest.raises(ValueError, match="is not a month"):
        Month.parse(text)


def test_a_month_is_frozen_ordered_and_hashable() -> None:
    march = Month(2026, 3)
    with pytest.raises(AttributeError):
        march.month = 4  # type: ignore[misc]
    assert Month(2025, 12) < Month(2026, 1) < march
    assert max([march, Month(2025, 12)]) == march
    assert {march, Month.parse("2026-03")} == {march}
    assert sorted([march, Month(2025, 1), Month(2026, 1)]) == [Month(2025, 1), Month(2026, 1), march]


def test_adding_and_subtracting_months_crosses_year_ends() -> None:
    assert Month(2025, 12) + 1 == Month(2026, 1)
    assert 1 + Month(2025, 12) == Month(2026, 1)
    assert Month(2026, 1) - 1 == Month(2025, 12)
    assert Month(2026, 3) - 15 == Month(2024, 12)
    assert Month(2026, 3) + 24 == Month(2028, 3)
    assert Month(2026, 3) - Month(2025, 1) == 14
    assert Month(2026, 3) + 0 == Month(2026, 3)


def test_first_and_last_day_and_days() -> None:
    assert Month(2024, 2).first_day == dt.date(2024, 2, 1)
    assert Month(2024, 2).last_day == dt.date(2024, 2, 29)
    assert Month(2025, 2).last_day == dt.date(2025, 2, 28)
    assert Month(2025, 12).last_day == dt.date(2025, 12, 31)
    assert len(Month(2025, 2).days()) == 28 and Month(2025, 2).days()[-1] == dt.date(2025, 2, 28)


def test_range_includes_both_ends_and_is_empty_when_backwards() -> None:
    assert Month.range(Month(2025, 11), Month(2026, 2)) == [Month(2025, 11), Month(2025, 12), Month(2026, 1), Month(2026, 2)]
    assert Month.range(Month(2026, 2), Month(2026, 2)) == [Month(2026, 2)]
    assert Month.range(Month(2026, 2), Month(2026, 1)) == []


def test_of_a_date_and_of_an_instant_in_a_time_zone() -> None:
    assert Month.of(dt.date(2026, 3, 31)) == Month(2026, 3)
    late = dt.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 00:30 on 1 April in Madrid
    assert Month.of(late, UTC) == Month(2026, 3)
    assert Month.of(late, MADRID) == Month(2026, 4)
    new_year = dt.datetime(2026, 1, 1, 3, 0, tzinfo=UTC)  # still 31 December in New York
    assert Month.of(new_year, NEW_YORK) == Month(2025, 12)
    with pytest.raises(ValueError, match="aware"):
        Month.of(dt.datetime(2026, 3, 1), MADRID)
    with pytest.raises(ValueError, match="time zone"):
        Month.of(late)


def test_between_two_instants_as_seen_in_a_time_zone() -> None:
    first = dt.datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # January in Madrid
    last = dt.datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # April in Madrid
    assert Month.between(first, last, MADRID) == Month.range(Month(2026, 1), Month(2026, 4))
    assert Month.between(first, last, UTC) == Month.range(Month(2025, 12), Month(2026, 3))


def test_bounds_are_local_midnights_across_a_spring_change_of_clocks() -> None:
    start, end = Month(2026, 3).bounds(MADRID)  # clocks go forward on 29 March 2026
    assert start == dt.datetime(2026, 2, 28, 23, 0, tzinfo=UTC)  # CET, UTC+1
    assert end == dt.datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST, UTC+2
    assert end - start == dt.timedelta(days=31) - dt.timedelta(hours=1)
    assert start.tzinfo is UTC and end.tzinfo is UTC


def test_bounds_across_an_autumn_change_of_clocks_and_a_year_end() -> None:
    start, end = Month(2025, 11).bounds(NEW_YORK)  # clocks go back on 2 November 2025
    assert start == dt.datetime(2025, 11, 1, 4, 0, tzinfo=UTC)  # EDT, UTC−4
    assert end == dt.datetime(2025, 12, 1, 5, 0, tzinfo=UTC)  # EST, UTC−5
    assert end - start == dt.timedelta(days=30, hours=1)
    december = Month(2025, 12).bounds(NEW_YORK)
    assert december == (dt.datetime(2025, 12, 1, 5, tzinfo=UTC), dt.datetime(2026, 1, 1, 5, tzinfo=UTC))


def test_bounds_where_midnight_does_not_exist() -> None:
    # Santiago de Chile moved its clocks forward at 00:00 on 7 September 2025: that midnight never
    # happened; the day's first instant follows zoneinfo's reading (the offset before the jump).
    santiago = ZoneInfo("America/Santiago")
    assert local_midnight(dt.date(2025, 9, 7), santiago) == dt.datetime(2025, 9, 7, 4, 0, tzinfo=UTC)
    assert Month(2025, 9).bounds(santiago)[0] == dt.datetime(2025, 9, 1, 4, 0, tzinfo=UTC)


def test_add_months_to_a_day_clamps_to_the_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 30), 3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 15), -15) == dt.date(2024, 12, 15)


@given(st.integers(1, 9998), st.integers(1, 12), st.integers(-1200, 1200))
def test_arithmetic_agrees_with_the_first_day_shifted_by_relativedelta(year: int, month: int, shift: int) -> None:
    start = Month(year, month)
    if not 12 <= start.index + shift < 9999 * 12:
        return
    moved = start + shift
    assert moved.first_day == add_months(start.first_day, shift)
    assert moved - start == shift and moved - shift == start
    assert Month.parse(str(moved)) == moved
    assert Month.of(moved.last_day) == moved and Month.of(moved.first_day) == moved


def test_working_days_leave_out_weekends_and_holidays_and_can_stop_at_a_day() -> None:
    december = Month(2025, 12)  # 1 December 2025 is a Monday: 23 weekdays
    assert december.working_days() == 23
    assert december.working_days({dt.date(2025, 12, 8), dt.date(2025, 12, 27)}) == 22  # the 27th is a Saturday
    assert december.working_days(through=dt.date(2025, 12, 7)) == 5
    assert december.working_days({dt.date(2025, 12, 1)}, through=dt.date(2025, 12, 1)) == 0


@given(st.dates(dt.date(2, 1, 1), dt.date(9997, 12, 31)), st.integers(-12, 120))
def test_add_months_agrees_with_relativedelta(day: dt.date, shift: int) -> None:
    from dateutil.relativedelta import relativedelta  # the oracle; the portal no longer needs it here

    assert add_months(day, shift) == day + relativedelta(months=shift)


@given(
    st.integers(1, 9999),
    st.integers(1, 12),
    st.lists(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)) | st.datetimes().map(lambda t: t), max_size=12),
    st.sampled_from([set, frozenset, tuple, list]),
    st.booleans(),
)
def test_working_days_counted_are_the_days_walked(year, month, holidays, kind, inside) -> None:
    """The counted working days (a set, tuple or list of holidays) equal the walked ones, day by day."""
    m = Month(year, month)
    if inside:  # holidays within the month, weekdays or not
        holidays = [m.first_day + dt.timedelta(days=h.toordinal() % (m.last_day.day)) for h in holidays]
    walked = sum(1 for day in m.days() if day.weekday() < 5 and day not in holidays)
    assert m.working_days(kind(holidays)) == walked
    assert m.last_day == (m + 1).first_day - dt.timedelta(days=1) if year < 9999 or month < 12 else m.last_day.day == 31
