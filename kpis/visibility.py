"""What a viewer is shown of a client's months: a rule the monthly close registers.

kpis computes every snapshot "as of now". The monthly close (the ``reports`` app, above kpis,
which kpis may not import) decides that a client user sees only approved months, as they were
approved, and puts the month's commentary at the top of the page and the PDF. ``reports.apps``
registers its rule here at start-up; with none registered, everyone sees the snapshots as
computed and no commentary. Nothing here queries: the registered functions do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Approval:
    """When a month was first approved and by whom and, once revised, when its latest version was and by
    whom (the reader's words for the approver: the operator's command is "your agency" to a client, "the
    agency" to staff). ``pending``: the figures as computed now differ from the approved version (only
    asked for staff's reading of them)."""

    approved_at: dt.datetime
    approved_by: str
    revised_at: dt.datetime | None = None
    revised_by: str = ""
    revised_reason: str = ""  # the latest revision's reason as staff typed it (kpis.notes words it)
    pending: bool = False


@dataclass(frozen=True)
class Shown:
    """What one viewer may see: months ``hidden`` not at all, months ``approved`` as an approved
    document (which ``load`` reads, for the months asked only), any other month as computed; and
    a stamp that changes whenever any of it changes (it goes into cache keys)."""

    hidden: frozenset[dt.date]
    approved: frozenset[dt.date]
    load: Callable[[list[dt.date]], dict[dt.date, dict[str, Any]]]
    stamp: str
    # (month) -> when it was first approved and by whom and, if revised since, when and by whom its
    # latest version was; None for a month never approved. The PDF says them by the "Computed" line.
    # The stamp already changes with each new version.
    approvals: Callable[[dt.date], Approval | None] | None = None

    def documents(self, months: list[dt.date]) -> dict[dt.date, dict[str, Any]]:
        """The approved documents among ``months`` (one query for all of them)."""
        wanted = [month for month in months if month in self.approved]
        return self.load(wanted) if wanted else {}


@dataclass(frozen=True)
class Rule:
    # (user) -> None when the viewer sees the snapshots as computed (agency staff)
    shown: Callable[[Any], Shown | None]
    # (user, month) -> safe HTML for the top of the scorecard (commentary, revision notice)
    header: Callable[[Any, dt.date], str]
    # (user, month) -> [(section title, plain text)] for the top of the PDF
    commentary: Callable[[Any, dt.date], list[tuple[str, str]]]
    # (month) -> keys export_snapshot adds to the document: the close's state and versions
    export: Callable[[dt.date], dict[str, Any]]
    # (user, month) -> (SQL expression, params): one more column of the cached scorecard's single
    # read (kpis.selectors_scorecard.scorecard_page_read), with all the close's facts the page depends on
    page_column: Callable[[Any, dt.date], tuple[str, list[Any]]] | None = None
    # (user, value of that column) -> a stamp of them for the page's cache key; a client user's
    # Shown is built from the same value (no query of its own afterwards)
    page_apply: Callable[[Any, Any], str] | None = None
    # (month) -> the month's approval as staff read it beside the figures as computed now (with
    # ``pending``), None for a month never approved: staff's PDF says it too
    approval: Callable[[dt.date], Approval | None] | None = None


_rules: list[Rule] = []


def rule_register(rule: Rule) -> None:
    """Called once by the app that owns the rule (reports.apps.ReportsConfig.ready)."""
    _rules[:] = [rule]


def shown_for(user: Any) -> Shown | None:
    return _rules[0].shown(user) if _rules else None


def header_for(user: Any, month: dt.date) -> str:
    return _rules[0].header(user, month) if _rules else ""


def commentary_for(user: Any, month: dt.date) -> list[tuple[str, str]]:
    return _rules[0].commentary(user, month) if _rules else []


def page_column_for(user: Any, month: dt.date) -> tuple[str, list[Any]] | None:
    """The rule's column for the scorecard's one read, or None without a rule."""
    return _rules[0].page_column(user, month) if _rules and _rules[0].page_column else None


def page_apply_for(user: Any, value: Any) -> str:
    """The stamp of what the rule's column read (and, for a client user, their Shown, kept)."""
    return _rules[0].page_apply(user, value) if _rules and _rules[0].page_apply else ""


def approval_for(month: dt.date) -> Approval | None:
    """The month's approval beside its figures as computed now (staff's reading), None without one."""
    return _rules[0].approval(month) if _rules and _rules[0].approval else None


def export_for(month: dt.date) -> dict[str, Any]:
    return _rules[0].export(month) if _rules else {}
