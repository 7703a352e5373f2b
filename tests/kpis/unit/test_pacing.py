"""Pacing against targets by working days: on track, behind by N, what is needed a working day."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.pacing import MonthFigures, pace, quarter_months, quarter_pace


def test_behind_says_by_how_many_and_what_is_needed_a_working_day():
    p = pace(kpi="mqls", actual=40, target=100, elapsed=10, total=22)
    assert p.projected == pytest.approx(88.0)
    assert p.status == "behind" and p.gap == 12  # 88 at this pace: 12 short
    assert p.needed_per_day == pytest.approx(60 / 12)  # 60 more in the 12 working days left
    assert p.left == 12 and p.share == pytest.approx(0.4) and p.expected_share == pytest.approx(10 / 22)


def test_on_track_met_and_missed():
    assert pace(kpi="new_leads", actual=50, target=100, elapsed=11, total=22).status == "on_track"
    assert pace(kpi="new_leads", actual=100, target=100, elapsed=15, total=22).status == "met"
    missed = pace(kpi="new_leads", actual=90, target=100, elapsed=22, total=22)
    assert missed.status == "missed" and missed.needed_per_day is None and missed.gap == 10


def test_spend_is_on_track_within_ten_percent_of_its_budget():
    assert pace(kpi="marketing_spend", actual=5000, target=10000, elapsed=11, total=22).status == "on_track"
    assert pace(kpi="marketing_spend", actual=6000, target=10000, elapsed=11, total=22).status == "over"
    assert pace(kpi="marketing_spend", actual=4000, target=10000, elapsed=11, total=22).status == "under"


def test_no_pace_without_a_target_or_a_working_day_gone():
    assert pace(kpi="mqls", actual=5, target=0, elapsed=3, total=20) is None
    assert pace(kpi="mqls", actual=0, target=10, elapsed=0, total=20) is None


def test_the_quarter_sums_months_begun_and_needs_every_months_target():
    assert quarter_months(dt.date(2026, 11, 1)) == [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    months = [
        MonthFigures(dt.date(2026, 10, 1), 22, 22, {"mqls": 30}, {"mqls": 30}),
        MonthFigures(dt.date(2026, 11, 1), 20, 10, {"mqls": 10}, {"mqls": 30}),
        MonthFigures(dt.date(2026, 12, 1), 19, 0, None, {"mqls": 30}),  # 23 Dec–1 Jan holidays elsewhere
    ]
    q = quarter_pace(months, kpi="mqls")
    assert (q.actual, q.target, q.elapsed, q.total) == (40, 90, 32, 61)
    assert q.status == "behind" and q.needed_per_day == pytest.approx(50 / 29)
    assert quarter_pace([*months[:2], MonthFigures(dt.date(2026, 12, 1), 19, 0, None, {})], kpi="mqls") is None
