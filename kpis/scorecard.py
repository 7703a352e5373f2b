"""What the scorecard shows of a snapshot: its tiles, groups, funnel, lifetime value panel and benchmarks.

Formatting only, no queries: kpis.selectors_scorecard.scorecard_load reads the stored snapshots (a fixed
number of queries whatever the months or members: the selected month's, the comparison
month's and the 11 before it for the sparklines) into a ``Scorecard``, which this module shows.
A figure is written by kpis.formatting, its "—" explained by kpis.reasons, the breakdown tables
made by kpis.breakdowns_shown.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agency.months import Month
from clients.words import member_label, share_shown
from kpis.breakdowns_shown import partial_text, reading_order
from kpis.catalogue import (
    GROUPS,
    LIFETIME_VALUES_COMPARED,
    Better,
    Unit,
    funnel_kpis,
    kpi,
    kpis_in,
    null_reason,
)
from kpis.datastart import before_data
from kpis.formatting import cell_shown, change_shown, figure, format_value, number_shown, sparkline
from kpis.nocontact import CONTACT_FIGURES, contact_unknown
from kpis.nodata import (
    figure_source,
)
from kpis.nospend import SPENT_ALWAYS, document_has_spend, frozen_has_spend, spend_figure_unknown
from kpis.nurture import nurture_unmarked
from kpis.reasons import (
    PARTIAL_FIGURES,
    RUNNING_RETURN_FIGURES,
    UPLIFT_FIGURES,
    figure_not_fact,
    no_contact_reason,
    no_customer_yet_note,
    no_nurture_note,
    no_revenue_uplift_note,
    no_spend_reason,
    unlinked_reason,
)
from kpis.unmatched import figure_unmatched, kpi_matched

if TYPE_CHECKING:
    from collections.abc import Callable

    from kpis.models import Snapshot


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
    # The tracking checks of the month and the month compared with (kpis.draft_tracking.Fault), read on
    # "What changed"'s first need: a move is not explained by a split they distort. None: none read.
    faults_read: Callable[[], list] | None = field(default=None, repr=False, compare=False)
    _faults: list = field(default_factory=list, repr=False, compare=False)
    # The reader is agency staff: a reason or note with something to do about it says how, in the agency's
    # words (the nurture column, importing first-contact dates or activities, spend loaded for this client);
    # a client, who cannot import, reads what it means. The PDF and the monthly email are the client's.
    staff: bool = False
    currency: str = ""  # the client's: what a note on a figure writes an amount in

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

    def tracking_faults(self) -> list:
        """The tracking checks of the month and the month compared with, read once."""
        if self.faults_read is not None:
            self._faults[:] = self.faults_read()
            self.faults_read = None
        return self._faults

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
            if self.staff:
                why = gettext("no spend was loaded up to its end, so its costs are unknown.") + " " + gettext(
                    "Import its spend on the Imports page.")
            else:  # loading is the agency's work: a client reads its spend "recorded", as no_spend_reason says
                why = gettext("no spend is recorded up to its end, so its costs are unknown.")
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
        return value, (self.partial_note(key, value) or self.nurture_note(key) or self.running_note(key)
                       or self.no_revenue_note(key, value))

    def no_revenue_note(self, key: str, value: Any) -> str:
        """A revenue uplift below 0 in a month without marketing revenue: it is the three months' mean
        lost, said beside it with that mean (the page, the summary, the PDF, the email, the CSV)."""
        uplift = self.kpi("revenue_uplift")
        if key not in UPLIFT_FIGURES or not value or value >= 0 or self.kpi("marketing_revenue") != 0 or not uplift:
            return ""
        return no_revenue_uplift_note(key, format_value("revenue_uplift", -uplift, self.currency))

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


def campaign_conversions(figures: dict[str, Any]) -> float | None:
    """The conversions of the ad rows that name a campaign, which kpis.md's paid lead match rate divides
    by (``paid_leads / platform_conversions, over the campaigns with ad rows``): its inverse, paid leads ÷
    the rate, as the document keeps only formats.md's keys. None where the rate does not tell it (no rate,
    or 0 % from no paid lead: 0 over any number)."""
    rate, leads = figures.get("paid_lead_match_rate"), figures.get("paid_leads")
    if not rate or not leads:
        return None
    return leads / rate


def unmatched_conversions(figures: dict[str, Any]) -> tuple[float, float] | None:
    """(the conversions the match rate divides by, the platform conversions shown) when they differ: the
    shown figure counts every ad row (kpis.md's platform_conversions), the rate only the rows naming a
    campaign, so a client dividing the shown paid leads by the shown conversions got another rate."""
    matched, shown = campaign_conversions(figures), figures.get("platform_conversions")
    if matched is None or not shown or shown - matched < 0.05:  # the same at the figure's one decimal
        return None
    return matched, shown


def match_note(card: Scorecard, key: str, value: float | None) -> str:
    """Under the paid lead match rate, when part of the platform conversions come from ad data naming no
    campaign: over which conversions the rate is worked out, and why the others cannot be matched."""
    if key != "paid_lead_match_rate" or not value or card.snapshot is None:
        return ""
    differing = unmatched_conversions(card.snapshot.document.get("kpis") or {})
    if differing is None:
        return ""
    matched, shown = differing
    return gettext("Worked out over the %(matched)s conversions the platforms claim for campaigns, of %(all)s "
                   "platform conversions: the other %(others)s come from ad data that names no campaign, which no "
                   "lead in the CRM can be matched to.") % {
        "matched": format_value("platform_conversions", matched, ""),
        "all": format_value("platform_conversions", shown, ""),
        "others": format_value("platform_conversions", shown - matched, ""),
    }


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
    ``rates``: the reference rates of the month's last day (kpis.selectors_scorecard.benchmark_rates)
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
                    or roas_note(card, key, value, currency) or match_note(card, key, value),
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
    """The contract value and its churn factors per segment, beside CLTV, CAC, LTV:CAC and payback, and
    how the two lifetime values differ (``compared``: they are often far apart)."""
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
    panel = {
        "columns": [figure(key).label for key in SEGMENT_FIGURES],
        "rows": rows,
        "side_by_side": side_by_side,
        "compared": str(LIFETIME_VALUES_COMPARED),
        "total": [cell_shown(key, card.kpi(key), currency, values=card.values) for key in SEGMENT_FIGURES],
    }
    return {**panel, "table": segment_table_shown(panel)}


def segment_table_shown(panel: dict[str, Any]) -> dict[str, Any]:
    """The panel's segment table as the page shows it: a figure that reads the same for every segment
    and for all contracts (a rate a small segment takes pooled from all contracts, kpis.md) said once
    in ``same`` under the table, as the PDF says it, not a column of copies. Eleven columns scrolled
    sideways at 1440 px, "28.6 %" down six of them; the columns left are what the segments add.
    A "—" stays in its column (its reason is said per row); with one segment, or when every column
    would go, the table is shown whole."""
    rows = [row["cells"] for row in panel["rows"]] + [panel["total"]]
    count = len(panel["columns"])
    same = [i for i in range(count) if _same_in_every_row(rows, i)] if len(panel["rows"]) > 1 else []
    if len(same) == count:
        same = []
    kept = [i for i in range(count) if i not in same]
    said = " · ".join(f"{panel['columns'][i]} {panel['total'][i]['text']}" for i in same)
    return {
        "columns": [panel["columns"][i] for i in kept],
        "rows": [{**row, "cells": [row["cells"][i] for i in kept]} for row in panel["rows"]],
        "total": [panel["total"][i] for i in kept],
        "same": gettext("The same for every segment and for all contracts: %(figures)s.") % {"figures": said}
        if same else "",
    }


def _same_in_every_row(rows: list[list[dict[str, Any]]], index: int) -> bool:
    """Whether column ``index`` reads the same figure in every row, none of them a "—"."""
    texts = {str(cells[index]["text"]) for cells in rows}
    return len(texts) == 1 and texts != {"—"} and not any(cells[index].get("reason") for cells in rows)
