"""Email KPIs (kpis.md "Email")."""

from __future__ import annotations

from kpis.formulas.common import ratio


def deliverability_rate(*, delivered: float, sent: float) -> float | None:
    """delivered / sent."""
    return ratio(delivered, sent)


def per_delivered(count: float, delivered: float) -> float | None:
    """open_rate = unique_opens / delivered, click_through_rate = unique_clicks / delivered,
    email_unsubscribe_rate = unsubscribes / delivered."""
    return ratio(count, delivered)
