"""What the scorecard shows of a snapshot: groups, labels, units, formatting, changes, sparklines.

Formatting only, no queries: kpis.selectors.scorecard_load reads the stored snapshots (a fixed
number of queries whatever the months or members: the selected month's, the comparison
month's and the 11 before it for the sparklines) into a ``Scorecard``, which this module shows.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from agency.months import Month
from clients.words import UNKNOWN_MEMBER, currency_symbol, member_label, money, share_shown, symbol_first
from kpis.catalogue import (
    BREAKDOWN_KEYS,
    GROUPS,
    NO_CUSTOMERS,
    NO_MQLS,
    NO_NEW_LEADS,
    NO_RETAINERS,
    NO_SESSIONS,
    NO_SPEND,
    NO_SQLS,
    Better,
    Kpi,
    Reason,
    Unit,
    funnel_kpis,
    kpi,
    kpis_in,
    null_reason,
)
from kpis.datastart import before_data
from kpis.nocontact import CONTACT_FIGURES, contact_unknown
from kpis.nodata import (
    LANDING_FIGURES,
    figure_source,
    landing_pages_unnamed,
    never_sent,
    never_sent_kind,
    revenue_figure_unknown,
    source_loaded,
)
from kpis.nodevice import DEVICE_LEAD_FIGURES, device_leads_unknown, leads_left_out
from kpis.nospend import SPENT_ALWAYS, document_has_spend, frozen_has_spend, spend_figure_unknown
from kpis.nurture import nurture_unmarked
from kpis.unmatched import LINKED, figure_unmatched, kpi_matched

if TYPE_CHECKING:
    from collections.abc import Callable

    from kpis.models import Snapshot

# Figures the scorecard shows that are not snapshot KPIs: the two that explain retainer_ltv in the
# lifetime value panel, and a breakdown column. Declared like the catalogue's, so they format alike.
PANEL_FIGURES = {
    figure.key: figure
    for figure in (
        Kpi(
            "retainer_base_value",
            "recurring_revenue_and_value",
            _("Mean fee × mean term"),
            _("Mean monthly fee × mean term of the retainers."),
            Unit.MONEY,
            null_reasons=(NO_RETAINERS,),
        ),
        Kpi(
            "served_fraction_when_cancelled",
            "recurring_revenue_and_value",
            _("Served fraction when cancelled early"),
            _("Mean share of the term served by retainers cancelled early."),
            Unit.RATE,
            null_reasons=(Reason(_("No retainer was cancelled early.")),),
        ),
        Kpi("form_submissions", "traffic", _("Form submissions"), _("Form submissions in the month."), Unit.COUNT),
    )
}


def figure(key: str) -> Kpi:
    """The declaration of a figure the scorecard shows: a catalogue KPI or a panel figure."""
    return PANEL_FIGURES.get(key) or kpi(key)


def number_shown(value: float | int, places: int, force_grouping: bool = False) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, written the active locale's way.

    Django's number_format cuts extra decimals off a float (1.96875 would show as 1.96, 1/6 as
    16.6 %); round first so the shown figure is the nearest one. A rounded zero loses its sign.
    """
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return number_format(rounded, places, force_grouping=force_grouping)


def unit(key: str) -> str:
    """The catalogue's unit of ``key`` (count, money, rate, ratio, hours, days, months)."""
    return figure(key).unit.value


def compact(value: float) -> str:
    """A short axis number: 1.2k, 3.4M."""
    size = abs(value)
    if size >= 1_000_000:
        return number_shown(value / 1_000_000, 1 if size < 10_000_000 else 0) + "M"
    if size >= 10_000:
        return number_shown(value / 1000, 0) + "k"
    if size >= 1000:
        return number_shown(value / 1000, 1) + "k"
    return number_shown(value, 0 if size >= 10 or value == int(value) else 1)


def axis_format(key: str, currency: str) -> Any:
    """How a chart's axis writes this KPI's values (shorter than the tiles)."""
    kind = figure(key).unit
    symbol = currency_symbol(currency)
    if kind == Unit.MONEY:
        # The symbol where the tiles put it (clients.words.money): "€60k" in English, "60k €" in Spanish.
        def money_axis(v: float) -> str:
            if symbol_first(symbol):
                return f"{symbol}{compact(v)}"
            return f"{compact(v)}\xa0{symbol}"

        return money_axis
    if kind == Unit.RATE:
        return lambda v: f"{number_shown(v * 100, 0 if abs(v) >= 0.1 or v == 0 else 1)} %"
    if kind == Unit.HOURS:
        return lambda v: f"{compact(v)} h"
    return compact


FRACTIONAL_COUNTS = frozenset({"platform_conversions"})


def format_value(key: str, value: float | None, currency: str) -> str:
    """The value as the active locale writes it: grouping, decimals, percent, currency symbol."""
    if value is None:
        return "—"
    kind = figure(key).unit
    if kind == Unit.MONEY:
        return money(value, currency)
    if kind == Unit.RATE:
        if figure(key).bounds is None:  # a share of a whole (0–1): never "0.0 %" (share_shown)
            return share_shown(value)
        return f"{number_shown(value * 100, 1, force_grouping=True)} %"
    if kind == Unit.HOURS:
        return f"{number_shown(value, 1, force_grouping=True)} h"
    if kind in (Unit.COUNT, Unit.DAYS):
        # Platforms split a conversion's credit (7.5 conversions): that count keeps one decimal.
        # One decimal only where it shows one: 272.04 read "272.0" beside another row's "50".
        fractional = key in FRACTIONAL_COUNTS and not round(float(value), 1).is_integer()
        return number_shown(value, 1 if fractional else 0, force_grouping=True)
    return number_shown(value, 2, force_grouping=True)  # ratios and months


def fractional_counts_aligned(keys: list[str], rows: list[dict[str, Any]], shown: list[dict[str, Any]]) -> None:
    """A column of platform conversions written with the same decimals in every row of a table: one
    decimal in each when any row's count is split (7.5), none when all are whole ("272.0" beside
    "50" read as two kinds of figure). ``shown`` as breakdown_cell draws ``rows``, in the same order."""
    for index, key in enumerate(keys):
        if key not in FRACTIONAL_COUNTS:
            continue
        values = [row.get(key) for row in rows]
        places = 1 if any(v is not None and not round(float(v), 1).is_integer() for v in values) else 0
        for value, row in zip(values, shown, strict=True):
            if value is not None and row["cells"][index]["text"] != "—":
                row["cells"][index]["text"] = number_shown(value, places, force_grouping=True)


def cell_shown(key: str, value: float | None, currency: str, *, values: dict[str, Any] | None = None) -> dict[str, str]:
    """A table cell: the value as shown and, for "—", why there is none — the reasons that hold for
    ``values`` (the figures of the month or of the row the cell is in) when given."""
    return {"text": format_value(key, value, currency), "reason": null_reason(figure(key), values) if value is None else ""}


# A breakdown row's "—" is explained by the row's own figures, never by the month's: "No marketing
# spend this month" under a channel table whose other rows spent €4,137.93 contradicted it.
ROW_REASONS = {
    "sessions": _("No sessions in this row."),
    "new_leads": _("No new leads in this row."),
    "mqls": _("No MQLs in this row."),
    "sqls": _("No SQLs in this row."),
    "customers": _("No customers in this row."),
    "marketing_spend": _("No marketing spend in this row."),
    # ROAS of a row with conversion value but no ad spend (credited after its campaigns stopped): row_cell_shown
    "ad_spend": _("No ad platform spend in this row."),
}
# The same, said under a table of the columns no row has (blank_columns_dropped): of every row, not "this row".
ROW_REASONS_EVERY_ROW = {
    "sessions": _("No sessions in any row."),
    "new_leads": _("No new leads in any row."),
    "mqls": _("No MQLs in any row."),
    "sqls": _("No SQLs in any row."),
    "customers": _("No customers in any row."),
    "marketing_spend": _("No marketing spend in any row."),
    "ad_spend": _("No ad platform spend in any row."),
    "bounce_rate": _("The traffic data of these rows does not give bounced sessions, so their bounce rate is unknown."),
    "landing_page_conversion_rate": _("No landing page sessions in any row, so the landing page conversion cannot "
                                      "be worked out."),
}
# The same, said under a table of some of its rows (dashes_said): of how many, not "this row" (which one?).
ROW_REASONS_SOME_ROWS = {
    "sessions": ngettext_lazy("No sessions in %(count)s row.", "No sessions in %(count)s rows.", "count"),
    "new_leads": ngettext_lazy("No new leads in %(count)s row.", "No new leads in %(count)s rows.", "count"),
    "mqls": ngettext_lazy("No MQLs in %(count)s row.", "No MQLs in %(count)s rows.", "count"),
    "sqls": ngettext_lazy("No SQLs in %(count)s row.", "No SQLs in %(count)s rows.", "count"),
    "customers": ngettext_lazy("No customers in %(count)s row.", "No customers in %(count)s rows.", "count"),
    "marketing_spend": ngettext_lazy("No marketing spend in %(count)s row.", "No marketing spend in %(count)s rows.",
                                     "count"),
    "ad_spend": ngettext_lazy("No ad platform spend in %(count)s row.", "No ad platform spend in %(count)s rows.",
                              "count"),
    "bounce_rate": ngettext_lazy(
        "The traffic data of %(count)s row does not give bounced sessions, so its bounce rate is unknown.",
        "The traffic data of %(count)s rows does not give bounced sessions, so their bounce rate is unknown.", "count"),
    "landing_page_conversion_rate": ngettext_lazy(
        "No landing page sessions in %(count)s row, so its landing page conversion cannot be worked out.",
        "No landing page sessions in %(count)s rows, so their landing page conversion cannot be worked out.", "count"),
}
# The catalogue's month reasons (the same lazy objects its KPIs hold) and the count each is about.
MONTH_REASON_COUNT = (
    (NO_SESSIONS, "sessions"),
    (NO_NEW_LEADS, "new_leads"),
    (NO_MQLS, "mqls"),
    (NO_SQLS, "sqls"),
    (NO_CUSTOMERS, "customers"),
    (NO_SPEND, "marketing_spend"),
)


# A row's rate whose base the row does not carry (kpis.snapshot.breakdowns): why, in words that name
# what is missing (the CSV and the PDF's note put the figure's name before it).
ROW_FIGURE_REASONS = {
    "bounce_rate": _("The traffic data of this row does not give bounced sessions, so its bounce rate is unknown."),
    "landing_page_conversion_rate": _("No landing page sessions in this row, so its landing page conversion "
                                      "cannot be worked out."),
}
AD_ROW_FIGURES = ("impressions", "clicks", "platform_conversions")
NO_AD_ROWS = _("No ad platform data for this campaign: its ad figures (impressions, clicks, conversions) are unknown.")
NO_AD_ROWS_ANY = _("No ad platform data for any campaign this month: their ad figures (impressions, clicks, "
                   "conversions) are unknown.")
CONVERSION_FIGURES = frozenset({"platform_conversions", "cost_per_conversion", "click_conversion_rate",
                                "conversion_value", "roas"})


def row_cell_shown(key: str, row: dict[str, Any], currency: str) -> dict[str, str]:
    """A breakdown table's cell: like cell_shown, but a "—" says why from the row's figures — the
    counts of the row that are zero among those the KPI needs, the base of a rate the row lacks, a
    campaign without ad platform rows, ad rows without conversions, a ROAS with conversion value but no ad
    spend — or else the figure's formula."""
    value = row.get(key)
    if value is not None:
        return {"text": format_value(key, value, currency), "reason": ""}
    counts = [count for reason in figure(key).null_reasons for known, count in MONTH_REASON_COUNT if reason is known]
    reasons = [str(ROW_REASONS[c]) for c in counts if c and c in row and not row[c]]
    if not reasons and key in ROW_FIGURE_REASONS:
        reasons = [str(ROW_FIGURE_REASONS[key])]
    if not reasons and figure(key).group == "paid_media":
        if all(row.get(k) is None for k in AD_ROW_FIGURES):
            reasons = [str(NO_AD_ROWS)]
        elif key == "roas" and row.get("conversion_value") and not row.get("ad_spend"):
            # A conversion value the platform credits in a month it spent nothing: its data gives a value,
            # it is the spend ROAS divides by that is missing.
            reasons = [str(ROW_REASONS["ad_spend"])]
        elif key in CONVERSION_FIGURES:
            reasons = [gettext("Its ad platform data gives no conversions or conversion value.")]
    if not reasons:
        reasons = [gettext("Cannot be worked out for this row (%(definition)s)") % {
            "definition": str(figure(key).definition).rstrip(".")}]
    return {"text": "—", "reason": " ".join(reasons)}


SMALL_BASE = 20  # a count below this the month before: its change is a number, not a percentage


def small_base(key: str, before: float) -> bool:
    """Whether ``key``'s change from ``before`` is a number ("+3"), not a percentage: a count under
    SMALL_BASE the month before (issue #21). The tiles, "What changed" and the commentary draft
    all ask this. A month's working days move by a day or two, and read so ("-1"), never as a
    percentage ("Working days 21, -4.5 %" beside the leads is the calendar, not a result)."""
    return key == "working_days" or (figure(key).unit == Unit.COUNT and abs(before) < SMALL_BASE)


def change(key: str, value: float | None, before: float | None, *, first: bool = False) -> dict[str, Any] | None:
    """Against the comparison month: points for rates, a relative change otherwise; None if undefined.

    No percentage on a base too small to mean anything (issue #21): a count that was below
    SMALL_BASE shows its absolute change ("+14"), and the first month with data says so."""
    if value is None or not figure(key).compared:  # a calendar ratio (catalogue Kpi.compared): no change
        return None
    if before is None:
        return {"text": gettext("first full month"), "good": True, "flat": True, "first": True} if first else None
    better = figure(key).better
    kind = figure(key).unit
    if kind == Unit.RATE:
        delta, text = value - before, f"{number_shown((value - before) * 100, 1)} pp"
    elif small_base(key, before):
        # The same small count both months reads "no change", not a bare "0" beside the figure.
        delta = value - before
        text = number_shown(delta, 0, force_grouping=True) if delta else gettext("no change")
    elif before == 0 or (value != 0 and (before < 0) != (value < 0)):
        return None  # from 0, or across it (a revenue uplift from +€658 to −€51,833 read "-7875.0 %")
    else:
        delta = (value - before) / abs(before)
        text = f"{number_shown(delta * 100, 1)} %"
    if delta == 0:  # the same figure both months: in words, as a small count's, not "0.0 %" or "0.0 pp"
        text = gettext("no change")
    # A change too small for its one decimal ("0.0 pp") is shown as it rounds, neither good nor bad:
    # a red "0.0 pp" read as a fall of nothing.
    if delta != 0 and not text.strip("+-0.,% p\xa0"):
        return {"text": text.lstrip("-"), "good": True, "flat": True}
    good = delta == 0 or ((delta < 0) if better == Better.DOWN else (delta > 0))
    return {"text": ("+" if delta > 0 else "") + text, "good": good, "flat": delta == 0 or better == Better.NEUTRAL}


def change_shown(
    key: str, value: float | None, before: float | None, *, first: bool = False, compare: dt.date | None = None,
    before_why: str = "",
) -> dict[str, Any] | None:
    """The change cell as shown: change() where it is a number, else words where a percentage from 0 is
    undefined — "up from 0" (a revenue after a month of none), "no change" (0 both months) — or
    "nothing to compare" when the comparison month has no figure, with ``why`` on hover (``before_why``:
    the comparison month's own reason, Scorecard.compared_why). None (an empty cell) only without a
    value. ``compare``: the comparison month, named on hover."""
    shown = change(key, value, before, first=first)
    if shown is not None or value is None or not figure(key).compared:
        return shown
    if before is None:  # the comparison month has no figure (undefined, unknown, or no month at all)
        why = before_why or (
            gettext("No figure for this in %(month)s.") % {"month": date_format(compare, "YEAR_MONTH_FORMAT")}
            if compare else gettext("The comparison month has no figure for this."))
        return {"text": gettext("nothing to compare"), "good": True, "flat": True, "why": why}
    if before != 0 and value != 0 and (before < 0) != (value < 0):  # across 0: in words, as from 0
        better, up = figure(key).better, value > before
        return {
            "text": gettext("up above 0") if up else gettext("down below 0"),
            "good": up == (better != Better.DOWN),
            "flat": better == Better.NEUTRAL,
            "why": gettext("A change across 0 has no percentage."),
        }
    if before != 0:
        return shown
    if value == 0:
        return {"text": gettext("no change"), "good": True, "flat": True, "why": ""}
    better = figure(key).better
    good = (value < 0) if better == Better.DOWN else (value > 0)
    return {
        "text": gettext("up from 0") if value > 0 else gettext("down from 0"),
        "good": good,
        "flat": better == Better.NEUTRAL,
        "why": gettext("A change from 0 has no percentage."),
    }


def compared_month(changes: Iterable[dict[str, Any] | None], *, compare_to: dt.date) -> str:
    """"October 2026": the month ``changes`` are against, named as the tiles and the PDF name it (the
    figures table's column, the email's note); "" when none is against a month (the month in
    progress, a first month whose changes all read "first full month")."""
    if not any(shown and not shown.get("first") for shown in changes):
        return ""
    return date_format(compare_to, "YEAR_MONTH_FORMAT")


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> str:
    """Polyline points for the SVG; gaps (undefined months) break the line into segments."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    segments, current = [], []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{index * step:.1f},{height - 2 - (value - low) / span * (height - 4):.1f}")
    if current:
        segments.append(current)
    return "|".join(" ".join(points) for points in segments if len(points) > 1)


# The figures that count the CRM's leads of the ad campaigns: "—" with unlinked_reason() instead of a
# 0 when none of the month's leads names a campaign (kpis.unmatched).
CRM_LINKED_KPIS = frozenset(LINKED["kpis"])


def unlinked_reason() -> str:
    return gettext("The CRM's leads name no ad campaign, so none can be matched to the ad campaigns.")


def no_spend_reason(*, staff: bool = False) -> str:
    """Why a cost reads — for a client without any spend loaded up to the month's end (kpis.nospend),
    worded for its reader: staff read it as the agency's client, the client as its own report."""
    if staff:
        return gettext("No spend has been loaded for this client: costs are unknown, not zero. Import it or connect an "
                       "ad platform on the Imports page.")
    return gettext("No spend is recorded up to this month: costs are unknown, not zero.")


def no_contracts_reason() -> str:
    """Why a contract figure reads — for a client with no contract known at the month's end: the portfolio's
    words, read by staff only, so it says where contracts are imported."""
    return gettext("No contracts loaded for this client up to this month's end: its recurring revenue figures "
                   "cannot be worked out. Import its contracts file on the Imports page.")


def no_contact_reason(*, staff: bool = False) -> str:
    """Why a speed-to-lead figure reads — when the CRM sends no first-contact time (kpis.nocontact),
    worded for its reader: the client reads what it means (it cannot import), staff how to fix it."""
    if staff:
        return gettext(
            "The CRM sends no first-contact time for these leads, so the time to first contact is unknown, not "
            "“never contacted”. It is shown once the leads are imported with their first-contact date."
        )
    return gettext(
        "No first-contact time is recorded for these leads, so the time to first contact is unknown, not "
        "“never contacted”."
    )


def no_nurture_note(*, staff: bool = False) -> str:
    """Beside nurture leads of 0 when no campaign is marked nurture (kpis.nurture): the 0 counts nothing.
    Staff read where a campaign is marked; a client, who marks nothing, what the 0 means."""
    if staff:
        return gettext("No campaign is marked nurture, so no lead can count here: 0 does not mean nurturing brought "
                       "no leads. A campaign is marked nurture in the campaigns file (its nurture column).")
    return gettext("None of your campaigns is counted as a nurture campaign, so no lead can count here: 0 does not "
                   "mean nurturing brought no leads.")


# The returns on spend: while the month runs without a customer yet, −100 % is no verdict (kpis.md's value kept).
RUNNING_RETURN_FIGURES = frozenset({"roi", "romi", "revenue_uplift", "revenue_uplift_annualized", "revenue_uplift_rate"})


def no_customer_yet_note() -> str:
    """Beside a return of the month in progress before its first customer: "ROMI −100 %" on the 7th."""
    return gettext("No new customer yet this month, so no revenue to set against its spend so far: this figure is "
                   "judged once the month is complete.")


# Revenue figures that count only the customers with a deal value: partial when some have none.
PARTIAL_FIGURES = frozenset({"revenue", "marketing_revenue", "roi", "romi", "revenue_uplift",
                             "revenue_uplift_annualized", "revenue_uplift_rate"})


def not_loaded_reason(source: str, *, named: str = "", staff: bool = False) -> str:
    """Why a traffic or email figure reads — for a month with no row of its source (kpis.nodata).
    ``named``: the month in words when it is not the page's (a change's comparison month). ``staff``: the
    reader is agency staff, told where the data is imported or connected (a client reads what it means:
    traffic "recorded", as its spend reason says, not "loaded", the agency's work)."""
    if source == "traffic" and not staff:
        if named:
            return gettext("No traffic data is recorded for %(month)s: its traffic figures are unknown, not zero.") % {
                "month": named}
        return gettext("No traffic data is recorded for this month: its traffic figures are unknown, not zero.")
    if named:
        if source == "traffic":
            said = gettext("No traffic data loaded for %(month)s: its traffic figures are unknown, not zero.") % {
                "month": named}
        else:
            said = gettext("No email results loaded for %(month)s: its email figures are unknown, not zero.") % {
                "month": named}
    elif source == "traffic":
        said = gettext("No traffic data loaded for this month: its traffic figures are unknown, not zero.")
    else:
        said = gettext("No email results loaded for this month: its email figures are unknown, not zero.")
    if staff:
        return said + " " + (
            gettext("Import a traffic file (a GA4 export) or connect GA4 on the Imports page.") if source == "traffic"
            else gettext("Import an email file (a Mailchimp export) or connect Mailchimp on the Imports page."))
    return said


def unpriced_reason(document: dict[str, Any] | None) -> str:
    """Why a revenue figure reads — for a month whose new customers have no deal value (kpis.nodata)."""
    kpis = (document or {}).get("kpis") or {}
    customers = int(kpis.get("customers") or 0)
    if kpis.get("revenue"):  # some customers priced, none of those from marketing
        return gettext("No deal value is recorded for the new customers from marketing: the revenue from marketing "
                       "is unknown, not zero, so its return cannot be worked out.")
    return ngettext(
        "%(count)s new customer has no deal value: the month's revenue is unknown, not zero, so the return on "
        "marketing cannot be worked out.",
        "%(count)s new customers have no deal value: the month's revenue is unknown, not zero, so the return on "
        "marketing cannot be worked out.",
        customers,
    ) % {"count": number_shown(customers, 0, force_grouping=True)}


def figure_not_fact(key: str, document: dict[str, Any] | None, *, month: dt.date, row_months: Any,
                    named: str = "", staff: bool = False) -> str:
    """The reason ``key`` of ``document`` is no fact though kpis.md gives it a value (kpis.nodata): a
    traffic or email figure of a month without rows of its source, a revenue figure of a month whose
    customers have no deal value; "" when it is a fact. ``named``: the month in words when it is not the
    page's: the reasons that would say "this month" name it instead. ``staff``: the reader is agency
    staff (sales-ready leads without activities then name the import kind, a client reads what it means)."""
    if document is None:
        return ""
    source = figure_source(key)
    if source is not None and not source_loaded(source, document, month=month, row_months=row_months):
        return not_loaded_reason(source, named=named, staff=staff)
    kind = never_sent_kind(key)
    if kind is not None and never_sent(kind, document, month=month, row_months=row_months):
        if kind == "sal_dates":
            return gettext("The CRM sends no sales-accepted date for these leads, so the SALs are unknown, not zero.")
        if kind == "unsubscribes":
            return gettext("The CRM sends no unsubscribe date for these leads, so the opt-out rate is unknown, not zero.")
        if staff:
            return gettext("No activities have been loaded for these leads: their buying signals, and so the "
                           "sales-ready leads, are unknown, not zero. Import their activities file on the Imports page.")
        return gettext("No buying signals (such as downloads or demo requests) are recorded for these leads, so the "
                       "sales-ready leads are unknown, not zero.")
    if key in LANDING_FIGURES and landing_pages_unnamed(document):
        if named:
            return gettext("The traffic data of %(month)s names no landing page, so its landing page figures are "
                           "unknown.") % {"month": named}
        return gettext("The traffic data of this month names no landing page, so its landing page figures are unknown.")
    if revenue_figure_unknown(key, document):
        return unpriced_reason(document)
    return ""


@dataclass
class Scorecard:
    month: dt.date
    compare_to: dt.date
    snapshot: Snapshot | None
    history: dict[dt.date, Snapshot]
    annotations: list = field(default_factory=list)
    targets: dict[str, float] = field(default_factory=dict)
    period: Any = None  # kpis.report.Period: complete, or the month to date
    quarter_targets: dict[dt.date, dict[str, float]] = field(default_factory=dict)  # the pacing bar's (kpis.pacing)
    # The date of the client's first spend row (None: it has none): a month before it has no spend
    # loaded and its costs read — (kpis.nospend). SPENT_ALWAYS when the reader did not read it;
    # ``first_spend_read`` reads it on first need (an approved month froze its answer: no query).
    first_spend: dt.date | None = SPENT_ALWAYS
    first_spend_read: Callable[[], dt.date | None] | None = field(default=None, repr=False, compare=False)
    # The first month whose new leads had a first-contact time (kpis.nocontact), read on first need:
    # only for a month whose new leads all lack one and that froze no answer. None: no month's had one.
    first_contact_read: Callable[[], dt.date | None] | None = field(default=None, repr=False, compare=False)
    _first_contact: list = field(default_factory=list, repr=False, compare=False)
    # Each source's first month with rows (kpis.datastart), read on a chart's first need; empty: not
    # read (no month is before its data).
    first_data: dict[str, dt.date | None] = field(default_factory=dict)
    first_data_read: Callable[[], dict[str, dt.date | None]] | None = field(default=None, repr=False, compare=False)
    # Each source's (traffic, email) months with rows (kpis.nodata), read on first need: only for a
    # month whose figures show none of its rows and that froze no answer. Empty: every month has rows.
    row_months_read: Callable[[], dict[str, set[dt.date]]] | None = field(default=None, repr=False, compare=False)
    _row_months: list = field(default_factory=list, repr=False, compare=False)
    # How many of the month's new customers have no deal value (kpis.nodata: its revenue figures are then
    # partial), read on first need; an approved month froze it. None: not read (none counted).
    unpriced_read: Callable[[], int] | None = field(default=None, repr=False, compare=False)
    _unpriced: list = field(default_factory=list, repr=False, compare=False)
    # Whether any campaign is marked nurture (kpis.nurture), read on first need: only for a month whose
    # nurture leads are 0 and that froze no answer. None: not read (taken as marked).
    nurture_marked_read: Callable[[], bool] | None = field(default=None, repr=False, compare=False)
    _nurture_marked: list = field(default_factory=list, repr=False, compare=False)
    # The reader is agency staff: a reason or note with something to do about it says how, in the agency's
    # words (the nurture column, importing first-contact dates or activities, spend loaded for this client);
    # a client, who cannot import, reads what it means. The PDF and the monthly email are the client's.
    staff: bool = False

    @property
    def in_progress(self) -> bool:
        return self.period is not None and not self.period.complete

    @property
    def first_month(self) -> bool:
        """No month before this one has figures: its changes read "first full month"."""
        return self.snapshot is not None and not any(month < self.month for month in self.history)

    def kpi(self, key: str) -> float | None:
        """The month's figure; the lifetime value panel's derived figures are worked out from it."""
        if self.snapshot is None:
            return None
        kpis = self.snapshot.document["kpis"]
        if key in DERIVED and key not in kpis:
            return retainer_explained(kpis)[key]
        return kpis.get(key)

    @property
    def values(self) -> dict[str, Any] | None:
        """The month's KPI values (what a "—" is explained from); None without a snapshot."""
        return None if self.snapshot is None else self.snapshot.document.get("kpis", {})

    def has_spend(self, month: dt.date | None = None) -> bool:
        """Whether ``month`` (the card's month by default) has spend loaded up to its end, as its
        document froze it at approval or as the rows say (kpis.nospend)."""
        month = self.month if month is None else month
        snapshot = self.snapshot if month == self.month else self.history.get(month)
        document = snapshot.document if snapshot else None
        frozen = frozen_has_spend(document)
        if frozen is not None:
            return frozen
        if self.first_spend_read is not None:
            self.first_spend, self.first_spend_read = self.first_spend_read(), None
        return document_has_spend(document, month=month, first_spend=self.first_spend)

    def contact_unknown(self, month: dt.date | None = None) -> bool:
        """Whether ``month``'s speed-to-lead figures are not facts: its leads all lack a first-contact
        time and the CRM sent none up to its end (kpis.nocontact)."""
        month = self.month if month is None else month
        snapshot = self.snapshot if month == self.month else self.history.get(month)

        def first_contact() -> dt.date | None:
            if not self._first_contact:
                self._first_contact.append(self.first_contact_read() if self.first_contact_read else dt.date.min)
            return self._first_contact[0]

        return contact_unknown(snapshot.document if snapshot else None, month=month, first_contact=first_contact)

    def row_months(self) -> dict[str, set[dt.date]] | None:
        """Each source's months with rows (kpis.nodata), read once; None without a reader (every month has them)."""
        if not self._row_months:
            self._row_months.append(self.row_months_read() if self.row_months_read else None)
        return self._row_months[0]

    def not_fact(self, month: dt.date, key: str) -> str:
        """Why ``key`` of ``month`` is no fact (kpis.nodata: no traffic or email rows, customers without a
        deal value); "" when it is one."""
        snapshot = self.snapshot if month == self.month else self.history.get(month)
        return figure_not_fact(key, snapshot.document if snapshot else None, month=month, row_months=self.row_months,
                               staff=self.staff)

    def partial_note(self, key: str, value: Any) -> str:
        """A revenue figure of the month counting only some of its customers (the others have no deal
        value, kpis.nodata): says so under the figure; "" when it counts them all."""
        customers = int(self.kpi("customers") or 0)
        if value is None or key not in PARTIAL_FIGURES or customers == 0 or self.snapshot is None:
            return ""
        if not self._unpriced:
            frozen = (self.snapshot.document.get("report") or {}).get("unpriced_customers")
            self._unpriced.append(frozen if frozen is not None else (self.unpriced_read() if self.unpriced_read else 0))
        return partial_text(int(self._unpriced[0] or 0), customers)

    def nurture_note(self, key: str) -> str:
        """Nurture leads of 0 when no campaign is marked nurture (kpis.nurture): says so beside the 0."""

        def marked() -> bool | None:
            if not self._nurture_marked:
                self._nurture_marked.append(self.nurture_marked_read() if self.nurture_marked_read else None)
            return self._nurture_marked[0]

        document = self.snapshot.document if self.snapshot is not None else None
        return no_nurture_note(staff=self.staff) if nurture_unmarked(key, document, marked=marked) else ""

    def kpi_known(self, month: dt.date, key: str) -> Any:
        """``key`` of ``month`` in the history as a change or a chart reads it: None when it is no fact
        (a count of unmatched CRM leads, a cost without spend loaded, a time to first contact the CRM
        does not send) or the month has no figures."""
        snapshot = self.history.get(month)
        if snapshot is None or spend_figure_unknown(key, has_spend=self.has_spend(month)):
            return None
        if key in CONTACT_FIGURES and self.contact_unknown(month):
            return None
        if self.not_fact(month, key):
            return None
        return kpi_matched(snapshot.document, key)

    def compared_why(self, key: str) -> str:
        """Why the comparison month has no figure for ``key``, in its own words ("In October 2026: 10 of
        its 12 customers have no deal value…"), for a change that reads "nothing to compare"; "" when it
        has one. A client read "nothing to compare" beside its revenue with no reason but the month's."""
        month = self.compare_to
        named = date_format(month, "YEAR_MONTH_FORMAT")
        snapshot = self.history.get(month)
        if snapshot is None:  # no month at all: change_shown's own "No figure for this in March 2025."
            return ""
        if spend_figure_unknown(key, has_spend=self.has_spend(month)):
            why = gettext("no spend was loaded up to its end, so its costs are unknown.")
            if self.staff:
                why += " " + gettext("Import its spend on the Imports page.")
        elif key in CONTACT_FIGURES and self.contact_unknown(month):
            why = no_contact_reason(staff=self.staff)
        else:
            why = self.not_fact(month, key)
            said_of = figure_not_fact(key, snapshot.document, month=month, row_months=self.row_months, named=named,
                                      staff=self.staff)
            if why and said_of != why:  # a reason of its own naming the month: no "In October 2026:" before it
                return said_of
        if not why and kpi_matched(snapshot.document, key) is None:
            before = date_format((Month.of(month) - 1).first_day, "YEAR_MONTH_FORMAT")
            # Each reason names October 2026 itself ("No customers in October 2026."), never "this month".
            return null_reason(figure(key), snapshot.document.get("kpis"), before=before, month=named)
        return gettext("In %(month)s: %(why)s") % {"month": named, "why": why} if why else ""

    def before_data(self, month: dt.date, key: str) -> bool:
        """Whether ``month`` is before the first rows of ``key``'s source (kpis.datastart)."""
        if self.first_data_read is not None:
            self.first_data, self.first_data_read = self.first_data_read(), None
        return before_data(key, month, first=self.first_data)

    def kpi_charted(self, month: dt.date, key: str) -> Any:
        """``key`` of ``month`` as a chart draws it: as ``kpi_known``, and None (a gap, not a 0) for a
        month before the first rows of the figure's source (kpis.datastart)."""
        value = self.kpi_known(month, key)
        return None if value is None or self.before_data(month, key) else value

    def shown(self, key: str) -> tuple[float | None, str]:
        """The month's figure as a tile shows it, and why it is "—" when it is: a count of the CRM's
        leads of the ad campaigns is "—" when no lead of the month names a campaign (not a 0), a cost
        is "—" when the client has no spend loaded (not a 0 €)."""
        if self.snapshot is not None and figure_unmatched(self.snapshot.document, key):
            return None, unlinked_reason()
        if self.snapshot is not None and spend_figure_unknown(key, has_spend=self.has_spend()):
            return None, no_spend_reason(staff=self.staff)
        if key in CONTACT_FIGURES and self.contact_unknown():
            return None, no_contact_reason(staff=self.staff)
        why = self.not_fact(self.month, key)
        if why:
            return None, why
        value = self.kpi(key)
        if value is None:  # a reason about the month before names it ("No MQLs in February 2026.")
            before = date_format((Month.of(self.month) - 1).first_day, "YEAR_MONTH_FORMAT")
            return value, null_reason(figure(key), self.values, before=before)
        return value, self.partial_note(key, value) or self.nurture_note(key) or self.running_note(key)

    def running_note(self, key: str) -> str:
        """A return of the month in progress before its first customer (ROMI −100 % on the 7th): says so."""
        if key in RUNNING_RETURN_FIGURES and self.in_progress and not self.kpi("customers"):
            return no_customer_yet_note()
        return ""


def card_as_shown(card: Scorecard, *, hidden: frozenset[dt.date], documents: dict[dt.date, dict[str, Any]]) -> Scorecard:
    """The scorecard as a viewer sees it (kpis.visibility): months ``hidden`` are left out, and a
    month in ``documents`` carries that document (its approved version) instead of the computed one."""
    history = {}
    for month, snapshot in card.history.items():
        if month in hidden:
            continue
        if month in documents:
            snapshot = document_shown(copy.copy(snapshot), documents[month])
        history[month] = snapshot
    return replace(card, snapshot=history.get(card.month), history=history)


def document_shown(snapshot: Any, document: dict[str, Any]) -> Any:
    """``snapshot`` carrying an approved ``document``, with that document's time of computing: "figures
    as of" (the page, the PDF) is when the approved figures were computed, not the last recompute."""
    snapshot.document = document
    with contextlib.suppress(KeyError, TypeError, ValueError):  # none is written without its time: else the row's
        snapshot.computed_at = dt.datetime.strptime(document["computed_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    return snapshot


def target_status(key: str, value: float | None, target: float | None) -> bool | None:
    """Met when at or past the target in the good direction; None without a value or a target."""
    if value is None or target is None:
        return None
    return value <= target if kpi(key).better == Better.DOWN else value >= target


# One line saying why a group is hidden when none of its figures has a value this month.
EMPTY_REASONS = {
    "traffic": _("No website traffic data for this month."),
    "funnel": _("No leads for this month."),
    "email": _("No email data for this month."),
    "cost_and_revenue": _("No spend or revenue data for this month."),
    "paid_media": _("No ad platform data for this month."),
    "recurring_revenue_and_value": _("No contract data for this month."),
}
# What staff read instead, where there is something for them to do (a client cannot import).
EMPTY_REASONS_STAFF = {
    "paid_media": _("No ad platform data for this month: connect Google Ads, Meta or LinkedIn, or import their exports "
                    "(or a spend file with a platform column), on the Imports page."),
}


def empty_reason(group: str, *, staff: bool) -> str:
    """Why a group has no figure this month, worded for its reader: staff are told what to do."""
    return str((staff and EMPTY_REASONS_STAFF.get(group)) or EMPTY_REASONS.get(group, ""))


def media_without_delivery(card: Scorecard) -> float | None:
    """The month's media spend when it was loaded as totals only (spend rows without a platform, so no
    impressions or clicks: the demo's Acme): None when there is an ad row, or no media spend to name,
    or spend is not loaded (kpis.nospend)."""
    if card.snapshot is None or card.snapshot.document.get("breakdowns", {}).get("platform"):
        return None
    media, _reason = card.shown("media_spend")
    return media if media else None


def paid_empty_reason(card: Scorecard, *, currency: str, staff: bool) -> str:
    """Why Paid media is empty, worded for its reader: when media spend was loaded without the ad
    platforms' delivery, what is there and what is missing (staff: how to get it), not "no data"
    beside the tiles' media spend."""
    media = media_without_delivery(card)
    if media is None:
        return empty_reason("paid_media", staff=staff)
    amount = {"amount": format_value("media_spend", media, currency)}
    if staff:
        return gettext(
            "%(amount)s of media spend is loaded for this month as totals, without the ad platforms' delivery "
            "(impressions, clicks): connect Google Ads, Meta or LinkedIn, or import their exports."
        ) % amount
    return gettext(
        "%(amount)s of media spend is recorded for this month as a total only, without the ad platforms' "
        "impressions and clicks, so there is nothing to show by platform."
    ) % amount


# The funnel rates kpis.md defines as this month's later stage over this month's earlier one: different
# leads, so each can pass 100 % (a lead that reached the earlier stage in an earlier month).
OVER_100_NOTES = {
    "qualified_lead_rate": _("Above 100 %: this month's MQLs include leads created in earlier months."),
    "mql_to_sql_rate": _("Above 100 %: this month's SQLs include leads that became MQLs in earlier months."),
    "sal_rate": _("Above 100 %: this month's SALs include leads that became SQLs in earlier months."),
    "sql_to_customer_rate": _(
        "Above 100 %: this month's customers include leads that became SQLs in earlier months."
    ),
    "lead_to_customer_rate": _(
        "Above 100 %: this month's customers include leads created in earlier months."
    ),
}


def over_100_note(key: str, value: float | None) -> str:
    """Why a funnel rate can read 148 %: the month's later stage over the month's earlier one are
    different leads (kpis.md), said on the tile itself when it passes 100 % — its definition is a
    hover a phone does not have, and the criteria editor's backtest shows a cohort share under a
    similar name."""
    if key not in OVER_100_NOTES or value is None or value <= 1:
        return ""
    return str(OVER_100_NOTES[key])


def working_days_note(card: Scorecard, key: str, value: float | None) -> str:
    """What growth needed per working day is worked out from, beside it: "Working days: 21 in November
    2026, 22 in October 2026." It shows no change (a calendar ratio, Kpi.compared); with the two months'
    days a reader sees at a glance why 4.8 % more leads a day are needed, and that it is no result."""
    if key != "growth_needed_per_working_day" or value is None:
        return ""
    days = card.kpi("working_days")
    if not days:
        return ""
    before = round((1 + value) * days)  # the formula's inverse: (days before / days) − 1
    month = Month.of(card.month)
    return gettext("Working days: %(days)s in %(month)s, %(before)s in %(previous)s.") % {
        "days": number_shown(days, 0), "month": date_format(month.first_day, "YEAR_MONTH_FORMAT"),
        "before": number_shown(before, 0), "previous": date_format((month - 1).first_day, "YEAR_MONTH_FORMAT"),
    }


def roas_note(card: Scorecard, key: str, value: float | None, currency: str) -> str:
    """Over which ad spend the ROAS is worked out, when part of it reports no conversion value:
    Umbrella read Ad spend €15,000.15, Conversion value €78,642.90 and ROAS 9.95 (only Google Ads'
    €7,902.80 gives a value, kpis.md), and a client who divides gets 5.24. "" when all of it does."""
    if key != "roas" or not value or card.snapshot is None:
        return ""
    document = card.snapshot.document
    figures = document.get("kpis") or {}
    ad_spend, conversion_value = figures.get("ad_spend"), figures.get("conversion_value")
    if not ad_spend or not conversion_value:
        return ""
    valued = conversion_value / value  # the spend of the rows that give a value (roas = value ÷ that spend)
    if valued >= ad_spend * 0.995:
        return ""
    platforms = document.get("breakdowns", {}).get("platform", {})
    without = [member_label("platform", member) for member, row in sorted(  # as the cards: by spend
        platforms.items(), key=lambda item: -(item[1].get("ad_spend") or 0))
        if (row.get("ad_spend") or 0) > 0 and row.get("conversion_value") is None]
    note = gettext("ROAS is worked out over the %(valued)s of ad spend that reports a conversion value, of %(spend)s in "
                   "all") % {"valued": format_value("ad_spend", valued, currency),
                            "spend": format_value("ad_spend", ad_spend, currency)}
    if without:
        return gettext("%(note)s (no conversion value from %(platforms)s).") % {"note": note,
                                                                               "platforms": ", ".join(without)}
    return f"{note}."


def pace_text(card: Scorecard, key: str, value: float | None, currency: str) -> str:
    """For the month in progress: "on pace for 1,240 by month end" (counts and sums only)."""
    projected = card.period.projected(key, value) if card.in_progress else None
    if projected is None:
        return ""
    return gettext("on pace for %(value)s by month end") % {"value": format_value(key, projected, currency)}


# The reference rates a band conversion uses: per currency, its units per 1 EUR and the date of that rate.
BandRates = dict[str, tuple[Decimal, dt.date]]


def band_conversion(band: Any, *, currency: str, rates: BandRates | None) -> tuple[Decimal, dt.date] | None:
    """How a money band in another currency reaches the client's: (client units per 1 band unit, the
    reference date used), through the euro (sources.md "Currencies"). ``rates`` holds, per currency,
    its units per 1 EUR on or before the month's last day within the 7-day rule (EUR may be absent);
    None when a rate is missing: the band is then not shown. Pure: the caller reads the rates."""
    source, target = (band.currency or "").upper(), currency.upper()
    rates = rates or {}
    legs = []
    for code in (source, target):
        if code == "EUR":
            legs.append(None)
        elif code in rates:
            legs.append(rates[code])
        else:
            return None
    known = [leg for leg in legs if leg is not None]
    if not known:
        return None
    source_per_euro = legs[0][0] if legs[0] else Decimal(1)
    target_per_euro = legs[1][0] if legs[1] else Decimal(1)
    return target_per_euro / source_per_euro, min(leg[1] for leg in known)


def benchmarks_that_fit(
    bands: list[Any], *, currency: str, industry: str = "", rates: BandRates | None = None, platform: str = ""
) -> list[Any]:
    """The bands a client may be compared with: a money band in the client's currency, or in another
    when ``rates`` convert it (the agency's reference rates, see band_conversion); a rate or count
    anywhere; the client's own industry's bands when there are any, else the general ones (no
    industry); another industry's never. ``platform``: the bands of that ad platform (its card in
    the report's paid media); without one, only the bands of no platform (the client's figure)."""

    def fits(band: Any) -> bool:
        if band.unit != Unit.MONEY.value or (band.currency or "").upper() == currency.upper():
            return True
        return band_conversion(band, currency=currency, rates=rates) is not None

    fitting = [b for b in bands if fits(b) and getattr(b, "platform", "") == platform]
    own = [b for b in fitting if industry and getattr(b, "industry", "") == industry]
    return own or [b for b in fitting if not getattr(b, "industry", "")]


def rate_shown(rate: Decimal) -> str:
    """A conversion rate as the locale writes it, to four significant digits (0.92, 1,087, 17.35)."""
    if not rate:
        return number_format(0, 0)
    rounded = rate.quantize(Decimal(1).scaleb(rate.adjusted() - 3), rounding=ROUND_HALF_UP).normalize()
    return number_format(rounded, max(0, -rounded.as_tuple().exponent), force_grouping=True)


def band_range(key: str, low: float | None, high: float | None, *, factor: float = 1.0, currency: str) -> str:
    """A band's range in words when one end is open ("at least 50.0 %", "up to €12.00"), not
    "50.0 %–…": the PDF spells the ellipsis out as "...", and a reader takes either for text cut off."""
    shown = [format_value(key, v * factor, currency) if v is not None else None for v in (low, high)]
    if shown[0] is not None and shown[1] is not None:
        return f"{shown[0]}–{shown[1]}"
    if shown[0] is not None:
        return gettext("at least %(value)s") % {"value": shown[0]}
    if shown[1] is not None:
        return gettext("up to %(value)s") % {"value": shown[1]}
    return ""


def benchmark_shown(key: str, band: Any, *, currency: str, rates: BandRates | None) -> dict[str, str]:
    """One band for the tile: its range in the client's currency and, when converted, a line saying
    from what, at which rate and of which date."""
    source = (band.currency or "").upper()
    factor, note = 1.0, ""
    if band.unit == Unit.MONEY.value and source and source != currency.upper():
        converted = band_conversion(band, currency=currency, rates=rates)
        if converted is not None:  # benchmarks_that_fit already dropped the bands without a rate
            factor = float(converted[0])
            note = gettext("converted from %(currency)s at %(rate)s on %(date)s") % {
                "currency": source,
                "rate": rate_shown(converted[0]),
                "date": converted[1].isoformat(),
            }
    shown_in = currency if note or band.unit != Unit.MONEY.value else (band.currency or currency)
    # The shipped bands' words are in the catalogue (portfolio.seed, their Spanish in the .po):
    # translated like every other word; a band the agency wrote stays as written.
    return {
        "label": gettext(band.label) if band.label else "",
        "source": gettext(band.source_name) if band.source_name else "",
        "url": band.source_url,
        "band": band_range(key, band.low, band.high, factor=factor, currency=shown_in),
        "converted": note,
    }


def tiles(
    card: Scorecard, *, currency: str, benchmarks: dict[str, list], industry: str = "", rates: BandRates | None = None,
    staff: bool = False,
) -> list[dict[str, Any]]:
    """The tiles of every group for the template. While the month runs there is no change against
    a complete month and no target verdict: counts show their pace to the month's end instead.
    ``staff``: the reader is agency staff (an empty group then says what to import).
    ``rates``: the reference rates of the month's last day (kpis.selectors.benchmark_rates)
    that convert money bands in other currencies."""
    card = replace(card, staff=staff) if card.staff != staff else card  # its reasons worded for the reader
    months = [(Month.of(card.month) - 11 + i).first_day for i in range(12)]
    marks = [
        {"x": f"{months.index(note.month) * 120 / 11:.1f}", "text": f"{Month.of(note.month)}: {note.text}"}
        for note in card.annotations
        if note.month in months
    ]
    groups = []
    for group in GROUPS:
        group_tiles = []
        for declared in kpis_in(group.key):
            key = declared.key
            value, reason = card.shown(key)
            previous = card.kpi_known(card.compare_to, key)  # an unmatched 0, or one of no spend, is no base
            series = [card.kpi_charted(m, key) for m in months]
            group_tiles.append(
                {
                    "key": key,
                    "label": declared.label,
                    "definition": declared.definition,
                    "value": value,
                    "shown": format_value(key, value, currency),
                    "reason": reason,
                    "change": None if card.in_progress else change_shown(
                        key, value, previous, first=card.first_month, compare=card.compare_to,
                        before_why=card.compared_why(key) if previous is None and value is not None else "",
                    ),
                    "pace": pace_text(card, key, value, currency),
                    "note": over_100_note(key, value) or working_days_note(card, key, value)
                    or roas_note(card, key, value, currency),
                    "spark": sparkline(series).split("|") if sparkline(series) else [],
                    "marks": marks,
                    "target": None if key not in card.targets else format_value(key, card.targets[key], currency),
                    "met": None if card.in_progress else target_status(key, value, card.targets.get(key)),
                    "benchmarks": (
                        shown := [
                            benchmark_shown(key, b, currency=currency, rates=rates)
                            for b in benchmarks_that_fit(
                                benchmarks.get(key, []), currency=currency, industry=industry, rates=rates
                            )
                        ]
                    ),
                    # The KPI's bands are all of other industries: say so, rather than nothing.
                    "no_industry_benchmark": not shown
                    and bool(benchmarks.get(key))
                    and all(getattr(b, "industry", "") not in ("", industry) for b in benchmarks.get(key, [])),
                }
            )
        said: set[str] = set()  # a reason said under a change once a group (Acme's seven revenue rows had it seven times)
        for shown_tile in group_tiles:
            why = (shown_tile["change"] or {}).get("why")
            if why:
                shown_tile["change"]["said_above"] = why in said
                said.add(why)
        groups.append(
            {
                "id": group.key,
                "title": group.title,
                "tiles": group_tiles,
                "empty": all(not t["value"] for t in group_tiles),
                "empty_reason": (
                    paid_empty_reason(card, currency=currency, staff=staff)
                    if group.key == "paid_media"
                    # No row of the group's source in the month (kpis.nodata): the tiles' own reason.
                    else next((t["reason"] for t in group_tiles if t["reason"] and figure_source(t["key"])), "")
                    or empty_reason(group.key, staff=staff)
                ),
                # Staff get the link to Imports where delivery is connected or uploaded (a client cannot).
                "empty_fix": staff and group.key == "paid_media" and media_without_delivery(card) is not None,
            }
        )
    return groups


def value_note(tile: dict[str, Any]) -> str:
    """What a tile says beside its value (a revenue figure counting some customers only, nurture leads no
    campaign is marked for, a funnel rate above 100 %): a note on a value, "" for a figure without one
    (its ``reason`` then says why there is none). The CSV and the PDF keep the two apart."""
    if tile.get("value") is None:
        return ""
    return " ".join(str(text) for text in (tile.get("reason"), tile.get("note")) if text)


def breakdown_cell(key: str, row: dict[str, Any], currency: str, *, staff: bool = False) -> dict[str, str]:
    """A breakdown_rows cell as shown: an unmatched count of CRM leads says so, a cost of a client
    without spend loaded too, else row_cell_shown. ``staff``: the reader is agency staff (no_spend_reason)."""
    if key in row.get("unmatched", ()):
        return {"text": "—", "reason": unlinked_reason()}
    if key in row.get("no_spend", ()):
        return {"text": "—", "reason": no_spend_reason(staff=staff)}
    if key in row.get("no_device", ()):
        return {"text": "—", "reason": no_device_reason(row["leads_without_device"])}
    if key in row.get("no_traffic", ()):
        return {"text": "—", "reason": not_loaded_reason("traffic", staff=staff)}
    if key in row.get("unpriced", ()):
        return {"text": "—", "reason": row_unpriced_reason()}
    shown = row_cell_shown(key, row, currency)
    if key in ROW_REVENUE_FIGURES and row.get(key) is not None and (note := row_partial_note(row)):
        return {**shown, "note": note}  # on hover; the row says it once under its name
    return shown


# A breakdown row's figures summed from traffic rows, and those over its customers' deal values
# (kpis.nodata: "—" with the reason when the month has no traffic row, or the row's customers no deal value).
ROW_TRAFFIC_FIGURES = frozenset({"sessions", "traffic_to_lead", "bounce_rate", "landing_page_conversion_rate",
                                 "form_submissions"})
ROW_REVENUE_FIGURES = frozenset({"revenue", "roi"})


def partial_text(unpriced: int, customers: int, *, row: bool = False) -> str:
    """"Partial: 1 of the 3 new customers has no deal value, so this figure counts only the others.": a
    revenue figure counting only the customers with a deal value (kpis.nodata), as a tile says it
    (``row``: a breakdown row's, whose revenue and ROI both do); "" when every customer has one."""
    unpriced = min(unpriced, customers)
    if not unpriced:
        return ""
    counts = {
        "count": number_shown(unpriced, 0, force_grouping=True),
        "customers": number_shown(customers, 0, force_grouping=True),
    }
    if row:
        return ngettext(
            "Partial: %(count)s of the %(customers)s new customers has no deal value, so this row's revenue and ROI "
            "count only the others.",
            "Partial: %(count)s of the %(customers)s new customers have no deal value, so this row's revenue and ROI "
            "count only the others.",
            unpriced,
        ) % counts
    return ngettext(
        "Partial: %(count)s of the %(customers)s new customers has no deal value, so this figure counts only "
        "the others.",
        "Partial: %(count)s of the %(customers)s new customers have no deal value, so this figure counts only "
        "the others.",
        unpriced,
    ) % counts


def row_partial_note(row: dict[str, Any]) -> str:
    """A breakdown row (channel, campaign) whose revenue and ROI count only some of its new customers,
    the others without a deal value: the tiles' partial note (``partial_text``), from the count the
    snapshot stores per member (``unpriced_customers``). "" when they count them all, when none has a
    deal value (those figures then read —, ``row_unpriced_reason``), for a dimension without revenue,
    and for a document computed before the count was stored (it cannot tell)."""
    unpriced, customers = row.get("unpriced_customers"), row.get("customers")
    if not unpriced or not customers or row.get("unpriced"):
        return ""
    if all(row.get(key) is None for key in ROW_REVENUE_FIGURES):
        return ""
    return partial_text(int(unpriced), int(customers), row=True) if int(unpriced) < customers else ""


def no_device_reason(leads: int) -> str:
    """Why a device's new leads and traffic → lead read — when none of the month's new leads records a
    device (kpis.nodevice): their 0 is kpis.md's, not a fact. Said once under the table, so it names no row."""
    return ngettext(
        "This month's only new lead records no device (its source does not send one): new leads and "
        "traffic → lead by device are unknown, not 0.",
        "None of this month's %(leads)s new leads records a device (their source does not send one): new leads "
        "and traffic → lead by device are unknown, not 0.",
        leads,
    ) % {"leads": number_shown(leads, 0, force_grouping=True)}


def left_out_note(snapshot: Snapshot | None, dimension: str) -> str:
    """Under the device or persona table: how many of the month's new leads it leaves out (kpis.md leaves
    out a lead without a device, or matching no persona; kpis.nodevice). "" otherwise, and for a device
    table none of whose leads records a device (each of its "—" then says why)."""
    if dimension not in ("device", "persona"):
        return ""
    found = leads_left_out(snapshot.document if snapshot else None, dimension)
    if not found or (dimension == "device" and found[0] == found[1]):
        return ""
    left_out, leads = found
    counts = {"count": number_shown(left_out, 0, force_grouping=True), "leads": number_shown(leads, 0, force_grouping=True)}
    if dimension == "persona":
        if left_out == leads:
            return ngettext(
                "This month's only new lead matches no persona, so this table has none of this month's new leads.",
                "None of this month's %(leads)s new leads matches a persona, so this table has none of this month's "
                "new leads.",
                leads,
            ) % counts
        return ngettext(
            "%(count)s of this month's %(leads)s new leads matches no persona: it is left out of this table.",
            "%(count)s of this month's %(leads)s new leads match no persona: they are left out of this table.",
            left_out,
        ) % counts
    return ngettext(
        "%(count)s of this month's %(leads)s new leads records no device (its source does not send one): it is "
        "left out of this table's new leads and traffic → lead.",
        "%(count)s of this month's %(leads)s new leads record no device (their source does not send one): they "
        "are left out of this table's new leads and traffic → lead.",
        left_out,
    ) % counts


def row_unpriced_reason() -> str:
    """Why a breakdown row's revenue reads — when its customers have no deal value (kpis.nodata); said
    once under a PDF table, so it names no row's count."""
    return gettext("The new customers of this row have no deal value: its revenue is unknown, not zero.")


def breakdown_rows(
    snapshot: Snapshot | None, dimension: str, *, sort: str, descending: bool, has_spend: bool = True,
    traffic_loaded: bool = True,
) -> tuple[list[str], list[dict]]:
    """One breakdown of one month's snapshot as table rows, sorted on the server; undefined values last.
    ``has_spend``: the client had spend loaded up to the month's end (kpis.nospend); else its costs
    have no value (sorted last, no bar) and breakdown_cell says why. ``traffic_loaded``: the month has a
    traffic row (kpis.nodata); else the rows' sessions and traffic rates have none either."""
    keys = list(BREAKDOWN_KEYS[dimension])
    members = snapshot.document["breakdowns"].get(dimension, {}) if snapshot else {}
    rows = [{"member": member, **{k: figures.get(k) for k in keys}} for member, figures in members.items()]
    # No new lead of the month records a device: each device's 0 new leads is kpis.md's, not a fact
    # (kpis.nodevice). The value stays (the CSV keeps it); breakdown_cell shows "—" and why.
    unrecorded = device_leads_unknown(snapshot.document) if dimension == "device" and snapshot else None
    if unrecorded:
        for row in rows:
            row.update(no_device=DEVICE_LEAD_FIGURES & set(keys), leads_without_device=unrecorded)
    for row, figures in zip(rows, members.values(), strict=True):
        if "unpriced_customers" in figures:  # channel and campaign rows of a document that stores it
            row["unpriced_customers"] = figures["unpriced_customers"]
        # A count of the CRM's leads by campaign in a month whose leads name none: no value (sorted
        # last, no bar), and breakdown_cell says why (kpis.unmatched).
        unmatched = {k for k in keys if figure_unmatched(snapshot.document, k, figures=figures, place=dimension)}
        if unmatched:
            row.update(dict.fromkeys(unmatched), unmatched=unmatched)
        no_spend = {k for k in keys if spend_figure_unknown(k, has_spend=has_spend)}
        if no_spend:
            row.update(dict.fromkeys(no_spend), no_spend=no_spend)
        # No traffic row in the month, or the row's customers without a deal value (kpis.nodata).
        no_traffic = set() if traffic_loaded else {k for k in keys if k in ROW_TRAFFIC_FIGURES}
        priced = not figures.get("customers") or figures.get("revenue") != 0
        unpriced = set() if priced else {k for k in keys if k in ROW_REVENUE_FIGURES}
        if no_traffic or unpriced:
            row.update(dict.fromkeys(no_traffic | unpriced), no_traffic=no_traffic, unpriced=unpriced)
    if sort == "member" or sort not in keys:
        rows.sort(key=lambda r: r["member"], reverse=descending)
    else:
        present = [r for r in rows if r[sort] is not None]
        missing = [r for r in rows if r[sort] is None]  # undefined values last, whatever the direction
        rows = sorted(present, key=lambda r: r[sort], reverse=descending) + missing
    return keys, rows


def _every_row(reason: str) -> str:
    """A row's reason (row_cell_shown) as said of every row of a table, under it."""
    for key, text in {**ROW_REASONS, **ROW_FIGURE_REASONS}.items():  # a cell may join two ("No sessions … No …")
        reason = reason.replace(str(text), str(ROW_REASONS_EVERY_ROW[key]))
    reason = reason.replace(gettext("Its ad platform data gives no conversions or conversion value."),
                            gettext("The rows' ad platform data gives no conversions or conversion value."))
    reason = reason.replace(str(NO_AD_ROWS), str(NO_AD_ROWS_ANY))
    reason = reason.replace(row_unpriced_reason(), gettext(
        "None of the rows' new customers has a deal value: their revenue is unknown, not zero."))
    head, _definition, tail = gettext("Cannot be worked out for this row (%(definition)s)").partition("%(definition)s")
    if reason.startswith(head) and reason.endswith(tail):
        return gettext("Cannot be worked out for any row (%(definition)s)") % {
            "definition": reason[len(head) : len(reason) - len(tail)]}
    return reason


def _some_rows(reason: str, count: int) -> str:
    """A row's reason (row_cell_shown) as said under a table of ``count`` of its rows, not all."""
    for key, text in {**ROW_REASONS, **ROW_FIGURE_REASONS}.items():
        reason = reason.replace(str(text), ROW_REASONS_SOME_ROWS[key] % {"count": count})
    reason = reason.replace(gettext("Its ad platform data gives no conversions or conversion value."), ngettext(
        "The ad platform data of %(count)s row gives no conversions or conversion value.",
        "The ad platform data of %(count)s rows gives no conversions or conversion value.", count) % {"count": count})
    reason = reason.replace(str(NO_AD_ROWS), ngettext(
        "No ad platform data for %(count)s campaign: its ad figures (impressions, clicks, conversions) are unknown.",
        "No ad platform data for %(count)s campaigns: their ad figures (impressions, clicks, conversions) are unknown.",
        count) % {"count": count})
    reason = reason.replace(row_unpriced_reason(), ngettext(
        "The new customers of %(count)s row have no deal value: its revenue is unknown, not zero.",
        "The new customers of %(count)s rows have no deal value: their revenue is unknown, not zero.",
        count) % {"count": count})
    head, _definition, tail = gettext("Cannot be worked out for this row (%(definition)s)").partition("%(definition)s")
    if reason.startswith(head) and reason.endswith(tail):
        return ngettext("Cannot be worked out for %(count)s row (%(definition)s)",
                        "Cannot be worked out for %(count)s rows (%(definition)s)", count) % {
            "count": count, "definition": reason[len(head) : len(reason) - len(tail)]}
    return reason


def _reason_parts(reason: str) -> list[str]:
    """A cell's reason as the row reasons it joins ("No sessions in this row. No new leads in this row."),
    each counted over the rows on its own; any other reason whole."""
    parts = sorted((str(t) for t in ROW_REASONS.values() if str(t) in reason), key=reason.index)
    rest = reason
    for part in parts:
        rest = rest.replace(part, "")
    return parts if parts and not rest.strip() else ([reason] if reason else [])


def dashes_said(rows: Iterable[Iterable[dict[str, Any]]], more_cells: Iterable[dict[str, Any]] = ()) -> list[str]:
    """The reasons of a table's "—" cells as said once each under it (a phone and paper have no hover):
    a row's reason ("No sessions in this row." on hover) of the rows that have it — "No sessions in 2
    rows.", "No sessions in any row." when every row of a table of several does; in a table of one row,
    as it stands. ``rows``: each row's cells; ``more_cells`` (a total row): their reasons as they stand.
    "En esta fila" under a table of seven channels said of one row what was true of three."""
    rows = [list(cells) for cells in rows]
    holding: dict[str, set[int]] = {}
    for index, cells in enumerate(rows):
        for cell in cells:
            for part in _reason_parts(str(cell.get("reason") or "")):
                holding.setdefault(part, set()).add(index)
    said = [
        reason if len(rows) < 2 else _every_row(reason) if len(indexes) == len(rows) else _some_rows(reason, len(indexes))
        for reason, indexes in holding.items()
    ]
    said += [str(cell["reason"]) for cell in more_cells if cell.get("reason")]
    return list(dict.fromkeys(said))


def blank_columns_dropped(columns: list[Any], rows: list[dict[str, Any]]) -> tuple[list[Any], list[dict[str, Any]], str]:
    """A drill-down table without its columns that read "—" in every row, and the line that says so.

    A client without the ad platforms' delivery got a campaign table of seven columns of dashes
    (impressions, clicks, CTR, CPC, conversions, cost per conversion, ROAS) on the page and two
    such tables in the PDF. They are left out and named once, with why, under the table; the CSV keeps
    every column (a machine reads it). ``rows`` as breakdown_cell shows them (``cells`` in ``columns``' order).
    A table of one row keeps its cells: a dash there, its reason under the table, is no column of dashes."""
    if len(rows) < 2:
        return columns, rows, ""
    blank = [i for i in range(len(columns)) if all(row["cells"][i]["text"] == "—" for row in rows)]
    if not blank:
        return columns, rows, ""
    kept = [i for i in range(len(columns)) if i not in blank]
    reasons = dict.fromkeys(str(row["cells"][i]["reason"]) for i in blank for row in rows if row["cells"][i]["reason"])
    if str(NO_AD_ROWS) in reasons:  # said of every campaign at once, not "this campaign"
        reasons = {str(NO_AD_ROWS_ANY) if reason == str(NO_AD_ROWS) else reason: None for reason in reasons}
    reasons = {_every_row(reason): None for reason in reasons}  # "No sessions in any row.", not "in this row"
    names = ", ".join(_label_text(columns[i]) for i in blank)
    note = gettext("Not shown, as no row has a value this month: %(columns)s.") % {"columns": names}
    return (
        [columns[i] for i in kept],
        [{**row, "cells": [row["cells"][i] for i in kept]} for row in rows],
        " ".join([note, *reasons]),
    )


def _label_text(column: Any) -> str:
    """A column as the page passes it ((key, label)) or as the PDF does (its label)."""
    return str(column[1] if isinstance(column, tuple) else column)


def reading_order(label: str) -> tuple[bool, str]:
    """A breakdown's member in words as a reader looks it up: alphabetical in the reader's language,
    accents aside ("Búsqueda orgánica" among the b's), "Not attributed" last. Sorted by their codes,
    a Spanish channel list or a campaign list (by id) read in no order a reader could follow."""
    plain = unicodedata.normalize("NFKD", str(label).casefold()).encode("ascii", "ignore").decode()
    return str(label) == str(UNKNOWN_MEMBER), plain


# The drill-downs, in the page's order and words (the page's buttons, the PDF's tables).
DIMENSION_LABELS = {
    "channel": _("Channel"),
    "device": _("Device"),
    "persona": _("Persona"),
    "campaign": _("Campaign"),
    "platform": _("Ad platform"),
    "landing_page": _("Landing page"),
    "social_network": _("Social network"),
    "segment": _("Contract segment"),
}


def drilldown_tables(
    snapshot: Snapshot | None, *, currency: str, names: dict[str, str], has_spend: bool = True,
    persona_names: dict[str, str] | None = None, traffic_loaded: bool = True,
) -> list[dict[str, Any]]:
    """Every drill-down of the month as the page's tables show them before a sort is chosen: members
    in words (``names``: campaign ids to names; ``persona_names``: persona codes to names), values in
    the KPI's format, "—" with its reason. For the PDF, which cannot open them one at a time as the page does."""
    by_dimension = {"campaign": names, "persona": persona_names}
    tables = []
    for dimension, title in DIMENSION_LABELS.items():
        keys, rows = breakdown_rows(
            snapshot, dimension, sort="member", descending=False, has_spend=has_spend, traffic_loaded=traffic_loaded
        )
        if dimension == "segment" and not rows:  # no contract known: no table of "Nothing this month."
            continue
        shown = [
            {
                "member": member_label(dimension, r["member"], by_dimension.get(dimension)),
                "cells": [breakdown_cell(k, r, currency) for k in keys],
                "note": row_partial_note(r),
            }
            for r in rows
        ]
        fractional_counts_aligned(keys, rows, shown)
        shown.sort(key=lambda row: reading_order(row["member"]))
        columns, shown, blank_note = blank_columns_dropped([str(figure(k).label) for k in keys], shown)
        tables.append({
            "dimension": dimension, "title": title, "columns": columns, "rows": shown, "blank_note": blank_note,
            "left_out_note": left_out_note(snapshot, dimension),  # the month's leads without a device or persona
        })
    return tables


def funnel_labels() -> tuple[tuple[str, Any], ...]:
    """The funnel's steps and their labels in the chart (the catalogue's ``funnel`` and ``funnel_label``)."""
    return tuple((k.key, k.funnel_label or k.label) for k in funnel_kpis())


SEGMENT_FIGURES = (
    "contract_ltv",
    "retainer_ltv",
    "retainer_base_value",
    "early_cancel_rate",
    "served_fraction_when_cancelled",
    "contraction_factor",
    "renewal_rate",
    "expected_terms",
    "project_ltv",
    "repeat_rate",
    "expected_projects",
)


DERIVED = ("retainer_base_value", "served_fraction_when_cancelled")  # worked out from the snapshot


def retainer_explained(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures of a snapshot (or a segment) plus the two that explain retainer_ltv.

    kpis.md defines retainer_ltv = mean fee × mean term × f × expected_terms with
    f = 1 − early_cancel_rate × (1 − served fraction). The snapshot keeps retainer_ltv, f,
    expected_terms and early_cancel_rate, so the base (mean fee × mean term) and the served
    fraction follow exactly; the served fraction is undefined when nothing was cancelled early.
    """
    ltv, factor, terms, early = (
        figures.get(key) for key in ("retainer_ltv", "contraction_factor", "expected_terms", "early_cancel_rate")
    )
    base = ltv / (factor * terms) if None not in (ltv, factor, terms) and factor * terms else None
    served = None
    if early and factor is not None:
        served = min(1.0, max(0.0, 1 - (1 - factor) / early))
    return {**figures, "retainer_base_value": base, "served_fraction_when_cancelled": served}


def funnel_steps(card: Scorecard) -> list[dict[str, Any]]:
    """Sessions → leads → MQLs → SQLs → customers with each step's rate and a bar width."""
    values = [(key, label, card.kpi(key) or 0) for key, label in funnel_labels()]
    top = max((v for _k, _l, v in values), default=0) or 1
    steps = []
    for index, (key, label, value) in enumerate(values):
        before = values[index - 1][2] if index else None
        rate = None if before in (None, 0) else value / before
        # No traffic loaded for the month (kpis.nodata): its sessions are "—", not a step of 0.
        unknown = card.snapshot is not None and card.not_fact(card.month, key)
        steps.append(
            {
                "key": key,
                "label": label,
                "value": "—" if unknown else number_shown(value, 0, force_grouping=True),
                "reason": card.not_fact(card.month, key) if unknown else "",
                "rate": None if rate is None else share_shown(rate),
                "width": max(2, round(value / top * 100)),
            }
        )
    return steps


def _panel_cell(card: Scorecard, key: str, currency: str) -> dict[str, str]:
    """A figure of the value panel as the tiles show it: a cost without spend loaded says so (kpis.nospend)."""
    value, reason = card.shown(key)
    return {"text": format_value(key, value, currency), "reason": reason} if reason else cell_shown(
        key, card.kpi(key), currency, values=card.values
    )


def lifetime_value_panel(card: Scorecard, *, currency: str) -> dict[str, Any]:
    """The contract value and its churn factors per segment, beside CLTV, CAC, LTV:CAC and payback."""
    segments = card.snapshot.document["breakdowns"].get("segment", {}) if card.snapshot else {}
    rows = [
        {
            "segment": member_label("segment", name),
            "cells": [cell_shown(key, explained.get(key), currency, values=explained) for key in SEGMENT_FIGURES],
        }
        for name, explained in ((name, retainer_explained(figures)) for name, figures in sorted(segments.items()))
    ]
    rows.sort(key=lambda row: reading_order(row["segment"]))  # in the reader's words' order, not the codes'
    side_by_side = [
        (kpi(key).label, _panel_cell(card, key, currency))
        for key in ("contract_ltv", "cltv", "cac", "ltv_to_cac", "cac_payback_months", "cpl")
    ]
    return {
        "columns": [figure(key).label for key in SEGMENT_FIGURES],
        "rows": rows,
        "side_by_side": side_by_side,
        "total": [cell_shown(key, card.kpi(key), currency, values=card.values) for key in SEGMENT_FIGURES],
    }
