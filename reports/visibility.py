"""The close's rule for kpis.visibility: what a viewer sees of each month, and the commentary on top.

Registered by ``reports.apps.ReportsConfig.ready``. Runs in the request's client schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.template.loader import render_to_string

from kpis.visibility import Approval, Rule, Shown
from reports.models import ReportVersion, approver_shown
from reports.selectors import (
    approval_dates,
    approved_documents,
    close_page_column,
    close_page_rows,
    commentary_for,
    commentary_sections,
    commentary_state,
    month_has_snapshot,
    report_of,
    revision_pending,
    shown_from_rows,
    shown_months,
    versions_of,
)


def client_view() -> Shown:
    """The months as any client user sees them (for the report PDF of an approval's email)."""
    hidden, approved, stamp = shown_months(viewer=None)
    return Shown(hidden=hidden, approved=frozenset(approved), load=approved_documents, stamp=stamp, approvals=approval_dates)



def client_view_approving(version: ReportVersion) -> Shown:
    """The months as any client user will see them once ``version`` is approved — a version not saved
    (reports.selectors.version_preview): the client's view with its month approved as that document,
    by its approver, on its day. For the PDF of the monthly email's preview: the client's PDF, not
    staff's (their words, the months hidden from the client, "Approved on … by …"). Its approval is
    kept to the hour, so the PDF kept on file is drawn again at most once an hour, not each preview.
    A revision's (a month approved before) keeps its first approval and is "Revised on … by …" its
    approver, as the revised month's PDF reads once approved."""
    hidden, approved, stamp = shown_months(viewer=None)
    month = version.month
    at = version.approved_at.replace(minute=0, second=0, microsecond=0)
    before = approval_dates(month)
    approval = (Approval(approved_at=at, approved_by=approver_shown(version.approved_by_name)) if before is None else
                Approval(approved_at=before.approved_at, approved_by=before.approved_by,
                         revised_at=at, revised_by=approver_shown(version.approved_by_name)))

    def load(months: list[dt.date]) -> dict[dt.date, dict[str, Any]]:
        documents = approved_documents([m for m in months if m != month])
        if month in months:
            documents[month] = version.document
        return documents

    return Shown(hidden=hidden - {month}, approved=frozenset({*approved, month}), load=load,
                 stamp=f"{stamp}|approving {month}", approvals=lambda m: approval if m == month else approval_dates(m))

def _shown(user: Any) -> Shown | None:
    """Read once per request: the request's user object carries the answer (a page asks twice)."""
    if getattr(user, "is_agency", False):
        return None
    cached = getattr(user, "_close_shown", None)
    if cached is not None:
        return cached
    hidden, approved, stamp = shown_months(viewer=user)
    shown = Shown(hidden=hidden, approved=frozenset(approved), load=approved_documents, stamp=stamp, approvals=approval_dates)
    user._close_shown = shown
    return shown


def _page_column(user: Any, month: dt.date) -> tuple[str, list[Any]]:
    return close_page_column(viewer=user, month=month)


def _page_apply(user: Any, value: dict[str, Any]) -> str:
    """The stamp of the close as the cached scorecard shows it: the month's state, versions and
    commentary (the header and the summary's words) and, for a client user, every month's approved
    version and the months hidden (their Shown, kept on the user: the page asks nothing more)."""
    stamp = f"{value['month'] or ''}|{value['versions']}|{value['commentary']}"
    if getattr(user, "is_agency", False):
        return stamp
    hidden, approved, shown_stamp = shown_from_rows(close_page_rows(value))
    user._close_shown = Shown(
        hidden=hidden, approved=frozenset(approved), load=approved_documents, stamp=shown_stamp, approvals=approval_dates
    )
    return f"{stamp}|{shown_stamp}"


def _header(user: Any, month: dt.date) -> str:
    """Commentary (the draft for staff, the approved one for client users), the month's state and,
    for staff, "Revised figures available"; nothing at all for a month the close never held."""
    if not user.is_agency:
        shown = _shown(user)
        if month not in shown.hidden and month not in shown.approved:
            # A month the close never held (before the client's first report, or still running): its
            # figures as computed, which the page must not let pass for an approved report.
            if not month_has_snapshot(month=month):
                return ""
            return render_to_string("reports/header.html", {"user": user, "unreviewed": True})
    report = report_of(month=month)
    if report is None:
        return ""
    versions = versions_of(month=month)
    texts = commentary_for(viewer=user, month=month)
    pending = bool(user.is_agency and revision_pending(month=month))
    latest = versions[-1] if versions else None
    context = {
        "user": user,
        "month": month,
        "report": report,
        "sections": commentary_sections(texts),
        "revised": len(versions) > 1,
        "latest": latest,
        "first": versions[0] if versions else None,  # "Approved <its date>" (the latest: "Revised <date>")
        "revision_pending": pending,
        "commentary_state": commentary_state(texts=texts, latest=latest, revision_pending=pending) if user.is_agency else "",
    }
    return render_to_string("reports/header.html", context)


def _commentary(user: Any, month: dt.date) -> list[tuple[str, str]]:
    if connection.schema_name == "public":
        return []
    if not user.is_agency:
        shown = _shown(user)
        if month not in shown.hidden and month not in shown.approved:
            return []  # a month the close never held: no query
    return [
        (str(section["title"]), section["plain"]) for section in commentary_sections(commentary_for(viewer=user, month=month))
    ]


def _export(month: dt.date) -> dict[str, Any]:
    """export_snapshot's keys of the close: the state, the first approval and every version with
    what it changed against the one before (raw values, by KPI key)."""
    report = report_of(month=month)
    versions = versions_of(month=month)
    revisions = []
    for index, version in enumerate(versions):
        before = versions[index - 1].document.get("kpis", {}) if index else {}
        after = version.document.get("kpis", {})
        changes = {key: [before.get(key), after.get(key)] for key in after if index and before.get(key) != after.get(key)}
        revisions.append(
            {
                "version": version.number,
                "approved_at": version.approved_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "approved_by": version.approved_by_name,
                "reason": version.reason,
                "changes": changes,
            }
        )
    return {
        "state": report.state if report else "open",
        "approved_at": revisions[0]["approved_at"] if revisions else None,
        "revision_pending": revision_pending(month=month),
        "revisions": revisions,
    }


def _approval(month: dt.date) -> Approval | None:
    return approval_dates(month, pending=True, staff=True)


RULE = Rule(
    approval=_approval,
    shown=_shown,
    header=_header,
    commentary=_commentary,
    export=_export,
    page_column=_page_column,
    page_apply=_page_apply,
)
