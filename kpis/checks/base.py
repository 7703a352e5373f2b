"""What a check is, what it finds, and the one list of them.

A check is declared once (``Check``): its key, family, severity, a translatable sentence with
named placeholders and the pure function that evaluates it over a month's ``CheckData``. The
function returns ``Finding``s (zero, one, or one per subject: a source, a campaign, a KPI) whose
``figures`` fill the sentence. No database here: ``kpis.checks.selectors`` reads the data,
``kpis.checks.services`` stores the findings. A new check is one ``register(Check(...))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.months import Month


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_LABELS = {
    Severity.HIGH: pgettext_lazy("severity", "High"),
    Severity.MEDIUM: pgettext_lazy("severity", "Medium"),
    Severity.LOW: pgettext_lazy("severity", "Low"),
}
SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class Family(StrEnum):
    COVERAGE = "coverage"
    TRACKING = "tracking"
    RECONCILIATION = "reconciliation"
    ANOMALY = "anomaly"


FAMILY_LABELS = {
    Family.COVERAGE: _("Data coverage"),
    Family.TRACKING: _("Tracking health"),
    Family.RECONCILIATION: _("Reconciliation"),
    Family.ANOMALY: _("Anomaly"),
}

# The sources whose days of data are counted: kinds of rows with a date (leads: their creation day).
SOURCES = ("spend", "traffic", "email", "leads")
SOURCE_LABELS = {"spend": _("Spend"), "traffic": _("Traffic"), "email": _("Email"), "leads": _("Leads")}


@dataclass(frozen=True)
class SnapshotFacts:
    """What the snapshots' pass over the leads already counted, per month (first day), handed to
    the checks computed right after them so that they do not read every lead again
    (kpis.selectors.check_facts): the leads with neither channel nor campaign, and the names of
    the campaigns with spend rows or new leads. ``kpis``: the KPIs of the documents just stored
    (their ``kpis``), so that the checks' history does not read them back from the table."""

    unattributed: dict[dt.date, int] = field(default_factory=dict)
    campaign_names: dict[dt.date, frozenset[str]] = field(default_factory=dict)
    kpis: dict[dt.date, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckData:
    """Everything the checks of one month read, as plain values (kpis.checks.selectors fills it).

    ``history``: the snapshot KPIs (the document's ``kpis``) of this month and the months before
    it that have a snapshot. ``source_days``: per source, the days with at least one row, over
    this month and the three before. ``delivery``: per campaign name, per day, (spend, clicks,
    conversions) of ad rows over this month and the one before; None when the data has no
    delivery columns (then the checks that need them are skipped). ``file_totals``: the month's
    imported files that had a totals row, each {"file", "job", "total", "rows_sum"}; None when
    imports do not record it.
    """

    month: Month
    history: dict[Month, dict[str, Any]] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    source_days: dict[str, frozenset[dt.date]] = field(default_factory=dict)
    unattributed_leads: int = 0
    campaign_names: tuple[str, ...] = ()
    delivery: dict[str, dict[dt.date, tuple[float, float | None, float | None]]] | None = None
    file_totals: list[dict[str, Any]] | None = None

    @property
    def kpis(self) -> dict[str, Any]:
        return self.history.get(self.month, {})

    def before(self, months: int) -> list[Month]:
        """The ``months`` months before this one (nearest first), whether or not they have a snapshot."""
        return [self.month - i for i in range(1, months + 1)]


@dataclass(frozen=True)
class Finding:
    """One thing to look at: which check, about what (``subject``: a source, campaign or KPI key;
    "" when the check is about the month), how grave, the figures its sentence shows and where
    to look (a path at the client's host)."""

    key: str
    severity: Severity
    figures: dict[str, Any]
    subject: str = ""
    link: str = ""


@dataclass(frozen=True)
class Check:
    key: str
    family: Family
    severity: Severity
    sentence: Promise  # placeholders are the keys of a finding's figures (as shown: kpis.checks.words)
    rule: Promise  # the rule and its threshold, for the docs and the page's hover
    evaluate: Callable[[CheckData], list[Finding]]
    # The figure whose number chooses singular or plural, when ``sentence`` is an
    # ``ngettext_lazy(singular, plural, "n")`` ("1 day", "3 days"; "1 día", "3 días").
    count: str = ""


REGISTRY: dict[str, Check] = {}


def register(check: Check) -> Check:
    if check.key in REGISTRY:
        raise ValueError(f"check {check.key} is declared twice")
    REGISTRY[check.key] = check
    return check


def finding(
    check: Check, figures: dict[str, Any], *, subject: str = "", link: str = "", severity: Severity | None = None
) -> Finding:
    return Finding(key=check.key, severity=severity or check.severity, figures=figures, subject=subject, link=link)
