"""The reverse funnel (kpis.md "Planning"): from a revenue goal back to the sessions it needs.

Each step divides the previous step's unrounded value; each reported count is rounded up.
"""

from __future__ import annotations

import math

STEPS = (
    ("deals", None),
    ("sqls", "sql_to_customer"),
    ("mqls", "mql_to_sql"),
    ("leads", "lead_to_mql"),
    ("sessions", "traffic_to_lead"),
)


def reverse_funnel(*, revenue_goal: float, average_deal: float, rates: dict[str, float | None]) -> dict[str, float | None]:
    """deals = goal ÷ average deal; SQLs = deals ÷ SQL→customer; MQLs = SQLs ÷ MQL→SQL;
    leads = MQLs ÷ lead→MQL; sessions = leads ÷ traffic→lead. Unrounded; None past a missing or zero rate."""
    values: dict[str, float | None] = {}
    current: float | None = revenue_goal / average_deal if average_deal else None
    for name, rate_name in STEPS:
        if rate_name is not None:
            rate = rates.get(rate_name)
            current = current / rate if current is not None and rate else None
        values[name] = current
    return values


def round_up(value: float | None) -> int | None:
    """Whole units, up: a plan that needs 2.1 deals needs 3. Tolerates float noise (3.0000000001 is 3)."""
    return None if value is None else math.ceil(round(value, 9))


def pace_up(count: int | None, days: int) -> float | None:
    """``count`` ÷ ``days`` rounded up to one decimal, exactly (7 over 10 days is 0.7, not 0.8 by float noise)."""
    if count is None or not days:
        return None
    return math.ceil(round(count * 10 / days, 9)) / 10


def spread(*, totals: dict[str, float | None], working_days: dict[str, int]) -> dict[str, dict[str, float | int | None]]:
    """Spread the totals over months in proportion to their working days, and per working day.

    Each month's count is whole and the months add up to the reported (rounded-up) total: the
    total is shared by largest remainder (each month gets the floor of its share, the units left
    go to the largest fractions, earlier months first on ties). Per working day is a rate, not a
    count: the month's count ÷ its working days, rounded up to one decimal (3.4 leads a day, not 4),
    so that the pace kept every working day reaches the month's count (1.6 a day over 21 days is 33.6,
    short of a month of 34: 1.7).
    """
    all_days = sum(working_days.values())
    months: dict[str, dict[str, float | int | None]] = {month: {"working_days": days} for month, days in working_days.items()}
    for name, total in totals.items():
        whole = round_up(total)
        counts: dict[str, int | None] = {month: None for month in working_days}
        if whole is not None and all_days:
            exact = {month: whole * days / all_days for month, days in working_days.items()}
            floors = {month: math.floor(round(value, 9)) for month, value in exact.items()}
            left = whole - sum(floors.values())
            order = sorted(exact, key=lambda m: -(exact[m] - floors[m]))
            for month in order[:left]:
                floors[month] += 1
            counts = dict(floors)
        for month, days in working_days.items():
            months[month][name] = counts[month]
            months[month][f"{name}_per_working_day"] = pace_up(counts[month], days)
    return months
