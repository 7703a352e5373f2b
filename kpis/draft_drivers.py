"""The draft's sentences of what drove a change: the member that moved a KPI (its rate, its volume,
its conversion, or the mix), the spend against the results, and the working days' part of a count's move.

Each reads the two months' snapshot documents through the ``Writer`` (``kpis.draft_writer``) and
returns a ``Line`` (or None when nothing can be said); ``kpis.draft`` puts them under the moves of
the draft, ``kpis.report_drivers`` in the report's "What changed". The arithmetic is
``kpis.drivers``' and ``kpis.explain``'s. Pure: no database.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from clients.words import money, share_shown
from kpis.catalogue import kpi
from kpis.draft_writer import Figure, Line, Writer, breakdown_href, clause, line, lower_first, month_words, report_href
from kpis.drivers import REST, budget_volume_split, exact
from kpis.explain import SHAPES, TopDriver, top_pair
from kpis.formatting import format_value
from kpis.sentences import UNITS


def member_pair(document: dict[str, Any], key: str, dimension: str, member: str) -> tuple[Any, Any]:
    shape = SHAPES[key]
    figures = document.get("breakdowns", {}).get(dimension, {}).get(member, {})
    return figures.get(shape.num), figures.get(shape.den) if shape.den else None


def member_at_or_under(w: Writer, top: TopDriver, month: dt.date, overall: float) -> bool:
    """Whether ``top``'s member's figure of ``month`` (a cost: its spend over its results, as
    driver_line says it) is at or under the month's ``overall`` figure."""
    document = w.documents[month]
    stored = document.get("breakdowns", {}).get(top.dimension, {}).get(top.member, {}).get(top.kpi)
    if stored is None:
        n, d = member_pair(document, top.kpi, top.dimension, top.member)
        if not d:
            return False
        stored = exact(n or 0) / exact(d)
    return exact(stored) <= exact(overall)


def _places(before: Fraction, after: Fraction) -> int:
    """Decimals for two shares compared in one sentence: one, or two under 1 % (a lead per thousand
    sessions), so that a change the sentence names never reads "0.1 %, against 0.1 % before"."""
    return 2 if max(abs(float(before)), abs(float(after))) < 0.01 else 1


def mix_held(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> dict[str, Any] | None:
    """The slots of "driver_mix_rest" (and "What changed"'s "changed_mix_rest") when the mix line would
    name a member whose share of the unit moved mostly because the others' count moved: they fell as
    its share rose (or rose as it fell), by more than the member's own count moved. Acme's November,
    customers 10 → 6, read "CAC +109.8 %: mostly a change in the split of the customers, Paid search
    having 50.0 % of the total (20.0 % before)", as if customers had moved to Paid search, while it won
    2 → 3 and the others 8 → 3: the line now says those counts. None when the member's own count did
    most of its share's move (the split is then the story, said as before)."""
    shape = SHAPES[top.kpi]
    if shape.kind != "ratio" or not shape.den or not shape.top_denominator:
        return None
    documents = w.documents
    own = [documents[m].get("breakdowns", {}).get(top.dimension, {}).get(top.member, {}).get(shape.den) or 0
           for m in (before, after)]
    totals = [documents[m]["kpis"].get(shape.top_denominator) for m in (before, after)]
    if not totals[0] or not totals[1]:
        return None
    share0, share1 = own[0] / totals[0], own[1] / totals[1]
    moved_own, moved_rest = own[1] - own[0], (totals[1] - own[1]) - (totals[0] - own[0])
    # The rest moved the share (fell as it rose, rose as it fell) and by more than the member itself.
    if share1 == share0 or (moved_rest < 0) != (share1 > share0) or abs(moved_rest) <= abs(moved_own):
        return None
    member = w.member_name(top.dimension, top.member)

    def rest(month: dt.date, total: float, count: float) -> Any:
        value = total - count
        return w.derived(w._show(shape.den, value), value,
                         f"{kpi(shape.top_denominator).label}, {month_words(month)}: {w._show(shape.den, total)} − "
                         f"{member} {w._show(shape.den, count)}", href=breakdown_href(top.dimension, month))

    return {
        "member": w.member_in_text(top.dimension, top.member),
        "unit": str(UNITS.get(shape.den, shape.den)),
        "rest_before": rest(before, totals[0], own[0]),
        "rest_after": rest(after, totals[1], own[1]),
        "total_before": w.kpi(shape.top_denominator, before),
        "total_after": w.kpi(shape.top_denominator, after),
        "count_before": w.member(shape.den, before, top.dimension, top.member, own[0], stored=True),
        "count_after": w.member(shape.den, after, top.dimension, top.member, own[1], stored=True),
    }


def driver_line(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> Line | None:
    """The sentence saying which member moved a KPI, and how (its rate, or the mix)."""
    key, shape = top.kpi, SHAPES[top.kpi]
    if top.member == REST:
        return None
    member = w.member_name(top.dimension, top.member)  # as a label: the figures' sources ("Paid search: 3 / 10")
    named = w.member_in_text(top.dimension, top.member)  # as the sentence says it
    doc0, doc1 = w.documents[before], w.documents[after]
    n0, d0 = member_pair(doc0, key, top.dimension, top.member)
    n1, d1 = member_pair(doc1, key, top.dimension, top.member)
    label = lower_first(str(kpi(key).label))
    if shape.kind == "ratio" and not d0 and not d1:
        return None  # a member with nothing to divide by in either month (spend without a customer)
    if shape.kind == "ratio":
        if abs(top.rate) >= abs(top.mix) and d0 and d1:
            r0, r1 = exact(n0 or 0) / exact(d0), exact(n1 or 0) / exact(d1)
            stored = key in doc1.get("breakdowns", {}).get(top.dimension, {}).get(top.member, {})
            return line(
                "driver_rate",
                member=named,
                kpi_lower=label,
                member_before=w.member(key, before, top.dimension, top.member, r0, stored=stored),
                member_after=w.member(key, after, top.dimension, top.member, r1, stored=stored),
            )
        total0 = exact(doc0["kpis"].get(shape.top_denominator) or 0)
        total1 = exact(doc1["kpis"].get(shape.top_denominator) or 0)
        if not total0 or not total1:
            return None
        share0, share1 = exact(d0 or 0) / total0, exact(d1 or 0) / total1
        unit = str(UNITS.get(shape.den or "", shape.den or ""))
        # A share of 0 is said in words ("brought none of the customers"), never "0 %" (kpis.sentences).
        mix_key = "driver_mix_none_after" if not share1 else "driver_mix_none_before" if not share0 else "driver_mix"
        # The others' count moved the member's share more than its own did: the counts, not the split.
        if mix_key == "driver_mix" and (held := mix_held(w, top, before, after)) is not None:
            return line("driver_mix_rest", **held)
        return line(
            mix_key,
            member=named,
            unit=unit,
            share_before=w.derived(
                share_shown(share0, _places(share0, share1)),
                share0,
                f"{member}: {w._show(shape.den or '', d0 or 0)} / {w._show(shape.top_denominator or '', total0)} {unit}, "
                f"{month_words(before)}",
                href=breakdown_href(top.dimension, before),
            ),
            share_after=w.derived(
                share_shown(share1, _places(share0, share1)),
                share1,
                f"{member}: {w._show(shape.den or '', d1 or 0)} / {w._show(shape.top_denominator or '', total1)} {unit}, "
                f"{month_words(after)}",
                href=breakdown_href(top.dimension, after),
            ),
        )
    # A share of the unit that converted, never over 100 %: a month's MQLs include leads created
    # earlier, so 12 MQLs from 4 new leads reads as its count moving, not as 300 % converting.
    converts = bool(d0 and d1) and (n0 or 0) <= d0 and (n1 or 0) <= d1
    if abs(top.rate) > abs(top.mix) and converts and shape.den:
        r0, r1 = exact(n0 or 0) / exact(d0), exact(n1 or 0) / exact(d1)
        unit = str(UNITS.get(shape.den, shape.den))
        href0 = breakdown_href(top.dimension, before)
        href1 = breakdown_href(top.dimension, after)
        total0, total1 = doc0["kpis"].get(key), doc1["kpis"].get(key)
        moved, whole = (n1 or 0) - (n0 or 0), (total1 or 0) - (total0 or 0)
        share = None if total0 is None or total1 is None or moved * whole <= 0 else abs(moved) / abs(whole)
        # As a count's: more than the whole (Acme's organic search, 21 → 40 new leads in a month of +15)
        # is "all of it and more", its count said; under half, "the largest part", never "most of it".
        counts = {}
        if share is not None and share > 1:
            counts = {"kpi_lower": label,
                      "count_before": w.member(key, before, top.dimension, top.member, n0 or 0, stored=True),
                      "count_after": w.member(key, after, top.dimension, top.member, n1 or 0, stored=True)}
        return line(
            "driver_conversion_over" if counts else (
                "driver_conversion_largest" if share is not None and share < 0.5 else "driver_conversion"),
            **counts,
            member=named,
            unit=unit,
            rate_before=w.derived(
                share_shown(r0, _places(r0, r1)),
                r0,
                f"{member}: {w._show(shape.num, n0 or 0)} {label} / {w._show(shape.den, d0)} {unit}, "
                f"{month_words(before)}",
                href0,
            ),
            rate_after=w.derived(
                share_shown(r1, _places(r0, r1)),
                r1,
                f"{member}: {w._show(shape.num, n1 or 0)} {label} / {w._show(shape.den, d1)} {unit}, "
                f"{month_words(after)}",
                href1,
            ),
        )
    count_before = w.member(key, before, top.dimension, top.member, n0 or 0, stored=True)
    count_after = w.member(key, after, top.dimension, top.member, n1 or 0, stored=True)
    total0, total1 = doc0["kpis"].get(key), doc1["kpis"].get(key)
    moved, whole = (count_after.value or 0) - (count_before.value or 0), (total1 or 0) - (total0 or 0)
    if total0 is not None and total1 is not None and moved * whole > 0 and abs(moved) > abs(whole):
        # Acme's MQLs 55 → 61 with Direct's 10 → 26: not "most of" a change it is bigger than, the
        # other members having moved the other way; the rest said with it.
        def rest(month: dt.date, total: float, own: Figure) -> Figure:
            value = total - (own.value or 0)
            return w.derived(w._show(key, value), value,
                             f"{kpi(key).label}, {month_words(month)}: {w._show(key, total)} − {member} {own.shown}",
                             href=breakdown_href(top.dimension, month))

        return line(
            "driver_volume_over", member=named, kpi_lower=label, count_before=count_before, count_after=count_after,
            rest_before=rest(before, total0, count_before), rest_after=rest(after, total1, count_after),
        )
    # Under half of the change (Acme's sessions: Paid search's 440 of 1,573): the largest part, not "most of it".
    largest = total0 is not None and total1 is not None and moved * whole > 0 and abs(moved) * 2 < abs(whole)
    return line("driver_volume_largest" if largest else "driver_volume", member=named, kpi_lower=label,
                count_before=count_before, count_after=count_after)


def budget_line(w: Writer, key: str, before: dt.date, after: dt.date) -> Line | None:
    """Volume against price for a spend-based ratio: did the spend or the results move it?
    (kpis.drivers.budget_volume_split: ΔC = ΔS·mean(1/V) + Δ(1/V)·mean(S), exact.)"""
    shape = SHAPES[key]
    pair0, pair1 = top_pair(w.documents[before], shape), top_pair(w.documents[after], shape)
    if pair0 is None or pair1 is None or pair0[1] is None or pair1[1] is None:
        return None
    split = budget_volume_split(spend_before=pair0[0], spend_after=pair1[0], volume_before=pair0[1], volume_after=pair1[1])
    if split is None:
        return None
    spend_effect, volume_effect = split
    if key == "roas":  # value per spend: the "spend" is the value, the "volume" the ad spend
        return None

    def spend(month: dt.date, value: Fraction) -> Figure:
        if len(shape.top_numerator) == 1:
            return w.kpi(shape.num, month)
        parts = " + ".join(
            f"{kpi(k).label} {format_value(k, w.documents[month]['kpis'][k], w.currency)}" for k in shape.top_numerator
        )
        shown = money(float(value), w.currency)
        return w.derived(shown, value, f"{parts}, {month_words(month)}", href=report_href(month, shape.num))

    unit = str(UNITS.get(shape.top_denominator or "", shape.top_denominator or ""))
    if abs(volume_effect) >= abs(spend_effect):
        key = "driver_results"
    else:  # "the customers went from 5 to 5" reads as a slip: a volume that did not move is said to hold
        key = "driver_budget" if pair0[1] != pair1[1] else "driver_budget_flat"
    if len(shape.top_numerator) > 1:  # CAC: "the spend" would read as the marketing spend the summary names
        key += "_sales"
    return line(
        key,
        unit=unit,
        volume_before=w.kpi(shape.top_denominator, before),
        volume_after=w.kpi(shape.top_denominator, after),
        spend_before=spend(before, pair0[0]),
        spend_after=spend(after, pair1[0]),
    )


def calendar_clause(w: Writer, top: TopDriver, before: dt.date, after: dt.date) -> Line | None:
    """What the working days did to a count's move, when they explain a third of it or more: a clause
    of the move's own sentence (``move_calendar``), not a sentence taking a place of its own."""
    change = top.after - top.before
    if SHAPES[top.kpi].kind != "count" or not change or abs(top.calendar) * 3 < abs(change):
        return None
    return clause(
        "calendar_clause" if top.calendar * change > 0 else "calendar_against_clause",
        month=month_words(after),
        kpi_lower=lower_first(str(kpi(top.kpi).label)),  # "held it back by 3": 3 of what
        days_after=w.kpi("working_days", after),
        days_before=w.kpi("working_days", before),
        calendar=w.derived(
            format_value(top.kpi, float(abs(top.calendar)), w.currency),
            top.calendar,
            _("%(kpi)s per working day × the change in working days") % {"kpi": kpi(top.kpi).label},
        ),
    )
