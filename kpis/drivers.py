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

Exact arithmetic: every input float is turned into a ``Fraction`` (exactly), so the parts add up
to the change exactly; floats come out only at the edge (``Part.as_float``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

Number = int | float | Fraction
Pair = tuple[Number | None, Number | None]  # (numerator, denominator) of one member in one month

REST = "_rest"  # the member holding what a breakdown leaves out (top-level minus the members)


def _f(value: Number | None) -> Fraction:
    return Fraction(0) if value is None else Fraction(value)


def _mean(a: Fraction, b: Fraction) -> Fraction:
    return (a + b) / 2


@dataclass(frozen=True)
class Part:
    """One member's share of a change: ``mix`` + ``rate`` (exact fractions)."""

    member: str
    mix: Fraction
    rate: Fraction

    @property
    def total(self) -> Fraction:
        return self.mix + self.rate


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
        return sum((p.mix for p in self.parts), Fraction(0))

    @property
    def rate(self) -> Fraction:
        return sum((p.rate for p in self.parts), Fraction(0))


def _sorted(parts: list[Part]) -> list[Part]:
    return sorted(parts, key=lambda p: (-abs(p.total), p.member))


def ratio_decompose(before: Mapping[str, Pair], after: Mapping[str, Pair]) -> Decomposition:
    """R = ΣN/ΣD in each month; ΔR = Σ_m [Δs_m·r̄_m (mix) + Δr_m·s̄_m (rate)] + Δ(orphans) (rate).

    s_m = D_m/D, r_m = N_m/D_m; a rate undefined in one month (D_m = 0) takes the other month's,
    and a member undefined in both contributes nothing to the shares. A member's numerator over
    no denominator ("orphan": spend with no lead) adds N_m/D, its change counted as rate. When
    ΣD is 0 in either month the KPI is undefined there and no part is given.
    """
    members = sorted(set(before) | set(after))
    num0, den0 = (sum((_f(before.get(m, (0, 0))[i]) for m in members), Fraction(0)) for i in (0, 1))
    num1, den1 = (sum((_f(after.get(m, (0, 0))[i]) for m in members), Fraction(0)) for i in (0, 1))
    value0 = num0 / den0 if den0 else None
    value1 = num1 / den1 if den1 else None
    if value0 is None or value1 is None:
        return Decomposition(before=value0, after=value1)
    parts = []
    for member in members:
        n0, d0 = (_f(x) for x in before.get(member, (0, 0)))
        n1, d1 = (_f(x) for x in after.get(member, (0, 0)))
        s0, s1 = d0 / den0, d1 / den1
        r0 = n0 / d0 if d0 else None
        r1 = n1 / d1 if d1 else None
        r0, r1 = (r1 if r0 is None else r0), (r0 if r1 is None else r1)
        mix = rate = Fraction(0)
        if r0 is not None and r1 is not None:
            mix = (s1 - s0) * _mean(r0, r1)
            rate = (r1 - r0) * _mean(s0, s1)
        orphan0 = n0 / den0 if not d0 else Fraction(0)
        orphan1 = n1 / den1 if not d1 else Fraction(0)
        rate += orphan1 - orphan0
        if mix or rate:
            parts.append(Part(member=member, mix=mix, rate=rate))
    return Decomposition(before=value0, after=value1, parts=_sorted(parts))


def count_decompose(before: Mapping[str, Pair], after: Mapping[str, Pair], *, days_before: int, days_after: int) -> Decomposition:
    """T = Σ_m N_m over W working days, with D_m the member's driver (None: no driver).

    ΔT = ΔW·τ̄ (calendar, τ = T/W) + Σ_m W̄·[Δd_m·r̄_m (volume, as mix) + Δr_m·d̄_m (rate)], with
    d_m = D_m/W and r_m = N_m/D_m (a rate undefined in one month takes the other's; a count with
    no driver, or over a driver of 0, is all volume). With no working day in a month the
    per-day figures are undefined, so the change is split per member only (calendar 0).
    """
    members = sorted(set(before) | set(after))
    total0 = sum((_f(before.get(m, (0, 0))[0]) for m in members), Fraction(0))
    total1 = sum((_f(after.get(m, (0, 0))[0]) for m in members), Fraction(0))
    w0, w1 = Fraction(days_before), Fraction(days_after)
    if not w0 or not w1:
        parts = [
            Part(member=m, mix=_f(after.get(m, (0, 0))[0]) - _f(before.get(m, (0, 0))[0]), rate=Fraction(0)) for m in members
        ]
        return Decomposition(before=total0, after=total1, parts=_sorted([p for p in parts if p.total]))
    calendar = (w1 - w0) * _mean(total0 / w0, total1 / w1)
    weight = _mean(w0, w1)
    parts = []
    for member in members:
        n0, raw_d0 = before.get(member, (0, None))
        n1, raw_d1 = after.get(member, (0, None))
        n0, n1 = _f(n0), _f(n1)
        if raw_d0 is None and raw_d1 is None:
            mix, rate = weight * (n1 / w1 - n0 / w0), Fraction(0)
        else:
            d0, d1 = _f(raw_d0), _f(raw_d1)
            r0 = n0 / d0 if d0 else None
            r1 = n1 / d1 if d1 else None
            r0, r1 = (r1 if r0 is None else r0), (r0 if r1 is None else r1)
            mix = rate = Fraction(0)
            if r0 is not None and r1 is not None:
                mix = weight * (d1 / w1 - d0 / w0) * _mean(r0, r1)
                rate = weight * (r1 - r0) * _mean(d0 / w0, d1 / w1)
            # a count over no driver in a month (MQLs of leads created earlier) is volume as it stands
            orphan0 = n0 / w0 if not d0 else Fraction(0)
            orphan1 = n1 / w1 if not d1 else Fraction(0)
            mix += weight * (orphan1 - orphan0)
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
    s0, s1, v0, v1 = _f(spend_before), _f(spend_after), _f(volume_before), _f(volume_after)
    if not v0 or not v1:
        return None
    return (s1 - s0) * _mean(1 / v0, 1 / v1), (1 / v1 - 1 / v0) * _mean(s0, s1)
