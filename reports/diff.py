"""What changed between two versions of a month's figures, in words: formatting only.

"Cost per lead 215.72 EUR → 219.40 EUR" — one line per KPI of the scorecard whose value differs,
labelled by the KPI catalogue (kpis.catalogue) and formatted as the scorecard does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clients.words import member_label
from kpis.catalogue import GROUPS, kpi, kpis_in
from kpis.formatting import format_value
from kpis.nocontact import CONTACT_FIGURES, all_uncontacted, frozen_has_contact_times
from kpis.nospend import frozen_has_spend, spend_figure_unknown
from kpis.unmatched import kpi_matched

KEYS = tuple(figure.key for group in GROUPS for figure in kpis_in(group.key))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def figures_diff(before: dict[str, Any], after: dict[str, Any], *, currency: str) -> list[dict[str, Any]]:
    """The KPIs whose value moved from the ``before`` document to the ``after`` one, in scorecard order."""
    lines = []
    for key in KEYS:
        # As the report reads them: a count of CRM leads by campaign none of whose leads names one is "—".
        was, now = kpi_matched(before, key), kpi_matched(after, key)
        # A cost of a version approved without spend loaded read "—" (kpis.nospend): "— → 50,00 €".
        if spend_figure_unknown(key, has_spend=frozen_has_spend(before) is not False):
            was = None
        if spend_figure_unknown(key, has_spend=frozen_has_spend(after) is not False):
            now = None
        # Nor a time to first contact the CRM did not send (kpis.nocontact): "— → 62,5 %".
        if key in CONTACT_FIGURES and all_uncontacted(before) and frozen_has_contact_times(before) is False:
            was = None
        if key in CONTACT_FIGURES and all_uncontacted(after) and frozen_has_contact_times(after) is False:
            now = None
        if not _same(was, now):
            shown_before, shown_after = format_value(key, was, currency), format_value(key, now, currency)
            if shown_before == shown_after:
                continue  # a change below what the page shows is no news to the reader
            label = str(kpi(key).label)
            lines.append(
                {
                    "key": key,
                    "label": label,
                    "before": shown_before,
                    "after": shown_after,
                    "text": f"{label} {shown_before} → {shown_after}",
                }
            )
    return lines


def documents_differ(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Whether any KPI of the two documents differs (at full precision)."""
    old, new = before.get("kpis", {}), after.get("kpis", {})
    return any(not _same(old.get(key), new.get(key)) for key in set(old) | set(new))


# An ad platform's own figures, as the close page names them when a platform restated a month.
PLATFORM_WORDS = {
    "ad_spend": gettext_lazy("spend"), "impressions": gettext_lazy("impressions"), "clicks": gettext_lazy("clicks"),
    "platform_conversions": gettext_lazy("conversions"), "conversion_value": gettext_lazy("conversion value"),
}


def platform_changes(before: dict[str, Any], after: dict[str, Any], *, currency: str, month: dt.date) -> list[dict[str, Any]]:
    """Each ad platform whose own figures moved between the approved document and the new one, in words:
    "Google Ads changed October 2026 after approval: conversions 212 → 219"."""
    old = before.get("breakdowns", {}).get("platform", {})
    new = after.get("breakdowns", {}).get("platform", {})
    changes = []
    for member in sorted(set(old) | set(new)):
        was, now = old.get(member, {}), new.get(member, {})
        # A platform with no row in the approved month arrived after the approval: its figures are
        # said as they are now, not "spend — → €640.00" under "Ad spend €0.00 → €640.00" (the
        # platform's "—" read as unknown beside the month's known zero).
        arrived = member not in old
        parts = []
        for key, word in PLATFORM_WORDS.items():
            if _same(was.get(key), now.get(key)):
                continue
            shown_before, shown_after = format_value(key, was.get(key), currency), format_value(key, now.get(key), currency)
            if shown_before != shown_after:
                parts.append(f"{word} {shown_after}" if arrived else f"{word} {shown_before} → {shown_after}")
        if parts:
            label = member_label("platform", member)
            words = {"platform": label, "month": date_format(month, "YEAR_MONTH_FORMAT"), "changes": "; ".join(parts)}
            text = (_("%(platform)s had no data in %(month)s when it was approved; now: %(changes)s") if arrived
                    else _("%(platform)s changed %(month)s after approval: %(changes)s")) % words
            changes.append({"member": member, "label": label, "parts": parts, "text": text})
    return changes


DAYS_SHOWN = 10  # the days listed one by one; the rest are counted


def days_changes(
    before: list[tuple[dt.date, float, float | None]], after: list[tuple[dt.date, float, float | None]], *, currency: str
) -> dict[str, Any] | None:
    """The days of the report's daily ad charts that moved between the approved version (``before``,
    frozen at approval) and the rows now (``after``), for staff before they approve the revision:
    "March 2: ad spend €160.00 → €960.00, clicks 60 → 460". A day without ad rows spent 0; clicks
    are compared where either side gives them. None when no day moved as shown."""
    old = {day: (spend, clicks) for day, spend, clicks in before}
    new = {day: (spend, clicks) for day, spend, clicks in after}
    lines = []
    for day in sorted(set(old) | set(new)):
        (was_spend, was_clicks), (now_spend, now_clicks) = old.get(day, (0.0, None)), new.get(day, (0.0, None))
        parts = []
        pairs = (("ad_spend", _("ad spend"), was_spend, now_spend), ("clicks", _("clicks"), was_clicks, now_clicks))
        for key, word, was, now in pairs:
            if was is None and now is None:
                continue
            shown_was, shown_now = format_value(key, was or 0.0, currency), format_value(key, now or 0.0, currency)
            if shown_was != shown_now:
                parts.append(f"{word} {shown_was} → {shown_now}")
        if parts:
            lines.append(f"{date_format(day, 'MONTH_DAY_FORMAT')}: {', '.join(parts)}")
    if not lines:
        return None
    hidden = len(lines) - DAYS_SHOWN
    return {
        "title": ngettext(
            "The daily ad charts changed on %(count)s day (the client sees the approved days until you approve):",
            "The daily ad charts changed on %(count)s days (the client sees the approved days until you approve):",
            len(lines),
        ) % {"count": len(lines)},
        "lines": lines[:DAYS_SHOWN],
        "more": ngettext("and %(count)s more day", "and %(count)s more days", hidden) % {"count": hidden} if hidden > 0 else "",
    }
