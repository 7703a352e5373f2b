"""Leads without any first-contact time: when the speed-to-lead figures of a snapshot are not facts.

kpis.md derives speed to lead from one field only, the lead's ``first_contacted_at``: the median and
90th percentile of (first_contacted_at − created_at), the share contacted within 4 hours and the share
with no first_contacted_at. Activities never supply it: their actions (formats.md: content_download,
webinar_signup, event_signup, demo_request, contact_request, pricing_view, email_click,
form_submission, other) are what the lead did — a contact_request is the lead asking to be contacted,
not sales contacting it — so no activity is a first contact. A CRM that does not send the field
(HubSpot through its API: connectors.md maps no first-contact property) leaves every lead without it,
and kpis.md then reads "100 % not contacted, 0 % within 4 hours", which a client takes as "nobody was
ever called": nobody knows that.

When a month's figures are not facts: the month has new leads, none of them has a first-contact time
(uncontacted_share is 1), and no earlier month's new leads had one either (the CRM has never sent
one up to then). A client whose leads carried the field in an earlier month keeps its 100 %: its CRM
sends the time, so the month's leads were truly not contacted. The snapshot keeps the spec's values;
every screen and sentence reads them through here and shows "—" with the reason
(kpis.reasons.no_contact_reason), as kpis.nospend does for costs. Approved versions freeze the
answer (kpis.report.FROZEN's ``has_contact_times``); otherwise the first month whose leads had a
first-contact time is read from the stored snapshots (kpis.selectors_scorecard.contact_first_month), only for
a month whose leads are all without one. Pure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.months import Month

CONTACT_FIGURES = frozenset({"median_response_hours", "p90_response_hours", "contacted_within_4h_share", "uncontacted_share"})


def contact_times_loaded(*, month: dt.date, first_contact: dt.date | None) -> bool:
    """Whether leads created up to ``month``'s end carried a first-contact time, given the first month
    (a date in it) whose new leads had one (None: no month's)."""
    return first_contact is not None and first_contact < (Month.of(month) + 1).first_day


def frozen_has_contact_times(document: dict[str, Any] | None) -> bool | None:
    """What an approved document froze (kpis.report.FROZEN); None when it froze nothing."""
    frozen = (document or {}).get("report")
    return bool(frozen["has_contact_times"]) if isinstance(frozen, dict) and "has_contact_times" in frozen else None


def all_uncontacted(document: dict[str, Any] | None) -> bool:
    """The month has new leads and none of them has a first-contact time (kpis.md's uncontacted_share is 1)."""
    kpis = (document or {}).get("kpis") or {}
    return bool(kpis.get("new_leads")) and kpis.get("uncontacted_share") == 1


def contact_unknown(document: dict[str, Any] | None, *, month: dt.date, first_contact: Any) -> bool:
    """Whether the month's speed-to-lead figures are not facts. ``first_contact``: the first month
    whose new leads had a first-contact time (None: none), or a callable reading it (called only when needed: a month
    with a contacted lead, or an approved one, reads no rows)."""
    if not all_uncontacted(document):
        return False
    frozen = frozen_has_contact_times(document)
    if frozen is not None:
        return not frozen
    first = first_contact() if callable(first_contact) else first_contact
    return not contact_times_loaded(month=month, first_contact=first)


def contact_unknown_figures(document: dict[str, Any] | None, *, unknown: bool) -> list[str] | None:
    """The figures a machine export keeps at kpis.md's values though no first-contact time was sent:
    None when they are facts."""
    if not unknown or not document:
        return None
    return [key for key in (document.get("kpis") or {}) if key in CONTACT_FIGURES]

