"""Reads of the criteria editor: the versions' periods, whether criteria exist, the first month with leads."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Min

from agency.months import Month
from agency.selectors import agency_admins_list
from clients.closed_months import approved_months_among
from clients.models import CriteriaReviewRequest, CriteriaVersion, Lead


def criteria_periods(versions: list[Any]) -> list[dict[str, Any]]:
    """When each criteria version is in force, as qualification applies them (clients.criteria.qualification
    .judges): ordered by effective date then version, each runs until the next one starts; the
    first also covers everything before it. ``cut_short``: its range ends at a version saved
    *before* it with a later date, so it does not run open-ended as its author may expect;
    ``never``: a later save on the same date replaced it entirely. Newest version first."""
    import datetime as dt

    ordered = sorted(versions, key=lambda v: (v.effective_from, v.version))
    rows = []
    for index, version in enumerate(ordered):
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        until = following.effective_from - dt.timedelta(days=1) if following else None
        rows.append(
            {
                "version": version,
                "since": None if index == 0 else version.effective_from,
                "until": until,
                "never": following is not None and following.effective_from <= version.effective_from and index > 0,
                # The first version, replaced from its own date by a later save: it judges only the leads
                # from before that date ("from the start – the day before its own date" read as a contradiction).
                "before_only": following is not None and following.effective_from <= version.effective_from
                and index == 0,
                "following": following,
                "cut_short": following is not None and following.version < version.version,
                "cut_by": following if following is not None and following.version < version.version else None,
            }
        )
    return sorted(rows, key=lambda row: -row["version"].version)



def criteria_exist() -> bool:
    """Whether the client has any qualification criteria (without them no lead is an MQL)."""
    return CriteriaVersion.objects.exists()


def first_lead_month(*, timezone: str) -> dt.date | None:
    """The first day of the month (client's zone) of the client's earliest lead; None without leads.
    A first criteria version takes effect from there, so past months are not left at 0 MQLs."""
    first = Lead.objects.aggregate(first=Min("created_at"))["first"]
    return Month.of(first, ZoneInfo(timezone)).first_day if first else None


def criteria_effective_default(*, timezone: str, today: dt.date) -> dt.date:
    """The date the editor offers a new version from. A first version: the first month with leads
    (else today). A later one: the first month the close has not approved, so that the month in
    review is judged by what is saved (offered from today, a fix made while reviewing left that
    month's report on the old rules, though the backtest showed the new MQLs); approved months keep
    the criteria they were judged by. Never before a version already saved: it would cut the new
    one short at its own date."""
    first = first_lead_month(timezone=timezone)
    saved = list(CriteriaVersion.objects.values_list("effective_from", flat=True))
    if not saved:
        return first or today
    this_month = Month.of(today)
    start = Month.of(min([first or today, *saved]))
    approved = approved_months_among(months=[str(month) for month in Month.range(start, this_month)])
    opening = (Month.of(approved[-1]) + 1).first_day if approved else (first or today)
    return max(min(opening, today), max(saved))


def criteria_versions_list() -> list[CriteriaVersion]:
    """Every criteria version, newest first (criteria_periods says when each is in force)."""
    return list(CriteriaVersion.objects.order_by("-version"))


def criteria_version_get(*, version: int) -> CriteriaVersion | None:
    """A version by its number (versions are numbered per client, never reused)."""
    return CriteriaVersion.objects.filter(version=version).first()


def criteria_version_before(*, version: int) -> CriteriaVersion | None:
    """The version saved just before ``version`` (what a version's page compares it with)."""
    return CriteriaVersion.objects.filter(version__lt=version).order_by("-version").first()


def criteria_version_latest() -> CriteriaVersion | None:
    """The last version saved: the editor starts from it."""
    return CriteriaVersion.objects.order_by("-version").first()


def criteria_review_open() -> CriteriaReviewRequest | None:
    """The latest request to the agency's admins to review the criteria that no new version has answered
    yet (clients.criteria.services.criteria_review_ask), or None. In the client's schema."""
    return CriteriaReviewRequest.objects.filter(answered_at__isnull=True).order_by("-asked_at").first()


def criteria_admin_names() -> list[str]:
    """The names of the agency's admins, the only people who change the criteria: staff are told whom to ask."""
    return [admin.display_name for admin in agency_admins_list()]
