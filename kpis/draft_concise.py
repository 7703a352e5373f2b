"""The concise draft: which of the draft's sentences a client reads (each section capped).

A draft of every sentence the figures give took a client 3–4 minutes; the concise one is read in
under a minute. Each thing the draft says is a ``Point`` (its sentence and what explains it, how
significant it is, the KPI it is about); ``concise`` keeps the most significant of a section up to
its cap in ``CAPS``, ``concise_steps`` the next steps about a kept concern first, ``concise_summary``
a summary that never repeats a change a kept win or concern states. Pure: no database, no
sentences written here (``kpis.draft`` writes them and calls these).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpis.sentences import CONCERNS, NEXT_STEPS, SUMMARY, WINS

if TYPE_CHECKING:
    from kpis.draft_writer import Line


# The concise draft (what a client reads in under a minute): each section's cap, in sentences.
CAPS = {SUMMARY: 3, WINS: 3, CONCERNS: 3, NEXT_STEPS: 2}
# A target or the quarter's pace (what was agreed with the client) ranks as a move of at least
# this size, so a missed target comes before a move under 10 % (weighted), whatever its gap.
COMMITMENT_FLOOR = 0.10


@dataclass
class Point:
    """One thing the draft says: its sentence and what explains it (a move and the member that
    did most of it), how much it matters (``significance``), the KPI it is about.

    ``pinned`` (the checks' concerns) are always kept, ahead of the rest. A next step ``follows``
    the first sentence of the win or concern it is about: kept only when that sentence is, so no
    step advises on something the draft does not say. A step whose figures a kept sentence already
    gives (``repeats``: what drove the move) is said in its ``short`` form, without them."""

    lines: list[Line]
    significance: float = 0.0
    kpi: str = ""
    pinned: bool = False
    follows: Line | None = None
    repeats: Line | None = None
    short: Line | None = None


def _gap(value: float, target: float) -> float:
    """How far ``value`` is from ``target``, relative to the target."""
    return abs(value - target) / abs(target) if target else 1.0


def commitment(value: float, target: float) -> float:
    """The significance of a target's or a quarter's line: its gap, at least COMMITMENT_FLOOR."""
    return max(_gap(value, target), COMMITMENT_FLOOR)


def concise(points: list[Point], *, cap: int) -> list[Point]:
    """The points a section keeps, at most ``cap`` sentences, in the order they are read.

    The rule: pinned points first, always (they count towards the cap, and past it when there are
    more of them); then the rest by significance, largest first (ties: the order they came in).
    A point's first sentence goes in if there is room, and what explains it (its further sentences)
    while there is room; a point whose first sentence does not fit is left out (a smaller point's
    may still fit). Pure: tested without a database (tests/kpis/unit/test_draft_concise.py)."""
    pinned = [p for p in points if p.pinned]
    ranked = sorted((p for p in points if not p.pinned), key=lambda p: -p.significance)  # stable: ties in order
    kept = [Point(list(p.lines), p.significance, p.kpi, True, p.follows) for p in pinned]
    room = cap - sum(len(p.lines) for p in kept)
    for point in ranked:
        if room <= 0:
            break
        lines = point.lines[:room]
        kept.append(Point(lines, point.significance, point.kpi, point.pinned, point.follows))
        room -= len(lines)
    return kept


def concise_steps(
    steps: list[Point], concerns: list[Point], *, cap: int, wins: Sequence[Point] = ()
) -> list[Point]:
    """Next steps: only those following a kept win or concern (``Point.follows``: three checks
    crowding a move out of the concerns take its step with it); those about a KPI a kept concern is
    about first (a step follows what the client just read), then by significance (the concern's
    they came from), at most ``cap``; a step's short form when the sentence it would repeat is kept."""
    said = {id(line) for point in (*wins, *concerns) for line in point.lines}
    about = {p.kpi for p in concerns if p.kpi}
    ordered = sorted(
        (s for s in steps if s.follows is None or id(s.follows) in said),
        key=lambda s: (s.kpi not in about, -s.significance),
    )  # stable: ties in order
    kept, room = [], cap
    for step in ordered:
        if room < len(step.lines):
            break
        if step.short is not None and step.repeats is not None and id(step.repeats) in said:
            step = Point([step.short], step.significance, step.kpi, step.pinned, step.follows)
        kept.append(step)
        room -= len(step.lines)
    return kept


def concise_summary(summary: list[Point], said: list[Point], *, cap: int) -> list[Point]:
    """The summary's points, never a change a kept win or concern states (that one says it, with
    what did it): the rest ranked as ``concise`` ranks, read in the order they came (the month,
    then against the month before, then a year before)."""
    stated = {change for point in said for line in point.lines for change in line.changes}
    left = [p for p in summary if not any(change in stated for line in p.lines for change in line.changes)]
    kept = {id(p.lines[0]) for p in concise(left, cap=cap)}
    return [p for p in left if id(p.lines[0]) in kept]


def lines_of(points: list[Point]) -> list[Line]:
    return [line for point in points for line in point.lines]
