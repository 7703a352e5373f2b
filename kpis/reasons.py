"""Why a figure reads "—", or what a 0 does not mean, in the words of its reader.

Staff read what to import or connect; a client reads what the gap means for its report. A breakdown
row's reason comes from the row's own figures, never the month's (the two contradicted each other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kpis.catalogue import (
    NO_CUSTOMERS,
    NO_MQLS,
    NO_NEW_LEADS,
    NO_SESSIONS,
    NO_SPEND,
    NO_SQLS,
)
from kpis.formatting import figure, format_value, number_shown
from kpis.nodata import (
    LANDING_FIGURES,
    figure_source,
    landing_pages_unnamed,
    lead_figure_unknown,
    never_sent,
    never_sent_kind,
    revenue_figure_unknown,
    source_loaded,
)
from kpis.unmatched import LINKED


@dataclass(frozen=True)
class RowWords:
    """What a breakdown's row is, in words: a client does not think in rows, but in channels, campaigns,
    devices… Each of its reasons names its row's kind: ``this`` ("this channel"), ``these`` ("these
    channels": every row of a table), ``any`` ("any channel", after a negation: "No sessions for any
    channel."; Spanish "ningún canal") and ``count`` ("2 channels", of some rows)."""

    this: Any
    these: Any
    any: Any
    count: Any  # ngettext_lazy keyed on "count"

    def counted(self, count: int) -> str:
        return self.count % {"count": count}


ROW_WORDS: dict[str, RowWords] = {
    "channel": RowWords(pgettext_lazy("breakdown row", "this channel"), pgettext_lazy("breakdown row", "these channels"),
                        pgettext_lazy("breakdown row", "any channel"),
                        ngettext_lazy("%(count)s channel", "%(count)s channels", "count")),
    "device": RowWords(pgettext_lazy("breakdown row", "this device"), pgettext_lazy("breakdown row", "these devices"),
                       pgettext_lazy("breakdown row", "any device"),
                       ngettext_lazy("%(count)s device", "%(count)s devices", "count")),
    "persona": RowWords(pgettext_lazy("breakdown row", "this persona"), pgettext_lazy("breakdown row", "these personas"),
                        pgettext_lazy("breakdown row", "any persona"),
                        ngettext_lazy("%(count)s persona", "%(count)s personas", "count")),
    "campaign": RowWords(pgettext_lazy("breakdown row", "this campaign"),
                         pgettext_lazy("breakdown row", "these campaigns"), pgettext_lazy("breakdown row", "any campaign"),
                         ngettext_lazy("%(count)s campaign", "%(count)s campaigns", "count")),
    "platform": RowWords(pgettext_lazy("breakdown row", "this ad platform"),
                         pgettext_lazy("breakdown row", "these ad platforms"),
                         pgettext_lazy("breakdown row", "any ad platform"),
                         ngettext_lazy("%(count)s ad platform", "%(count)s ad platforms", "count")),
    "landing_page": RowWords(pgettext_lazy("breakdown row", "this landing page"),
                             pgettext_lazy("breakdown row", "these landing pages"),
                             pgettext_lazy("breakdown row", "any landing page"),
                             ngettext_lazy("%(count)s landing page", "%(count)s landing pages", "count")),
    "social_network": RowWords(pgettext_lazy("breakdown row", "this social network"),
                               pgettext_lazy("breakdown row", "these social networks"),
                               pgettext_lazy("breakdown row", "any social network"),
                               ngettext_lazy("%(count)s social network", "%(count)s social networks", "count")),
    "segment": RowWords(pgettext_lazy("breakdown row", "this segment"), pgettext_lazy("breakdown row", "these segments"),
                        pgettext_lazy("breakdown row", "any segment"),
                        ngettext_lazy("%(count)s segment", "%(count)s segments", "count")),
}


def row_words(dimension: str) -> RowWords:
    """The words of a row of ``dimension`` (a key of kpis.catalogue.BREAKDOWN_KEYS)."""
    return ROW_WORDS[dimension]


# A breakdown row's "—" is explained by the row's own figures, never by the month's: "No marketing
# spend this month" under a channel table whose other rows spent €4,137.93 contradicted it. Said of the
# row as what it is (%(this)s: "this channel", row_words), never "this row".
ROW_REASONS = {
    "sessions": _("No sessions for %(this)s."),
    "new_leads": _("No new leads for %(this)s."),
    "mqls": _("No MQLs for %(this)s."),
    "sqls": _("No SQLs for %(this)s."),
    "customers": _("No customers for %(this)s."),
    "marketing_spend": _("No marketing spend for %(this)s."),
    # ROAS of a row with conversion value but no ad spend (credited after its campaigns stopped): row_cell_shown
    "ad_spend": _("No ad platform spend for %(this)s."),
}


# The same, said under a table of the columns no row has (blank_columns_dropped): of every row (%(any)s,
# %(these)s: "any channel", "these channels"), not "this channel".
ROW_REASONS_EVERY_ROW = {
    "sessions": _("No sessions for %(any)s."),
    "new_leads": _("No new leads for %(any)s."),
    "mqls": _("No MQLs for %(any)s."),
    "sqls": _("No SQLs for %(any)s."),
    "customers": _("No customers for %(any)s."),
    "marketing_spend": _("No marketing spend for %(any)s."),
    "ad_spend": _("No ad platform spend for %(any)s."),
    "bounce_rate": _("The traffic data of %(these)s does not give bounced sessions, so their bounce rate is unknown."),
    "landing_page_conversion_rate": _("No landing page sessions for %(any)s, so the landing page conversion cannot "
                                      "be worked out."),
}


# The same, said under a table of some of its rows (dashes_said): of how many (%(rows)s: "2 channels"),
# not "this channel" (which one?).
ROW_REASONS_SOME_ROWS = {
    "sessions": _("No sessions for %(rows)s."),
    "new_leads": _("No new leads for %(rows)s."),
    "mqls": _("No MQLs for %(rows)s."),
    "sqls": _("No SQLs for %(rows)s."),
    "customers": _("No customers for %(rows)s."),
    "marketing_spend": _("No marketing spend for %(rows)s."),
    "ad_spend": _("No ad platform spend for %(rows)s."),
    "bounce_rate": ngettext_lazy(
        "The traffic data of %(rows)s does not give bounced sessions, so its bounce rate is unknown.",
        "The traffic data of %(rows)s does not give bounced sessions, so their bounce rate is unknown.", "count"),
    "landing_page_conversion_rate": ngettext_lazy(
        "No landing page sessions for %(rows)s, so its landing page conversion cannot be worked out.",
        "No landing page sessions for %(rows)s, so their landing page conversion cannot be worked out.", "count"),
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
    "bounce_rate": _("The traffic data of %(this)s does not give bounced sessions, so its bounce rate is unknown."),
    "landing_page_conversion_rate": _("No landing page sessions for %(this)s, so its landing page conversion "
                                      "cannot be worked out."),
}


AD_ROW_FIGURES = ("impressions", "clicks", "platform_conversions")


# A row without ad platform rows (a campaign of the CRM's the platforms never reported), of one row, every
# row and some rows (blank_columns_dropped, dashes_said).
NO_AD_ROWS = _("No ad platform data for %(this)s: its ad figures (impressions, clicks, conversions) are unknown.")


NO_AD_ROWS_ANY = _("No ad platform data for %(any)s this month: their ad figures (impressions, clicks, "
                   "conversions) are unknown.")


NO_AD_ROWS_SOME = ngettext_lazy(
    "No ad platform data for %(rows)s: its ad figures (impressions, clicks, conversions) are unknown.",
    "No ad platform data for %(rows)s: their ad figures (impressions, clicks, conversions) are unknown.", "count")


# A row whose ad platform rows give no conversions, of one row, every row and some rows ("The ad platform
# data of this ad platform" said the platform twice).
NO_CONVERSIONS = _("No conversions or conversion value reported for %(this)s.")


NO_CONVERSIONS_ANY = _("No conversions or conversion value reported for %(any)s.")


NO_CONVERSIONS_SOME = _("No conversions or conversion value reported for %(rows)s.")


# The same of a row with conversions but no conversion value (its ROAS "—" beside its 163 conversions).
NO_CONVERSION_VALUE = _("No conversion value reported for %(this)s.")


NO_CONVERSION_VALUE_ANY = _("No conversion value reported for %(any)s.")


NO_CONVERSION_VALUE_SOME = _("No conversion value reported for %(rows)s.")


# A row's "—" of a figure no count of it explains, of one row, every row and some rows.
CANNOT = _("Cannot be worked out for %(this)s (%(definition)s)")


CANNOT_ANY = _("Cannot be worked out for %(any)s (%(definition)s)")


CANNOT_SOME = _("Cannot be worked out for %(rows)s (%(definition)s)")


CONVERSION_FIGURES = frozenset({"platform_conversions", "cost_per_conversion", "click_conversion_rate",
                                "conversion_value", "roas"})


def row_cell_shown(key: str, row: dict[str, Any], currency: str, *, dimension: str) -> dict[str, str]:
    """A breakdown table's cell: like cell_shown, but a "—" says why from the row's figures — the
    counts of the row that are zero among those the KPI needs, the base of a rate the row lacks, a
    campaign without ad platform rows, ad rows without conversions, a ROAS with conversion value but no ad
    spend — or else the figure's formula; of the row as what it is (``dimension``: "this channel")."""
    value = row.get(key)
    if value is not None:
        return {"text": format_value(key, value, currency), "reason": ""}
    this = {"this": row_words(dimension).this}
    counts = [count for reason in figure(key).null_reasons for known, count in MONTH_REASON_COUNT if reason is known]
    reasons = [ROW_REASONS[c] % this for c in counts if c and c in row and not row[c]]
    if not reasons and key in ROW_FIGURE_REASONS:
        reasons = [ROW_FIGURE_REASONS[key] % this]
    if not reasons and figure(key).group == "paid_media":
        if all(row.get(k) is None for k in AD_ROW_FIGURES):
            reasons = [NO_AD_ROWS % this]
        elif key == "roas" and row.get("conversion_value") and not row.get("ad_spend"):
            # A conversion value the platform credits in a month it spent nothing: its data gives a value,
            # it is the spend ROAS divides by that is missing.
            reasons = [ROW_REASONS["ad_spend"] % this]
        elif key in CONVERSION_FIGURES:
            reasons = [(NO_CONVERSION_VALUE if row.get("platform_conversions") else NO_CONVERSIONS) % this]
    if not reasons:
        reasons = [CANNOT % {**this, "definition": str(figure(key).definition).rstrip(".")}]
    return {"text": "—", "reason": " ".join(reasons)}


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


UPLIFT_FIGURES = frozenset({"revenue_uplift", "revenue_uplift_annualized"})


def no_revenue_uplift_note(key: str, mean: str) -> str:
    """Beside a revenue uplift of a complete month without marketing revenue: kpis.md's 0 − the three
    months' mean (× 12 annualized) read "−€622,000" bare, a loss to a client who had no deal that month.
    ``mean``: that mean as shown."""
    if key == "revenue_uplift_annualized":
        return gettext("No marketing revenue this month, against %(mean)s a month on average in the three months "
                       "before: this is that fall × 12 (the uplift as if every month of a year were like this one), "
                       "not money spent or lost.") % {"mean": mean}
    return gettext("No marketing revenue this month, against %(mean)s a month on average in the three months before: "
                   "the uplift is that whole average, as a fall.") % {"mean": mean}


# Revenue figures that count only the customers with a deal value: partial when some have none.
PARTIAL_FIGURES = frozenset({"revenue", "marketing_revenue", "roi", "romi", "revenue_uplift",
                             "revenue_uplift_annualized", "revenue_uplift_rate"})


def not_loaded_reason(source: str, *, named: str = "", staff: bool = False) -> str:
    """Why a traffic or email figure reads — for a month with no row of its source (kpis.nodata).
    ``named``: the month in words when it is not the page's (a change's comparison month). ``staff``: the
    reader is agency staff, told where the data is imported or connected (a client reads what it means:
    its traffic and email results "recorded", as its spend reason says, not "loaded", the agency's work)."""
    if source == "traffic" and not staff:
        if named:
            return gettext("No traffic data is recorded for %(month)s: its traffic figures are unknown, not zero.") % {
                "month": named}
        return gettext("No traffic data is recorded for this month: its traffic figures are unknown, not zero.")
    if not staff:
        if named:
            return gettext("No email results are recorded for %(month)s: its email figures are unknown, not zero.") % {
                "month": named}
        return gettext("No email results are recorded for this month: its email figures are unknown, not zero.")
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


def no_leads_reason(*, named: str = "", staff: bool = False) -> str:
    """Why a lead figure reads — for a client without any lead source up to the month's end (no CRM
    connected, no leads file imported: kpis.nodata.leads_loaded). ``named``: the month in words when it
    is not the page's (a change's comparison month). A client reads its leads "recorded", as its spend
    and traffic reasons say; staff read "loaded" and where a CRM is connected or leads imported."""
    if staff:
        if named:
            said = gettext("No leads loaded for this client up to %(month)s (no CRM connected, no leads file "
                           "imported): its lead figures are unknown, not zero.") % {"month": named}
        else:
            said = gettext("No leads loaded for this client up to this month (no CRM connected, no leads file "
                           "imported): its lead figures are unknown, not zero.")
        return said + " " + gettext("Import a leads file (a CRM export) or connect HubSpot on the Imports page.")
    if named:
        return gettext("No leads are recorded up to %(month)s: its lead figures are unknown, not zero.") % {
            "month": named}
    return gettext("No leads are recorded up to this month: its lead figures are unknown, not zero.")


def landing_unnamed_reason() -> str:
    """Why a landing page figure reads — for a month whose traffic data names no page (a channel report,
    kpis.nodata.landing_pages_unnamed): the report's words, and the glossary's for those figures."""
    return gettext("The traffic data of this month names no landing page, so its landing page figures are unknown.")


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
    lead figure of a client without any lead source up to the month's end, a traffic or email figure of
    a month without rows of its source, a revenue figure of a month whose
    customers have no deal value; "" when it is a fact. ``named``: the month in words when it is not the
    page's: the reasons that would say "this month" name it instead. ``staff``: the reader is agency
    staff (sales-ready leads without activities then name the import kind, a client reads what it means)."""
    if document is None:
        return ""
    if lead_figure_unknown(key, document, month=month, row_months=row_months):
        return no_leads_reason(named=named, staff=staff)
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
        return landing_unnamed_reason()
    if revenue_figure_unknown(key, document):
        return unpriced_reason(document)
    return ""
