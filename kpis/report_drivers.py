"""The report's "What changed" block and the month-to-date pacing bar, from the scorecard's data.

Both read what ``kpis.selectors_scorecard.scorecard_load`` already loaded (the 13 months of snapshots, the
quarter's targets, the period's working days), so the cached scorecard path reads nothing more.
The lines are ``kpis.sentences`` texts filled by ``kpis.draft_drivers`` (figures linked, sources on
hover); the bar is ``kpis.charts`` shapes, so the page (SVG) and the PDF (a Drawing) draw the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kpis import charts
from kpis.catalogue import Better, is_kpi, kpi
from kpis.draft import IMPORTANCE
from kpis.draft_drivers import budget_line, driver_line
from kpis.draft_tracking import Faults
from kpis.draft_writer import Line, Writer, line, month_words
from kpis.explain import month_drivers, top_drivers
from kpis.formatting import format_value, number_shown
from kpis.nodata import document_facts
from kpis.nospend import document_known
from kpis.pacing import PACED_KPIS, MonthFigures, Pace, pace, quarter_months, quarter_pace

# Members named without a lookup (vocabularies): the report reads no campaign or persona names.
REPORT_DIMENSIONS = ("channel", "platform")
COMPACT = {
    "driver_rate": "changed_rate",
    "driver_mix": "changed_mix",
    "driver_mix_rest": "changed_mix_rest",
    "driver_mix_none_after": "changed_mix_none_after",
    "driver_mix_none_before": "changed_mix_none_before",
    "driver_volume": "changed_volume",
    "driver_volume_over": "changed_volume_over",
    "driver_volume_largest": "changed_volume_largest",
    "driver_conversion_over": "changed_conversion_over",
    "driver_conversion_largest": "changed_conversion_largest",
    "driver_conversion": "changed_conversion",
    "driver_results": "changed_results",
    "driver_budget": "changed_budget",
    "driver_budget_flat": "changed_budget",
    "driver_results_sales": "changed_results",
    "driver_budget_sales": "changed_budget_sales",
    "driver_budget_flat_sales": "changed_budget_sales",
}


def what_changed(card: Any, *, currency: str, count: int = 3) -> list[dict[str, Any]]:
    """The ``count`` KPIs that moved most against the comparison month, one line each with the
    member (channel, platform) or the volume/price effect that did most of it. Empty for the
    month in progress, or without the comparison month's snapshot."""
    if card.snapshot is None or card.in_progress or card.compare_to not in card.history:
        return []
    before, after = card.compare_to, card.month
    # A month without spend loaded has no costs to compare (kpis.nospend): its spend figures are None.
    # Nor traffic or email figures of a month without their rows, nor revenue without deal values (kpis.nodata).
    documents = {
        m: document_facts(document_known(s.document, has_spend=card.has_spend(m)), month=m, row_months=card.row_months)
        for m, s in card.history.items()
        if m in (before, after)
    }
    drivers = {
        key: [d for d in found if d.dimension in REPORT_DIMENSIONS]
        for key, found in month_drivers(documents[before], documents[after]).items()
    }
    w = Writer(month=after, documents=documents, currency=currency, names={})
    # A split a tracking check distorts (leads without their tags count as Direct) explains no move:
    # the report would read the fault as results, as the draft did (kpis.draft_tracking).
    faults = Faults(card.tracking_faults(), month=after)
    rows = []
    ranked = top_drivers({k: v for k, v in drivers.items() if v and is_kpi(k)}, count=len(drivers))
    ranked.sort(key=lambda t: -t.weight * IMPORTANCE.get(t.kpi, 1.0))  # the draft's order: size and importance
    for top in ranked[:count]:
        # As the tile above says it (Writer.change): a count under SMALL_BASE the month before moved by
        # a number ("-7"), not "-36.8 %" (the tile's "-7" and this line's percentage disagreed on one page).
        change = w.change(top.kpi, before, after, signed=True)
        if change is None:
            continue
        explained = (None if faults.unreliable(top.kpi, top.dimension) else driver_line(w, top, before, after)) or (
            budget_line(w, top.kpi, before, after) if top.kpi in ("cpl", "cost_per_mql", "cac", "cost_per_conversion") else None
        )
        slots = {"kpi": str(kpi(top.kpi).label), "change": change, "compare": month_words(before)}
        if explained is not None:
            sentence = line(COMPACT[explained.key], **{**explained.slots, **slots})
        else:
            sentence = line("changed_plain", **slots)
        better = kpi(top.kpi).better
        good = None if better == Better.NEUTRAL else (top.after > top.before) == (better == Better.UP)
        rows.append({"line": sentence, "good": good, "kpi": top.kpi})
    return rows


PACE_COLOURS = {
    "on_track": "#2e7d32",
    "met": "#2e7d32",
    "behind": "#c62828",
    "missed": "#c62828",
    "over": "#c77700",
    "under": "#c77700",
}


def pace_shapes(p: Pace, *, width: float = 320, height: float = 16) -> list[charts.Shape]:
    """The bar: the target's length in grey, the figure so far filled (green on track, red behind,
    amber off budget), a dark tick where it should be by now (working days gone ÷ all)."""
    fill = PACE_COLOURS.get(p.status, "#1f5fbf")
    expected = p.expected_share * width
    return [
        charts.Shape("rect", (0, 3, width, height - 6), fill="#e3e7ee"),
        charts.Shape("rect", (0, 3, max(p.share * width, 1.5), height - 6), fill=fill),
        charts.Shape("line", (expected, 0, expected, height), stroke="#1d2433", width=2),
    ]


def _pace_row(p: Pace, *, currency: str, scope: str) -> dict[str, Any]:
    shown = lambda value: format_value(p.kpi, value, currency)  # noqa: E731
    label = str(kpi(p.kpi).label)
    slots: dict[str, Any] = {"kpi": label, "actual": shown(p.actual), "target": shown(p.target), "projected": shown(p.projected)}
    if p.status == "behind":
        slots.update(gap=shown(p.gap), needed=number_shown(p.needed_per_day or 0, 1, force_grouping=True))
    sentence = line(f"pace_{p.status}", **slots)
    days = _("%(elapsed)s of %(total)s working days gone") % {"elapsed": p.elapsed, "total": p.total}
    shapes = pace_shapes(p)
    return {
        "kpi": p.kpi,
        "scope": scope,
        "status": p.status,
        "text": sentence.text,
        "days": days,
        "svg": charts.to_svg(shapes, 320, 16, label=f"{sentence.text} {days}", css_class="pace-bar"),
        "shapes": shapes,
    }


def pacing_rows(card: Any, *, currency: str) -> dict[str, list[dict[str, Any]]]:
    """For the month in progress: each paced figure (spend, leads, MQLs, SQLs) against its target
    for the month and, when every month of the quarter has one, for the quarter. Empty otherwise."""
    if card.snapshot is None or not card.in_progress or not card.period.working_elapsed:
        return {"month": [], "quarter": []}
    period, kpis = card.period, card.snapshot.document["kpis"]
    month_rows = []
    for key in PACED_KPIS:
        target = card.targets.get(key)
        found = pace(
            kpi=key, actual=kpis.get(key) or 0, target=target, elapsed=period.working_elapsed, total=period.working_total
        )
        if found is not None and is_kpi(key):
            month_rows.append(_pace_row(found, currency=currency, scope="month"))
    months = []
    for month, targets in sorted(card.quarter_targets.items()):
        if month < card.month:
            snapshot = card.history.get(month)
            days = (snapshot.document["kpis"].get("working_days") if snapshot else None) or 0
            figures = snapshot.document["kpis"] if snapshot else None
            months.append(MonthFigures(month, days, days, figures, targets))
        elif month == card.month:
            months.append(MonthFigures(month, period.working_total, period.working_elapsed, kpis, targets))
        else:
            days = dict(period.later_working).get(month, 0)
            months.append(MonthFigures(month, days, 0, None, targets))
    quarter_rows = []
    for key in PACED_KPIS:
        found = quarter_pace(months, kpi=key) if months else None
        if found is not None and is_kpi(key):
            quarter_rows.append(_pace_row(found, currency=currency, scope="quarter"))
    return {"month": month_rows, "quarter": quarter_rows}


def quarter_label(month: dt.date) -> str:
    quarter = quarter_months(month)
    return f"{month_words(quarter[0])} – {month_words(quarter[-1])}"


def report_hooks(card: Any, *, currency: str) -> dict[str, Any]:
    """What the report adds under the summary: "What changed" and the pacing bars."""
    pacing = pacing_rows(card, currency=currency)
    return {
        "what_changed": what_changed(card, currency=currency),
        "pacing": pacing,
        "pacing_quarter": quarter_label(card.month) if pacing["quarter"] else "",
    }


__all__ = ["Line", "pacing_rows", "report_hooks", "what_changed"]
