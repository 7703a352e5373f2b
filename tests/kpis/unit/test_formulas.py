"""KPI formulas by hand, with no database: the seeds' own examples and the zero cases."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.formulas import costs, funnel, recurring
from kpis.formulas.common import ratio
from kpis.formulas.contracts import Contract, add_months, contract_values, geometric_sum
from kpis.formulas.planning import reverse_funnel, round_up, spread


def test_cost_per_lead_is_spend_over_new_leads() -> None:
    assert costs.cost_per(4500, 90) == 50.0


def test_a_ratio_over_zero_or_missing_is_undefined_not_zero() -> None:
    assert ratio(10, 0) is None and ratio(None, 3) is None and ratio(0, 5) == 0.0
    assert costs.cost_per(100, 0) is None and recurring.cltv(arpa=500, customer_churn_rate=0) is None


def test_revenue_uplift_from_5000_to_8750_a_month() -> None:
    uplift = costs.revenue_uplift(marketing_revenue=8_750, previous_three=[5_000, 5_000, 5_000])
    assert uplift == 3_750
    assert costs.revenue_uplift_annualized(uplift) == 45_000
    assert costs.revenue_uplift_rate(uplift=uplift, previous_three=[5_000, 5_000, 5_000]) == 0.75


def test_roi_and_romi_take_the_cost_of_goods_out() -> None:
    assert costs.roi(revenue=10_000, spend=2_000) == 4.0
    # (10000 − 10000 × (1 − 0.6) − 2000) / 2000
    assert costs.romi(marketing_revenue=10_000, gross_margin=0.6, marketing_spend=2_000) == pytest.approx(2.0)


def test_cac_counts_sales_spend_too() -> None:
    assert costs.cac(marketing_spend=9_000, sales_spend=3_000, customers=4) == 3_000


def test_cltv_cac_payback_and_ltv_to_cac() -> None:
    assert recurring.cltv(arpa=500.0, customer_churn_rate=0.04) == pytest.approx(12_500)  # ARPA ÷ churn
    assert recurring.cac_payback_months(cac=2_000.0, arpa=500.0, gross_margin=0.8) == pytest.approx(5.0)
    assert recurring.ltv_to_cac(cltv=12_500, cac=2_500) == 5.0


def test_mrr_movements_between_two_month_ends() -> None:
    moves = recurring.mrr_movements(now={"a": 1500, "b": 800, "d": 400}, before={"a": 1000, "b": 1000, "c": 700})
    assert (moves["new_mrr"], moves["expansion_mrr"], moves["contraction_mrr"], moves["churned_mrr"]) == (400, 500, 200, 700)
    churn = recurring.gross_mrr_churn_rate(churned_mrr=700, contraction_mrr=200, mrr_start=moves["mrr_start"])
    assert churn == pytest.approx(900 / 2700) and recurring.gross_mrr_retention(churn) == pytest.approx(1 - 900 / 2700)
    assert recurring.customer_churn_rate(churned_accounts=moves["churned_accounts"], accounts_start=3) == pytest.approx(1 / 3)


def test_funnel_rates_and_velocity() -> None:
    assert funnel.lead_velocity_rate(mqls=15, mqls_prev=13) == pytest.approx(2 / 13)
    assert funnel.growth_needed_per_working_day(working_days=20, working_days_prev=22, new_leads_prev=40) == pytest.approx(0.1)
    assert funnel.growth_needed_per_working_day(working_days=20, working_days_prev=22, new_leads_prev=0) is None
    assert funnel.conversion(12, 15) == 0.8


def test_reverse_funnel_divides_unrounded_values_and_rounds_reported_counts_up() -> None:
    rates = {"sql_to_customer": 0.25, "mql_to_sql": 0.4, "lead_to_mql": 0.3, "traffic_to_lead": 0.02}
    values = reverse_funnel(revenue_goal=100_000, average_deal=7_000, rates=rates)
    assert values["deals"] == pytest.approx(14.2857142857)
    assert values["sqls"] == pytest.approx(57.142857143)
    assert values["leads"] == pytest.approx(476.19047619)
    assert [round_up(values[k]) for k in ("deals", "sqls", "mqls", "leads", "sessions")] == [15, 58, 143, 477, 23810]


def test_reverse_funnel_stops_at_a_missing_rate() -> None:
    values = reverse_funnel(revenue_goal=1000, average_deal=100, rates={"sql_to_customer": 0.5, "mql_to_sql": None})
    assert values["sqls"] == 20 and values["mqls"] is None and values["sessions"] is None


def test_spread_follows_working_days() -> None:
    months = spread(totals={"leads": 30.0}, working_days={"2026-01": 20, "2026-02": 10})
    assert months["2026-01"]["leads"] == 20 and months["2026-02"]["leads"] == 10
    assert months["2026-01"]["leads_per_working_day"] == 1


def test_spread_months_add_up_to_the_total_and_per_day_is_a_rate() -> None:
    months = spread(totals={"leads": 100.2, "deals": 2.1}, working_days={"2026-01": 22, "2026-02": 20, "2026-03": 21})
    assert sum(m["leads"] for m in months.values()) == 101  # the reported total: 100.2 rounded up
    assert sum(m["deals"] for m in months.values()) == 3
    assert months["2026-01"]["leads_per_working_day"] == 1.6  # 100.2 x 22/63 / 22, not rounded up to 2


def test_a_months_pace_per_working_day_reaches_its_count() -> None:
    """The planner's row "March: 21 working days, 34 leads, 1.6 a working day" asked for 33.6 leads: the
    pace is the month's count ÷ its working days, rounded up to one decimal (kpis.md: reported counts
    are rounded up), so that keeping it reaches the month's count and the plan's goal."""
    months = spread(totals={"leads": 100.2}, working_days={"2026-01": 22, "2026-02": 20, "2026-03": 21})
    assert months["2026-03"]["leads"] == 34
    assert months["2026-03"]["leads_per_working_day"] == 1.7  # 34 / 21 = 1.619…
    for month in months.values():
        pace, days, count = month["leads_per_working_day"], month["working_days"], month["leads"]
        assert pace * days >= count and round(pace - 0.1, 1) * days < count


def test_a_pace_that_is_exact_is_not_rounded_up_by_float_noise() -> None:
    months = spread(totals={"leads": 7.0, "mqls": None}, working_days={"2026-01": 10, "2026-02": 0})
    assert months["2026-01"]["leads"] == 7 and months["2026-01"]["leads_per_working_day"] == 0.7  # not 0.8
    assert months["2026-02"]["leads_per_working_day"] is None  # no working day
    assert months["2026-01"]["mqls_per_working_day"] is None  # no rate to plan with


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 31), 6, dt.date(2025, 9, 30)),
        (dt.date(2025, 11, 15), 3, dt.date(2026, 2, 15)),
    ],
)
def test_term_end_keeps_the_day_clamped_to_the_month(start, months, end) -> None:
    assert add_months(start, months) == end


def retainer(id, account, start, term, fee, segment="smb", cancelled=None, renewal_of=None):
    return Contract(
        id=id,
        account=account,
        kind="retainer",
        start_date=start,
        segment=segment,
        term_months=term,
        monthly_fee=fee,
        cancelled_on=cancelled,
        renewal_of=renewal_of,
    )


def test_contract_ltv_with_churn_factors_by_hand() -> None:
    day = dt.date(2026, 1, 31)
    contracts = [
        retainer("a", "x", dt.date(2024, 1, 1), 12, 1000),  # full term, renewed by b
        retainer("b", "x", dt.date(2025, 1, 1), 12, 1000, renewal_of="a"),  # full term, not renewed
        retainer("c", "y", dt.date(2025, 1, 1), 12, 2000, cancelled=dt.date(2025, 4, 1)),  # served 90/365
        retainer("d", "z", dt.date(2025, 12, 1), 12, 3000),  # active, not settled
    ]
    top, _ = contract_values(contracts=contracts, day=day, horizon_months=48)
    served = 90 / 365
    ecr, p = 1 / 3, 1 / 2
    f = 1 - ecr * (1 - served)
    q = (1 - ecr) * p
    expected_terms = geometric_sum(q, 4)  # K = ceil(48 × 4 / 48) = 4
    assert top["early_cancel_rate"] == pytest.approx(ecr)
    assert top["renewal_rate"] == pytest.approx(p)
    assert top["contraction_factor"] == pytest.approx(f)
    assert top["expected_terms"] == pytest.approx(1 + q + q**2 + q**3) == pytest.approx(expected_terms)
    assert top["retainer_ltv"] == pytest.approx(3000 * 12 * f * expected_terms)  # fee of the one active retainer
    assert top["project_ltv"] is None and top["contract_ltv"] == top["retainer_ltv"]


def test_no_settled_retainer_falls_back_to_fee_times_term() -> None:
    top, _ = contract_values(
        contracts=[retainer("a", "x", dt.date(2026, 1, 1), 6, 1500)], day=dt.date(2026, 1, 31), horizon_months=60
    )
    assert top["early_cancel_rate"] is None and top["renewal_rate"] is None
    assert (top["contraction_factor"], top["expected_terms"], top["retainer_ltv"]) == (1.0, 1.0, 9000.0)


def test_a_small_segment_takes_the_pooled_rates_but_its_own_fees() -> None:
    day = dt.date(2026, 6, 30)
    big = [
        retainer(f"s{i}", f"s{i}", dt.date(2024, 1, 1), 12, 1000, cancelled=dt.date(2024, 7, 1) if i < 2 else None)
        for i in range(6)
    ]
    small = [retainer("e1", "e1", dt.date(2024, 1, 1), 12, 9000, segment="enterprise")]
    top, segments = contract_values(contracts=big + small, day=day, horizon_months=12)
    assert segments["enterprise"]["early_cancel_rate"] == top["early_cancel_rate"] == pytest.approx(2 / 7)
    assert segments["smb"]["early_cancel_rate"] == pytest.approx(2 / 6)  # six settled: its own rate
    assert segments["enterprise"]["retainer_ltv"] > segments["smb"]["retainer_ltv"]  # its own fee


def test_projects_repeat_within_a_year_of_their_end() -> None:
    project = lambda id, account, start, end: Contract(  # noqa: E731
        id=id, account=account, kind="project", start_date=start, end_date=end, project_fee=1000
    )
    contracts = [
        project("p1", "a", dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
        project("p2", "a", dt.date(2025, 2, 28), dt.date(2025, 4, 1)),  # within 365 days of p1's end
        project("p3", "b", dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
        project("p4", "b", dt.date(2025, 3, 3), dt.date(2025, 5, 1)),  # 367 days later: not a repeat
    ]
    top, _ = contract_values(contracts=contracts, day=dt.date(2025, 12, 31), horizon_months=24)
    assert top["repeat_rate"] == pytest.approx(1 / 4)
    assert top["expected_projects"] == pytest.approx(1.25)  # K' = 2
    assert top["project_ltv"] == pytest.approx(1250)


def test_every_kpi_of_the_catalogue_has_a_label_and_a_titled_group_on_the_scorecard() -> None:
    from kpis.catalogue import GROUPS, KPI_KEYS, KPIS

    GROUP_TITLES = {group.key: group.title for group in GROUPS}
    LABELS = {k.key: k.label for k in KPIS if k.label}
    assert len(KPI_KEYS) == len(set(KPI_KEYS))  # kpis.md's keys: tests/kpis/unit/test_catalogue.py
    assert {k.group for k in KPIS} == set(GROUP_TITLES)
    assert [key for key in KPI_KEYS if key not in LABELS] == []


@given(st.integers(0, 10**6), st.integers(1, 10**4))
def test_the_whole_number_ceiling_is_the_exact_fractions(numerator, denominator) -> None:
    import math
    from fractions import Fraction

    from kpis.formulas.contracts import _ceil_div

    assert _ceil_div(numerator, denominator) == math.ceil(Fraction(numerator, denominator))


def test_email_rates_over_counts_not_given_are_null_not_zero() -> None:
    """A month whose email rows give no deliveries: deliverability and the rates over deliveries are
    null (the counts' sums over rows that give them), never 0 % from a stored 0."""
    from kpis.catalogue import kpi, null_reason
    from kpis.formulas import email

    values = {"emails_sent": 800, "emails_delivered": None}
    assert kpi("deliverability_rate").formula({**values, "sent_with_delivered": 0}.__getitem__) is None
    assert email.per_delivered(None, 0) is None
    assert "do not give the emails delivered" in null_reason(kpi("deliverability_rate"), {**values, "deliverability_rate": None})
    # rows that give deliveries beside rows that do not: over the first only (900 of 1,000, not of 1,500)
    given = {"emails_delivered": 900, "sent_with_delivered": 1000}
    assert kpi("deliverability_rate").formula(given.__getitem__) == pytest.approx(0.9)
