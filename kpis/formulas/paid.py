"""Paid media KPIs (kpis.md "Paid media"), over the ad rows' sums.

An input is ``None`` when no ad row of the month gives its column (a LinkedIn export without
conversions): every figure over it is then ``None`` too, never 0 or infinite. Each "spend with
…" is the ad spend of the rows that give that column, so a platform that does not report a
column does not dilute the figures of those that do.
"""

from __future__ import annotations

from kpis.formulas.common import ratio


def ctr(clicks: float | None, impressions: float | None) -> float | None:
    """clicks / impressions."""
    return ratio(clicks, impressions)


def cpc(spend_with_clicks: float | None, clicks: float | None) -> float | None:
    """ad_spend of rows with clicks given / clicks."""
    return ratio(spend_with_clicks, clicks)


def cpm(spend_with_impressions: float | None, impressions: float | None) -> float | None:
    """ad_spend of rows with impressions given / impressions × 1000."""
    per_impression = ratio(spend_with_impressions, impressions)
    return None if per_impression is None else per_impression * 1000


def cost_per_conversion(spend_with_conversions: float | None, conversions: float | None) -> float | None:
    """ad_spend of rows with conversions given / platform_conversions."""
    return ratio(spend_with_conversions, conversions)


def click_conversion_rate(conversions_with_clicks: float | None, clicks_with_conversions: float | None) -> float | None:
    """platform_conversions / clicks, over the rows that give both."""
    return ratio(conversions_with_clicks, clicks_with_conversions)


def roas(conversion_value: float | None, spend_with_value: float | None) -> float | None:
    """conversion_value / ad_spend of rows with conversion_value given."""
    return ratio(conversion_value, spend_with_value)


def paid_lead_match_rate(paid_leads: float, campaign_conversions: float | None) -> float | None:
    """paid_leads / platform_conversions of the campaigns with ad rows: how many of the
    conversions the platforms claim reached the CRM (above 1: more leads than they claim)."""
    return ratio(paid_leads, campaign_conversions)
