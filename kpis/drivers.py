"""Drivers of change: what moved a KPI between two months, split exactly into parts by member.

A month's snapshot holds each KPI and its breakdowns (channel, platform, campaign, persona); this
module splits the change of a KPI against another month (the previous one, the same month last
year) into a part per member of a breakdown, each part a *mix* effect and a *rate* effect, with
no residual: the parts add up to the change to the last digit. Pure: plain numbers in, plain
numbers out, no database and no Django (docs/kpis.md "Drivers of change" states the method with a
worked example that ``tests/kpis/unit/test_drivers.py`` reproduces).

Two shapes of KPI, each written generically over members ``{member: (numerator, denominator)}``
so that a KPI works as soon as its breakdown figures exist:

- a **ratio** R = ΣN / ΣD (cost per lead: spend ÷ leads; ROAS: value ÷ ad spend). With member
  shares s = D_m/D and member rates r = N_m/D_m, R = Σ s·r, and the *symmetric shift-share*
  (midpoint weights, also called the Bennet decomposition) splits each member's term exactly:
  Δ(s·r) = Δs·r̄ + Δr·s̄ (x̄ the mean of the two months). The first is the mix effect (the share
  moved towards or away from the member), the second the rate effect (the member got cheaper or
  better). A member present in one month only has its rate taken as the same in both months, so
  its whole term is mix; a member with a numerator but no denominator (spend that bought no
  lead) adds N_m/D as it stands, counted as rate (cost with nothing to show for it).
- a **count** T = Σ D_m·r_m over working days W (MQLs = leads × qualification rate; leads =
  sessions × conversion; sessions with no driver). T = W·τ with τ = T/W per working day:
  ΔT = ΔW·τ̄ (the *calendar* effect: more or fewer working days) + W̄·Δτ, and W̄·Δτ splits by
  member as W̄·Δ(d_m·r_m) with d_m = D_m/W the driver per working day: W̄·Δd·r̄ (volume, shown as
  the mix part) + W̄·Δr·d̄ (rate). A member without a driver is all volume.

Exact arithmetic: every input is turned into a ``Fraction`` (a float as the decimal it prints as),
so the parts add up to the change exactly; floats come out only at the edge.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Number = int | float | Fraction
Pair = tuple[Number | None, Number | None]  # (numerator, denominator) of one member in one month

REST = "_rest"  # the member holding what a breakdown leaves out (top-level minus the members)


def exact(value: Number | None) -> Fraction:
    """A number as an exact fraction. A float is read as the decimal it prints as (``repr``: 1234.56
    is 123456/100, not the binary 1234.55999…): the same value to the last digit shown, with small
    denominators, so the arithmetic stays fast (the parts are exact either way)."""
    if value is None:
        return Fraction(0)
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """Σ of fractions in one step: the numerators over their least common denominator."""
    values = list(values)
    scale = math.lcm(*(v.denominator for v in values)) if values else 1
    return Fraction(sum(v.numerator * (scale // v.denominator) for v in values), scale)


def _mean(a: Fraction, b: Fraction) -> Fraction:
    return (a + b) / 2


@dataclass(frozen=True)
class Part:
    """One member's share of a change: ``mix`` + ``rate`` (exact fractions), and their ``total``."""

    member: str
    mix: Fraction
    rate: Fraction
    total: Fraction = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "total", self.mix + self.rate)  # read many times when ranking


@dataclass(frozen=True)
class Decomposition:
    """A KPI's change between two months and its exact parts.

    ``before``/``after`` are the KPI's values (None when undefined), ``calendar`` the working-day
    effect of a count (0 for a ratio), ``parts`` one per member, largest effect first.
    ``change == calendar + Σ part.total`` holds exactly whenever both values are defined.
    """

    before: Fraction | None
    after: Fraction | None
    calendar: Fraction = Fraction(0)
    parts: list[Part] = field(default_factory=list)

    @property
    def defined(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> Fraction | None:
        return None if not self.defined else self.after - self.before  # type: ignore[operator]

    @property
    def mix(self) -> Fraction:
        return exact_sum(p.mix for p in self.parts)

    @property
    def rate(self) -> Fraction:
        return exact_sum(p.rate for p in self.parts)


def _sorted(parts: list[Part]) -> list[Part]:
    # Ordered by size as floats (ranking needs no exactness; the parts themselves stay exact).
    return sorted(parts, key=lambda p: (-abs(p.total.numerator / p.total.denominator), p.member))


def _integers(*maps: Mapping[str, Pair]) -> tuple[int, list[dict[str, tuple[int, int | None]]]]:
    """Every value of the breakdowns as an integer over one common denominator L (the least
    common multiple of the values' own): the decompositions then multiply integers and build one
    Fraction per part, instead of dozens of Fraction operations per member."""
    exacts = [{m: (exact(n), None if d is None else exact(d)) for m, (n, d) in pairs.items()} for pairs in maps]
    scale = 1
    for pairs in exacts:
        for n, d in pairs.values():
            scale = math.lcm(scale, n.denominator, 1 if d is None else d.denominator)
    scaled = [
        {
            m: (n.numerator * (scale // n.denominator), None if d is None else d.numerator * (scale // d.denominator))
            for m, (n, d) in pairs.items()
        }
        for pairs in exacts
    ]
    return scale, scaled


def ratio_decompose(before: Mapping[str, Pair], after: Mapping[str, Pair]) -> Decomposition:
    """R = ΣN/ΣD in each month; ΔR = Σ_m [Δs_m·r̄_m (mix) + Δr_m·s̄_m (rate)] + Δ(orphans) (rate).

    s_m = D_m/D, r_m = N_m/D_m; a rate undefined in one month (D_m = 0) takes the other month's,
    so a member present in one month only is all mix (s·r as it stands). A member's numerator over
    no denominator in a month ("orphan": spend with no lead) adds N_m/D there, its change counted
    as rate. When ΣD is 0 in either month the KPI is undefined there and no part is given.

    In integers over a common denominator L (N = a/L, D = b/L, L cancels): mix_m =
    (b1·B0 − b0·B1)(a0·b1 + a1·b0) / (2·B0·B1·b0·b1), rate_m = (a1·b0 − a0·b1)(b0·B1 + b1·B0) /
    (2·b0·b1·B0·B1) — the same midpoint formulas, exactly.
    """
    _scale, (ints0, ints1) = _integers(before, after)
    members = sorted(set(ints0) | set(ints1))
    a_total0 = sum(n for n, _d in ints0.values())
    a_total1 = sum(n for n, _d in ints1.values())
    b_total0 = sum(d or 0 for _n, d in ints0.values())
    b_total1 = sum(d or 0 for _n, d in ints1.values())
    value0 = Fraction(a_total0, b_total0) if b_total0 else None
    value1 = Fraction(a_total1, b_total1) if b_total1 else None
    if value0 is None or value1 is None:
        return Decomposition(before=value0, after=value1)
    big0, big1 = b_total0, b_total1
    parts = []
    for member in members:
        a0, b0 = ints0.get(member, (0, 0))
        a1, b1 = ints1.get(member, (0, 0))
        b0, b1 = b0 or 0, b1 or 0
        if b0 and b1:
            below = 2 * big0 * big1 * b0 * b1
            mix = Fraction((b1 * big0 - b0 * big1) * (a0 * b1 + a1 * b0), below)
            rate = Fraction((a1 * b0 - a0 * b1) * (b0 * big1 + b1 * big0), below)
        elif b1:  # appears: s1·r1 is mix; what it had over no denominator before is rate
            mix, rate = Fraction(a1, big1), Fraction(-a0, big0)
        elif b0:  # disappears
            mix, rate = Fraction(-a0, big0), Fraction(a1, big1)
        else:  # over no denominator in either month
            mix, rate = Fraction(0), Fraction(a1 * big0 - a0 * big1, big0 * big1)
        if mix or rate:
            parts.append(Part(member=member, mix=mix, rate=rate))
    return Decomposition(before=value0, after=value1, parts=_sorted(parts))


def count_decompose(before: Mapping[str, Pair], after: Mapping[str, Pair], *, days_before: int, days_after: int) -> Decomposition:
    """T = Σ_m N_m over W working days, with D_m the member's driver (None: no driver).

    ΔT = ΔW·τ̄ (calendar, τ = T/W) + Σ_m W̄·[Δd_m·r̄_m (volume, as mix) + Δr_m·d̄_m (rate)], with
    d_m = D_m/W and r_m = N_m/D_m. A member with no driver, or a driver of 0 in either month, is
    all volume: W̄·Δ(N_m/W). With no working day in a month the per-day figures are undefined,
    so the change is split per member only (calendar 0). Computed in integers over a common
    denominator L, one Fraction per part.
    """
    scale, (ints0, ints1) = _integers(before, after)
    members = sorted(set(ints0) | set(ints1))
    a_total0 = sum(n for n, _d in ints0.values())
    a_total1 = sum(n for n, _d in ints1.values())
    total0, total1 = Fraction(a_total0, scale), Fraction(a_total1, scale)
    w0, w1 = int(days_before), int(days_after)
    if not w0 or not w1:
        parts = [
            Part(member=m, mix=Fraction(ints1.get(m, (0, None))[0] - ints0.get(m, (0, None))[0], scale), rate=Fraction(0))
            for m in members
        ]
        return Decomposition(before=total0, after=total1, parts=_sorted([p for p in parts if p.total]))
    calendar = Fraction((w1 - w0) * (a_total0 * w1 + a_total1 * w0), 2 * scale * w0 * w1)
    parts = []
    for member in members:
        a0, b0 = ints0.get(member, (0, None))
        a1, b1 = ints1.get(member, (0, None))
        if b0 and b1:
            below = 4 * scale * w0 * w1 * b0 * b1
            mix = Fraction((w0 + w1) * (b1 * w0 - b0 * w1) * (a0 * b1 + a1 * b0), below)
            rate = Fraction((w0 + w1) * (a1 * b0 - a0 * b1) * (b0 * w1 + b1 * w0), below)
        else:  # no driver in a month (or none at all): the change per working day is volume
            mix, rate = Fraction((w0 + w1) * (a1 * w0 - a0 * w1), 2 * scale * w0 * w1), Fraction(0)
        if mix or rate:
            parts.append(Part(member=member, mix=mix, rate=rate))
    return Decomposition(before=total0, after=total1, calendar=calendar, parts=_sorted(parts))


def budget_volume_split(
    *, spend_before: Number, spend_after: Number, volume_before: Number, volume_after: Number
) -> tuple[Fraction, Fraction] | None:
    """A cost per result C = S/V split into (spend effect, volume effect), exactly:
    ΔC = ΔS·mean(1/V) + Δ(1/V)·mean(S). The first is what the change of budget (the price paid)
    did at the same results, the second what more or fewer results did for the same spend.
    None when V is 0 in either month (C undefined). For a return per spend (ROAS = value/spend)
    pass value as ``spend`` and spend as ``volume``: (value effect, spend effect)."""
    s0, s1, v0, v1 = exact(spend_before), exact(spend_after), exact(volume_before), exact(volume_after)
    if not v0 or not v1:
        return None
    return (s1 - s0) * _mean(1 / v0, 1 / v1), (1 / v1 - 1 / v0) * _mean(s0, s1)
