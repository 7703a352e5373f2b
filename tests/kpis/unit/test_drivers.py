"""Drivers of change: the parts add up to the change exactly, whatever the breakdown."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.drivers import budget_volume_split, count_decompose, exact, ratio_decompose


def test_the_hand_computed_example_of_docs_kpis_md():
    """docs/kpis.md "Drivers of change": cost per lead by channel, September → October."""
    september = {"paid_search": (1000, 10), "paid_social": (2000, 10)}
    october = {"paid_search": (1800, 20), "paid_social": (1900, 10)}
    d = ratio_decompose(september, october)
    assert d.before == 150 and d.after == Fraction(370, 3)
    assert d.change == Fraction(-80, 3)  # −26.67
    parts = {p.member: p for p in d.parts}
    assert parts["paid_search"].mix == Fraction(95, 6)  # +15.83: the share of leads moved to it
    assert parts["paid_search"].rate == Fraction(-35, 6)  # −5.83: it got cheaper (100 → 90)
    assert parts["paid_social"].mix == Fraction(-65, 2)  # −32.50: leads moved away from the dearer channel
    assert parts["paid_social"].rate == Fraction(-25, 6)  # −4.17: it got cheaper (200 → 190)
    assert d.mix == Fraction(-50, 3) and d.rate == -10
    assert [p.member for p in d.parts] == ["paid_social", "paid_search"]  # largest effect first


def test_a_member_that_appears_is_all_mix_and_one_that_disappears_too():
    d = ratio_decompose({"a": (100, 10)}, {"a": (100, 10), "b": (300, 10)})
    parts = {p.member: p for p in d.parts}
    assert d.change == 10  # 10 → 20
    assert parts["b"].rate == 0 and parts["b"].mix == 15  # half the leads, at 30 each
    assert parts["a"].total == -5 and parts["a"].rate == 0  # a kept its rate, lost half its share
    gone = ratio_decompose({"a": (100, 10), "b": (300, 10)}, {"a": (100, 10)})
    assert {p.member: p.rate for p in gone.parts}["b"] == 0


def test_spend_without_leads_is_a_rate_effect_and_zero_denominators_make_no_part():
    d = ratio_decompose({"a": (100, 10), "unattributed": (0, 0)}, {"a": (100, 10), "unattributed": (50, 0)})
    assert d.change == 5
    assert [(p.member, p.mix, p.rate) for p in d.parts] == [("unattributed", 0, 5)]
    undefined = ratio_decompose({"a": (100, 0)}, {"a": (100, 10)})
    assert undefined.before is None and undefined.change is None and undefined.parts == []


def test_a_count_splits_into_calendar_volume_and_rate():
    # MQLs = leads × qualification rate, September 20 working days, October 22.
    september = {"paid_search": (10, 40), "email": (5, 10)}
    october = {"paid_search": (16, 44), "email": (4, 10)}
    d = count_decompose(september, october, days_before=20, days_after=22)
    assert d.before == 15 and d.after == 20
    assert d.calendar == 2 * (Fraction(15, 20) + Fraction(20, 22)) / 2
    assert d.calendar + d.mix + d.rate == 5
    search = {p.member: p for p in d.parts}["paid_search"]
    assert search.rate > 0  # 25 % → 36 % of its leads qualified


def test_a_count_without_drivers_or_working_days():
    d = count_decompose({"a": (10, None)}, {"a": (12, None), "b": (3, None)}, days_before=20, days_after=20)
    assert d.calendar == 0 and d.change == 5 and d.rate == 0
    none = count_decompose({"a": (10, 5)}, {"a": (12, 5)}, days_before=0, days_after=20)
    assert none.change == 2 and [p.total for p in none.parts] == [2]


def test_budget_and_volume_of_a_cost_per_result():
    spend_effect, volume_effect = budget_volume_split(spend_before=1000, spend_after=1500, volume_before=10, volume_after=20)
    assert spend_effect + volume_effect == Fraction(1500, 20) - 100
    assert spend_effect > 0 > volume_effect
    assert budget_volume_split(spend_before=1, spend_after=1, volume_before=0, volume_after=2) is None


amounts = st.one_of(st.just(0), st.integers(0, 10_000), st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
counts = st.integers(0, 500)
members = st.sampled_from(["google", "meta", "linkedin", "email", "direct", "unattributed", "_rest"])
breakdown = st.dictionaries(members, st.tuples(amounts, counts), max_size=6)
count_breakdown = st.dictionaries(members, st.tuples(counts, st.one_of(st.none(), counts)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(breakdown, breakdown)
def test_ratio_parts_sum_exactly_to_the_change(before, after):
    d = ratio_decompose(before, after)
    if d.defined:
        assert d.mix + d.rate == d.change
        assert sum(p.total for p in d.parts) == d.change
    else:
        assert d.parts == []


@settings(max_examples=300, deadline=None)
@given(count_breakdown, count_breakdown, st.integers(0, 23), st.integers(0, 23))
def test_count_parts_sum_exactly_to_the_change(before, after, days_before, days_after):
    d = count_decompose(before, after, days_before=days_before, days_after=days_after)
    assert d.calendar + d.mix + d.rate == d.change


@settings(max_examples=200, deadline=None)
@given(amounts, amounts, st.integers(1, 500), st.integers(1, 500))
def test_budget_volume_sum_exactly(s0, s1, v0, v1):
    spend_effect, volume_effect = budget_volume_split(spend_before=s0, spend_after=s1, volume_before=v0, volume_after=v1)
    assert spend_effect + volume_effect == exact(s1) / v1 - exact(s0) / v0  # floats read as the decimals they print as


def _paid(month_value: dict[str, tuple[float, float, int]]) -> dict:
    """A document with paid-media figures by platform: {platform: (ad spend, conversion value, conversions)}."""
    platform = {
        p: {"ad_spend": s, "conversion_value": v, "platform_conversions": c, "roas": v / s if s else None}
        for p, (s, v, c) in month_value.items()
    }
    kpis = {k: sum(m[k] for m in platform.values()) for k in ("ad_spend", "conversion_value", "platform_conversions")}
    return {"kpis": {**kpis, "working_days": 21}, "breakdowns": {"platform": platform, "channel": {}}}


def test_roas_and_cost_per_conversion_split_by_platform_as_soon_as_the_figures_exist():
    from kpis.explain import kpi_drivers, month_drivers

    september = _paid({"google_ads": (1000.0, 4000.0, 40), "meta": (1000.0, 1000.0, 20)})
    october = _paid({"google_ads": (1500.0, 6000.0, 50), "meta": (500.0, 600.0, 10), "linkedin": (250.5, 0.0, 0)})
    (roas,) = kpi_drivers(september, october, "roas")
    assert roas.dimension == "platform"
    d = roas.decomposition
    assert d.before == Fraction(5, 2) and d.after == Fraction(66000, 22505)
    assert d.mix + d.rate == d.change
    # LinkedIn appears with spend and no value: its own term is 0; it shows as the others' lost shares.
    assert "linkedin" not in {p.member for p in d.parts}
    (cost,) = kpi_drivers(september, october, "cost_per_conversion")
    assert cost.decomposition.mix + cost.decomposition.rate == cost.decomposition.change
    assert {p.member for p in cost.decomposition.parts} >= {"linkedin"}  # spend with no conversion: rate
    # A document without paid-media figures has no ROAS drivers, and nothing breaks.
    assert "roas" not in month_drivers({"kpis": {}, "breakdowns": {}}, {"kpis": {}, "breakdowns": {}})
