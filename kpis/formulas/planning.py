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


def spread(*, totals: dict[str, float | None], working_days: dict[str, int]) -> dict[str, dict[str, float | int | None]]:
    """Spread the totals over months in proportion to their working days, and per working day."""
    all_days = sum(working_days.values())
    months = {}
    for month, days in working_days.items():
        share = days / all_days if all_days else None
        entry: dict[str, float | int | None] = {"working_days": days}
        for name, total in totals.items():
            in_month = None if total is None or share is None else total * share
            entry[name] = round_up(in_month)
            entry[f"{name}_per_working_day"] = round_up(in_month / days) if in_month is not None and days else None
        months[month] = entry
    return months
