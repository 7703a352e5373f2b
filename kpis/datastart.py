"""Where a chart's series begins: the first month with rows of the source it is built from.

A client whose contracts start in 2024 and whose leads start in September 2025 has snapshots with
new leads 0 for every month before September (kpis.md: a count over no rows is 0). Drawn as 0, the
leads chart reads as growth from nothing. A chart (the report's, the PDF's, the email's images, the
tiles' sparklines) leaves the months before its source's first data out (a gap); a 0 after the data
began stays 0. The figures and tiles themselves keep the spec's value.

The first month of a source is read from the stored snapshots (kpis.selectors_scorecard.data_first_months):
the first month whose document shows a row of it. Spend figures are judged by kpis.nospend instead
(from the first spend row). Pure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpis.catalogue import kpi
from kpis.nospend import SPEND_FIGURES

# Per source, the document's figures of which any above 0 shows a row of it that month. Leads: the
# database size counts every lead up to the month's end, so a month without new leads after the
# first lead is not mistaken for one before it.
PRESENCE: dict[str, tuple[str, ...]] = {
    "traffic": ("sessions",),
    "leads": ("new_leads", "database_size", "mqls", "sqls", "customers"),
    "email": ("emails_sent", "emails_delivered"),
    "ads": ("ad_spend", "impressions", "clicks"),
    "contracts": ("mrr", "mrr_start", "accounts", "churned_mrr"),
}

# The figures of which any above 0 shows a row dated in the month (a session, a lead or its step, an
# email, spend, an ad row, a contract starting, changing or ending): a month with none of them has no
# data at all, though stocks (database size, MRR in force) carry over (kpis.report.month_with_data).
MONTH_ROWS = (
    "sessions", "new_leads", "mqls", "sqls", "customers", "emails_sent", "marketing_spend", "sales_spend",
    "ad_spend", "impressions", "clicks", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
)



def month_recorded(document: dict[str, Any] | None) -> bool:
    """Whether the month of ``document`` has any row dated in it (MONTH_ROWS): the test of
    kpis.selectors_scorecard.snapshot_months_with_data, on one document (the summary's ``has_data``)."""
    figures = (document or {}).get("kpis") or {}
    return any(isinstance(figures.get(k), int | float) and not isinstance(figures.get(k), bool) and figures[k] > 0
               for k in MONTH_ROWS)


GROUP_SOURCE = {
    "traffic": "traffic",
    "funnel": "leads",
    "email": "email",
    "cost_and_revenue": "leads",  # revenue is the customers' deal value; costs go by kpis.nospend
    "paid_media": "ads",
    "recurring_revenue_and_value": "contracts",
}

NOT_A_SOURCE = frozenset({"working_days"})  # the calendar's, there from the first month


def source_of(key: str) -> str | None:
    """The source a figure's series is built from; None when none bounds it (the calendar, spend)."""
    if key in NOT_A_SOURCE or key in SPEND_FIGURES:
        return None
    try:
        return GROUP_SOURCE.get(kpi(key).group)
    except KeyError:
        return None


def sources_present(document: dict[str, Any] | None) -> set[str]:
    """The sources with a row in the month of ``document``."""
    figures = (document or {}).get("kpis") or {}
    return {
        source
        for source, keys in PRESENCE.items()
        if any(isinstance(figures.get(k), int | float) and figures.get(k) > 0 for k in keys)
    }


def before_data(key: str, month: dt.date, *, first: dict[str, dt.date | None]) -> bool:
    """Whether ``month`` is before the first data of ``key``'s source (every month is, when the source
    has none at all): its chart leaves the month out."""
    source = source_of(key)
    if source is None or source not in first:
        return False
    start = first[source]
    return start is None or month < start
