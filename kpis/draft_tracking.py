"""The draft in a month whose tracking broke: which of its sentences the fault makes unreliable.

When leads lose their UTM tags they count as Direct, so Direct "converts" better and Paid search's
cost per lead triples: the split by channel (and campaign) moved, the marketing did not. A draft
that explains a move by that split reads a tracking fault as results. So when a tracking check
(``kpis.checks.tracking``) fired for the month, or for the month it is compared with (a split
against a broken month is as unreliable as the broken month's own), the draft names no member of
a split the fault distorts: the move stays, said plainly (it is the figure the report shows), and
one plain sentence says what went wrong and what it affects (``fault_line``), once, under Concerns
whichever way the move went (under a win it read as good news: ``kpis.draft._with_faults``); the
step after it is to watch the figure once the tracking is fixed, not to move budget towards a
channel. Resolved checks count too: resolving one says staff looked, the figures still lack what
was lost (``reports.selectors_draft.draft_concerns``).

Pure: the checks come in as ``Fault``s (``reports.selectors_draft.draft_faults`` reads them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kpis.draft_writer import Line, Writer, breakdown_href, line, month_words
from kpis.explain import DIMENSIONS, SHAPES
from kpis.unmatched import LEAD_COUNTS

TRACKING_PREFIX = "tracking_"  # the keys of the faults' sentences (kpis.sentences)
# The splits the source tags make: a lead without them counts as Direct and under no campaign.
SOURCE_SPLITS = ("channel", "campaign", "platform")
LEAD_KPIS = frozenset(key for key, shape in SHAPES.items() if {shape.num, shape.den} & LEAD_COUNTS)
MQL_KPIS = frozenset(key for key, shape in SHAPES.items() if "mqls" in (shape.num, shape.den))
AD_KPIS = frozenset(key for key, shape in SHAPES.items() if {shape.num, shape.den} & {"platform_conversions", "conversion_value"})


@dataclass(frozen=True)
class Affects:
    """What a tracking check makes unreliable: the splits (``dimensions``) of ``kpis``; the
    sentence (``kpis.sentences``) that says so."""

    kpis: frozenset[str]
    dimensions: tuple[str, ...]
    sentence: str


# Check key → what it distorts. Leads without tags: the lead counts' split by source. Forms that
# record no lead, criteria that qualify none: the lead (MQL) figures themselves, however split. A
# campaign named two ways: the split by campaign. A campaign spending with no clicks or conversions
# recorded: the platforms' conversions by campaign (and so by platform and channel).
AFFECTS: dict[str, Affects] = {
    "tracking.leads_unattributed": Affects(LEAD_KPIS, SOURCE_SPLITS, "tracking_leads_unattributed"),
    "tracking.sessions_without_leads": Affects(LEAD_KPIS, DIMENSIONS, "tracking_sessions_without_leads"),
    "tracking.mql_stage_skipped": Affects(MQL_KPIS, DIMENSIONS, "tracking_no_mqls"),
    "tracking.no_mqls": Affects(MQL_KPIS, DIMENSIONS, "tracking_no_mqls"),
    "tracking.campaign_name_twins": Affects(frozenset(SHAPES), ("campaign",), "tracking_campaign_name_twins"),
    "tracking.spend_without_results": Affects(AD_KPIS, SOURCE_SPLITS, "tracking_spend_without_results"),
}


@dataclass(frozen=True)
class Fault:
    """A tracking check that fired for ``month`` (resolved or not), with its stored figures."""

    key: str
    month: dt.date
    figures: dict[str, Any] = field(default_factory=dict)


class Faults:
    """The tracking faults of the months a draft compares, and the one sentence each is said by.

    ``unreliable(kpi, dimension)`` is the fault that makes that split unreliable (the month's own
    first, then the earlier month's; within a month in AFFECTS' order), or None."""

    def __init__(self, faults: Sequence[Fault], *, month: dt.date):
        known = [f for f in faults if f.key in AFFECTS]
        order = list(AFFECTS)
        self.faults = sorted(known, key=lambda f: (f.month != month, order.index(f.key)))

    def __bool__(self) -> bool:
        return bool(self.faults)

    def unreliable(self, key: str, dimension: str) -> Fault | None:
        for fault in self.faults:
            affects = AFFECTS[fault.key]
            if key in affects.kpis and dimension in affects.dimensions:
                return fault
        return None


def fault_line(w: Writer, fault: Fault) -> Line:
    """The plain sentence of a fault: what went wrong in its month (a month the draft reads), and
    what it makes unreliable."""
    affects = AFFECTS[fault.key]
    month = month_words(fault.month)
    if fault.key != "tracking.leads_unattributed":
        return line(affects.sentence, month=month)
    count = int(fault.figures.get("count") or 0)
    shown = w._show("new_leads", count)
    untagged = w.derived(
        shown, count, _("New leads with neither channel nor campaign, %(month)s: %(count)s") % {"month": month, "count": shown},
        href=breakdown_href("channel", fault.month),
    )
    return line(affects.sentence, count=untagged, leads=w.kpi("new_leads", fault.month), month=month)
