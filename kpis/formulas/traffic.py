"""Traffic KPIs (kpis.md "Traffic")."""

from __future__ import annotations

from kpis.formulas.common import ratio


def share(part: float, sessions: float) -> float | None:
    """organic_share, social_share, mobile_share = sessions of that kind / sessions."""
    return ratio(part, sessions)


def bounce_rate(bounced_sessions: float, sessions: float) -> float | None:
    """bounced_sessions / sessions."""
    return ratio(bounced_sessions, sessions)


def landing_page_conversion_rate(form_submissions: float, sessions: float) -> float | None:
    """form_submissions / sessions, over rows with a landing page."""
    return ratio(form_submissions, sessions)


def traffic_to_lead(new_leads: float, sessions: float) -> float | None:
    """new_leads / sessions."""
    return ratio(new_leads, sessions)
