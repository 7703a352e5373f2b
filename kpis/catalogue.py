"""The KPI catalogue: one declaration per key of the snapshot export (kpis.md), and nothing else.

Every fact about a KPI lives here, once: its group, its translatable label and short
definition, its unit, which direction is good news, its formula (or the month's input it
reads), whether it is a headline figure, its place in the default executive summary and in the
funnel, the planner step it is the target of, whether it is a flow projected to the month's end
(paced) or built on revenue, why it can be undefined (null), and whether a published benchmark
band can be set for it. The snapshot computes from it (``kpis.snapshot``), and the scorecard,
the portfolio, the report, the monthly email, the planner, the target and benchmark forms, the
CSV/PDF exports and the snapshot document's key order all read it (in the spirit of zulip's
``analytics/lib/counts.py`` ``CountStat``).

To add a KPI: write its formula as a pure function in ``kpis/formulas`` (with its unit test),
declare it below in its group (the order is the export's and the scorecard's) with
``formula=of(function, "name", …)`` naming the other KPIs or month inputs it is applied to, add
it to kpis.md's table (or mark it ``beyond_spec``), and give its label, definition and reasons
their Spanish in ``locale/es``. A month input the snapshot does not gather yet is aggregated in
SQL in ``kpis.selectors`` and named in ``kpis.snapshot.month_inputs``. A test fails when a key
of kpis.md is missing here, declared twice, or one here is neither in kpis.md nor ``beyond_spec``.

This module imports nothing from the project but the pure formulas, so any app may read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models.enums import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kpis.formulas import costs, email, funnel, paid, recurring, traffic
from kpis.formulas.common import ratio
from kpis.formulas.contracts import KEYS as CONTRACT_KEYS


class Unit(TextChoices):
    """What a KPI's value measures: decides how it is written, checked and compared."""

    COUNT = "count", _("Count")
    MONEY = "money", _("Money")
    RATE = "rate", _("Fraction (0.25 = 25%)")
    RATIO = "ratio", _("Ratio")
    HOURS = "hours", _("Hours")
    DAYS = "days", _("Days")
    MONTHS = "months", _("Months")


class Better(StrEnum):
    """Which way a move is good news: a rise (UP), a fall (DOWN), neither (NEUTRAL)."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Group:
    key: str
    title: Promise
    note: Promise | str = ""  # said under the group's figures in the glossary (page and docs/)


# The largest magnitude a value of each unit may take (targets, the planner): far above any
# agency's figures, far below where float arithmetic and 28-digit decimals stop being exact.
UNIT_CEILING: dict[str, float] = {
    Unit.COUNT: 1e12, Unit.MONEY: 1e12, Unit.RATE: 1e6, Unit.RATIO: 1e6,
    Unit.HOURS: 1e6, Unit.DAYS: 36_500, Unit.MONTHS: 1_200,
}


@dataclass(frozen=True)
class Formula:
    """A pure function of ``kpis.formulas`` and what it is applied to: each name is another KPI
    of the month (computed first) or one of the month's inputs (``kpis.snapshot.month_inputs``)."""

    function: Callable[..., Any]
    args: tuple[str, ...] = ()
    kwargs: tuple[tuple[str, str], ...] = ()

    def __call__(self, value_of: Callable[[str], Any]) -> Any:
        return self.function(*map(value_of, self.args), **{arg: value_of(name) for arg, name in self.kwargs})


def of(function: Callable[..., Any], *args: str, **kwargs: str) -> Formula:
    """``of(costs.cost_per, "marketing_spend", "new_leads")``: cpl's formula, by the names it reads."""
    return Formula(function, args, tuple(kwargs.items()))


@dataclass(frozen=True)
class Kpi:
    """One KPI.

    ``formula``: how it is computed from other KPIs and the month's inputs; without one it is
    the month's input of its own name (a count or sum the selectors aggregated).
    ``headline``: a typed column of a snapshot and the portfolio's, and a candidate of the
    executive summary; ``summary``: its place among the summary's defaults (1 first, 0 none).
    ``paced``: a flow whose month-to-date value is projected to the month's end by working days
    (stocks and rates are shown as they stand). ``revenue_based``: built on revenue (left out of
    a default summary while the client has no revenue data). ``funnel`` / ``funnel_label``: its
    step in the funnel chart (1 first). ``plan``: the reverse-funnel planner's step whose monthly
    count becomes its target. ``null_reasons``: why the value can be undefined, as the spec says
    (empty for counts and sums that are never null). ``benchmarkable``: a published band can be
    compared to it (a rate or a unit cost is; a client-sized total is not). ``bounds`` overrides
    the unit's plausible range for a target (``None``: the unit's ceiling). ``beyond_spec``: a KPI of
    this product that kpis.md does not list (the catalogue's test allows it only so marked).
    ``compared``: False for a figure whose change against another month means nothing — growth needed
    per working day is the ratio of two months' working days, a fact of the calendar: its change
    ("+4.8 pp" beside "4.8 %", in green) read as a result of marketing; it shows no change anywhere.
    """

    key: str
    group: str
    label: Promise
    definition: Promise
    unit: Unit
    better: Better = Better.UP
    headline: bool = False
    null_reasons: tuple[Reason, ...] = ()
    benchmarkable: bool = False
    bounds: tuple[float | None, float | None] | None = None
    formula: Formula | None = None
    paced: bool = False
    revenue_based: bool = False
    summary: int = 0
    funnel: int = 0
    funnel_label: Promise | None = None
    plan: str = ""
    beyond_spec: bool = False
    compared: bool = True

    def compute(self, value_of: Callable[[str], Any], inputs: dict[str, Any]) -> Any:
        """Its value in a month: its formula over ``value_of`` (other KPIs or inputs, by name),
        else the month's input named like it."""
        return self.formula(value_of) if self.formula is not None else inputs[self.key]

    @property
    def whole(self) -> bool:
        """Counted in whole units (a count of things, a number of days)."""
        return self.unit in (Unit.COUNT, Unit.DAYS)

    @property
    def range(self) -> tuple[float, float]:
        """The plausible (low, high) of a value, always finite: a rate that is a share of a whole
        lies in 0–1; counts, money and hours are 0 or more; growth, ROI and ratios may be negative.
        An open end stops at the unit's ceiling (``UNIT_CEILING``): a target of 1e27 is a typing
        mistake, and a figure that large would overflow the report's formatting (issue #24)."""
        ceiling = UNIT_CEILING[self.unit]
        if self.bounds is not None:
            low, high = self.bounds
            return (-ceiling if low is None else low, ceiling if high is None else high)
        if self.unit == Unit.RATE:
            return (0.0, 1.0)
        if self.unit in (Unit.COUNT, Unit.DAYS, Unit.MONEY, Unit.HOURS):
            return (0.0, ceiling)
        return (-ceiling, ceiling)


# CLTV and the contract lifetime value are shown side by side (the report's "Contract lifetime value,
# explained", the PDF's, the glossary) and often far apart: a reader saw two lifetime values and no word
# on why. The spec's two definitions (kpis.md) in the product's words.
LIFETIME_VALUES_COMPARED = _(
    "CLTV and contract lifetime value estimate what a customer is worth in two ways. CLTV divides this month's "
    "revenue per paying account (ARPA) by the share of accounts lost this month, retainers only, so one month's "
    "cancellations move it a lot. Contract lifetime value is worked out from the contracts themselves (their "
    "fees and terms, early cancellations and renewals over the horizon, projects included), so it moves slowly."
)

GROUPS: tuple[Group, ...] = (
    Group("traffic", _("Traffic")),
    Group("funnel", _("Leads and funnel")),
    Group("email", _("Email")),
    Group("cost_and_revenue", _("Cost and revenue")),
    Group("paid_media", _("Paid media")),
    Group("recurring_revenue_and_value", _("Recurring revenue and lifetime value"), note=LIFETIME_VALUES_COMPARED),
)

UNBOUNDED = (None, None)  # growth, ROI, uplift: may be negative or above 1


@dataclass(frozen=True)
class Reason:
    """Why a figure can be undefined, and how to tell from the month's KPI values (the snapshot
    document's ``kpis``) whether it is why this month: a "—" names the causes that hold, never one
    the month contradicts ("no account pays a retainer" beside an MRR of €157k). ``holds`` is None
    when the document cannot tell (its input is not a KPI): the reason is then shown as it stands."""

    text: Promise
    holds: Callable[[dict[str, Any]], bool] | None = None
    # The text naming the month before ("No MQLs in February 2026."), for a screen that knows it; ``text``
    # ("… the previous month") where no month is (the glossary).
    dated: Promise | None = None
    # The text naming the month it is about ("No customers in October 2026.") where ``text`` says "this
    # month", for a reason said of another month than the page's (a change's comparison month).
    of_month: Promise | None = None

    def __str__(self) -> str:
        return str(self.text)

    def said(self, before: str = "") -> str:
        """The reason, naming the month before as ``before`` ("February 2026") when given and it can."""
        return str(self.dated) % {"month": before} if before and self.dated is not None else str(self.text)

    def said_of(self, month: str, before: str = "") -> str:
        """The reason said of ``month`` ("October 2026"), a month other than the page's: in words naming
        it ("No customers in October 2026."), else after it ("In October 2026: No retainer has ended
        yet."). A reason saying "this month" of another month than the one on the page misled."""
        if self.of_month is not None:
            return str(self.of_month) % {"month": month}
        return gettext("In %(month)s: %(why)s") % {"month": month, "why": self.said(before)}


def _zero(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: name in values and values[name] == 0


def _none_or_zero(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: name in values and not values[name]


def _null(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: name in values and values[name] is None


def _positive(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda values: bool(values.get(name))


# Why a figure is undefined: the reasons shared by several KPIs.
NO_SESSIONS = Reason(_("No sessions this month."), _zero("sessions"), of_month=_("No sessions in %(month)s."))
NO_NEW_LEADS = Reason(_("No new leads this month."), _zero("new_leads"), of_month=_("No new leads in %(month)s."))
NO_MQLS = Reason(_("No MQLs this month."), _zero("mqls"), of_month=_("No MQLs in %(month)s."))
NO_SQLS = Reason(_("No SQLs this month."), _zero("sqls"), of_month=_("No SQLs in %(month)s."))
NO_CUSTOMERS = Reason(_("No customers this month."), _zero("customers"), of_month=_("No customers in %(month)s."))
NO_SPEND = Reason(_("No marketing spend this month."), _zero("marketing_spend"), of_month=_("No marketing spend in %(month)s."))
NO_SENT = Reason(_("No emails sent this month."), _zero("emails_sent"), of_month=_("No emails sent in %(month)s."))
NO_DELIVERED = Reason(_("No emails delivered this month."), _zero("emails_delivered"),
                      of_month=_("No emails delivered in %(month)s."))
# An email count left empty is not given (clients.models.EmailRow): the rates over it are null, never 0 %.
DELIVERED_NOT_GIVEN = Reason(_("The email results of this month do not give the emails delivered."),
                             lambda values: bool(values.get("emails_sent")) and _null("emails_delivered")(values),
                             of_month=_("The email results of %(month)s do not give the emails delivered."))
COUNT_NOT_GIVEN = Reason(_("The email results of this month do not give this count."),
                         of_month=_("The email results of %(month)s do not give this count."))
NOT_CONTACTED = Reason(_("No lead of this month has been contacted yet."),
                       of_month=_("No lead of %(month)s has been contacted yet."))
SHORT_HISTORY = Reason(_("Less than three months of history before this month."), _null("revenue_uplift"),
                       of_month=_("Less than three months of history before %(month)s."))
NO_REVENUE_BEFORE = Reason(_("No marketing revenue in the three months before."),
                           lambda values: values.get("revenue_uplift") is not None)
NO_MRR_BEFORE = Reason(_("No MRR at the end of the previous month."), _zero("mrr_start"),
                       dated=_("No MRR at the end of %(month)s."))
NO_ACCOUNTS = Reason(_("No account pays a retainer at the end of this month."), _zero("accounts"),
                     of_month=_("No account paid a retainer at the end of %(month)s."))
# The churn rate is undefined exactly when no account paid at the end of the previous month.
NO_ACCOUNTS_BEFORE = Reason(_("No account paid a retainer at the end of the previous month."),
                            _null("customer_churn_rate"), dated=_("No account paid a retainer at the end of %(month)s."))
NO_CHURN = Reason(_("No account stopped paying this month: with a churn rate of zero, lifetime value has no end."),
                  _zero("customer_churn_rate"),
                  of_month=_("No account stopped paying in %(month)s: with a churn rate of zero, lifetime value has no end."))
NO_ACQUISITION_COST = Reason(_("No marketing or sales spend this month, so CAC is zero."), _zero("cac"),
                             of_month=_("No marketing or sales spend in %(month)s, so CAC is zero."))
# CAC payback divides by ARPA × gross margin: with a CAC and an ARPA but no payback, the client's gross
# margin is 0 (kpis.md: cac / (arpa × gross_margin)), which the document does not carry but its values tell.
ZERO_MARGIN = Reason(_("The gross margin is set to 0 %: payback is CAC ÷ (ARPA, the monthly revenue per account, × "
                       "gross margin), and without a margin no revenue pays the cost of acquiring a customer back."),
                     lambda values: (values.get("cac") is not None and bool(values.get("arpa"))
                                     and _null("cac_payback_months")(values)))
NO_RETAINERS = Reason(_("No retainer is known at the end of this month."),
                      of_month=_("No retainer is known at the end of %(month)s."))
NO_SETTLED_RETAINERS = Reason(_("No retainer has ended yet."))
NO_FULL_TERM = Reason(_("No retainer has run its full term yet."))
NO_PROJECTS = Reason(_("No project is known at the end of this month."),
                     of_month=_("No project is known at the end of %(month)s."))
NO_SETTLED_PROJECTS = Reason(_("No project has ended yet."))
NO_WORKING_DAYS = Reason(_("No working days this month."), _zero("working_days"), of_month=_("No working days in %(month)s."))
NO_MOBILE = Reason(_("No mobile sessions this month."), _zero("mobile_share"), of_month=_("No mobile sessions in %(month)s."))
NO_DEVICE = Reason(_("Part of this month's traffic data gives no device, so the device shares are unknown."),
                   lambda values: bool(values.get("sessions")) and _null("mobile_share")(values),
                   of_month=_("Part of the traffic data of %(month)s gives no device, so the device shares are unknown."))
NO_BOUNCES = Reason(_("This month's traffic data does not give bounced sessions."),
                    lambda values: bool(values.get("sessions")) and _null("bounce_rate")(values),
                    of_month=_("The traffic data of %(month)s does not give bounced sessions."))
NO_MOBILE_BOUNCES = Reason(_("This month's mobile traffic data does not give bounced sessions."), _positive("mobile_share"),
                           of_month=_("The mobile traffic data of %(month)s does not give bounced sessions."))
# Paid media: a figure is null when its input is zero or when no ad row of the month gives its column.
# ROAS divides by the ad spend: conversion value the platforms report for a month without ad spend (conversions
# credited after a campaign stopped) leaves it undefined for that reason, not for a missing value.
NO_AD_SPEND = Reason(_("No ad platform spend this month."), _zero("ad_spend"),
                     of_month=_("No ad platform spend in %(month)s."))
NO_IMPRESSIONS = Reason(_("No impressions this month, or the ad platforms do not report them."),
                        _none_or_zero("impressions"),
                        of_month=_("No impressions in %(month)s, or the ad platforms do not report them."))
NO_CLICKS = Reason(_("No clicks this month, or the ad platforms do not report them."), _none_or_zero("clicks"),
                   of_month=_("No clicks in %(month)s, or the ad platforms do not report them."))
NO_CONVERSIONS = Reason(_("No platform conversions this month, or the ad platforms do not report them."),
                        _none_or_zero("platform_conversions"),
                        of_month=_("No platform conversions in %(month)s, or the ad platforms do not report them."))
NO_CONVERSION_VALUE = Reason(_("No conversion value this month, or the ad platforms do not report it."),
                             _none_or_zero("conversion_value"),
                             of_month=_("No conversion value in %(month)s, or the ad platforms do not report it."))

C, M, R, X, H, D, MO = Unit.COUNT, Unit.MONEY, Unit.RATE, Unit.RATIO, Unit.HOURS, Unit.DAYS, Unit.MONTHS
DOWN, NEUTRAL = Better.DOWN, Better.NEUTRAL

KPIS: tuple[Kpi, ...] = (
    # --- traffic
    Kpi("sessions", "traffic", _("Sessions"), _("Website sessions in the month."), C, headline=True,
        paced=True, funnel=1, plan="sessions"),
    Kpi("organic_share", "traffic", _("Organic search share"), _("Share of sessions from organic search."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True,
        formula=of(traffic.share, "organic_sessions", "sessions")),
    Kpi("social_share", "traffic", _("Social share"), _("Share of sessions from organic or paid social."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True,
        formula=of(traffic.share, "social_sessions", "sessions")),
    Kpi("mobile_share", "traffic", _("Mobile share"), _("Share of sessions on mobile devices."), R,
        null_reasons=(NO_SESSIONS, NO_DEVICE), benchmarkable=True,
        formula=of(traffic.share, "mobile_sessions", "sessions")),
    Kpi("bounce_rate", "traffic", _("Bounce rate"), _("Bounced sessions ÷ sessions."), R, DOWN,
        null_reasons=(NO_SESSIONS, NO_BOUNCES), benchmarkable=True,
        formula=of(traffic.bounce_rate, "bounced_sessions", "sessions_with_bounces")),
    Kpi("mobile_bounce_rate", "traffic", _("Mobile bounce rate"), _("Bounced sessions ÷ sessions, on mobile only."), R, DOWN,
        null_reasons=(NO_MOBILE, NO_DEVICE, NO_MOBILE_BOUNCES), benchmarkable=True,
        formula=of(traffic.bounce_rate, "mobile_bounced_sessions", "mobile_sessions_with_bounces")),
    Kpi("landing_page_conversion_rate", "traffic", _("Landing page conversion"),
        _("Form submissions ÷ sessions, on landing pages only."), R,
        null_reasons=(Reason(_("No landing page sessions this month."),
                             of_month=_("No landing page sessions in %(month)s.")),), benchmarkable=True,
        formula=of(traffic.landing_page_conversion_rate, "landing_page_form_submissions", "landing_page_sessions")),
    Kpi("active_landing_pages", "traffic", _("Active landing pages"), _("Landing pages with at least one session."), C),
    Kpi("traffic_to_lead", "traffic", _("Traffic → lead rate"), _("New leads ÷ sessions."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True,
        formula=of(traffic.traffic_to_lead, "new_leads", "sessions")),
    # --- leads and funnel
    Kpi("new_leads", "funnel", _("New leads"), _("Leads created in the month."), C, headline=True,
        paced=True, summary=1, funnel=2, funnel_label=_("Leads"), plan="leads"),
    Kpi("working_days", "funnel", _("Working days"), _("Monday to Friday, minus the company's holidays."), D, NEUTRAL),
    # Paced: the month's leads so far over all its working days scale to its end as a count does (while the
    # month runs, 50 leads in 5 of 22 working days read 2.27 a day, on pace for 10).
    Kpi("leads_per_working_day", "funnel", _("Leads per working day"), _("New leads ÷ working days."), X,
        null_reasons=(NO_WORKING_DAYS,), paced=True,
        formula=of(funnel.leads_per_working_day, new_leads="new_leads", working_days="working_days")),
    Kpi("growth_needed_per_working_day", "funnel", _("Growth needed per working day"),
        _("The rise in leads per working day needed to equal last month's total in this month's working days."), R,
        NEUTRAL, null_reasons=(Reason(_("No new leads in the previous month."), dated=_("No new leads in %(month)s.")),),
        bounds=UNBOUNDED, compared=False,
        formula=of(funnel.growth_needed_per_working_day, working_days="working_days",
            working_days_prev="working_days_prev", new_leads_prev="new_leads_prev")),
    Kpi("database_size", "funnel", _("Database size"), _("Leads at the end of the month, less those who unsubscribed."), C),
    Kpi("opt_out_rate", "funnel", _("Opt-out rate"),
        _("Leads of last month's database who unsubscribed this month ÷ that database."), R, DOWN,
        null_reasons=(Reason(_("The database was empty at the end of the previous month."),
                             dated=_("The database was empty at the end of %(month)s.")),), benchmarkable=True,
        formula=of(funnel.opt_out_rate, unsubscribed="opted_out", database_size_prev="database_size_prev")),
    Kpi("mqls", "funnel", _("MQLs"), _("Leads that became marketing-qualified in the month."), C, headline=True,
        paced=True, summary=2, funnel=3, plan="mqls"),
    Kpi("sales_ready_leads", "funnel", _("Sales-ready leads"), _("Fitting leads that showed a buying signal in the month."), C,
        paced=True),
    Kpi("sqls", "funnel", _("SQLs"), _("Leads that became sales-qualified in the month."), C, headline=True,
        paced=True, funnel=4, plan="sqls"),
    Kpi("sals", "funnel", _("SALs"), _("Leads that sales accepted in the month."), C, paced=True),
    Kpi("opportunities", "funnel", _("Opportunities"), _("Leads that became opportunities in the month."), C,
        paced=True),
    Kpi("customers", "funnel", _("Customers"), _("Leads that became customers in the month."), C, headline=True,
        paced=True, summary=3, funnel=5, plan="deals"),
    Kpi("qualified_lead_rate", "funnel", _("Lead → MQL rate"), _("MQLs ÷ new leads."), R,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True,
        formula=of(funnel.conversion, "mqls", "new_leads")),
    # Not a cohort: the month's SQLs are other leads than its MQLs (the criteria editor's backtest
    # follows the same leads, and says so), hence a definition that says it can pass 100 %.
    Kpi("mql_to_sql_rate", "funnel", _("MQL → SQL rate"),
        _("This month's SQLs ÷ this month's MQLs. They are not the same leads (a lead that became an MQL in an "
          "earlier month can become an SQL this month), so the rate can exceed 100 %."),
        R, null_reasons=(NO_MQLS,), benchmarkable=True, formula=of(funnel.conversion, "sqls", "mqls")),
    Kpi("sal_rate", "funnel", _("SQL → SAL rate"), _("SALs ÷ SQLs."), R, null_reasons=(NO_SQLS,), benchmarkable=True,
        formula=of(funnel.conversion, "sals", "sqls")),
    Kpi("sql_to_customer_rate", "funnel", _("SQL → customer rate"), _("Customers ÷ SQLs."), R,
        null_reasons=(NO_SQLS,), benchmarkable=True, formula=of(funnel.conversion, "customers", "sqls")),
    Kpi("lead_to_customer_rate", "funnel", _("Lead → customer rate"), _("Customers ÷ new leads."), R,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True,
        formula=of(funnel.conversion, "customers", "new_leads")),
    Kpi("lead_velocity_rate", "funnel", _("Lead velocity rate"), _("The change in MQLs against the previous month."), R,
        null_reasons=(Reason(_("No MQLs in the previous month."), dated=_("No MQLs in %(month)s.")),),
        benchmarkable=True, bounds=UNBOUNDED,
        formula=of(funnel.lead_velocity_rate, mqls="mqls", mqls_prev="mqls_prev")),
    Kpi("nurture_leads", "funnel", _("Nurture leads"), _("New leads from campaigns marked nurture."), C,
        paced=True),
    Kpi("marketing_sourced_customer_share", "funnel", _("Marketing-sourced customers"),
        _("Share of the month's customers whose lead came from marketing."), R,
        null_reasons=(NO_CUSTOMERS,), benchmarkable=True,
        formula=of(ratio, "marketing_customers", "customers")),
    Kpi("median_response_hours", "funnel", _("Median time to first contact"),
        _("Median hours from a new lead to its first contact."), H, DOWN,
        null_reasons=(NOT_CONTACTED,), benchmarkable=True),
    Kpi("p90_response_hours", "funnel", _("90th percentile time to first contact"),
        _("90th percentile of the hours from a new lead to its first contact."), H, DOWN,
        null_reasons=(NOT_CONTACTED,), benchmarkable=True),
    Kpi("contacted_within_4h_share", "funnel", _("Contacted within 4 hours"),
        _("Share of new leads first contacted within 4 hours."), R, null_reasons=(NO_NEW_LEADS,), benchmarkable=True,
        formula=of(ratio, "contacted_within_4h", "new_leads")),
    Kpi("uncontacted_share", "funnel", _("Not contacted"), _("Share of new leads not contacted yet."), R, DOWN,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True, formula=of(ratio, "uncontacted", "new_leads")),
    # --- email
    Kpi("emails_sent", "email", _("Emails sent"), _("Emails sent in the month."), C, paced=True),
    Kpi("emails_delivered", "email", _("Emails delivered"), _("Emails delivered in the month."), C,
        paced=True, null_reasons=(DELIVERED_NOT_GIVEN,)),
    # Each rate over the rows that give both its counts (a count left empty is not given).
    Kpi("deliverability_rate", "email", _("Deliverability"), _("Delivered ÷ sent."), R,
        null_reasons=(NO_SENT, DELIVERED_NOT_GIVEN), benchmarkable=True,
        formula=of(email.deliverability_rate, delivered="emails_delivered", sent="sent_with_delivered")),
    Kpi("open_rate", "email", _("Open rate"), _("Unique opens ÷ delivered."), R,
        null_reasons=(NO_DELIVERED, DELIVERED_NOT_GIVEN, COUNT_NOT_GIVEN), benchmarkable=True,
        formula=of(email.per_delivered, "unique_opens", "delivered_with_opens")),
    Kpi("click_through_rate", "email", _("Click-through rate"), _("Unique clicks ÷ delivered."), R,
        null_reasons=(NO_DELIVERED, DELIVERED_NOT_GIVEN, COUNT_NOT_GIVEN), benchmarkable=True,
        formula=of(email.per_delivered, "unique_clicks", "delivered_with_clicks")),
    Kpi("email_unsubscribe_rate", "email", _("Email unsubscribe rate"), _("Unsubscribes ÷ delivered."), R, DOWN,
        null_reasons=(NO_DELIVERED, DELIVERED_NOT_GIVEN, COUNT_NOT_GIVEN), benchmarkable=True,
        formula=of(email.per_delivered, "unsubscribes", "delivered_with_unsubscribes")),
    # --- cost and revenue
    Kpi("media_spend", "cost_and_revenue", _("Media spend"), _("Spend on media in the month."), M, NEUTRAL,
        paced=True),
    Kpi("nurture_spend", "cost_and_revenue", _("Nurture spend"), _("Spend on nurture in the month."), M, NEUTRAL,
        paced=True),
    Kpi("sales_spend", "cost_and_revenue", _("Sales spend"), _("Spend on sales in the month."), M, NEUTRAL,
        paced=True),
    Kpi("marketing_spend", "cost_and_revenue", _("Marketing spend"), _("Spend on media, marketing and nurture."), M, NEUTRAL,
        headline=True, paced=True, summary=4),
    Kpi("cpl", "cost_and_revenue", _("Cost per lead"), _("Marketing spend ÷ new leads."), M, DOWN, headline=True,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True,
        formula=of(costs.cost_per, "marketing_spend", "new_leads"), summary=5),
    Kpi("cost_per_mql", "cost_and_revenue", _("Cost per MQL"), _("Marketing spend ÷ MQLs."), M, DOWN,
        null_reasons=(NO_MQLS,), benchmarkable=True, formula=of(costs.cost_per, "marketing_spend", "mqls")),
    Kpi("cost_per_sql", "cost_and_revenue", _("Cost per SQL"), _("Marketing spend ÷ SQLs."), M, DOWN,
        null_reasons=(NO_SQLS,), benchmarkable=True, formula=of(costs.cost_per, "marketing_spend", "sqls")),
    Kpi("cost_per_customer", "cost_and_revenue", _("Cost per customer"), _("Marketing spend ÷ customers."), M, DOWN,
        null_reasons=(NO_CUSTOMERS,), benchmarkable=True,
        formula=of(costs.cost_per, "marketing_spend", "customers")),
    Kpi("cac", "cost_and_revenue", _("Customer acquisition cost (CAC)"), _("(Marketing spend + sales spend) ÷ customers."),
        M, DOWN, headline=True, null_reasons=(NO_CUSTOMERS,), benchmarkable=True,
        formula=of(costs.cac, marketing_spend="marketing_spend", sales_spend="sales_spend", customers="customers"),
            summary=6),
    Kpi("revenue", "cost_and_revenue", _("Revenue"), _("Deal value of the month's customers."), M, headline=True,
        paced=True, revenue_based=True),
    Kpi("marketing_revenue", "cost_and_revenue", _("Marketing revenue"),
        _("Deal value of the month's customers whose lead came from marketing."), M,
        paced=True, revenue_based=True),
    Kpi("roi", "cost_and_revenue", _("ROI"), _("(Marketing revenue − marketing spend) ÷ marketing spend."), R,
        null_reasons=(NO_SPEND,), benchmarkable=True, bounds=UNBOUNDED,
        formula=of(costs.roi, revenue="marketing_revenue", spend="marketing_spend"), revenue_based=True),
    Kpi("romi", "cost_and_revenue", _("Return on marketing investment (ROMI)"),
        _("(Marketing revenue × gross margin − marketing spend) ÷ marketing spend."), R, headline=True,
        null_reasons=(NO_SPEND,), benchmarkable=True, bounds=UNBOUNDED,
        formula=of(costs.romi, marketing_revenue="marketing_revenue", gross_margin="gross_margin",
            marketing_spend="marketing_spend"), summary=7, revenue_based=True),
    Kpi("revenue_uplift", "cost_and_revenue", _("Revenue uplift"),
        _("Marketing revenue less its mean over the three months before."), M,
        null_reasons=(SHORT_HISTORY,), bounds=UNBOUNDED,
        formula=of(costs.revenue_uplift, marketing_revenue="marketing_revenue",
            previous_three="marketing_revenue_before"), revenue_based=True),
    Kpi("revenue_uplift_annualized", "cost_and_revenue", _("Revenue uplift, annualized"), _("Revenue uplift × 12."), M,
        null_reasons=(SHORT_HISTORY,), bounds=UNBOUNDED,
        formula=of(costs.revenue_uplift_annualized, "revenue_uplift"), revenue_based=True),
    Kpi("revenue_uplift_rate", "cost_and_revenue", _("Revenue uplift rate"),
        _("Revenue uplift ÷ the mean marketing revenue of the three months before."), R,
        null_reasons=(SHORT_HISTORY, NO_REVENUE_BEFORE), benchmarkable=True,
        bounds=UNBOUNDED,
        formula=of(costs.revenue_uplift_rate, uplift="revenue_uplift", previous_three="marketing_revenue_before"),
            revenue_based=True),
    # --- paid media (ad rows: spend rows with a platform)
    Kpi("ad_spend", "paid_media", _("Ad spend"), _("Spend on the ad platforms in the month."), M, NEUTRAL, paced=True),
    Kpi("impressions", "paid_media", _("Impressions"), _("Times the ads were shown, as the platforms report."), C,
        paced=True, null_reasons=(NO_IMPRESSIONS,)),
    Kpi("clicks", "paid_media", _("Clicks"), _("Clicks on the ads, as the platforms report."), C, paced=True,
        null_reasons=(NO_CLICKS,)),
    Kpi("ctr", "paid_media", _("Click-through rate (ads)"), _("Clicks ÷ impressions."), R,
        null_reasons=(NO_IMPRESSIONS,), benchmarkable=True, formula=of(paid.ctr, "clicks", "impressions")),
    Kpi("cpc", "paid_media", _("Cost per click"),
        _("Ad spend ÷ clicks, counting only the spend for which the platforms report clicks."), M, DOWN,
        null_reasons=(NO_CLICKS,), benchmarkable=True, formula=of(paid.cpc, "spend_with_clicks", "clicks")),
    Kpi("cpm", "paid_media", _("Cost per 1,000 impressions"), _("Ad spend ÷ impressions × 1,000."), M, DOWN,
        null_reasons=(NO_IMPRESSIONS,), benchmarkable=True, formula=of(paid.cpm, "spend_with_impressions", "impressions")),
    Kpi("platform_conversions", "paid_media", _("Platform conversions"),
        _("Conversions the ad platforms claim, by their own attribution."), C, paced=True,
        null_reasons=(NO_CONVERSIONS,)),
    Kpi("cost_per_conversion", "paid_media", _("Cost per conversion"),
        _("Ad spend ÷ platform conversions, counting only the spend for which the platforms report conversions."), M, DOWN,
        null_reasons=(NO_CONVERSIONS,), benchmarkable=True,
        formula=of(paid.cost_per_conversion, "spend_with_conversions", "platform_conversions")),
    Kpi("click_conversion_rate", "paid_media", _("Click → conversion rate"),
        _("Platform conversions ÷ clicks, counting only where the platforms report both."), R,
        null_reasons=(NO_CLICKS, NO_CONVERSIONS), benchmarkable=True, bounds=UNBOUNDED,
        formula=of(paid.click_conversion_rate, "conversions_with_clicks", "clicks_with_conversions")),
    Kpi("conversion_value", "paid_media", _("Conversion value"), _("The value the ad platforms give their conversions."), M,
        paced=True, null_reasons=(NO_CONVERSION_VALUE,)),
    Kpi("roas", "paid_media", _("ROAS"),
        _("Conversion value ÷ ad spend, counting only the spend for which the platforms report a conversion value."), X,
        null_reasons=(NO_CONVERSION_VALUE, NO_AD_SPEND), benchmarkable=True,
        formula=of(paid.roas, "conversion_value", "spend_with_value")),
    Kpi("paid_leads", "paid_media", _("Paid leads"), _("New leads of the campaigns with ad platform data this month."), C,
        paced=True),
    Kpi("paid_lead_match_rate", "paid_media", _("Paid lead match rate"),
        _("Paid leads in the CRM ÷ the conversions the platforms claim for those campaigns."), R, NEUTRAL,
        null_reasons=(NO_CONVERSIONS,), bounds=UNBOUNDED,
        formula=of(paid.paid_lead_match_rate, "paid_leads", "campaign_conversions")),
    # --- recurring revenue and lifetime value
    Kpi("mrr", "recurring_revenue_and_value", _("MRR"),
        _("Monthly recurring revenue of active retainers at the month's end."), M),
    Kpi("mrr_start", "recurring_revenue_and_value", _("MRR at the start"), _("MRR at the end of the previous month."), M,
        NEUTRAL),
    Kpi("accounts", "recurring_revenue_and_value", _("Accounts"), _("Accounts paying a retainer at the month's end."), C),
    Kpi("new_mrr", "recurring_revenue_and_value", _("New MRR"), _("MRR of accounts that paid nothing a month before."), M,
        paced=True),
    Kpi("expansion_mrr", "recurring_revenue_and_value", _("Expansion MRR"), _("Increases of accounts paying at both ends."), M,
        paced=True),
    Kpi("contraction_mrr", "recurring_revenue_and_value", _("Contraction MRR"),
        _("Decreases of accounts paying at both ends."), M, DOWN, paced=True),
    Kpi("churned_mrr", "recurring_revenue_and_value", _("Churned MRR"), _("Last month's MRR of accounts that stopped paying."),
        M, DOWN, paced=True),
    Kpi("gross_mrr_churn_rate", "recurring_revenue_and_value", _("Gross MRR churn"),
        _("(Churned MRR + contraction MRR) ÷ MRR at the start."), R, DOWN, headline=True,
        null_reasons=(NO_MRR_BEFORE,), benchmarkable=True,
        formula=of(recurring.gross_mrr_churn_rate, churned_mrr="churned_mrr", contraction_mrr="contraction_mrr",
            mrr_start="mrr_start")),
    Kpi("gross_mrr_retention", "recurring_revenue_and_value", _("Gross MRR retention"), _("1 − gross MRR churn."), R,
        null_reasons=(NO_MRR_BEFORE,), benchmarkable=True,
        formula=of(recurring.gross_mrr_retention, "gross_mrr_churn_rate")),
    Kpi("arpa", "recurring_revenue_and_value", _("ARPA"), _("Average revenue per account: MRR ÷ accounts."), M,
        null_reasons=(NO_ACCOUNTS,),
        benchmarkable=True, formula=of(recurring.arpa, mrr="mrr", accounts="accounts")),
    Kpi("customer_churn_rate", "recurring_revenue_and_value", _("Customer churn rate"),
        _("Accounts that stopped paying ÷ accounts paying a month before."), R, DOWN,
        null_reasons=(NO_ACCOUNTS_BEFORE,), benchmarkable=True,
        formula=of(recurring.customer_churn_rate, churned_accounts="churned_accounts",
            accounts_start="accounts_start")),
    Kpi("cltv", "recurring_revenue_and_value", _("CLTV"), _("Customer lifetime value: ARPA ÷ customer churn rate."), M,
        null_reasons=(NO_CHURN, NO_ACCOUNTS, NO_ACCOUNTS_BEFORE), benchmarkable=True,
        formula=of(recurring.cltv, arpa="arpa", customer_churn_rate="customer_churn_rate")),
    Kpi("cac_payback_months", "recurring_revenue_and_value", _("CAC payback (months)"), _("CAC ÷ (ARPA × gross margin)."),
        MO, DOWN, null_reasons=(NO_CUSTOMERS, NO_ACCOUNTS, ZERO_MARGIN), benchmarkable=True,
        formula=of(recurring.cac_payback_months, cac="cac", arpa="arpa", gross_margin="gross_margin")),
    Kpi("ltv_to_cac", "recurring_revenue_and_value", _("LTV : CAC"),
        _("Customer lifetime value against the cost of acquiring a customer: CLTV ÷ CAC."), X,
        null_reasons=(NO_CHURN, NO_ACCOUNTS, NO_ACCOUNTS_BEFORE, NO_CUSTOMERS, NO_ACQUISITION_COST), benchmarkable=True,
        formula=of(recurring.ltv_to_cac, cltv="cltv", cac="cac")),
    Kpi("early_cancel_rate", "recurring_revenue_and_value", _("Early cancellation rate"),
        _("Share of ended retainers cancelled before their term end."), R, DOWN,
        null_reasons=(NO_SETTLED_RETAINERS,), benchmarkable=True),
    Kpi("renewal_rate", "recurring_revenue_and_value", _("Renewal rate"),
        _("Share of retainers that ran their full term and were renewed."), R,
        null_reasons=(NO_FULL_TERM,), benchmarkable=True),
    Kpi("contraction_factor", "recurring_revenue_and_value", _("Contraction factor"),
        _("The share of a term a retainer is expected to serve, given early cancellations."), X, NEUTRAL,
        null_reasons=(NO_RETAINERS,)),
    Kpi("expected_terms", "recurring_revenue_and_value", _("Expected terms"),
        _("Terms a retainer is expected to run over the horizon, renewals included."), X, NEUTRAL,
        null_reasons=(NO_RETAINERS,)),
    Kpi("repeat_rate", "recurring_revenue_and_value", _("Repeat project rate"),
        _("Share of ended projects followed by another within a year."), R,
        null_reasons=(NO_SETTLED_PROJECTS,), benchmarkable=True),
    Kpi("expected_projects", "recurring_revenue_and_value", _("Expected projects"),
        _("Projects an account is expected to buy over the horizon."), X, NEUTRAL, null_reasons=(NO_PROJECTS,)),
    Kpi("retainer_ltv", "recurring_revenue_and_value", _("Retainer lifetime value"),
        _("Mean fee × mean term × contraction factor × expected terms."), M, null_reasons=(NO_RETAINERS,),
        benchmarkable=True),
    Kpi("project_ltv", "recurring_revenue_and_value", _("Project lifetime value"),
        _("Mean project fee × expected projects."), M, null_reasons=(NO_PROJECTS,), benchmarkable=True),
    Kpi("contract_ltv", "recurring_revenue_and_value", _("Contract lifetime value"),
        _("Retainer and project lifetime values, weighted by the accounts holding each."), M, headline=True,
        null_reasons=(Reason(_("No contract is known at the end of this month."),
                             of_month=_("No contract is known at the end of %(month)s.")),), benchmarkable=True),
)

_BY_KEY: dict[str, Kpi] = {k.key: k for k in KPIS}
if len(_BY_KEY) != len(KPIS) or {k.group for k in KPIS} - {g.key for g in GROUPS}:
    raise ImportError("kpis.catalogue: a key declared twice, or a KPI in an undeclared group")

KPI_KEYS: tuple[str, ...] = tuple(_BY_KEY)
DEFAULT_REASON = _("Not defined this month: what it divides by is zero or missing.")
DEFAULT_REASON_OF_MONTH = _("Not defined in %(month)s: what it divides by is zero or missing.")


def kpi(key: str) -> Kpi:
    """The declaration of ``key``; KeyError for a key that is not a KPI of the snapshot."""
    return _BY_KEY[key]


def declarations() -> tuple[Kpi, ...]:
    """Every KPI's declaration as it stands (a test may replace one), in the catalogue's order."""
    return tuple(_BY_KEY.values())


def is_kpi(key: object) -> bool:
    return key in _BY_KEY


def target_in_range(key: str, value: float | None) -> bool:
    """Whether ``value`` is a target ``key`` can have: a KPI of the catalogue, a finite number in
    its range. Reads skip targets stored before the bounds existed (1e27, infinity, NaN)."""
    if key not in _BY_KEY or value is None:
        return False
    low, high = _BY_KEY[key].range
    return low <= value <= high  # False for NaN


def kpis_in(group: str) -> tuple[Kpi, ...]:
    """The KPIs of a group, in the catalogue's order."""
    return tuple(k for k in _BY_KEY.values() if k.group == group)


def headline_kpis() -> tuple[Kpi, ...]:
    """The headline figures (typed snapshot and portfolio columns), in the catalogue's order."""
    return tuple(k for k in _BY_KEY.values() if k.headline)


def summary_defaults() -> tuple[Kpi, ...]:
    """The headline figures as a default executive summary lists them: those with a ``summary``
    place first, in that order, then the others in the catalogue's order."""
    return tuple(sorted(headline_kpis(), key=lambda k: k.summary or len(_BY_KEY)))


def funnel_kpis() -> tuple[Kpi, ...]:
    """The funnel chart's steps, first to last."""
    return tuple(sorted((k for k in _BY_KEY.values() if k.funnel), key=lambda k: k.funnel))


def targetable() -> tuple[Kpi, ...]:
    """The KPIs a target means something for, in the catalogue's order: all but the facts of the calendar
    (working days, and the growth needed per working day, a ratio of two months' working days: the
    figures that show no change, ``compared=False``). The target forms offer these."""
    return tuple(k for k in _BY_KEY.values() if k.compared and k.key != "working_days")


def plan_targets() -> dict[str, str]:
    """The reverse-funnel planner's steps and the KPI each one's monthly count is the target of."""
    return {k.plan: k.key for k in _BY_KEY.values() if k.plan}


def grouped_choices(*, only: tuple[Kpi, ...] | None = None) -> list[tuple[Promise, list[tuple[str, Promise]]]]:
    """Choices for a <select> with an option group per group (every KPI, or those of ``only``)."""
    allowed = tuple(_BY_KEY.values()) if only is None else only
    return [
        (group.title, [(k.key, k.label) for k in kpis_in(group.key) if k in allowed])
        for group in GROUPS
        if any(k.group == group.key for k in allowed)
    ]


def null_reason(figure: Kpi, values: dict[str, Any] | None = None, *, before: str = "", month: str = "") -> str:
    """Why ``figure`` is undefined, to show instead of a misleading 0. With the month's KPI values
    (a snapshot document's ``kpis``, or a breakdown member's figures), only the reasons that hold for
    them, or those the values cannot judge; without them (or when none holds), every reason it can
    have; the general reason when it declares none. ``before``: the month before, in words ("February
    2026"), named by the reasons about it instead of "the previous month". ``month``: the month the
    values are of, in words, when it is not the page's (a change's comparison month): every reason
    names it instead of saying "this month" (Reason.said_of)."""
    reasons = figure.null_reasons
    default = str(DEFAULT_REASON_OF_MONTH) % {"month": month} if month else str(DEFAULT_REASON)
    if values is not None:
        judged = [r for r in reasons if getattr(r, "holds", None) is not None]
        holding = [r for r in judged if r.holds(values)]
        unjudged = [r for r in reasons if getattr(r, "holds", None) is None]
        if holding or unjudged:
            reasons = tuple(holding or unjudged)
        elif judged:
            return default

    def said(reason: Any) -> str:
        if not isinstance(reason, Reason):
            return gettext("In %(month)s: %(why)s") % {"month": month, "why": reason} if month else str(reason)
        return reason.said_of(month, before) if month else reason.said(before)

    return " ".join(said(reason) for reason in reasons) or default


# The breakdowns of the snapshot (kpis.md "Breakdowns"): the figures of each member.
BREAKDOWN_KEYS: dict[str, tuple[str, ...]] = {
    "channel": ("sessions", "new_leads", "traffic_to_lead", "mqls", "customers", "marketing_spend", "cpl", "revenue", "roi"),
    "device": ("sessions", "new_leads", "traffic_to_lead", "bounce_rate", "landing_page_conversion_rate"),
    "persona": ("new_leads", "mqls", "customers", "qualified_lead_rate"),
    "campaign": ("marketing_spend", "new_leads", "cpl", "mqls", "customers", "revenue", "roi", "impressions", "clicks", "ctr",
                 "cpc", "platform_conversions", "cost_per_conversion", "roas"),
    "platform": ("ad_spend", "impressions", "clicks", "ctr", "cpc", "cpm", "platform_conversions", "cost_per_conversion",
                 "conversion_value", "roas", "paid_leads", "cpl", "mqls", "paid_lead_match_rate"),
    "landing_page": ("sessions", "form_submissions", "landing_page_conversion_rate"),
    "social_network": ("sessions", "new_leads", "customers"),
    "segment": CONTRACT_KEYS,  # every contract figure, per segment
}
