"""Paid media formulas (kpis.md "Paid media"): plain numbers in, None where an input is missing or zero."""

from __future__ import annotations

import pytest

from kpis.catalogue import kpi
from kpis.formulas import paid
from kpis.snapshot import ad_sums, kpi_values


def test_ratios_over_given_inputs() -> None:
    assert paid.ctr(30, 1000) == pytest.approx(0.03)
    assert paid.cpc(90.0, 30) == pytest.approx(3.0)
    assert paid.cpm(90.0, 1000) == pytest.approx(90.0)
    assert paid.cost_per_conversion(90.0, 4.5) == pytest.approx(20.0)
    assert paid.click_conversion_rate(3, 30) == pytest.approx(0.1)
    assert paid.roas(450.0, 90.0) == pytest.approx(5.0)
    assert paid.paid_lead_match_rate(6, 4.0) == pytest.approx(1.5)  # more CRM leads than the platforms claim


@pytest.mark.parametrize(
    ("formula", "args"),
    [
        (paid.ctr, (None, 1000)), (paid.ctr, (30, None)), (paid.ctr, (0, 0)),
        (paid.cpc, (None, None)), (paid.cpc, (90.0, 0)),
        (paid.cpm, (None, None)), (paid.cpm, (90.0, 0)),
        (paid.cost_per_conversion, (None, None)), (paid.cost_per_conversion, (90.0, 0)),
        (paid.click_conversion_rate, (None, None)),
        (paid.roas, (None, None)), (paid.roas, (450.0, 0)),
        (paid.paid_lead_match_rate, (6, None)), (paid.paid_lead_match_rate, (6, 0)),
    ],
)
def test_a_missing_or_zero_input_gives_none_never_zero(formula, args) -> None:
    assert formula(*args) is None


def test_ad_sums_keep_a_column_no_group_gives_as_none() -> None:
    google = {"ad_spend": 100.0, "impressions": 1000.0, "spend_with_impressions": 100.0, "clicks": 50.0,
              "spend_with_clicks": 100.0, "platform_conversions": 5.0, "spend_with_conversions": 100.0,
              "conversions_with_clicks": 5.0, "clicks_with_conversions": 50.0, "conversion_value": 400.0,
              "spend_with_value": 100.0}
    linkedin = {**dict.fromkeys(google), "ad_spend": 60.0, "impressions": 2000.0, "spend_with_impressions": 60.0,
                "clicks": 10.0, "spend_with_clicks": 60.0}
    total = ad_sums([google, linkedin])
    assert (total["ad_spend"], total["impressions"], total["clicks"]) == (160.0, 3000.0, 60.0)
    assert (total["platform_conversions"], total["spend_with_conversions"]) == (5.0, 100.0)  # LinkedIn gives none
    assert ad_sums([linkedin])["platform_conversions"] is None
    assert ad_sums([])["ad_spend"] == 0.0 and ad_sums([])["impressions"] is None


def test_the_catalogue_computes_paid_media_over_the_rows_that_give_each_column() -> None:
    inputs = _month_without_anything()
    inputs.update(ad_sums([
        {"ad_spend": 100.0, "impressions": 1000.0, "spend_with_impressions": 100.0, "clicks": 50.0,
         "spend_with_clicks": 100.0, "platform_conversions": 5.0, "spend_with_conversions": 100.0,
         "conversions_with_clicks": 5.0, "clicks_with_conversions": 50.0, "conversion_value": None,
         "spend_with_value": None},
        {"ad_spend": 60.0, "impressions": None, "spend_with_impressions": None, "clicks": 10.0,
         "spend_with_clicks": 60.0, "platform_conversions": None, "spend_with_conversions": None,
         "conversions_with_clicks": None, "clicks_with_conversions": None, "conversion_value": None,
         "spend_with_value": None},
    ]))
    inputs.update(paid_leads=4, campaign_conversions=5.0)
    values = kpi_values(inputs)
    assert values["ad_spend"] == 160.0
    assert values["ctr"] == pytest.approx(60 / 1000)  # kpis.md: clicks / impressions
    assert values["cpc"] == pytest.approx(160 / 60)
    assert values["cpm"] == pytest.approx(100 / 1000 * 1000)  # only the rows with impressions
    assert values["cost_per_conversion"] == pytest.approx(100 / 5)
    assert values["click_conversion_rate"] == pytest.approx(5 / 50)
    assert values["conversion_value"] is None and values["roas"] is None  # no row gives a value: null, not 0
    assert values["paid_lead_match_rate"] == pytest.approx(4 / 5)
    assert kpi("roas").null_reasons  # the page says why


def _month_without_anything() -> dict:
    """The inputs of a month with no data at all (what kpis.snapshot.month_inputs gives for it)."""
    names = {"sessions", "organic_sessions", "social_sessions", "mobile_sessions", "bounced_sessions",
             "sessions_with_bounces", "mobile_bounced_sessions", "mobile_sessions_with_bounces",
             "landing_page_sessions", "landing_page_form_submissions", "active_landing_pages", "new_leads",
             "new_leads_prev", "working_days", "working_days_prev", "database_size", "database_size_prev",
             "opted_out", "mqls", "mqls_prev", "sales_ready_leads", "sqls", "sals", "opportunities", "customers",
             "marketing_customers", "nurture_leads", "median_response_hours", "p90_response_hours",
             "contacted_within_4h", "uncontacted", "emails_sent", "emails_delivered", "unique_opens", "unique_clicks",
             "unsubscribes", "sent_with_delivered", "delivered_with_opens", "delivered_with_clicks",
             "delivered_with_unsubscribes", "media_spend", "nurture_spend", "sales_spend", "marketing_spend", "revenue",
             "marketing_revenue", "gross_margin", "mrr", "mrr_start", "accounts", "accounts_start", "churned_accounts",
             "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "paid_leads", "campaign_conversions",
             "retainer_ltv", "project_ltv", "contract_ltv", "early_cancel_rate", "renewal_rate", "contraction_factor",
             "expected_terms", "repeat_rate", "expected_projects"}
    return {**dict.fromkeys(names, 0), "marketing_revenue_before": None, "median_response_hours": None,
            "p90_response_hours": None, **ad_sums([])}


def test_traffic_shares_are_null_when_a_row_has_no_device_or_no_bounces() -> None:
    inputs = {**_month_without_anything(), "sessions": 100, "mobile_sessions": None, "bounced_sessions": None,
              "sessions_with_bounces": 0, "mobile_bounced_sessions": None, "mobile_sessions_with_bounces": None}
    values = kpi_values(inputs)
    assert values["mobile_share"] is None and values["mobile_bounce_rate"] is None and values["bounce_rate"] is None
    inputs.update(mobile_sessions=40, bounced_sessions=30, sessions_with_bounces=60, mobile_bounced_sessions=10,
                  mobile_sessions_with_bounces=40)
    values = kpi_values(inputs)
    assert values["mobile_share"] == pytest.approx(0.4)
    assert values["bounce_rate"] == pytest.approx(30 / 60)  # over the rows that give bounces
    assert values["mobile_bounce_rate"] == pytest.approx(10 / 40)
