"""What the scorecard shows of a snapshot: groups, labels, units, formatting, changes, sparklines.

Formatting only, no queries: kpis.selectors.scorecard_load reads the stored snapshots (a fixed
number of queries whatever the months or members: the selected month's, the comparison
month's and the 11 before it for the sparklines) into a ``Scorecard``, which this module shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agency.months import Month
from kpis.catalogue import BREAKDOWN_KEYS, KPI_GROUPS

if TYPE_CHECKING:
    from kpis.models import Snapshot

GROUP_TITLES = {
    "traffic": _("Traffic"),
    "funnel": _("Leads and funnel"),
    "email": _("Email"),
    "cost_and_revenue": _("Cost and revenue"),
    "recurring_revenue_and_value": _("Recurring revenue and lifetime value"),
}
# The tiles, grouped as in kpis.md: the catalogue's groups with their titles.
GROUPS: tuple[tuple[Any, tuple[str, ...]], ...] = tuple((GROUP_TITLES[group], keys) for group, keys in KPI_GROUPS)

MONEY = {
    "media_spend",
    "nurture_spend",
    "sales_spend",
    "marketing_spend",
    "cpl",
    "cost_per_mql",
    "cost_per_sql",
    "cost_per_customer",
    "cac",
    "revenue",
    "marketing_revenue",
    "revenue_uplift",
    "revenue_uplift_annualized",
    "mrr",
    "mrr_start",
    "new_mrr",
    "expansion_mrr",
    "contraction_mrr",
    "churned_mrr",
    "arpa",
    "cltv",
    "retainer_ltv",
    "project_ltv",
    "contract_ltv",
    "retainer_base_value",
}
HOURS = {"median_response_hours", "p90_response_hours"}
PLAIN = {"leads_per_working_day", "ltv_to_cac", "cac_payback_months", "contraction_factor", "expected_terms", "expected_projects"}
COUNTS = {
    "sessions",
    "active_landing_pages",
    "new_leads",
    "working_days",
    "database_size",
    "mqls",
    "sales_ready_leads",
    "sqls",
    "sals",
    "opportunities",
    "customers",
    "nurture_leads",
    "emails_sent",
    "emails_delivered",
    "accounts",
}
# Neither good nor bad news when they move.
NEUTRAL = {"working_days", "mrr_start", "expected_terms", "expected_projects", "contraction_factor"}
# Lower is better: a fall shows as good news.
LOWER_IS_BETTER = {
    "bounce_rate",
    "mobile_bounce_rate",
    "opt_out_rate",
    "median_response_hours",
    "p90_response_hours",
    "uncontacted_share",
    "email_unsubscribe_rate",
    "cpl",
    "cost_per_mql",
    "cost_per_sql",
    "cost_per_customer",
    "cac",
    "contraction_mrr",
    "churned_mrr",
    "gross_mrr_churn_rate",
    "customer_churn_rate",
    "cac_payback_months",
    "early_cancel_rate",
}

LABELS = {
    "sessions": _("Sessions"),
    "organic_share": _("Organic search share"),
    "social_share": _("Social share"),
    "mobile_share": _("Mobile share"),
    "bounce_rate": _("Bounce rate"),
    "mobile_bounce_rate": _("Mobile bounce rate"),
    "landing_page_conversion_rate": _("Landing page conversion"),
    "active_landing_pages": _("Active landing pages"),
    "traffic_to_lead": _("Traffic → lead rate"),
    "new_leads": _("New leads"),
    "working_days": _("Working days"),
    "leads_per_working_day": _("Leads per working day"),
    "growth_needed_per_working_day": _("Growth needed per working day"),
    "database_size": _("Database size"),
    "opt_out_rate": _("Opt-out rate"),
    "mqls": _("MQLs"),
    "sales_ready_leads": _("Sales-ready leads"),
    "sqls": _("SQLs"),
    "sals": _("SALs"),
    "opportunities": _("Opportunities"),
    "customers": _("Customers"),
    "qualified_lead_rate": _("Lead → MQL rate"),
    "mql_to_sql_rate": _("MQL → SQL rate"),
    "sal_rate": _("SQL → SAL rate"),
    "sql_to_customer_rate": _("SQL → customer rate"),
    "lead_to_customer_rate": _("Lead → customer rate"),
    "lead_velocity_rate": _("Lead velocity rate"),
    "nurture_leads": _("Nurture leads"),
    "marketing_sourced_customer_share": _("Marketing-sourced customers"),
    "median_response_hours": _("Median time to first contact"),
    "p90_response_hours": _("90th percentile time to first contact"),
    "contacted_within_4h_share": _("Contacted within 4 hours"),
    "uncontacted_share": _("Not contacted"),
    "emails_sent": _("Emails sent"),
    "emails_delivered": _("Emails delivered"),
    "deliverability_rate": _("Deliverability"),
    "open_rate": _("Open rate"),
    "click_through_rate": _("Click-through rate"),
    "email_unsubscribe_rate": _("Email unsubscribe rate"),
    "media_spend": _("Media spend"),
    "nurture_spend": _("Nurture spend"),
    "sales_spend": _("Sales spend"),
    "marketing_spend": _("Marketing spend"),
    "cpl": _("Cost per lead"),
    "cost_per_mql": _("Cost per MQL"),
    "cost_per_sql": _("Cost per SQL"),
    "cost_per_customer": _("Cost per customer"),
    "cac": _("Customer acquisition cost (CAC)"),
    "revenue": _("Revenue"),
    "marketing_revenue": _("Marketing revenue"),
    "roi": _("ROI"),
    "romi": _("ROMI"),
    "revenue_uplift": _("Revenue uplift"),
    "revenue_uplift_annualized": _("Revenue uplift, annualized"),
    "revenue_uplift_rate": _("Revenue uplift rate"),
    "mrr": _("MRR"),
    "mrr_start": _("MRR at the start"),
    "accounts": _("Accounts"),
    "new_mrr": _("New MRR"),
    "expansion_mrr": _("Expansion MRR"),
    "contraction_mrr": _("Contraction MRR"),
    "churned_mrr": _("Churned MRR"),
    "gross_mrr_churn_rate": _("Gross MRR churn"),
    "gross_mrr_retention": _("Gross MRR retention"),
    "arpa": _("ARPA"),
    "customer_churn_rate": _("Customer churn rate"),
    "cltv": _("CLTV"),
    "cac_payback_months": _("CAC payback (months)"),
    "ltv_to_cac": _("LTV : CAC"),
    "early_cancel_rate": _("Early cancellation rate"),
    "renewal_rate": _("Renewal rate"),
    "contraction_factor": _("Contraction factor"),
    "expected_terms": _("Expected terms"),
    "repeat_rate": _("Repeat project rate"),
    "expected_projects": _("Expected projects"),
    "retainer_ltv": _("Retainer lifetime value"),
    "project_ltv": _("Project lifetime value"),
    "contract_ltv": _("Contract lifetime value"),
    # derived in the lifetime value panel from the snapshot's figures (not snapshot keys)
    "retainer_base_value": _("Mean fee × mean term"),
    "served_fraction_when_cancelled": _("Served fraction when cancelled early"),
}

# Why a figure can be undefined, shown on hover instead of a misleading 0.
REASONS = {
    "cpl": _("No new leads this month."),
    "cost_per_mql": _("No MQLs this month."),
    "cost_per_sql": _("No SQLs this month."),
    "cost_per_customer": _("No customers this month."),
    "cac": _("No customers this month."),
    "roi": _("No marketing spend this month."),
    "romi": _("No marketing spend this month."),
    "lead_velocity_rate": _("No MQLs in the previous month."),
    "growth_needed_per_working_day": _("No new leads in the previous month."),
    "revenue_uplift": _("Less than three months of history before this month."),
    "revenue_uplift_annualized": _("Less than three months of history before this month."),
    "revenue_uplift_rate": _("No marketing revenue in the three months before."),
    "median_response_hours": _("No lead of this month has been contacted yet."),
    "p90_response_hours": _("No lead of this month has been contacted yet."),
    "arpa": _("No account pays a retainer at the end of this month."),
    "customer_churn_rate": _("No account paid a retainer at the end of the previous month."),
    "cltv": _("No account churned, so the churn rate is zero or unknown."),
}
DEFAULT_REASON = _("Not defined this month: what it divides by is zero or missing.")


def number_shown(value: float | int, places: int, force_grouping: bool = False) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, written the active locale's way.

    Django's number_format cuts extra decimals off a float (1.96875 would show as 1.96, 1/6 as
    16.6 %); round first so the shown figure is the nearest one. A rounded zero loses its sign.
    """
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return number_format(rounded, places, force_grouping=force_grouping)


def unit(key: str) -> str:
    if key in MONEY:
        return "money"
    if key in HOURS:
        return "hours"
    if key in PLAIN:
        return "plain"
    if key in COUNTS:
        return "count"
    return "rate"


def format_value(key: str, value: float | None, currency: str) -> str:
    """The value as the active locale writes it: grouping, decimals, percent, currency code."""
    if value is None:
        return "—"
    kind = unit(key)
    if kind == "money":
        return f"{number_shown(value, 2, force_grouping=True)} {currency}"
    if kind == "rate":
        return f"{number_shown(value * 100, 1, force_grouping=True)} %"
    if kind == "hours":
        return f"{number_shown(value, 1, force_grouping=True)} h"
    if kind == "count":
        return number_shown(value, 0, force_grouping=True)
    return number_shown(value, 2, force_grouping=True)


def change(key: str, value: float | None, before: float | None) -> dict[str, Any] | None:
    """Against the comparison month: points for rates, a relative change otherwise; None if undefined."""
    if value is None or before is None:
        return None
    if unit(key) == "rate":
        delta, text = value - before, f"{number_shown((value - before) * 100, 1)} pp"
    elif before == 0:
        return None
    else:
        delta = (value - before) / abs(before)
        text = f"{number_shown(delta * 100, 1)} %"
    good = delta == 0 or ((delta < 0) if key in LOWER_IS_BETTER else (delta > 0))
    return {"text": ("+" if delta > 0 else "") + text, "good": good, "flat": delta == 0 or key in NEUTRAL}


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> str:
    """Polyline points for the SVG; gaps (undefined months) break the line into segments."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    segments, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{index * step:.1f},{height - 2 - (value - low) / span * (height - 4):.1f}")
    if current:
        segments.append(current)
    return "|".join(" ".join(points) for points in segments if len(points) > 1)


@dataclass
class Scorecard:
    month: dt.date
    compare_to: dt.date
    snapshot: Snapshot | None
    history: dict[dt.date, Snapshot]
    annotations: list = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)

    def kpi(self, key: str) -> float | None:
        """The month's figure; the lifetime value panel's derived figures are worked out from it."""
        if self.snapshot is None:
            return None
        kpis = self.snapshot.document["kpis"]
        if key in DERIVED and key not in kpis:
            return retainer_explained(kpis)[key]
        return kpis.get(key)


def target_status(key: str, value: float | None, target: float | None) -> bool | None:
    """Met when at or past the target in the good direction; None without a value or a target."""
    if value is None or target is None:
        return None
    return value <= target if key in LOWER_IS_BETTER else value >= target


def tiles(card: Scorecard, *, currency: str, benchmarks: dict[str, list]) -> list[dict[str, Any]]:
    """The tiles of every group for the template."""
    months = [(Month.of(card.month) - 11 + i).first_day for i in range(12)]
    before = card.history.get(card.compare_to)
    marks = [
        {"x": f"{months.index(note.month) * 120 / 11:.1f}", "text": f"{note.month:%Y-%m}: {note.text}"}
        for note in card.annotations
        if note.month in months
    ]
    groups = []
    for title, keys in GROUPS:
        group_tiles = []
        for key in keys:
            value = card.kpi(key)
            previous = before.document["kpis"].get(key) if before else None
            series = [card.history[m].document["kpis"].get(key) if m in card.history else None for m in months]
            group_tiles.append(
                {
                    "key": key,
                    "label": LABELS[key],
                    "value": value,
                    "shown": format_value(key, value, currency),
                    "reason": REASONS.get(key, DEFAULT_REASON) if value is None else "",
                    "change": change(key, value, previous),
                    "spark": sparkline(series).split("|") if sparkline(series) else [],
                    "marks": marks,
                    "target": None if key not in card.targets else format_value(key, card.targets[key], currency),
                    "met": target_status(key, value, card.targets.get(key)),
                    "benchmarks": [
                        {
                            "label": b.label,
                            "source": b.source_name,
                            "url": b.source_url,
                            "band": "–".join(
                                format_value(key, v, b.currency or currency) if v is not None else "…" for v in (b.low, b.high)
                            ),
                        }
                        for b in benchmarks.get(key, [])
                    ],
                }
            )
        groups.append({"title": title, "tiles": group_tiles})
    return groups


def breakdown_rows(snapshot: Snapshot | None, dimension: str, *, sort: str, descending: bool) -> tuple[list[str], list[dict]]:
    """One breakdown of one month's snapshot as table rows, sorted on the server; undefined values last."""
    keys = list(BREAKDOWN_KEYS[dimension])
    members = snapshot.document["breakdowns"].get(dimension, {}) if snapshot else {}
    rows = [{"member": member, **{k: figures.get(k) for k in keys}} for member, figures in members.items()]
    if sort == "member" or sort not in keys:
        rows.sort(key=lambda r: r["member"], reverse=descending)
    else:
        present = [r for r in rows if r[sort] is not None]
        missing = [r for r in rows if r[sort] is None]  # undefined values last, whatever the direction
        rows = sorted(present, key=lambda r: r[sort], reverse=descending) + missing
    return keys, rows


FUNNEL = (
    ("sessions", _("Sessions")),
    ("new_leads", _("Leads")),
    ("mqls", _("MQLs")),
    ("sqls", _("SQLs")),
    ("customers", _("Customers")),
)
SEGMENT_FIGURES = (
    "contract_ltv",
    "retainer_ltv",
    "retainer_base_value",
    "early_cancel_rate",
    "served_fraction_when_cancelled",
    "contraction_factor",
    "renewal_rate",
    "expected_terms",
    "project_ltv",
    "repeat_rate",
    "expected_projects",
)


DERIVED = ("retainer_base_value", "served_fraction_when_cancelled")


def retainer_explained(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures of a snapshot (or a segment) plus the two that explain retainer_ltv.

    kpis.md defines retainer_ltv = mean fee × mean term × f × expected_terms with
    f = 1 − early_cancel_rate × (1 − served fraction). The snapshot keeps retainer_ltv, f,
    expected_terms and early_cancel_rate, so the base (mean fee × mean term) and the served
    fraction follow exactly; the served fraction is undefined when nothing was cancelled early.
    """
    ltv, factor, terms, early = (
        figures.get(key) for key in ("retainer_ltv", "contraction_factor", "expected_terms", "early_cancel_rate")
    )
    base = ltv / (factor * terms) if None not in (ltv, factor, terms) and factor * terms else None
    served = None
    if early and factor is not None:
        served = min(1.0, max(0.0, 1 - (1 - factor) / early))
    return {**figures, "retainer_base_value": base, "served_fraction_when_cancelled": served}


def funnel_steps(card: Scorecard) -> list[dict[str, Any]]:
    """Sessions → leads → MQLs → SQLs → customers with each step's rate and a bar width."""
    values = [(key, label, card.kpi(key) or 0) for key, label in FUNNEL]
    top = max((v for _k, _l, v in values), default=0) or 1
    steps = []
    for index, (key, label, value) in enumerate(values):
        before = values[index - 1][2] if index else None
        rate = None if before in (None, 0) else value / before
        steps.append(
            {
                "key": key,
                "label": label,
                "value": number_shown(value, 0, force_grouping=True),
                "rate": None if rate is None else f"{number_shown(rate * 100, 1)} %",
                "width": max(2, round(value / top * 100)),
            }
        )
    return steps


def lifetime_value_panel(card: Scorecard, *, currency: str) -> dict[str, Any]:
    """The contract value and its churn factors per segment, beside CLTV, CAC, LTV:CAC and payback."""
    segments = card.snapshot.document["breakdowns"].get("segment", {}) if card.snapshot else {}
    rows = [
        {"segment": name, "cells": [format_value(key, explained.get(key), currency) for key in SEGMENT_FIGURES]}
        for name, explained in ((name, retainer_explained(figures)) for name, figures in sorted(segments.items()))
    ]
    side_by_side = [
        (LABELS[key], format_value(key, card.kpi(key), currency))
        for key in ("contract_ltv", "cltv", "cac", "ltv_to_cac", "cac_payback_months", "cpl")
    ]
    return {
        "columns": [LABELS[key] for key in SEGMENT_FIGURES],
        "rows": rows,
        "side_by_side": side_by_side,
        "total": [format_value(key, card.kpi(key), currency) for key in SEGMENT_FIGURES],
    }


def kpi_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    return [(title, [(key, LABELS[key]) for key in keys]) for title, keys in GROUPS]
