"""Checks of a month's data before anyone approves it (issue #21; docs/monthly-close.md "Checks").

Declared once each in the family modules (``coverage``, ``tracking``, ``reconciliation``,
``anomalies``) with ``kpis.checks.base.register``; evaluated by pure functions over a month's
``CheckData``. ``month_check_results`` is the one call that turns a month's data into its findings
with their sentences and figures (the commentary draft lists them among its concerns).
"""

from __future__ import annotations

from typing import Any

from kpis.checks import anomalies, coverage, reconciliation, tracking
from kpis.checks.base import REGISTRY, SEVERITY_ORDER, CheckData, Finding, Severity
from kpis.checks.words import plain_figures, sentence

FAMILIES = (coverage, tracking, reconciliation, anomalies)  # imported for their declarations


def month_checks(data: CheckData) -> list[Finding]:
    """Every finding of the month, gravest first. A check that cannot judge (no data, too little
    history, columns the data lacks) finds nothing."""
    found = [item for check in REGISTRY.values() for item in check.evaluate(data)]
    return sorted(found, key=lambda f: (SEVERITY_ORDER[f.severity], f.key, f.subject))


def month_check_results(data: CheckData, *, currency: str) -> list[dict[str, Any]]:
    """The month's findings as plain values: key, family, severity, subject, figures (JSON), the
    sentence in the active language and the link (a path at the client's host)."""
    return [
        {
            "key": item.key,
            "family": REGISTRY[item.key].family.value,
            "severity": item.severity.value,
            "subject": item.subject,
            "figures": plain_figures(item.figures),
            "sentence": sentence(item, currency=currency),
            "link": item.link,
        }
        for item in month_checks(data)
    ]


__all__ = ["REGISTRY", "CheckData", "Finding", "Severity", "month_check_results", "month_checks"]
