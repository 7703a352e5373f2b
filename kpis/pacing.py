"""Pacing: is the month (or the quarter) on its way to the client's targets, by working days?

Targets are the client's (``portfolio.Target``, set by staff or from the reverse-funnel planner,
``kpis.services.targets_from_plan``). A count so far is projected to the period's end in
proportion to working days (Monday–Friday minus the client's holidays, kpis.md), like the
report's month-to-date pace; what is still needed is spread over the working days left. Pure:
plain numbers in, a ``Pace`` out; ``kpis.report.pacing_rows`` reads them from the scorecard.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from agency.months import Month

# The figures paced, in the order shown: spend, then the funnel the plan is made of.
PACED_KPIS = ("marketing_spend", "new_leads", "mqls", "sqls")
SPEND_KPIS = frozenset({"marketing_spend"})
SPEND_TOLERANCE = 0.10  # spend within ±10 % of its budget by the end is on track


@dataclass(frozen=True)
class Pace:
    """One figure against its target over a period of ``total`` working days, ``elapsed`` gone.

    ``status``: ``on_track``, ``behind`` (a count short of its target at this pace), ``over``
    / ``under`` (spend beyond ±10 % of its budget), ``met`` (already at or past the target), or
    ``missed`` (the period is over, short of the target)."""

    kpi: str
    actual: float
    target: float
    elapsed: int
    total: int
    projected: float
    status: str
    gap: float  # target − projected (behind: how many short; spend: how far from the budget)
    needed_per_day: float | None  # (target − actual) ÷ working days left; None when none are left

    @property
    def left(self) -> int:
        return max(self.total - self.elapsed, 0)

    @property
    def share(self) -> float:
        """The actual as a share of the target (the bar's filled length, 0–1)."""
        return min(max(self.actual / self.target, 0.0), 1.0) if self.target else 1.0

    @property
    def expected_share(self) -> float:
        """Where the bar should be by now: working days gone ÷ working days in the period."""
        return self.elapsed / self.total if self.total else 1.0


def pace(*, kpi: str, actual: float, target: float, elapsed: int, total: int) -> Pace | None:
    """projected = actual × total ÷ elapsed; needs (target − actual) ÷ (total − elapsed) a working day.

    None without a target or working days, or before the first working day has passed (nothing
    to project from). A count is behind when its projection falls short of the target (by the
    whole units ``gap`` rounds up to); spend is over or under when its projection is more than
    10 % away from the budget."""
    if target is None or target <= 0 or total <= 0 or elapsed <= 0:
        return None
    elapsed = min(elapsed, total)
    projected = actual * total / elapsed
    left = total - elapsed
    needed = (target - actual) / left if left else None
    if kpi in SPEND_KPIS:
        if projected > target * (1 + SPEND_TOLERANCE):
            status = "over"
        elif projected < target * (1 - SPEND_TOLERANCE):
            status = "under"
        else:
            status = "on_track"
    elif actual >= target:
        status = "met"
    elif not left:
        status = "missed"
    else:
        status = "on_track" if projected >= target else "behind"
    gap = target - projected
    if kpi not in SPEND_KPIS:
        gap = math.ceil(round(gap, 9)) if gap > 0 else 0
    return Pace(
        kpi=kpi, actual=actual, target=target, elapsed=elapsed, total=total, projected=projected,
        status=status, gap=gap, needed_per_day=max(needed, 0.0) if needed is not None else None,
    )  # fmt: skip


def working_days_in(month: dt.date, holidays: set[dt.date] | frozenset[dt.date]) -> int:
    """Monday–Friday of the month minus the client's holidays (kpis.md "Working days")."""
    return Month.of(month).working_days(holidays)


def quarter_months(month: dt.date) -> list[dt.date]:
    """The three first days of the calendar quarter ``month`` falls in."""
    first = Month(month.year, (month.month - 1) // 3 * 3 + 1)
    return [(first + i).first_day for i in range(3)]


@dataclass(frozen=True)
class MonthFigures:
    """One month of a quarter as pacing needs it: its working days (all, and gone at the date of
    pacing), the figures so far (None for a month not begun) and its targets."""

    month: dt.date
    working_total: int
    working_elapsed: int
    figures: dict[str, float | None] | None
    targets: dict[str, float]


def quarter_pace(months: list[MonthFigures], *, kpi: str) -> Pace | None:
    """The quarter's pace for ``kpi``: figures summed over the months begun, targets over all
    three (None unless every month of the quarter has a target for it), working days likewise."""
    if not months or any(kpi not in m.targets for m in months):
        return None
    actual = sum((m.figures or {}).get(kpi) or 0 for m in months)
    return pace(
        kpi=kpi,
        actual=actual,
        target=sum(m.targets[kpi] for m in months),
        elapsed=sum(m.working_elapsed for m in months),
        total=sum(m.working_total for m in months),
    )
