"""Cost and revenue KPIs (kpis.md "Cost and revenue")."""

from __future__ import annotations

from kpis.formulas.common import ratio


def cost_per(spend: float, count: float) -> float | None:
    """cpl = marketing_spend / new_leads (and per MQL, SQL, customer likewise)."""
    return ratio(spend, count)


def cac(*, marketing_spend: float, sales_spend: float, customers: float) -> float | None:
    """(marketing_spend + sales_spend) / customers."""
    return ratio(marketing_spend + sales_spend, customers)


def roi(*, revenue: float, spend: float) -> float | None:
    """(revenue − spend) / spend."""
    return ratio(revenue - spend, spend)


def romi(*, marketing_revenue: float, gross_margin: float, marketing_spend: float) -> float | None:
    """(marketing_revenue × gross_margin − marketing_spend) / marketing_spend, i.e. (revenue − cost of
    goods − spend) / spend with cost of goods = revenue × (1 − gross_margin)."""
    return ratio(marketing_revenue * gross_margin - marketing_spend, marketing_spend)


def revenue_uplift(*, marketing_revenue: float, previous_three: list[float] | None) -> float | None:
    """marketing_revenue − the mean marketing_revenue of the 3 months before; None without that
    history (``previous_three`` None: the client's earliest lead is later than their first)."""
    if previous_three is None:
        return None
    return marketing_revenue - sum(previous_three) / len(previous_three)


def revenue_uplift_annualized(uplift: float | None) -> float | None:
    """revenue_uplift × 12."""
    return None if uplift is None else uplift * 12


def revenue_uplift_rate(*, uplift: float | None, previous_three: list[float] | None) -> float | None:
    """revenue_uplift / the 3-month mean."""
    return None if uplift is None else ratio(uplift, sum(previous_three) / len(previous_three))
