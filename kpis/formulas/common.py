"""Shared arithmetic of the KPI formulas."""

from __future__ import annotations


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator; None when the denominator is 0 or either side is missing."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator
