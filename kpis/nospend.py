"""A client without any spend: which figures of a snapshot document are then not facts.

A client for whom the agency has loaded no spend at all (no file, no ad platform, nothing sent) has
marketing spend 0 and cost per lead 0 by kpis.md's rules (a sum over no rows is 0), and a 0 € cost per
lead reads as "the leads were free", which nobody knows. The snapshot keeps the spec's value; every
screen and sentence reads the spend figures through here and shows "—" with the reason instead
(kpis.reasons.no_spend_reason), as kpis.unmatched does for CRM leads that name no campaign.

What "has spend" means for month m: the client has at least one spend row dated on or before m's last
day (any category, any amount, imported, connected or sent). A client whose spend starts in December
reads "—" for November; a client with spend rows but none in m keeps its real 0 (nothing spent).
Approved versions freeze the answer (kpis.report.FROZEN's ``has_spend``) so an approved report says
what it said; otherwise it is read live from the date of the client's first spend row (one
``min(date)`` in the scorecard's snapshot query, kpis.selectors_scorecard.scorecard_load). Pure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.months import Month

# The figures that show spend or divide by it. roi and romi are already null without spend (kpis.md
# divides by it); ltv_to_cac too (cltv / 0).
SPEND_FIGURES = frozenset({
    "marketing_spend", "media_spend", "nurture_spend", "sales_spend", "ad_spend",
    "cpl", "cost_per_mql", "cost_per_sql", "cost_per_customer", "cac", "cac_payback_months",
})  # fmt: skip

SPENT_ALWAYS = dt.date.min  # the first spend date of a reader that did not read it: every month has spend


def spend_loaded(*, month: dt.date, first_spend: dt.date | None) -> bool:
    """Whether a spend row dated on or before ``month``'s last day exists, given the client's first
    spend date (None: no spend row at all)."""
    return first_spend is not None and first_spend < (Month.of(month) + 1).first_day


def document_has_spend(document: dict[str, Any] | None, *, month: dt.date, first_spend: dt.date | None) -> bool:
    """The month's answer as its reader sees it: frozen in an approved version, else from the rows."""
    from_version = frozen_has_spend(document)
    return from_version if from_version is not None else spend_loaded(month=month, first_spend=first_spend)


def frozen_has_spend(document: dict[str, Any] | None) -> bool | None:
    """Whether the client had spend rows up to the month's end when the document was approved; None
    when the document froze no answer (as computed, or approved before versions kept it)."""
    frozen = (document or {}).get("report")  # kpis.report.FROZEN
    return bool(frozen["has_spend"]) if isinstance(frozen, dict) and "has_spend" in frozen else None


def spend_figure_unknown(key: str, *, has_spend: bool) -> bool:
    """``key`` shows or divides spend and the client had none loaded: "—" with the reason."""
    return not has_spend and key in SPEND_FIGURES


def spend_unknown_figures(document: dict[str, Any] | None, *, has_spend: bool) -> list[str] | None:
    """The month's figures a machine export keeps at kpis.md's 0 though no spend was loaded: None when
    the client had spend."""
    if has_spend or not document:
        return None
    return [key for key in (document.get("kpis") or {}) if key in SPEND_FIGURES]


def document_known(document: dict[str, Any], *, has_spend: bool) -> dict[str, Any]:
    """``document`` as a sentence reads it: without spend loaded, its spend figures (the month's and
    every breakdown member's) are None — undefined, as a cost per lead without leads is — so that no
    draft, driver or "What changed" line says "cost per lead fell from €12.00 to €0.00". A copy; the
    stored document keeps kpis.md's values."""
    if has_spend:
        return document
    kpis = {key: (None if key in SPEND_FIGURES else value) for key, value in (document.get("kpis") or {}).items()}
    breakdowns = {
        dimension: {
            member: {key: (None if key in SPEND_FIGURES else value) for key, value in figures.items()}
            for member, figures in members.items()
        }
        for dimension, members in (document.get("breakdowns") or {}).items()
    }
    return {**document, "kpis": kpis, "breakdowns": breakdowns}


def spend_without_campaign(document: dict[str, Any] | None) -> tuple[float, float] | None:
    """``(not tied to a campaign, marketing spend)``: the month's marketing spend that no campaign row
    of the campaign breakdown holds (kpis.md leaves spend with no campaign out of it: fees, tools,
    content), and the month's total. None when the table holds it all, or has no row: a reader adding
    up the table's column would otherwise find less than the month's marketing spend, unexplained."""
    if not document:
        return None
    members = (document.get("breakdowns") or {}).get("campaign") or {}
    total = (document.get("kpis") or {}).get("marketing_spend")
    if not members or not isinstance(total, int | float):
        return None
    rest = total - sum(float(figures.get("marketing_spend") or 0) for figures in members.values())
    return (rest, float(total)) if rest >= 0.005 else None
