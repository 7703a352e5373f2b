"""The client's report: which month it opens on, the month in progress, the executive summary.

Shared by the scorecard page, the PDF and the monthly email so that all three say the same thing.
A formatting module: it is handed what was read (the ``kpis.scorecard.Scorecard``, the client's
holidays and whether it has revenue data, read by ``kpis.selectors_report``) and queries nothing,
so the page, the PDF and the email cost the same queries whichever of them draws the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agency.months import Month
from clients.words import amount_shown, member_label, minor_unit, money
from kpis import catalogue, charts
from kpis.breakdowns_shown import blank_columns_dropped
from kpis.catalogue import KPI_KEYS, Unit, kpi
from kpis.draft_writer import lower_first
from kpis.formatting import axis_format, cell_shown, change_shown, format_value, fractional_counts_aligned, number_shown
from kpis.nodata import revenue_unpriced
from kpis.nospend import SPEND_FIGURES
from kpis.pacing import quarter_months, working_days_in
from kpis.reasons import row_cell_shown, unlinked_reason
from kpis.report_drivers import report_hooks
from kpis.scorecard import (
    benchmark_shown,
    benchmarks_that_fit,
    funnel_labels,
    media_without_delivery,
    over_100_note,
    pace_text,
    paid_empty_reason,
    share_shown,
    target_status,
    unmatched_conversions,
)
from kpis.unmatched import crm_leads_unlinked

# What the report's cached parts hold beyond the figures: bump when its blocks change, so that pages
# cached before a deploy are drawn again (2: "What changed" and the pacing bar; 3: a "—" says why
# in words on every screen, an empty paid-media section is worded for its reader; 4: the paid
# campaigns table wraps on a wide screen; 5: CRM leads naming no campaign are not matched to the ad
# platforms, never counted 0; 6: nor in the charts and changes of the months after; 7: a client
# without spend loaded reads its costs as — with the reason, kpis.nospend; 8: speed to lead without
# first-contact times reads — (kpis.nocontact), a change from 0 in words, paid media spend without delivery;
# 9: the summary tiles say what their figure means in plain words, ROMI named in words; 10: "What
# changed" says a change in the split, not "the mix"; 11: a history note shared by the summary's charts
# said once; 12: the same small count both months reads "no change", not "0"; 13: a chart leaves out the
# months before its source's first rows, a breakdown row's "—" names the figure and why).
# 14: a month reads "marzo de 2026" in Spanish, paid media's empty line said once.
# 16: the charts drawn per width (labels ≥ 12 px on a phone), Spanish months in lower case ("dic"),
# a legend under a chart, no empty chart frame; 17: the month's verdict (did marketing pay off) over
# the summary, the channel chart named for its leads, each detail tile's definition in plain words.
# 19: a month without traffic or email rows, customers without deal values, traffic without landing pages:
# "—" with the reason (kpis.nodata), the funnel's sessions bar too; 20: funnel notes in lower case ("de leads").
# 21: nurture leads of 0 say when no campaign is marked nurture; a change names its month for a screen reader;
# a funnel step above 100 % says why; "What changed" gives a small count's change as a number.
# 22: the top campaigns table without its columns of "—" (leads of a CRM that names no campaign), named once
# 23: the device drill-down without its new leads and traffic → lead when no lead of the month records a
# device (said why under it), and how many new leads it leaves out when only some do (the persona table too)
# 24: a month of spend but no new customer says its verdict in those words (no revenue counted yet);
#     platform conversions with the same decimals down a table's column ("272" beside "50");
#     no contract value panel nor contract segment breakdown for a client with no contract;
#     the note of columns no row has speaks of every row ("No sessions in any row."), not "this row"
# 25: a "nothing to compare" hover names the comparison month in its reasons ("No customers in October 2026."),
#     never "this month"
# 26: the line under a table explaining its dashes says how many rows each reason is about ("No sessions in
#     2 rows."), "any row" of all of them, never "this row" of several
# 27: growth needed per working day shows no change ("+4.8 pp"), but the two months' working days
# 28: Spanish: a persona is a "perfil de comprador" (the breakdown's button and column said "Buyer persona")
# 29: a Paid media card whose platform's amounts came in another currency says so (kpis.report.converted_line)
# 30: a client reads what a missing first-contact time means, staff how to import it
# 31: a client reads what nurture leads of 0 mean when no campaign is marked nurture, staff where to mark one
# 32: an ad figure's "—" says the ad platforms do not report it, not "the ad platforms' files"
# 33: a client's costs without any spend read "No spend is recorded up to this month", not "…for this client"
# 34: Paid media of spend as totals says to a client "recorded … as a total only", not "loaded … delivery"
# 35: sales-ready leads without activities: a client reads "No buying signals … are recorded", staff "No activities…"
# 36: a campaign without ad platform data says "No ad platform data for this campaign", not "rows"
# 37: a chart's history note is a sentence ("Data from March 2026: 2 months so far.")
# 38: paid media definitions and the traffic reasons say what a figure means, not "rows" ("Spend on the ad platforms")
# 39: a ROAS without ad spend (conversion value credited after a campaign stopped) says "No ad platform spend"
# 40: staff's "not loaded" reasons end with what to do ("… or connect GA4 on the Imports page."); a client's do not
# 41: staff's empty Paid media says where ad platform data is connected or imported, not "rows"
# 42: leads per working day of the month in progress shows its pace ("on pace for 10.00 by month end")
# 43: a change without a number ("nothing to compare", across 0) says why in words under it, on the summary's
#     and the details' tiles (as the PDF and the email do), not only on hover: a phone has no hover
# 44: a ROAS over part of the ad spend says over which ("…over the €7,902.80 of ad spend that reports a
#     conversion value, of €15,000.15 in all (no conversion value from LinkedIn Ads, Meta Ads).")
# 45: a reason under "nothing to compare" said once a details group, at its first tile (hover on each)
# 46: "What changed" says of a channel that moved more than the whole "all of it and more from …", the rest with it
# 47: "What changed" says of a channel with under half of a count's change "the largest part from …", not "mostly"
# 48: the same words ("all of it and more", "the largest part") of a channel named for its conversion
# 49: a client reads its missing traffic "recorded" ("No traffic data is recorded…", the funnel's "no traffic data
#     recorded"), staff "loaded"
# 50: a breakdown row's ROAS with a conversion value but no ad spend says "No ad platform spend in this row."
# 51: a client reads its missing email results and a compared month's spend "recorded", staff "loaded"
# 52: money at its currency's minor unit (no decimals in CLP, JPY); CAC payback at a 0 % margin says why; the paid
#     lead match rate says over which conversions; a revenue uplift without marketing revenue says what it is;
#     "What changed" names the others' counts where they moved a member's share; a share of 0 said "none"
# 53: the summary's tiles in four parts (name, figure, chart, definition) that line up across a row (a subgrid)
# 54: the details' tiles in three parts (name and definition, figure, the rest) that line up across a row
# 55: a negative amount on a chart's axis is "-€500k", not "€-500k"; a breakdown's reasons name the row as
#     what it is ("No sessions for this channel", "…for 2 campaigns"), never "this row"
# 56: the lifetime value table's columns the same for every segment and all contracts said once under it (as the
#     PDF says them), so the columns left fit a 1440 px page instead of scrolling sideways
# 57: that table on a phone a card per segment, its figures labelled in a right-aligned column
# 58: "Contract lifetime value, explained" says how it differs from CLTV, under the two side by side
# 59: a client without any lead source (no CRM, no leads file, kpis.nodata.leads_loaded) reads its lead figures,
#     the funnel's lead steps, the verdict, the channel chart's place and the drill-downs' lead columns as "—"
#     with the reason ("No leads are recorded up to this month…"), not 0 and "no change"
# 60: no two ticks of a chart's axis read alike (a series that barely moves read "-100 %, -100 %")
# 61: "What changed" names no member of a split a tracking check distorts (the move said plainly)
# 62: a date written one way per language ("Dec 7, 2026", "7 dic 2026"), alone, in a range or with its time; a
#     reader of Spanish reads a Mexican client in Mexico's (one money format); the page is the "Report" by name
REPORT_LAYOUT = "62"

HEADLINE_MIN, HEADLINE_MAX = 6, 8


def headline_defaults() -> tuple[str, ...]:
    """The summary's default KPIs when staff have not chosen (Client.headline_kpis empty): the
    catalogue's headline figures in their summary order (``Kpi.summary``), at most eight."""
    return tuple(k.key for k in catalogue.summary_defaults())[:HEADLINE_MAX]


# The KPIs built on revenue (the catalogue's ``revenue_based``), for readers that want the set.
REVENUE_BASED = frozenset(k.key for k in catalogue.KPIS if k.revenue_based)


def headline_keys(client: Any) -> tuple[str, ...]:
    """The client's chosen headline KPIs (staff choose 6–8 per client), else the defaults."""
    chosen = [key for key in (getattr(client, "headline_kpis", None) or []) if key in KPI_KEYS]
    return tuple(chosen[:HEADLINE_MAX]) if len(chosen) >= HEADLINE_MIN else headline_defaults()


def headline_chosen(client: Any) -> bool:
    """Whether staff chose this client's summary (then it is shown as chosen, revenue or not)."""
    return len([key for key in (getattr(client, "headline_kpis", None) or []) if key in KPI_KEYS]) >= HEADLINE_MIN


def summary_keys(client: Any, *, has_revenue: bool) -> tuple[str, ...]:
    """The executive summary's KPIs as shown: staff's choice as it is; the defaults without the
    revenue-based KPIs while the client has no revenue data at all (no contracts, no deal values),
    the next headline figures taking their place (kpis.selectors_report.report_summary_keys reads
    ``has_revenue``, only when it matters)."""
    keys = headline_keys(client)
    if headline_chosen(client) or has_revenue:
        return keys
    # Built on revenue (leads' deal values, contracts): with none imported they read ROMI −100 %,
    # revenue 0. The snapshot keeps them as the spec says; only a default summary leaves them out.
    flagged = [k.key for k in catalogue.summary_defaults()]
    pool = [*keys, *(key for key in flagged if key not in keys)]
    return tuple(key for key in pool if not kpi(key).revenue_based)[:HEADLINE_MAX]


def client_today(client: Any, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(ZoneInfo(getattr(client, "timezone", "UTC") or "UTC")).date()


def last_complete_month(client: Any, now: dt.datetime | None = None) -> dt.date:
    return (Month.of(client_today(client, now)) - 1).first_day


def default_month(months: list[dt.date], client: Any, now: dt.datetime | None = None) -> dt.date | None:
    """The last complete month with a snapshot; else the latest that has begun; else the newest."""
    closed = last_complete_month(client, now)
    this_month = (Month.of(closed) + 1).first_day
    return (
        next((m for m in months if m <= closed), None)
        or next((m for m in months if m <= this_month), None)
        or (months[0] if months else None)
    )


def month_with_data(
    month: dt.date | None, months: list[dt.date], *, with_data: set[dt.date], approved: frozenset[dt.date] | None,
) -> tuple[dt.date | None, str]:
    """The month a report opens on when ``month`` (the default: the last complete month) has no data
    at all (its snapshot shows no row dated in it, kpis.datastart.MONTH_ROWS) and an earlier one has: the latest
    approved month for a client user (``approved``: the months they read as approved), else the
    latest month with data; and why, to say it ("approved", "data"; "" when ``month`` stays)."""
    if month is None or month in with_data:
        return month, ""
    if approved is not None:
        earlier = [m for m in months if m in approved and m < month]
        if earlier:
            return max(earlier), "approved"
    earlier = [m for m in months if m in with_data and m < month]
    return (max(earlier), "data") if earlier else (month, "")


def month_opened_note(empty: dt.date, shown: dt.date, why: str) -> str:
    """Says which month the report opened on and why (kpis.report.month_with_data)."""
    if not why:
        return ""
    words = {"empty": date_format(empty, "YEAR_MONTH_FORMAT"), "shown": date_format(shown, "YEAR_MONTH_FORMAT")}
    if why == "approved":
        return capfirst(_("%(empty)s has no data yet: showing %(shown)s, the latest approved report.") % words)
    return capfirst(_("%(empty)s has no data yet: showing %(shown)s, the latest month with data.") % words)


@dataclass(frozen=True)
class Period:
    """The month shown and, while it runs, how far it has got (calendar and working days)."""

    month: dt.date
    complete: bool
    day: int = 0
    days: int = 0
    working_elapsed: int = 0
    working_total: int = 0
    later_working: tuple[tuple[dt.date, int], ...] = ()  # the quarter's months after this one, their working days

    @property
    def label(self) -> str:
        name = date_format(self.month, "YEAR_MONTH_FORMAT")
        if self.complete:
            return name
        return _("%(month)s, month to date (day %(day)s of %(days)s)") % {"month": name, "day": self.day, "days": self.days}

    @property
    def pace_factor(self) -> float | None:
        """Working days of the month ÷ working days so far: how a count to date scales to month end."""
        if self.complete or not self.working_elapsed or not self.working_total:
            return None
        return self.working_total / self.working_elapsed

    def projected(self, key: str, value: float | None) -> float | None:
        if not kpi(key).paced or value is None or self.pace_factor is None:
            return None
        return value * self.pace_factor


def month_running(*, month: dt.date, client: Any, now: dt.datetime | None = None) -> bool:
    """Whether the client's calendar is inside ``month`` (then its working days are counted)."""
    return month <= client_today(client, now) <= Month.of(month).last_day


def period_of(
    *, month: dt.date, client: Any, holidays: Collection[dt.date], now: dt.datetime | None = None,
    working_total: int | None = None,
) -> Period:
    """Complete once the client's calendar has left the month; else day N of M and the working
    days so far (Monday–Friday minus ``holidays``: the client's, from the month to its quarter's
    end, read by kpis.selectors_report.report_period only while the month runs)."""
    today, span = client_today(client, now), Month.of(month)
    if not month_running(month=month, client=client, now=now):
        return Period(month=month, complete=today > span.last_day)
    holidays = set(holidays)
    return Period(
        month=month,
        complete=False,
        day=today.day,
        days=span.last_day.day,
        working_elapsed=span.working_days(holidays, through=today),
        working_total=working_total or span.working_days(holidays),
        later_working=tuple((m, working_days_in(m, holidays)) for m in quarter_months(month) if m > month),
    )


def month_tick(month: dt.date, with_year: bool = False) -> str:
    """A month under a chart's axis, short, as the active language writes it: each language's format
    module (agency.formats) names it, CHART_MONTH_FORMAT and CHART_YEAR_MONTH_FORMAT. English
    capitalises ("Nov 2025", "Dec"); Spanish does not ("nov 2025", "dic"). The whole year, never
    "Nov 25", which reads as the 25th of November."""
    name = "CHART_YEAR_MONTH_FORMAT" if with_year else "CHART_MONTH_FORMAT"
    fmt = get_format(name)
    if fmt == name:  # a language without a format module of ours: Django's short month
        fmt = "M Y" if with_year else "M"
    return date_format(month, fmt)


def month_labels(span: list[dt.date]) -> list[str]:
    """A chart's x labels: the month's short name, with the whole year on the first month and on
    each January. The chart labels the months its width has room for and puts the year on the first
    of those in each year (SeriesChart.months, kpis.charts.x_labels)."""
    return [month_tick(m, m.month == 1 or i == 0) for i, m in enumerate(span)]


def _whole_units(key: str, currency: str) -> bool:
    """A chart of ``key`` ticks in whole units: a count, or money in a currency without a minor unit
    (a yen or Chilean peso axis never reads "¥2.5")."""
    return kpi(key).whole or (kpi(key).unit == Unit.MONEY and minor_unit(currency) == 0)


def series_chart(card: Any, key: str, *, currency: str, accent: str, months: int = 13) -> charts.SeriesChart:
    """13 months of one KPI ending at the card's month, with its target and the month notes."""
    span = [month.first_day for month in Month.range(Month.of(card.month) - (months - 1), Month.of(card.month))]
    values = [card.kpi_charted(m, key) for m in span]
    notes = [
        (span.index(note.month), f"{date_format(note.month, 'YEAR_MONTH_FORMAT')}: {note.text}")
        for note in card.annotations
        if note.month in span
    ]
    target = card.targets.get(key)
    period = getattr(card, "period", None)
    projected = period.projected(key, values[-1]) if period else None
    return charts.SeriesChart(
        title=_("%(kpi)s, last 13 months") % {"kpi": kpi(key).label},
        labels=month_labels(span),
        months=span,
        month_text=month_tick,
        values=values,
        format=axis_format(key, currency),
        target=target,
        target_text=_("Target %(value)s") % {"value": format_value(key, target, currency)} if target is not None else "",
        marks=notes,
        marks_text=_("Month with a note"),
        projected=projected,
        projected_text=_("Pace to the month's end"),  # its value is the tile's pace line, just above
        accent=accent,
        whole=_whole_units(key, currency),
        note=history_note(span, [m in card.history and not card.before_data(m, key)
                                 and (key not in SPEND_FIGURES or card.has_spend(m)) for m in span]),
    )


def history_note(span: list[dt.date], computed: list[bool]) -> str:
    """Why a 13-month chart is nearly empty: a new client has only a few months of figures. Says from
    which month they run and how many months that is; "" once the chart is full (or empty). Judged on
    the months computed, not the values: a KPI undefined in a month (no customers) is no missing data."""
    first = next((i for i, present in enumerate(computed) if present), None)
    if first is None or first == 0:
        return ""
    count = len(span) - first
    return ngettext(
        "Data from %(first)s: %(count)s month so far.", "Data from %(first)s: %(count)s months so far.", count
    ) % {"first": date_format(span[first], "YEAR_MONTH_FORMAT"), "count": count}


def summary(card: Any, *, keys: tuple[str, ...], currency: str, accent: str) -> list[dict[str, Any]]:
    """The executive summary's tiles: value, change, target status, pace and the 13-month chart."""
    entries = []
    for key in keys:
        value, reason = card.shown(key)
        previous = card.kpi_known(card.compare_to, key)  # an unmatched 0, or one of no spend, is no base
        target = card.targets.get(key)
        chart = series_chart(card, key, currency=currency, accent=accent)
        entries.append(
            {
                "key": key,
                "label": kpi(key).label,
                # In plain words under the tile (MQL, CAC, ROMI are jargon to many clients); a phone has no hover.
                "definition": kpi(key).definition,
                "value": value,
                "shown": format_value(key, value, currency),
                "reason": reason,
                "change": None if card.in_progress else change_shown(
                    key, value, previous, first=card.first_month, compare=card.compare_to,
                    before_why=card.compared_why(key) if previous is None and value is not None else "",
                ),
                "pace": pace_text(card, key, value, currency),
                "target": None if target is None else format_value(key, target, currency),
                "met": None if card.in_progress else target_status(key, value, target),
                "chart": chart,
                "svg": charts.series_svg(chart),
                # A figure no month of the chart has (a cost without spend loaded, kpis.nospend; a time to
                # first contact the CRM never sent, kpis.nocontact; ROMI without revenue): no empty 0–1 € or
                # 0–100 % frame, the tile's reason says why instead.
                "no_chart": value is None and all(v is None for v in chart.values),
            }
        )
    return entries


def month_verdict(card: Any, *, keys: tuple[str, ...], currency: str) -> dict[str, Any] | None:
    """Whether marketing paid off in the month, in one sentence over the summary (the page, the
    PDF, the email, the client's home): what a client opens the report to learn, before any tile.

    Judged by ROMI, (marketing revenue × gross margin − spend) ÷ spend, said the way a client
    reads it: each 1 of spend brought back 1 + ROMI of gross margin; above 0 it paid off. Without
    revenue data (ROMI not in the summary ``keys``), without spend, or with new customers but no
    marketing revenue (their deal values missing: ROMI would read -100 %), the month's leads and
    customers for its spend, and why no verdict. A month of spend but no new customer says so: its
    ROMI of -100 % is no revenue counted yet, not each 1 of spend lost. ``good`` colours it (None: no verdict). None for a
    month still running (its return is judged once it ends) or without figures."""
    if card.snapshot is None or card.in_progress:
        return None
    month = date_format(card.month, "YEAR_MONTH_FORMAT")
    if card.not_fact(card.month, "new_leads"):
        # No lead source up to the month's end (kpis.nodata.leads_loaded): its leads, customers and ROMI are
        # unknown, not "0 new leads and 0 new customers" (ROMI -100 %).
        spend, _why = card.shown("marketing_spend")
        if spend:
            text = _("%(month)s: %(spend)s of marketing spend, but no leads are recorded up to this month, so this "
                     "report cannot say what it brought or whether marketing paid for itself.")
            values = {"month": month, "spend": format_value("marketing_spend", spend, currency)}
        else:
            text = _("%(month)s: no leads are recorded up to this month and no marketing spend for the month, so "
                     "this report cannot say what marketing brought.")
            values = {"month": month}
        return {"text": capfirst(text % values), "good": None}
    romi, partial = card.shown("romi")  # partial: some customers without a deal value (kpis.nodata)
    leads = int(card.kpi("new_leads") or 0)
    customers = int(card.kpi("customers") or 0)
    # New customers but no revenue from marketing: their deal values are missing, not worth nothing
    # (kpis.nodata: the revenue tiles read "—" by the same condition).
    unpriced = revenue_unpriced({"kpis": {key: card.kpi(key) for key in ("customers", "marketing_revenue")}})
    # A partial ROMI above 0 is a floor (marketing paid off at least that much); at or below 0 it says nothing.
    if "romi" in keys and romi is not None and not unpriced and not (partial and romi <= 0):
        # Each 1 of spend at the currency's minor unit; each 100 where it has none ("each ¥100 brought
        # back ¥145": "each ¥1 brought back ¥1" hid a 45 % return in the rounding).
        base = 1 if minor_unit(currency) else 100
        values = {
            "month": month,
            "one": money(base, currency),
            "back": money(base * (1 + romi), currency),
            # "22,2 %" kept on one line: on a phone the sentence broke it into "22,2" and "%)".
            "romi": format_value("romi", romi, currency).replace(" %", "\xa0%"),
        }
        spend, _why = card.shown("marketing_spend")
        if card.kpi("customers") == 0 and not card.kpi("marketing_revenue") and spend:
            # No customer won: ROMI is -100 % by the spec, but "each 1 brought back 0" read as marketing
            # wasted, beside a campaign's ROAS of 9.95: the sentence says why there is no return yet.
            values["spend"] = format_value("marketing_spend", spend, currency)
            text = _("No new customers in %(month)s, so the %(spend)s of marketing spend has brought back no "
                     "revenue yet (return on marketing investment, ROMI: %(romi)s).")
            return {"text": text % values, "good": False}
        if romi > 0:
            text = _("Marketing paid off in %(month)s: each %(one)s of marketing spend brought back %(back)s of "
                     "gross margin (return on marketing investment, ROMI: %(romi)s).")
        else:
            text = _("Marketing did not pay for itself in %(month)s: each %(one)s of marketing spend brought back "
                     "%(back)s of gross margin (return on marketing investment, ROMI: %(romi)s).")
        return {"text": text % values, "good": romi > 0}
    values = {
        "month": month,
        "leads": ngettext("%(count)s new lead", "%(count)s new leads", leads)
        % {"count": format_value("new_leads", leads, currency)},
        "customers": ngettext("%(count)s new customer", "%(count)s new customers", customers)
        % {"count": format_value("customers", customers, currency)},
    }
    spend, _why = card.shown("marketing_spend")
    if spend and partial and romi is not None and "romi" in keys:
        values["spend"] = format_value("marketing_spend", spend, currency)
        text = _("%(month)s: %(spend)s of marketing spend brought %(leads)s and %(customers)s, but some of these "
                 "customers have no deal value, so this report cannot say whether marketing paid for itself.")
    elif spend and unpriced and "romi" in keys:
        values["spend"] = format_value("marketing_spend", spend, currency)
        text = _("%(month)s: %(spend)s of marketing spend brought %(leads)s and %(customers)s, but no revenue is "
                 "recorded for them, so this report cannot say whether marketing paid for itself.")
    elif spend:
        values["spend"] = format_value("marketing_spend", spend, currency)
        text = _("%(month)s: %(spend)s of marketing spend brought %(leads)s and %(customers)s. Without revenue "
                 "figures, this report cannot say whether marketing paid for itself.")
    else:
        text = _("%(month)s: %(leads)s and %(customers)s. No marketing spend is recorded for the month, so this "
                 "report cannot say whether marketing paid for itself.")
    return {"text": capfirst(text % values), "good": None}  # "noviembre de 2026: …" opens a sentence


def funnel_chart(card: Any, *, accent: str) -> charts.BarChart:
    """Sessions → leads → MQLs → SQLs → customers on a log scale (every stage visible), each
    stage labelled with its conversion from the stage before."""
    bars, before, over = [], None, []
    for key, label in funnel_labels():
        value = card.kpi(key) or 0
        note = ""
        if card.snapshot is not None and card.not_fact(card.month, key):
            # No traffic loaded, or no lead source at all (kpis.nodata): no bar of 0, and no rate over it.
            # Worded for the reader as the reasons are (Scorecard.staff): a client reads "recorded", staff "loaded".
            if key == "sessions":
                said = _("no traffic data loaded") if card.staff else _("no traffic data recorded")
            else:
                said = _("no leads loaded") if card.staff else _("no leads recorded")
            bars.append(charts.Bar(label=str(label), value=0, text="—", note=said))
            before = (str(label), 0)
            continue
        if before is not None:
            note = (
                # running text: "33.7 % of leads", "33,7 % de leads" (the bar's own label keeps its capital)
                _("%(rate)s of %(stage)s") % {"rate": share_shown(value / before[1]), "stage": lower_first(before[0])}
                if before[1]
                else ""
            )
        if before is not None and before[1] and value > before[1] and key in FUNNEL_STEP_RATES:
            over.append(over_100_note(FUNNEL_STEP_RATES[key], value / before[1]))  # as its tile says it
        bars.append(charts.Bar(label=str(label), value=value, text=number_shown(value, 0, force_grouping=True), note=note))
        before = (str(label), value)
    return charts.BarChart(
        title=_("Funnel of %(month)s") % {"month": date_format(card.month, "YEAR_MONTH_FORMAT")},
        bars=bars,
        log=True,
        # A step above 100 % of the one before ("150.0 % of MQLs") says why, as the rate's tile does.
        scale_note=" ".join([_("Bar lengths on a logarithmic scale, so that every stage shows."), *over]),
        accent=accent,
    )


# A funnel step's rate over the step before, where kpis.md's later stage can outnumber the earlier one.
FUNNEL_STEP_RATES = {"mqls": "qualified_lead_rate", "sqls": "mql_to_sql_rate", "customers": "sql_to_customer_rate"}


def channel_chart(card: Any, *, accent: str, key: str = "new_leads") -> charts.BarChart | None:
    """The month's leads by channel (the channel mix), largest first; None without any."""
    members = card.snapshot.document["breakdowns"].get("channel", {}) if card.snapshot else {}
    rows = sorted(((m, f.get(key) or 0) for m, f in members.items()), key=lambda r: -r[1])
    total = sum(v for _m, v in rows)
    if not total:
        return None
    bars = [
        charts.Bar(
            label=member_label("channel", member),
            value=value,
            # "43 leads", not a bare 43: the bars are counted in leads, their share at the right.
            text=ngettext("%(count)s lead", "%(count)s leads", int(value))
            % {"count": number_shown(value, 0, force_grouping=True)},
            note=share_shown(value / total),
        )
        for member, value in rows
        if value
    ]
    return charts.BarChart(title=_("New leads by channel"), bars=bars, accent=accent)


def mix_empty(card: Any) -> str:
    """What the channel chart's place says without a chart: the month's leads unknown (no lead source up
    to its end, kpis.nodata) in its reason's words, else that no lead of the month has a channel."""
    if card.snapshot is not None and (why := card.not_fact(card.month, "new_leads")):
        return why
    return _("No leads by channel this month.")


def summary_note(entries: list[dict[str, Any]]) -> str:
    """A new client's history note ("Data from November 2025: 12 months so far.") when every summary
    chart has the same: said once under the summary, and the entries marked to leave it out, not
    repeated under eight charts. "" when the charts differ (each keeps its own) or have none."""
    notes = {entry["chart"].note for entry in entries if not entry["no_chart"]}
    if len(notes) != 1 or not (note := notes.pop()):
        return ""
    for entry in entries:
        entry["note_shared"] = True
    return note


def report_context(
    card: Any, *, client: Any, accent: str, keys: tuple[str, ...], days: list[tuple[dt.date, float, float | None]] | None = None,
    names: dict[str, str] | None = None, bench: dict[str, Any] | None = None, staff: bool = False,
    converted: dict[str, list[tuple[str, float, float]]] | None = None,
) -> dict[str, Any]:
    """Everything the summary shows, for the page, the PDF and the email alike. ``keys``: the
    summary's KPIs (kpis.selectors_report.report_summary_keys); ``days``: the month's ad rows by
    day (kpis.selectors_scorecard.paid_media_days); ``converted``: the ad amounts converted from a platform's own
    currency (kpis.selectors_scorecard.paid_media_currencies); ``names``: campaign names by id; ``bench``: the benchmark
    bands and rates (kpis.selectors_scorecard.benchmarks_for_month); ``staff``: the reader is agency staff
    (an empty section then says what to import, a reason how to fix its data; the PDF and the email are
    the client's)."""
    card = replace(card, staff=staff) if card.staff != staff else card  # its reasons worded for the reader
    funnel = funnel_chart(card, accent=accent)
    mix = channel_chart(card, accent=accent)
    entries = summary(card, keys=keys, currency=client.currency, accent=accent)
    return {
        "paid": paid_media(card, currency=client.currency, accent=accent, days=days, names=names, bench=bench,
                           industry=getattr(client, "industry", "") or "", converted=converted),
        "paid_empty": paid_empty_reason(card, currency=client.currency, staff=staff),
        # Staff get a link to where delivery is connected or imported (a client cannot import).
        "paid_empty_fix": staff and media_without_delivery(card) is not None,
        "period": card.period,
        "verdict": month_verdict(card, keys=keys, currency=client.currency),
        "summary": entries,
        "summary_note": summary_note(entries),
        "funnel_chart": funnel,
        # A month with nothing at any stage: a sentence, not five empty bars of 0.
        "funnel_svg": charts.bars_svg(funnel) if any(bar.value for bar in funnel.bars) else "",
        "mix_chart": mix,
        "mix_svg": charts.bars_svg(mix) if mix else "",
        # Why no channel chart: no lead source at all (kpis.nodata) is no month of 0 leads.
        "mix_empty": mix_empty(card),
        "commentary": commentary_of(card),
        **report_hooks(card, currency=client.currency),  # "What changed" and the pacing bar (kpis.report_drivers)
    }


def commentary_joined(sections: list[tuple[str, str]]) -> str:
    """The commentary's sections as one text for the report: each section its title line, then
    its lines; sections apart by one blank line and none inside a section, so that the PDF can
    tell a title from the text (commentary_blocks)."""
    blocks = []
    for title, text in sections:
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if lines:
            blocks.append("\n".join([str(title).strip(), *lines]))
    return "\n\n".join(blocks)


def commentary_blocks(text: str) -> list[tuple[str, list[str]]]:
    """commentary_joined's text back as (title, lines) pairs."""
    pairs = []
    for block in (text or "").strip().split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if lines:
            pairs.append((lines[0], lines[1:]))
    return pairs


def commentary_of(card: Any) -> str:
    """The month's commentary written by staff (issue #13 stores it); empty renders nothing."""
    if card.snapshot is None:
        return ""
    return str(card.snapshot.document.get("commentary") or getattr(card.snapshot, "commentary", "") or "")


# --- paid media (kpis.md "Paid media"): a card per platform, the month's days, the top campaigns --------

PLATFORM_FIGURES = (
    "ad_spend", "impressions", "clicks", "ctr", "cpc", "platform_conversions", "paid_leads", "cost_per_conversion", "roas",
)
CAMPAIGN_FIGURES = ("marketing_spend", "new_leads", "cpl", "platform_conversions", "cost_per_conversion")
TOP_CAMPAIGNS = 5
# The figures that count the CRM's leads of a campaign: a "—" with its reason when no lead names one.
UNLINKED_FIGURES = frozenset({"paid_leads", "new_leads", "cpl"})


def match_line(platform: str, figures: dict[str, Any], *, unlinked: int | None = None) -> str:
    """The CRM's leads beside the platform's conversions, in one sentence a client can read
    (``unlinked``: the month's new leads, none of which names a campaign — no 0 claimed then)."""
    leads, conversions = figures.get("paid_leads") or 0, figures.get("platform_conversions")
    if unlinked is not None:
        said = ngettext(
            "The CRM's only new lead of this month cannot be matched to the campaigns of %(platform)s: the CRM "
            "records where each lead came from (such as paid search or paid social), not which ad campaign brought it.",
            "The CRM's %(leads)s new leads of this month cannot be matched to the campaigns of %(platform)s: the CRM "
            "records where each lead came from (such as paid search or paid social), not which ad campaign brought it.",
            unlinked,
        ) % {"leads": number_shown(unlinked, 0, force_grouping=True), "platform": platform}
        if conversions is None:
            return said
        return _("%(platform)s claims %(conversions)s conversions. %(unmatched)s") % {
            "platform": platform, "conversions": format_value("platform_conversions", conversions, ""),
            "unmatched": said}
    if conversions is None:
        return _("%(leads)s leads reached the CRM from these campaigns; %(platform)s reports no conversions to compare.") % {
            "leads": number_shown(leads, 0, force_grouping=True), "platform": platform,
        }
    rate = figures.get("paid_lead_match_rate")
    differing = unmatched_conversions(figures)
    if differing is not None:
        # Part of the platform's conversions are on ad rows naming no campaign: the rate divides by the
        # others (kpis.md), and "12 leads for the 48 conversions (30 %)" read as a wrong sum.
        matched, shown = differing
        return _(
            "%(leads)s leads reached the CRM for the %(matched)s conversions %(platform)s claims for campaigns "
            "(%(rate)s); its other %(others)s conversions are on ad data that names no campaign, which no lead can be "
            "matched to. The platform counts with its own attribution (view-through, modelled conversions), the CRM "
            "counts people."
        ) % {
            "leads": number_shown(leads, 0, force_grouping=True), "platform": platform,
            "matched": format_value("platform_conversions", matched, ""),
            "others": format_value("platform_conversions", shown - matched, ""),
            "rate": format_value("paid_lead_match_rate", rate, ""),
        }
    return _(
        "%(leads)s leads reached the CRM for the %(conversions)s conversions %(platform)s claims (%(rate)s): the "
        "platform counts with its own attribution (view-through, modelled conversions), the CRM counts people."
    ) % {
        "leads": number_shown(leads, 0, force_grouping=True),
        "conversions": format_value("platform_conversions", conversions, ""),
        "platform": platform,
        "rate": format_value("paid_lead_match_rate", rate, "") if rate is not None else "—",
    }


# --- what an approved version freezes beside the figures --------------------------------------------
# A version's document (reports.models.ReportVersion) is the snapshot document plus, under this key,
# what the report draws from rows rather than from the figures: the month's ad rows by day (the daily
# charts), the campaigns' and the personas' names (the campaign table, the breakdowns, the PDF's drill-downs) and whether
# the client had revenue data (which KPIs a default summary shows) and any spend up to the month's
# end (kpis.nospend). Frozen at approval
# (kpis.selectors_scorecard.report_frozen_read), so that a restatement changes none of what the client sees
# until staff approve the revision. A snapshot as computed has no such key: staff read the rows.
FROZEN = "report"


def report_frozen(
    *, days: list[tuple[dt.date, float, float | None]], names: dict[str, str], has_revenue: bool, has_spend: bool,
    personas: dict[str, str] | None = None,
    converted: dict[str, list[tuple[str, float, float]]] | None = None,
    has_contact_times: bool = True,
    sources_loaded: dict[str, bool] | None = None,
    unpriced_customers: int | None = None,
    nurture_marked: bool | None = None,
) -> dict[str, Any]:
    """What a version keeps beside its figures, as JSON: the days as [ISO date, spend, clicks], the
    campaigns' names, whether the client had revenue data (which KPIs a default summary shows),
    whether it had any spend row up to the month's end (kpis.nospend: else its costs read —) and
    the buyer personas' names (the persona breakdown, the PDF's drill-down)."""
    frozen = {
        "paid_days": [[day.isoformat(), spend, clicks] for day, spend, clicks in days],
        "campaign_names": dict(names),
        "persona_names": dict(personas or {}),
        "has_revenue": has_revenue,
        "has_spend": has_spend,
        "has_contact_times": has_contact_times,  # a first-contact time up to the month's end (kpis.nocontact)
    }
    if sources_loaded is not None:  # whether the traffic and the email results had a row in the month (kpis.nodata)
        frozen["sources_loaded"] = dict(sources_loaded)
    if unpriced_customers is not None:  # the month's new customers without a deal value (kpis.nodata)
        frozen["unpriced_customers"] = unpriced_customers
    if nurture_marked is not None:  # whether a campaign was marked nurture (kpis.nurture)
        frozen["nurture_marked"] = nurture_marked
    if converted is not None:  # the ad amounts converted from a platform's own currency, by platform
        frozen["paid_converted"] = {platform: [list(row) for row in rows] for platform, rows in converted.items()}
    return frozen


def frozen_converted(document: dict[str, Any] | None) -> dict[str, list[tuple[str, float, float]]] | None:
    """The converted ad amounts by platform an approved document froze; None when it froze none (as
    computed, or approved before versions kept them: then they are read)."""
    frozen = (document or {}).get(FROZEN)
    if not isinstance(frozen, dict) or "paid_converted" not in frozen:
        return None
    return {platform: [(str(c), float(o), float(v)) for c, o, v in rows] for platform, rows in frozen["paid_converted"].items()}


def converted_line(rows: list[tuple[str, float, float]] | None, *, currency: str) -> str:
    """A platform card's line when its amounts came in another currency: beside the platform's own
    screen the spend would otherwise read as a wrong figure. "" when none was converted."""
    # With its ISO code, not its symbol: "$" is the peso's too, and a Mexican client's account in dollars
    # would read as pesos.
    shown = [f"{amount_shown(original, code)}\xa0{code}" for code, original, _converted in rows or []
             if code and code != currency]
    if not shown:
        return ""
    return _("Amounts converted to %(currency)s at each day's reference rate: %(amounts)s in the platform's currency.") % {
        "currency": currency, "amounts": ", ".join(shown)}


def frozen_days(document: dict[str, Any] | None) -> list[tuple[dt.date, float, float | None]] | None:
    """The ad rows by day an approved document froze; None when it froze none (as computed, or
    approved before versions kept them: then the rows are read)."""
    frozen = (document or {}).get(FROZEN)
    if not isinstance(frozen, dict) or "paid_days" not in frozen:
        return None
    return [(dt.date.fromisoformat(day), float(spend), None if clicks is None else float(clicks))
            for day, spend, clicks in frozen["paid_days"]]


def frozen_has_revenue(document: dict[str, Any] | None) -> bool | None:
    """Whether the client had revenue data when the document was approved; None when it froze none."""
    frozen = (document or {}).get(FROZEN)
    return bool(frozen["has_revenue"]) if isinstance(frozen, dict) and "has_revenue" in frozen else None


def frozen_names(document: dict[str, Any] | None, kind: str = "campaign_names") -> dict[str, str] | None:
    """The campaigns' names (``kind`` "persona_names": the personas') an approved document froze;
    None when it froze none (as computed, or approved before versions kept them: then they are read)."""
    frozen = (document or {}).get(FROZEN)
    if not isinstance(frozen, dict) or kind not in frozen:
        return None
    return dict(frozen[kind])


def daily_charts(days: list[tuple[dt.date, float, float | None]], *, month: dt.date, currency: str, accent: str) -> list:
    """The month's ad spend and clicks per day as two line charts (days between the first and the
    last with ad rows count 0 when they have none; clicks are a gap where no row gives them)."""
    if not days:
        return []
    span = list(Month.of(month).days())
    by_day = {day: (spend, clicks) for day, spend, clicks in days}
    first, last = days[0][0], days[-1][0]
    labels = [str(day.day) for day in span]

    def series(index: int) -> list[float | None]:
        values = []
        for day in span:
            if day in by_day:
                values.append(by_day[day][index])
            else:
                values.append(0.0 if first <= day <= last else None)
        return values

    charts_made = []
    for key, title, index in (("ad_spend", _("Ad spend per day"), 0), ("clicks", _("Clicks per day"), 1)):
        values = series(index)
        if all(value is None for value in values):
            continue
        charts_made.append(
            charts.SeriesChart(
                title=str(title), labels=labels, values=values, format=axis_format(key, currency), accent=accent,
                whole=_whole_units(key, currency), from_start=True,  # days 1, 8, 15, 22, 29: the month's weeks
            )
        )
    return charts_made


def platform_bands(key: str, platform: str, *, bench: dict[str, Any] | None, currency: str, industry: str) -> list:
    """The published bands of one ad platform for a figure of its card (a band names its source)."""
    if not bench or not kpi(key).benchmarkable:
        return []
    bands = benchmarks_that_fit(bench["benchmarks"].get(key, []), currency=currency, industry=industry,
                                rates=bench.get("rates"), platform=platform)
    return [benchmark_shown(key, band, currency=currency, rates=bench.get("rates")) for band in bands]


def paid_media(
    card: Any, *, currency: str, accent: str, days: list[tuple[dt.date, float, float | None]] | None = None,
    names: dict[str, str] | None = None, bench: dict[str, Any] | None = None, industry: str = "",
    converted: dict[str, list[tuple[str, float, float]]] | None = None,
) -> dict[str, Any] | None:
    """The report's "Paid media" section, for the page, the PDF and the email alike; None when the
    month has no ad rows (spend rows with a platform): the section then says why in one line."""
    document = card.snapshot.document if card.snapshot else {}
    platforms = document.get("breakdowns", {}).get("platform", {})
    if not platforms:
        return None
    unlinked = crm_leads_unlinked(document)
    unmatched = {"text": "—", "reason": unlinked_reason()} if unlinked is not None else None
    # No lead source at all (kpis.nodata.leads_loaded): the CRM's leads of the campaigns are unknown, not 0.
    no_leads = card.not_fact(card.month, "new_leads") if card.snapshot is not None else ""
    if no_leads:
        unlinked, unmatched = None, {"text": "—", "reason": no_leads}
    cards = []
    for member, figures in sorted(platforms.items(), key=lambda item: -(item[1].get("ad_spend") or 0)):
        label = member_label("platform", member)
        shown = [
            {"key": key, "label": _("Leads in the CRM") if key == "paid_leads" else kpi(key).label,
             **(unmatched if unmatched and key in UNLINKED_FIGURES else
                cell_shown(key, figures.get(key), currency, values=figures)),
             "bands": platform_bands(key, member, bench=bench, currency=currency, industry=industry)}
            for key in PLATFORM_FIGURES
        ]
        cards.append({
            "member": member,
            "label": label,
            "figures": shown,
            "reasons": list(dict.fromkeys(str(f["reason"]) for f in shown if f["reason"])),  # once each, under the card
            "match": "" if no_leads else match_line(label, figures, unlinked=unlinked),
            "converted": converted_line((converted or {}).get(member), currency=currency),
        })
    campaigns = document.get("breakdowns", {}).get("campaign", {})
    spent = sorted(
        ((member, figures) for member, figures in campaigns.items() if (figures.get("marketing_spend") or 0) > 0),
        key=lambda item: -item[1]["marketing_spend"],
    )[:TOP_CAMPAIGNS]
    day_charts = daily_charts(days or [], month=card.month, currency=currency, accent=accent)
    rows = [
        {"member": member_label("campaign", member, names),
         "cells": [dict(unmatched) if unmatched and key in UNLINKED_FIGURES
                   else row_cell_shown(key, figures, currency, dimension="campaign") for key in CAMPAIGN_FIGURES]}
        for member, figures in spent
    ]
    fractional_counts_aligned(list(CAMPAIGN_FIGURES), [figures for _member, figures in spent], rows)
    # New leads and cost per lead of a CRM whose leads name no campaign: columns of "—" left out and named.
    campaign_columns, campaign_rows, campaigns_blank = blank_columns_dropped(
        [str(_("Conversions")) if key == "platform_conversions" else str(kpi(key).label) for key in CAMPAIGN_FIGURES],
        rows, dimension="campaign",
    )
    return {
        "platforms": cards,
        "unlinked": unlinked,  # the month's new leads when none names a campaign (each card's match line says so)
        "charts": day_charts,
        "charts_svg": [(chart.title, charts.series_svg(chart)) for chart in day_charts],
        "campaign_columns": campaign_columns,
        "campaigns": campaign_rows,
        "campaigns_blank": campaigns_blank,
        "note": _("Platform conversions are the platforms' own claims (their attribution windows, view-through and "
                  "modelled conversions); leads are counted in the CRM."),
    }
