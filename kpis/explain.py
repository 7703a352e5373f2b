"""The drivers of a month, read from snapshot documents: which KPI moved, and which members moved it.

``kpis.drivers`` does the arithmetic over ``{member: (numerator, denominator)}``; this module
says, per KPI, which figures of the document are its numerator and denominator (its ``Shape``),
reads them per member of each breakdown, and adds the member ``_rest`` for whatever a breakdown
leaves out (spend without a campaign, leads without a persona, sales spend in CAC), so that the
members always add up to the KPI as the snapshot states it. A KPI or a breakdown whose figures a
document does not have (ROAS before the paid-media figures exist) is simply skipped: the shapes
work as soon as the figures are there. Pure: documents in, decompositions out.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from kpis.drivers import REST, Decomposition, Pair, count_decompose, exact, exact_sum, ratio_decompose
from kpis.unmatched import LEAD_COUNTS, leads_by_campaign_unknown

DIMENSIONS = ("channel", "platform", "campaign", "persona")


@dataclass(frozen=True)
class Shape:
    """How a KPI is built: ``ratio`` (Σnum ÷ Σden) or ``count`` (Σnum over working days, each
    member's ``den`` its driver). ``top_num`` are the document's top-level keys whose sum is the
    numerator (CAC adds the sales spend, which no breakdown carries)."""

    key: str
    kind: str  # "ratio" | "count"
    num: str
    den: str | None
    top_num: tuple[str, ...] = ()
    top_den: str | None = None

    @property
    def top_numerator(self) -> tuple[str, ...]:
        return self.top_num or (self.num,)

    @property
    def top_denominator(self) -> str | None:
        return self.top_den or self.den


SHAPES: dict[str, Shape] = {
    shape.key: shape
    for shape in (
        Shape("mqls", "count", num="mqls", den="new_leads"),
        Shape("new_leads", "count", num="new_leads", den="sessions"),
        Shape("sessions", "count", num="sessions", den=None),
        Shape("cpl", "ratio", num="marketing_spend", den="new_leads"),
        Shape("cost_per_mql", "ratio", num="marketing_spend", den="mqls"),
        Shape("cac", "ratio", num="marketing_spend", den="customers", top_num=("marketing_spend", "sales_spend")),
        Shape("roas", "ratio", num="conversion_value", den="ad_spend"),
        Shape("cost_per_conversion", "ratio", num="ad_spend", den="platform_conversions"),
    )
}


def _number(value: Any) -> Fraction | None:
    return None if value is None else exact(value)


def top_pair(document: dict[str, Any], shape: Shape) -> tuple[Fraction, Fraction | None] | None:
    """The KPI's numerator and denominator at the top level; None when the document lacks them."""
    kpis = document.get("kpis", {})
    if any(kpis.get(key) is None for key in shape.top_numerator):
        return None
    numerator = exact_sum(exact(kpis[key]) for key in shape.top_numerator)
    if shape.top_denominator is None:
        return numerator, None
    if kpis.get(shape.top_denominator) is None:
        # A count whose driver is unknown (sessions of a month without traffic rows, kpis.nodata) still
        # splits by member, without its driver; a ratio without its denominator does not exist.
        return (numerator, None) if shape.kind == "count" else None
    return numerator, exact(kpis[shape.top_denominator])


def members_of(document: dict[str, Any], shape: Shape, dimension: str) -> dict[str, Pair] | None:
    """``{member: (numerator, denominator)}`` of a breakdown plus ``_rest`` (top − Σ members), or
    None when the breakdown (or the KPI's figures in it) is not in the document."""
    top = top_pair(document, shape)
    members = document.get("breakdowns", {}).get(dimension)
    if top is None or not isinstance(members, dict):
        return None
    if not members or not any(shape.num in figures for figures in members.values()):
        return None  # no such breakdown this month, or it lacks the KPI's figures
    with_den = shape.den is not None and top[1] is not None and any(shape.den in figures for figures in members.values())
    pairs: dict[str, Pair] = {}
    for member, figures in members.items():
        if shape.num not in figures:
            continue
        pairs[member] = (_number(figures.get(shape.num)) or Fraction(0), _number(figures.get(shape.den)) if with_den else None)
    rest_num = top[0] - exact_sum(p[0] or Fraction(0) for p in pairs.values())
    rest_den: Fraction | None = None
    if shape.kind == "ratio" or with_den:
        # The denominators (a count's drivers) add up to the top level's too.
        known = exact_sum(p[1] or Fraction(0) for p in pairs.values())
        rest_den = (top[1] - known) if top[1] is not None else Fraction(0)
    if rest_num or rest_den:
        pairs[REST] = (rest_num, rest_den)
    return pairs


@dataclass(frozen=True)
class Driven:
    """One KPI's change between two documents, split by one breakdown."""

    kpi: str
    dimension: str
    decomposition: Decomposition


def kpi_drivers(before: dict[str, Any], after: dict[str, Any], key: str) -> list[Driven]:
    """The change of KPI ``key`` from ``before`` to ``after``, split by each breakdown the
    documents have (channel, platform, campaign, persona)."""
    shape = SHAPES[key]
    days0 = before.get("kpis", {}).get("working_days") or 0
    days1 = after.get("kpis", {}).get("working_days") or 0
    found = []
    # Leads by campaign (and so by platform) are unknown in a month whose CRM leads name no campaign
    # (kpis.unmatched): splitting a count of leads by those members would say "12 → 0" of a campaign.
    unknown = bool({shape.num, shape.den} & LEAD_COUNTS) and leads_by_campaign_unknown(before, after)
    for dimension in DIMENSIONS:
        if unknown and dimension in ("campaign", "platform"):
            continue
        pairs0, pairs1 = members_of(before, shape, dimension), members_of(after, shape, dimension)
        if pairs0 is None or pairs1 is None:
            continue
        if shape.kind == "ratio":
            decomposition = ratio_decompose(pairs0, pairs1)
        else:
            decomposition = count_decompose(pairs0, pairs1, days_before=days0, days_after=days1)
        found.append(Driven(kpi=key, dimension=dimension, decomposition=decomposition))
    return found


def month_drivers(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Driven]]:
    """Every KPI of ``SHAPES`` the documents carry, split by every breakdown they carry."""
    return {key: found for key in SHAPES if (found := kpi_drivers(before, after, key))}


@dataclass(frozen=True)
class TopDriver:
    """A KPI's change and the one member part that explains most of it."""

    kpi: str
    dimension: str
    member: str
    before: Fraction
    after: Fraction
    part: Fraction  # the member's whole part (mix + rate)
    mix: Fraction
    rate: Fraction
    calendar: Fraction
    weight: float  # |change| ÷ |before|: how the KPIs are ranked against each other


def top_drivers(drivers: dict[str, list[Driven]], *, count: int = 3, order: tuple[str, ...] = DIMENSIONS) -> list[TopDriver]:
    """The ``count`` KPIs that moved most (relative to their earlier value), one line each, with
    the member part that did most of it: members named in a breakdown first (``_rest``, what a
    breakdown leaves out, only when nothing else explains the move), breakdowns in ``order``."""
    found: list[TopDriver] = []
    for key, splits in drivers.items():
        best: TopDriver | None = None
        for driven in sorted(splits, key=lambda d: order.index(d.dimension)):
            d = driven.decomposition
            if not d.defined or not d.change or not d.before:
                continue
            rising = d.change > 0
            named = [p for p in d.parts if p.member != REST and p.total and (p.total > 0) == rising] or d.parts
            if not named:
                continue
            part = named[0]
            weight = abs(float(d.change / d.before))
            candidate = TopDriver(
                kpi=key, dimension=driven.dimension, member=part.member, before=d.before, after=d.after,  # type: ignore[arg-type]
                part=part.total, mix=part.mix, rate=part.rate, calendar=d.calendar, weight=weight,
            )  # fmt: skip
            # the breakdown whose leading member explains the largest share of the change
            if best is None or abs(candidate.part) > abs(best.part) * Fraction(3, 2):
                best = candidate
        if best is not None:
            found.append(best)
    return sorted(found, key=lambda t: (-t.weight, t.kpi))[:count]
