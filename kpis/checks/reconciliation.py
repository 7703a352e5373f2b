"""Reconciliation: do the figures agree with each other and with what the platforms said?"""

from __future__ import annotations

from statistics import median

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kpis.checks.base import Check, CheckData, Family, Finding, Severity, finding, register

BAND_MONTHS = 6  # the client's usual match rate: its last 6 months with one (at least 3)
BAND_MIN_MONTHS = 3
BAND_WIDTH = 3.0  # robust scores: median ± 3 × 1.4826 × MAD
BAND_FLOOR = 0.1  # never a band narrower than ± 10 points
TOTALS_TOLERANCE = 0.005  # 0.5 % (and at least 1 unit of money) between the rows and the totals row


def match_rate_band(data: CheckData) -> list[Finding]:
    """Platform conversions vs CRM paid leads (kpis.md ``paid_lead_match_rate``) outside the
    client's usual band. Skipped while the snapshots have no such KPI."""
    now = data.kpis.get("paid_lead_match_rate")
    if now is None:
        return []
    earlier = [
        value
        for value in ((data.history.get(m) or {}).get("paid_lead_match_rate") for m in data.before(BAND_MONTHS))
        if value is not None
    ]
    if len(earlier) < BAND_MIN_MONTHS:
        return []
    centre = median(earlier)
    spread = max(BAND_WIDTH * 1.4826 * median(abs(v - centre) for v in earlier), BAND_FLOOR)
    low, high = centre - spread, centre + spread
    if low <= now <= high:
        return []
    return [
        finding(
            MATCH_RATE,
            {"rate": now, "low": max(low, 0.0), "high": high},
            link=f"/scorecard/breakdowns/platform/?month={data.month}",
        )
    ]


def file_totals(data: CheckData) -> list[Finding]:
    """An imported file's spend rows against the totals row the file itself carried."""
    found = []
    for item in data.file_totals or []:
        total, rows = float(item["total"]), float(item["rows_sum"])
        if abs(total - rows) > max(1.0, TOTALS_TOLERANCE * abs(total)):
            found.append(
                finding(
                    FILE_TOTALS,
                    {"file": item["file"], "rows_sum": rows, "total": total, "difference": rows - total},
                    subject=str(item["job"]),
                    link=f"/imports/jobs/{item['job']}/",
                )
            )
    return found


def revenue_without_value(data: CheckData) -> list[Finding]:
    customers, revenue = data.kpis.get("customers") or 0, data.kpis.get("revenue")
    if not customers or revenue is None or revenue != 0:
        return []
    return [finding(REVENUE_ZERO, {"customers": customers}, link=f"/scorecard/?month={data.month}")]


MATCH_RATE = register(
    Check(
        key="reconciliation.paid_lead_match_rate",
        family=Family.RECONCILIATION,
        severity=Severity.MEDIUM,
        sentence=_("%(rate)s of the conversions the ad platforms claim reached the CRM, outside the usual %(low)s to %(high)s."),
        rule=_(
            "The paid lead match rate (CRM paid leads ÷ platform conversions) outside the median ± 3 robust deviations "
            "(at least ± 10 points) of the client's last 6 months with one (at least 3)."
        ),
        evaluate=match_rate_band,
    )
)
FILE_TOTALS = register(
    Check(
        key="reconciliation.file_totals",
        family=Family.RECONCILIATION,
        severity=Severity.HIGH,
        sentence=_("The rows of %(file)s add up to %(rows_sum)s of spend, but its totals row says %(total)s."),
        rule=_("An imported file with a totals row whose spend rows differ from it by more than 0.5 % (and 1 unit)."),
        evaluate=file_totals,
    )
)
REVENUE_ZERO = register(
    Check(
        key="reconciliation.revenue_zero",
        family=Family.RECONCILIATION,
        severity=Severity.MEDIUM,
        sentence=ngettext_lazy(
            "%(customers)s new customer but no revenue: is the deal value in the CRM export?",
            "%(customers)s new customers but no revenue: are the deal values in the CRM export?",
            "n",
        ),
        count="customers",
        rule=_("Customers in the month and revenue exactly 0 (no deal value on any of them)."),
        evaluate=revenue_without_value,
    )
)
