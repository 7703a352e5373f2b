"""Leads and funnel KPIs (kpis.md "Leads and funnel")."""

from __future__ import annotations

from kpis.formulas.common import ratio


def conversion(later_stage: float, earlier_stage: float) -> float | None:
    """qualified_lead_rate = mqls / new_leads, mql_to_sql_rate = sqls / mqls, sal_rate = sals / sqls,
    sql_to_customer_rate = customers / sqls, lead_to_customer_rate = customers / new_leads."""
    return ratio(later_stage, earlier_stage)


def lead_velocity_rate(*, mqls: float, mqls_prev: float) -> float | None:
    """(mqls − mqls of prev) / mqls of prev."""
    return ratio(mqls - mqls_prev, mqls_prev)


def leads_per_working_day(*, new_leads: float, working_days: int) -> float | None:
    """new_leads / working_days."""
    return ratio(new_leads, working_days)


def growth_needed_per_working_day(*, working_days: int, working_days_prev: int, new_leads_prev: float) -> float | None:
    """(working days of prev / working_days) − 1: the rise in leads per working day needed to equal
    prev's total in this month's days; None when prev had no new leads (or this month has no working day)."""
    if not new_leads_prev or not working_days:
        return None
    return working_days_prev / working_days - 1


def opt_out_rate(*, unsubscribed: float, database_size_prev: float) -> float | None:
    """Leads in the database at the end of prev that unsubscribed in m / database size at the end of prev."""
    return ratio(unsubscribed, database_size_prev)
