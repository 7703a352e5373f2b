"""A commentary draft written from the figures: summary, wins, concerns, next steps.

Every sentence is a declared ``kpis.sentences`` text whose slots are filled with words and
``Figure``s; a figure knows where it came from (the KPI, the month, the breakdown member, or the
figures a derived number was worked out from), so the close page shows each number as a link to
its figure and each sentence's sources on hover. Nothing is invented: a client with one month of
figures gets a draft that says so, a KPI without an earlier value gets no trend. The drivers are
``kpis.explain``'s, pacing ``kpis.pacing``'s, and concerns from the checks come in as ``Line``s.
Reads no database: ``kpis.selectors_scorecard.draft_inputs`` reads what this needs.

This module assembles the month's draft (its moves, the year before, targets and the quarter's
pace); a sentence's figures and filling are ``kpis.draft_writer``'s, what drove a change
``kpis.draft_drivers``', the concise selection ``kpis.draft_concise``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from agency.months import Month
from kpis.catalogue import Better, Unit, is_kpi, kpi
from kpis.draft_concise import CAPS, Point, commitment, concise, concise_steps, concise_summary, lines_of
from kpis.draft_drivers import budget_line, calendar_clause, driver_line, member_at_or_under
from kpis.draft_tracking import Fault, Faults, fault_line
from kpis.draft_writer import Figure, Line, Writer, clause, line, lower_first, month_words, report_href
from kpis.explain import SHAPES, Driven, month_drivers, top_drivers
from kpis.formatting import change as tile_change
from kpis.formatting import format_value, number_shown, small_base
from kpis.pacing import PACED_KPIS, MonthFigures, Pace, quarter_pace
from kpis.sentences import CONCERNS, NEXT_STEPS, SUMMARY, UNITS, WINS

FLAT = 0.02  # moves under 2 % (or 0.5 percentage points) are not news
HEADLINE = ("mqls", "cpl")  # the summary's two figures against the month before
DRAFT_KPIS = ("mqls", "new_leads", "cpl", "cost_per_mql", "cac", "sessions", "roas", "cost_per_conversion")


@dataclass
class Draft:
    month: dt.date
    sections: dict[str, list[Line]] = field(default_factory=dict)
    first_month: bool = False

    def text(self, section: str) -> str:
        """The section as commentary text (reports.text): the summary a paragraph, the others a list."""
        lines = [line.text for line in self.sections.get(section, [])]
        if section == SUMMARY:
            return " ".join(lines)
        return "\n".join(f"- {line}" for line in lines)

    def lines(self) -> list[Line]:
        return [line for section in (SUMMARY, WINS, CONCERNS, NEXT_STEPS) for line in self.sections.get(section, [])]



def count_sentence(key: str, sentence_key: str, before: float) -> str:
    """``sentence_key`` ("kpi_up") or its by-a-number form ("kpi_up_count": "rose by 3") when the
    change is a count's number (kpis.formatting.small_base), so no sentence says "rose 3"."""
    return f"{sentence_key}_count" if small_base(key, before) else sentence_key


def _flat(key: str, before: float, after: float) -> bool:
    if kpi(key).unit == Unit.RATE:
        return abs(after - before) < 0.005
    return before == 0 or abs(after - before) / abs(before) < FLAT


def _tile_moved(key: str, before: float, after: float) -> bool:
    """Whether ``key``'s tile shows the change from ``before`` as a move (kpis.formatting.change, "-1.6 %"),
    not "no change" or a change that rounds to nothing ("0.0 %")."""
    shown = tile_change(key, after, before)
    return shown is not None and any(digit in shown["text"] for digit in "123456789")


def _moved(key: str, before: float, after: float) -> float:
    """A headline's move as significant as a win's or concern's: relative to its earlier value,
    weighted by IMPORTANCE."""
    return (abs(after - before) / abs(before) if before else 1.0) * IMPORTANCE.get(key, 1.0)


def _good(key: str, before: float, after: float) -> bool | None:
    better = kpi(key).better
    if better == Better.NEUTRAL:
        return None
    return (after > before) == (better == Better.UP)



@dataclass(frozen=True)
class DraftInputs:
    """What a draft reads: the month's snapshot documents (the month, the one before, the same
    month a year before, when they exist), the month's targets, the quarter's months for pacing
    and the names of campaigns and personas."""

    month: dt.date
    documents: dict[dt.date, dict[str, Any]]
    targets: dict[str, float]
    quarter: list[MonthFigures]
    currency: str
    names: dict[str, dict[str, str]] = field(default_factory=dict)


MOVES_PER_SECTION = 3  # an analyst names the few moves that matter, not every KPI
# How much a move of each KPI matters to the client, beside its size: pipeline and its cost first.
IMPORTANCE = {"mqls": 1.5, "cpl": 1.5, "cac": 1.2, "roas": 1.2, "cost_per_mql": 1.0, "new_leads": 1.0,
              "cost_per_conversion": 1.0, "sessions": 0.6}  # fmt: skip
# A concern explained by one member: what to do about that member.
REVIEW_STEPS = {
    "driver_rate": "step_review_member",
    "driver_volume": "step_review_volume",
    "driver_volume_over": "step_review_volume",
    "driver_volume_largest": "step_review_volume",
    "driver_conversion_over": "step_review_conversion",
    "driver_conversion_largest": "step_review_conversion",
    "driver_conversion": "step_review_conversion",
}


# The steps whose short form (what drove the move said just above) names the KPI: a member's own
# figure or count; the others say it in their words (where its traffic lands, what it brings).
SHORT_WITH_KPI = ("step_review_member", "step_review_volume")


@dataclass
class FaultPoint:
    """A tracking fault's sentence (kpis.draft_tracking.fault_line), a concern of its own, and the
    moves (their first sentences) whose split it distorts: said when one of them is."""

    point: Point
    moves: list[Line] = field(default_factory=list)


def _move_lines(
    w: Writer, drivers: dict[str, list[Driven]], before: dt.date, after: dt.date, faults: Faults | None = None
) -> tuple[list[Point], list[Point], list[Point], list[FaultPoint]]:
    """Wins, concerns and next steps from the KPIs' moves against ``before`` and what drove them:
    the largest moves (relative to the earlier value, weighted by IMPORTANCE: their significance)
    first, at most three each way; a step as significant as the move it follows. A move whose split
    a tracking fault distorts (``faults``, kpis.draft_tracking) is said plainly, with no member: the
    fault is a concern of its own (the last list, one per sentence), never the explanation under a
    win, where "68 leads arrived without a source tag" read as good news."""
    moves: dict[bool, list[Point]] = {True: [], False: []}
    steps: list[Point] = []
    fault_points: dict[str, FaultPoint] = {}
    ranked = sorted(
        top_drivers(drivers, count=len(drivers)),
        key=lambda t: (-t.weight * IMPORTANCE.get(t.kpi, 1.0), DRAFT_KPIS.index(t.kpi)),
    )
    reviewed: set[str] = set()
    calendar_said = False
    for top in ranked:
        key = top.kpi
        if not is_kpi(key):
            continue
        b, a = w.documents[before]["kpis"].get(key), w.documents[after]["kpis"].get(key)
        if a is None or b is None or _flat(key, b, a):
            continue
        good = _good(key, b, a)
        change = w.change(key, before, after)
        if good is None or change is None or len(moves[good]) >= MOVES_PER_SECTION:
            continue
        way = "kpi_up" if a > b else "kpi_down"
        move = {"kpi": str(kpi(key).label), "change": change, "compare": month_words(before),
                "before": w.kpi(key, before), "after": w.kpi(key, after)}  # fmt: skip
        calendar = None if calendar_said else calendar_clause(w, top, before, after)
        if calendar is None:
            lines = [line(count_sentence(key, way, b), **move)]
        else:  # said once (the working days are the same for every count), in the move it explains
            lines = [line("move_calendar", move=clause(count_sentence(key, f"{way}_clause", b), **move), calendar=calendar)]
            calendar_said = True
        fault = faults.unreliable(key, top.dimension) if faults else None
        explained = None if fault is not None else driver_line(w, top, before, after)
        if fault is not None:
            said = fault_line(w, fault)
            fault_points.setdefault(said.text, FaultPoint(Point([said], pinned=True))).moves.append(lines[0])
        elif explained is None and SHAPES[key].kind == "ratio":
            explained = budget_line(w, key, before, after)
        if explained is not None:
            lines.append(explained)
        significance = top.weight * IMPORTANCE.get(key, 1.0)
        moves[good].append(Point(lines, significance, key))
        def step(sentence_line: Line, short: Line | None = None, s: float = significance, k: str = key,
                 f: Line = lines[0], why: Line | None = explained) -> Point:
            """A step after this move; ``short``: said so when what drove the move (``why``) is kept."""
            return Point([sentence_line], s, k, follows=f, repeats=why if short else None, short=short)

        # A move one member explains: what to do about that member (once per member); a concern
        # no single member explains (the mix, the spend, the volume): watch it next month.
        member = top.member
        label = lower_first(str(kpi(key).label))
        if fault is not None:  # no member to review or move budget to: the split cannot say which
            if not good and fault.month == after:
                steps.append(step(line("step_watch_tracking", kpi_lower=label, after=w.kpi(key, after))))
            elif not good:  # the month compared with broke: this month's tracking may be sound
                steps.append(step(line("step_watch_tracking_before", kpi_lower=label, after=w.kpi(key, after),
                                       compare=month_words(before))))
            continue
        if explained is not None and explained.key in ("driver_rate", *REVIEW_STEPS):
            if member in reviewed:
                continue  # that member has its step already
            slots = {**explained.slots, "kpi_lower": label}
            if good and explained.key == "driver_rate" and kpi(key).better == Better.DOWN:
                # Budget goes where a result is cheap, not where it got less dear: a channel still
                # dearer than the month as a whole (€2,177 an MQL against €770) gets no step.
                if member_at_or_under(w, top, after, a):
                    steps.append(step(line("step_shift_budget", **slots),
                                      line("step_shift_budget_short", member=slots["member"])))
                reviewed.add(member)
                continue
            if not good and explained.key in REVIEW_STEPS:
                review = REVIEW_STEPS[explained.key]
                # Its sessions converting less is a matter of traffic and landing pages; its new
                # leads (or MQLs) qualifying less is one of the leads it brings.
                if review == "step_review_conversion" and slots.get("unit") != str(UNITS["sessions"]):
                    review = "step_review_lead_quality"
                short = {"member": slots["member"]} | ({"kpi_lower": label} if review in SHORT_WITH_KPI else {})
                steps.append(step(line(review, **slots), line(f"{review}_short", **short)))
                reviewed.add(member)
                continue
        # "The shift in the mix, not one channel getting worse" is untrue where the others' count fell.
        # Said in full when the mix line is not kept above it, the step names the split itself (the mix
        # line's member and shares, "driver_mix_none_after" → "step_watch_mix_none_after").
        if not good and explained is not None and explained.key.startswith("driver_mix") and explained.key != "driver_mix_rest":
            mix = {k: v for k, v in explained.slots.items() if k in ("unit", "member", "share_before", "share_after")}
            steps.append(step(line(explained.key.replace("driver_", "step_watch_", 1), kpi_lower=label,
                                   after=w.kpi(key, after), **mix), line("step_watch_mix_short", kpi_lower=label)))
        elif not good:
            steps.append(step(line("step_watch", kpi_lower=label, after=w.kpi(key, after))))
    return moves[True], moves[False], steps, list(fault_points.values())


def _pace_lines(w: Writer, inputs: DraftInputs) -> tuple[list[Point], list[Point], list[Point]]:
    """The quarter's pace: wins (on track, met), concerns (behind, missed, spend off its budget)
    and the catch-up step, each as significant as its gap to the target (``commitment``)."""
    wins: list[Point] = []
    concerns: list[Point] = []
    steps: list[Point] = []
    for key in PACED_KPIS:
        p = quarter_pace(inputs.quarter, kpi=key)
        if p is None or not is_kpi(key):
            continue
        slots = _pace_slots(w, p, inputs)
        significance = commitment(p.actual if p.status in ("met", "missed") else p.projected, p.target)
        point = lambda sentence_line, s=significance, k=key: Point([sentence_line], s, k)  # noqa: E731
        if key == "marketing_spend":
            if p.status in ("over", "under"):
                concerns.append(point(line(f"spend_{p.status}", **{k: slots[k] for k in ("actual", "projected", "target")})))
            continue
        if p.status == "on_track":
            wins.append(point(line("quarter_on_track", **{k: slots[k] for k in ("kpi_lower", "actual", "target", "projected")})))
        elif p.status == "met":
            wins.append(point(line("quarter_met", **{k: slots[k] for k in ("kpi_lower", "actual", "target")})))
        elif p.status == "behind":
            behind = line("quarter_behind", **{k: slots[k] for k in ("kpi_lower", "gap", "actual", "target", "projected")})
            concerns.append(point(behind))
            catch_up = line("step_catch_up", **{k: slots[k] for k in ("kpi_lower", "needed", "left")})
            steps.append(Point([catch_up], significance, key, follows=behind))
        elif p.status == "missed":
            concerns.append(point(line("quarter_missed", **{k: slots[k] for k in ("kpi_lower", "actual", "target")})))
    return wins, concerns, steps


def _pace_slots(w: Writer, p: Pace, inputs: DraftInputs) -> dict[str, str | Figure]:
    quarter = f"{month_words(inputs.quarter[0].month)} – {month_words(inputs.quarter[-1].month)}"
    label = str(kpi(p.kpi).label)
    shown = lambda value: format_value(p.kpi, value, w.currency)  # noqa: E731
    href = report_href(inputs.month, p.kpi)
    days = _("%(elapsed)s of %(total)s working days gone") % {"elapsed": p.elapsed, "total": p.total}
    return {
        "kpi_lower": lower_first(label),
        "actual": w.derived(
            shown(p.actual),
            p.actual,
            _("%(kpi)s, %(quarter)s so far: %(value)s") % {"kpi": label, "quarter": quarter, "value": shown(p.actual)},
            href,
        ),
        "target": w.derived(
            shown(p.target),
            p.target,
            _("Targets of %(kpi)s, %(quarter)s: %(value)s") % {"kpi": label, "quarter": quarter, "value": shown(p.target)},
            href,
        ),
        "projected": w.derived(
            shown(p.projected),
            p.projected,
            _("%(value)s so far × working days of the quarter ÷ working days gone (%(days)s)")
            % {"value": shown(p.actual), "days": days},
        ),
        "gap": w.derived(shown(p.gap), p.gap, _("target − projection")),
        "needed": w.derived(
            number_shown(p.needed_per_day or 0, 1, force_grouping=True),
            p.needed_per_day,
            _("(target − so far) ÷ %(left)s working days left") % {"left": p.left},
        ),
        "left": w.derived(str(p.left), p.left, days),
    }


def _target_lines(w: Writer, inputs: DraftInputs) -> tuple[list[Point], list[Point]]:
    """The month's targets, met (wins) or missed (concerns), each as significant as its gap
    (``commitment``)."""
    wins: list[Point] = []
    concerns: list[Point] = []
    kpis = inputs.documents[inputs.month]["kpis"]
    for key in ("new_leads", "mqls", "sqls", "customers", "cpl", "cost_per_mql", "cac"):
        target, value = inputs.targets.get(key), kpis.get(key)
        if target is None or value is None or not is_kpi(key):
            continue
        met = value <= target if kpi(key).better == Better.DOWN else value >= target
        figure_target = w.derived(
            format_value(key, target, w.currency),
            target,
            _("Target of %(kpi)s for %(month)s") % {"kpi": kpi(key).label, "month": month_words(inputs.month)},
            report_href(inputs.month, key),
        )
        sentence_line = line(
            "target_met" if met else "target_missed",
            kpi_lower=lower_first(str(kpi(key).label)),
            after=w.kpi(key, inputs.month),
            target=figure_target,
        )
        (wins if met else concerns).append(Point([sentence_line], commitment(value, target), key))
    return wins, concerns


def month_draft(
    inputs: DraftInputs, *, concerns: list[Line] | None = None, faults: Sequence[Fault] = (), full: bool = False
) -> Draft:
    """The draft of ``inputs.month``: against the month before (drivers), the same month a year
    before (one line per headline KPI), the targets and the quarter's pace; ``concerns`` (the
    checks') go first among the concerns. One month of figures: a draft that says so. ``faults``:
    the tracking checks of the month and the month before (kpis.draft_tracking): no move is
    explained by a split they distort, the fault is said once instead.

    Concise (what a client reads in under a minute, ``kpis.draft_concise``): each section keeps at
    most CAPS sentences, the most significant (``concise``), and the summary never repeats a change a kept win or
    concern states (``concise_summary``). ``full``: every sentence the figures give (the tests of
    how each is written)."""
    month = inputs.month
    w = Writer(month=month, documents=inputs.documents, currency=inputs.currency, names=inputs.names)
    draft = Draft(month=month, sections={SUMMARY: [], WINS: [], CONCERNS: list(concerns or []), NEXT_STEPS: []})
    if month not in inputs.documents:
        return draft
    kpis = inputs.documents[month]["kpis"]
    previous, last_year = (Month.of(month) - 1).first_day, (Month.of(month) - 12).first_day
    summary = draft.sections[SUMMARY]  # the first month's; otherwise points, made concise below
    funnel = {
        "month": month_words(month),
        "new_leads": w.kpi("new_leads", month),
        "mqls": w.kpi("mqls", month),
        "spend": w.kpi("marketing_spend", month),
    }
    if previous not in inputs.documents and last_year not in inputs.documents:
        draft.first_month = True
        if funnel["new_leads"].value is None:  # no lead source (kpis.nodata.leads_loaded): leads unknown, not 0
            if funnel["spend"].value is None:
                summary.append(line("first_month_leads_unknown_no_spend", month=funnel["month"]))
            else:
                summary.append(line("first_month_leads_unknown", month=funnel["month"], spend=funnel["spend"]))
        elif funnel["spend"].value is None:  # no spend loaded (kpis.nospend): its costs are unknown, not 0
            summary.append(line("first_month_no_spend", **funnel))
        else:
            summary.append(line("first_month", **funnel))
        target_wins, target_concerns = _target_lines(w, inputs)
        draft.sections[WINS].extend(lines_of(target_wins))
        draft.sections[CONCERNS].extend(lines_of(target_concerns))
        draft.sections[NEXT_STEPS].append(line("no_trend_yet", next=month_words((Month.of(month) + 1).first_day)))
        return draft
    summary_points: list[Point] = []
    summary = []  # the month's sentence: always said, first
    if kpis.get("new_leads") is None:  # no lead source up to the month's end (kpis.nodata.leads_loaded)
        if funnel["spend"].value is None:
            summary.append(line("month_funnel_leads_unknown_no_spend", month=funnel["month"]))
        else:
            summary.append(line("month_funnel_leads_unknown", month=funnel["month"], spend=funnel["spend"]))
    elif kpis.get("new_leads") and not kpis.get("marketing_spend"):
        # No spend recorded (often none imported or connected): "0,00 € of spend (0,00 € a lead)" would
        # read as free leads; the sentence says what is known instead.
        summary.append(line("month_funnel_no_spend", month=funnel["month"], mqls=funnel["mqls"],
                            new_leads=funnel["new_leads"]))
    elif kpis.get("new_leads"):
        summary.append(line("month_funnel", **funnel, cpl=w.kpi("cpl", month)))
    elif funnel["spend"].value is None:  # no spend loaded (kpis.nospend)
        summary.append(line("month_funnel_no_leads_no_spend", month=funnel["month"]))
    else:
        summary.append(line("month_funnel_no_leads", month=funnel["month"], spend=funnel["spend"]))
    summary_points.append(Point(summary, pinned=True))
    wins: list[Point] = []
    worries: list[Point] = []
    steps: list[Point] = []
    fault_points: list[FaultPoint] = []
    if previous in inputs.documents:
        drivers = month_drivers(inputs.documents[previous], inputs.documents[month])
        for headline in HEADLINE:  # the pipeline and its cost, every month, moved or not
            b, a = inputs.documents[previous]["kpis"].get(headline), kpis.get(headline)
            change = w.change(headline, previous, month)
            if a is None or b is None or change is None:
                continue
            flat = _flat(headline, b, a)
            key = "headline_flat" if flat else ("headline_up" if a > b else "headline_down")
            slots = {
                "compare": month_words(previous),
                "kpi_lower": lower_first(str(kpi(headline).label)),
                "after": w.kpi(headline, month),
            }
            if flat and _tile_moved(headline, b, a):
                # Too small a move to be news, but its tile shows it in colour (-1.6 %): "held steady"
                # beside it read as a contradiction; "little change" with the tile's change does not.
                key = "headline_little_change"
                slots.update(change=w.change(headline, previous, month, signed=True))
            elif key != "headline_flat":
                key = count_sentence(headline, key, b)
                slots.update(change=change, before=w.kpi(headline, previous))
            summary_points.append(Point([line(key, **slots)], 0.0 if flat else _moved(headline, b, a), headline))
        wins, worries, steps, fault_points = _move_lines(w, drivers, previous, month, Faults(faults, month=month))
    if last_year in inputs.documents:
        moves: list[tuple[str, str, dict[str, Any], float]] = []  # (KPI, which way, slots, significance)
        for key in ("mqls", "cpl"):
            b, a = inputs.documents[last_year]["kpis"].get(key), kpis.get(key)
            change = w.change(key, last_year, month)
            if a is None or b is None or change is None or _flat(key, b, a):
                continue
            slots = {"kpi_lower": lower_first(str(kpi(key).label)), "change": change, "before": w.kpi(key, last_year)}
            moves.append((key, "year_up" if a > b else "year_down", slots, _moved(key, b, a)))
        if len(moves) == 1:
            key, way, slots, moved = moves[0]
            year = line(count_sentence(key, way, slots["before"].value), compare=month_words(last_year), **slots)
            summary_points.append(Point([year], moved, key))
        elif moves:  # both: one sentence naming the month once, one point (one of the summary's sentences)
            first, second = (clause(count_sentence(k, f"{way}_clause", slots["before"].value), **slots)
                             for k, way, slots, _ in moves)
            year = line("year_both", compare=month_words(last_year), first=first, second=second)
            summary_points.append(Point([year], max(moved for *_, moved in moves), moves[0][0]))
    target_wins, target_concerns = _target_lines(w, inputs)
    pace_wins, pace_concerns, pace_steps = _pace_lines(w, inputs)
    checks = [Point([check], pinned=True) for check in draft.sections[CONCERNS]]
    win_points = [*wins, *target_wins, *pace_wins]
    concern_points = [*checks, *worries, *target_concerns, *pace_concerns]
    step_points = [*steps, *pace_steps]
    if full:
        kept_wins, kept_steps = win_points, step_points
        kept_concerns = [*checks, *(f.point for f in fault_points), *concern_points[len(checks):]]
        kept_summary = summary_points
    else:
        kept_wins = concise(win_points, cap=CAPS[WINS])
        kept_concerns = concise(concern_points, cap=CAPS[CONCERNS])
        kept_concerns = _with_faults(fault_points, checks, concern_points[len(checks):], kept_wins, kept_concerns)
        kept_steps = concise_steps(step_points, kept_concerns, wins=kept_wins, cap=CAPS[NEXT_STEPS])
        kept_summary = concise_summary(summary_points, [*kept_wins, *kept_concerns], cap=CAPS[SUMMARY])
    draft.sections[SUMMARY] = lines_of(kept_summary)
    draft.sections[WINS] = lines_of(kept_wins)
    draft.sections[CONCERNS] = lines_of(kept_concerns)
    draft.sections[NEXT_STEPS] = lines_of(kept_steps)
    compare = month_words(previous if previous in inputs.documents else last_year)
    if not draft.sections[WINS]:
        draft.sections[WINS].append(line("no_wins", compare=compare))
    if not draft.sections[CONCERNS]:
        draft.sections[CONCERNS].append(line("no_concerns", compare=compare))
    if not draft.sections[NEXT_STEPS]:
        # Concerns without a step of their own (the checks', or a step left with its move): not
        # "nothing calls for a change" under them.
        draft.sections[NEXT_STEPS].append(line("step_concerns_first" if kept_concerns else "step_keep"))
    return draft


def _with_faults(
    faults: list[FaultPoint], checks: list[Point], rest: list[Point], wins: list[Point], concerns: list[Point]
) -> list[Point]:
    """The concise concerns with the tracking faults a kept move needs: a fault is said (after the
    checks and, as they are, kept past the cap) when a move whose split it distorts is said, win or
    concern. The concerns are chosen again with it; a fault whose only move that crowds out is left
    unsaid (the move said plainly, as before), not said of nothing."""

    def needed(kept: list[Point]) -> list[FaultPoint]:
        said = {id(point.lines[0]) for point in (*wins, *kept)}
        return [f for f in faults if any(id(move) in said for move in f.moves)]

    def chosen(with_faults: list[FaultPoint]) -> list[Point]:
        return concise([*checks, *(f.point for f in with_faults), *rest], cap=CAPS[CONCERNS])

    first = needed(concerns)
    if not first:
        return concerns
    again = chosen(first)
    still = needed(again)
    if len(still) == len(first):
        return again
    return chosen(still) if still else concerns


def draft_sections_text(draft: Draft) -> dict[str, str]:
    """The draft as the commentary's four texts (reports.models.Commentary sections)."""
    return {section: draft.text(section) for section in (SUMMARY, WINS, CONCERNS, NEXT_STEPS)}
