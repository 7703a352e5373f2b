"""The KPI catalogue: one declaration per key of the snapshot export (kpis.md), and nothing else.

Every fact about a KPI that more than one screen needs lives here, once: its group, its
translatable label and short definition, its unit, which direction is good news, whether it is
a headline figure, why it can be undefined (null), and whether a published benchmark band can
be set for it. The scorecard, the portfolio, the monthly email, the target and benchmark forms,
the CSV/PDF exports and the snapshot document's key order all read it (in the spirit of
zulip's ``analytics/lib/counts.py`` ``CountStat``).

To add a KPI: declare it below in its group (the order is the export's and the scorecard's),
compute it in ``kpis/formulas`` and ``kpis/snapshot.py``, add it to ``kpis.md``'s table, and
give its label, definition and reasons their Spanish in ``locale/es``. A test fails when a key
of kpis.md is missing here or declared twice.

This module imports nothing from the project (the engine's contract-key list aside), so any app
may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kpis.formulas.contracts import KEYS as CONTRACT_KEYS


class Unit(models.TextChoices):
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


# The largest magnitude a value of each unit may take (targets, the planner): far above any
# agency's figures, far below where float arithmetic and 28-digit decimals stop being exact.
UNIT_CEILING: dict[str, float] = {
    Unit.COUNT: 1e12, Unit.MONEY: 1e12, Unit.RATE: 1e6, Unit.RATIO: 1e6,
    Unit.HOURS: 1e6, Unit.DAYS: 36_500, Unit.MONTHS: 1_200,
}


@dataclass(frozen=True)
class Kpi:
    """One KPI.

    ``headline``: a default figure of the executive summary (the monthly email, the portfolio,
    the typed columns of a snapshot). ``null_reasons``: why the value can be undefined, as the
    spec says (empty for counts and sums, which are never null). ``benchmarkable``: a published
    band can be compared to it (a rate or a unit cost is; a client-sized total is not).
    ``bounds`` overrides the unit's plausible range for a target (``None`` = unbounded end).
    """

    key: str
    group: str
    label: Promise
    definition: Promise
    unit: Unit
    better: Better = Better.UP
    headline: bool = False
    null_reasons: tuple[Promise, ...] = ()
    benchmarkable: bool = False
    bounds: tuple[float | None, float | None] | None = None

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


GROUPS: tuple[Group, ...] = (
    Group("traffic", _("Traffic")),
    Group("funnel", _("Leads and funnel")),
    Group("email", _("Email")),
    Group("cost_and_revenue", _("Cost and revenue")),
    Group("recurring_revenue_and_value", _("Recurring revenue and lifetime value")),
)

UNBOUNDED = (None, None)  # growth, ROI, uplift: may be negative or above 1
# Why a figure is undefined: the reasons shared by several KPIs.
NO_SESSIONS = _("No sessions this month.")
NO_NEW_LEADS = _("No new leads this month.")
NO_MQLS = _("No MQLs this month.")
NO_SQLS = _("No SQLs this month.")
NO_CUSTOMERS = _("No customers this month.")
NO_SPEND = _("No marketing spend this month.")
NO_SENT = _("No emails sent this month.")
NO_DELIVERED = _("No emails delivered this month.")
NOT_CONTACTED = _("No lead of this month has been contacted yet.")
SHORT_HISTORY = _("Less than three months of history before this month.")
NO_MRR_BEFORE = _("No MRR at the end of the previous month.")
NO_ACCOUNTS = _("No account pays a retainer at the end of this month.")
NO_ACCOUNTS_BEFORE = _("No account paid a retainer at the end of the previous month.")
NO_CHURN = _("No account churned, so the churn rate is zero or unknown.")
NO_RETAINERS = _("No retainer is known at the end of this month.")
NO_SETTLED_RETAINERS = _("No retainer has ended yet.")
NO_FULL_TERM = _("No retainer has run its full term yet.")
NO_PROJECTS = _("No project is known at the end of this month.")
NO_SETTLED_PROJECTS = _("No project has ended yet.")

C, M, R, X, H, D, MO = Unit.COUNT, Unit.MONEY, Unit.RATE, Unit.RATIO, Unit.HOURS, Unit.DAYS, Unit.MONTHS
DOWN, NEUTRAL = Better.DOWN, Better.NEUTRAL

KPIS: tuple[Kpi, ...] = (
    # --- traffic
    Kpi("sessions", "traffic", _("Sessions"), _("Website sessions in the month."), C, headline=True),
    Kpi("organic_share", "traffic", _("Organic search share"), _("Share of sessions from organic search."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True),
    Kpi("social_share", "traffic", _("Social share"), _("Share of sessions from organic or paid social."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True),
    Kpi("mobile_share", "traffic", _("Mobile share"), _("Share of sessions on mobile devices."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True),
    Kpi("bounce_rate", "traffic", _("Bounce rate"), _("Bounced sessions ÷ sessions."), R, DOWN,
        null_reasons=(NO_SESSIONS,), benchmarkable=True),
    Kpi("mobile_bounce_rate", "traffic", _("Mobile bounce rate"), _("Bounced sessions ÷ sessions, on mobile only."), R, DOWN,
        null_reasons=(_("No mobile sessions this month."),), benchmarkable=True),
    Kpi("landing_page_conversion_rate", "traffic", _("Landing page conversion"),
        _("Form submissions ÷ sessions, on landing pages only."), R,
        null_reasons=(_("No landing page sessions this month."),), benchmarkable=True),
    Kpi("active_landing_pages", "traffic", _("Active landing pages"), _("Landing pages with at least one session."), C),
    Kpi("traffic_to_lead", "traffic", _("Traffic → lead rate"), _("New leads ÷ sessions."), R,
        null_reasons=(NO_SESSIONS,), benchmarkable=True),
    # --- leads and funnel
    Kpi("new_leads", "funnel", _("New leads"), _("Leads created in the month."), C, headline=True),
    Kpi("working_days", "funnel", _("Working days"), _("Monday to Friday, minus the client's holidays."), D, NEUTRAL),
    Kpi("leads_per_working_day", "funnel", _("Leads per working day"), _("New leads ÷ working days."), X,
        null_reasons=(_("No working days this month."),)),
    Kpi("growth_needed_per_working_day", "funnel", _("Growth needed per working day"),
        _("The rise in leads per working day needed to equal last month's total in this month's working days."), R,
        null_reasons=(_("No new leads in the previous month."),), bounds=UNBOUNDED),
    Kpi("database_size", "funnel", _("Database size"), _("Leads at the end of the month, less those who unsubscribed."), C),
    Kpi("opt_out_rate", "funnel", _("Opt-out rate"),
        _("Leads of last month's database who unsubscribed this month ÷ that database."), R, DOWN,
        null_reasons=(_("The database was empty at the end of the previous month."),), benchmarkable=True),
    Kpi("mqls", "funnel", _("MQLs"), _("Leads that became marketing-qualified in the month."), C, headline=True),
    Kpi("sales_ready_leads", "funnel", _("Sales-ready leads"), _("Fitting leads that showed a buying signal in the month."), C),
    Kpi("sqls", "funnel", _("SQLs"), _("Leads that became sales-qualified in the month."), C, headline=True),
    Kpi("sals", "funnel", _("SALs"), _("Leads that sales accepted in the month."), C),
    Kpi("opportunities", "funnel", _("Opportunities"), _("Leads that became opportunities in the month."), C),
    Kpi("customers", "funnel", _("Customers"), _("Leads that became customers in the month."), C, headline=True),
    Kpi("qualified_lead_rate", "funnel", _("Lead → MQL rate"), _("MQLs ÷ new leads."), R,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True),
    Kpi("mql_to_sql_rate", "funnel", _("MQL → SQL rate"), _("SQLs ÷ MQLs."), R, null_reasons=(NO_MQLS,), benchmarkable=True),
    Kpi("sal_rate", "funnel", _("SQL → SAL rate"), _("SALs ÷ SQLs."), R, null_reasons=(NO_SQLS,), benchmarkable=True),
    Kpi("sql_to_customer_rate", "funnel", _("SQL → customer rate"), _("Customers ÷ SQLs."), R,
        null_reasons=(NO_SQLS,), benchmarkable=True),
    Kpi("lead_to_customer_rate", "funnel", _("Lead → customer rate"), _("Customers ÷ new leads."), R,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True),
    Kpi("lead_velocity_rate", "funnel", _("Lead velocity rate"), _("The change in MQLs against the previous month."), R,
        null_reasons=(_("No MQLs in the previous month."),), benchmarkable=True, bounds=UNBOUNDED),
    Kpi("nurture_leads", "funnel", _("Nurture leads"), _("New leads from campaigns marked nurture."), C),
    Kpi("marketing_sourced_customer_share", "funnel", _("Marketing-sourced customers"),
        _("Share of the month's customers whose lead came from marketing."), R,
        null_reasons=(NO_CUSTOMERS,), benchmarkable=True),
    Kpi("median_response_hours", "funnel", _("Median time to first contact"),
        _("Median hours from a new lead to its first contact."), H, DOWN,
        null_reasons=(NOT_CONTACTED,), benchmarkable=True),
    Kpi("p90_response_hours", "funnel", _("90th percentile time to first contact"),
        _("90th percentile of the hours from a new lead to its first contact."), H, DOWN,
        null_reasons=(NOT_CONTACTED,), benchmarkable=True),
    Kpi("contacted_within_4h_share", "funnel", _("Contacted within 4 hours"),
        _("Share of new leads first contacted within 4 hours."), R, null_reasons=(NO_NEW_LEADS,), benchmarkable=True),
    Kpi("uncontacted_share", "funnel", _("Not contacted"), _("Share of new leads not contacted yet."), R, DOWN,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True),
    # --- email
    Kpi("emails_sent", "email", _("Emails sent"), _("Emails sent in the month."), C),
    Kpi("emails_delivered", "email", _("Emails delivered"), _("Emails delivered in the month."), C),
    Kpi("deliverability_rate", "email", _("Deliverability"), _("Delivered ÷ sent."), R,
        null_reasons=(NO_SENT,), benchmarkable=True),
    Kpi("open_rate", "email", _("Open rate"), _("Unique opens ÷ delivered."), R,
        null_reasons=(NO_DELIVERED,), benchmarkable=True),
    Kpi("click_through_rate", "email", _("Click-through rate"), _("Unique clicks ÷ delivered."), R,
        null_reasons=(NO_DELIVERED,), benchmarkable=True),
    Kpi("email_unsubscribe_rate", "email", _("Email unsubscribe rate"), _("Unsubscribes ÷ delivered."), R, DOWN,
        null_reasons=(NO_DELIVERED,), benchmarkable=True),
    # --- cost and revenue
    Kpi("media_spend", "cost_and_revenue", _("Media spend"), _("Spend on media in the month."), M, NEUTRAL),
    Kpi("nurture_spend", "cost_and_revenue", _("Nurture spend"), _("Spend on nurture in the month."), M, NEUTRAL),
    Kpi("sales_spend", "cost_and_revenue", _("Sales spend"), _("Spend on sales in the month."), M, NEUTRAL),
    Kpi("marketing_spend", "cost_and_revenue", _("Marketing spend"), _("Spend on media, marketing and nurture."), M, NEUTRAL,
        headline=True),
    Kpi("cpl", "cost_and_revenue", _("Cost per lead"), _("Marketing spend ÷ new leads."), M, DOWN, headline=True,
        null_reasons=(NO_NEW_LEADS,), benchmarkable=True),
    Kpi("cost_per_mql", "cost_and_revenue", _("Cost per MQL"), _("Marketing spend ÷ MQLs."), M, DOWN,
        null_reasons=(NO_MQLS,), benchmarkable=True),
    Kpi("cost_per_sql", "cost_and_revenue", _("Cost per SQL"), _("Marketing spend ÷ SQLs."), M, DOWN,
        null_reasons=(NO_SQLS,), benchmarkable=True),
    Kpi("cost_per_customer", "cost_and_revenue", _("Cost per customer"), _("Marketing spend ÷ customers."), M, DOWN,
        null_reasons=(NO_CUSTOMERS,), benchmarkable=True),
    Kpi("cac", "cost_and_revenue", _("Customer acquisition cost (CAC)"), _("(Marketing spend + sales spend) ÷ customers."),
        M, DOWN, headline=True, null_reasons=(NO_CUSTOMERS,), benchmarkable=True),
    Kpi("revenue", "cost_and_revenue", _("Revenue"), _("Deal value of the month's customers."), M, headline=True),
    Kpi("marketing_revenue", "cost_and_revenue", _("Marketing revenue"),
        _("Deal value of the month's customers whose lead came from marketing."), M),
    Kpi("roi", "cost_and_revenue", _("ROI"), _("(Marketing revenue − marketing spend) ÷ marketing spend."), R,
        null_reasons=(NO_SPEND,), benchmarkable=True, bounds=UNBOUNDED),
    Kpi("romi", "cost_and_revenue", _("ROMI"),
        _("(Marketing revenue × gross margin − marketing spend) ÷ marketing spend."), R, headline=True,
        null_reasons=(NO_SPEND,), benchmarkable=True, bounds=UNBOUNDED),
    Kpi("revenue_uplift", "cost_and_revenue", _("Revenue uplift"),
        _("Marketing revenue less its mean over the three months before."), M,
        null_reasons=(SHORT_HISTORY,), bounds=UNBOUNDED),
    Kpi("revenue_uplift_annualized", "cost_and_revenue", _("Revenue uplift, annualized"), _("Revenue uplift × 12."), M,
        null_reasons=(SHORT_HISTORY,), bounds=UNBOUNDED),
    Kpi("revenue_uplift_rate", "cost_and_revenue", _("Revenue uplift rate"),
        _("Revenue uplift ÷ the mean marketing revenue of the three months before."), R,
        null_reasons=(SHORT_HISTORY, _("No marketing revenue in the three months before.")), benchmarkable=True,
        bounds=UNBOUNDED),
    # --- recurring revenue and lifetime value
    Kpi("mrr", "recurring_revenue_and_value", _("MRR"),
        _("Monthly recurring revenue of active retainers at the month's end."), M),
    Kpi("mrr_start", "recurring_revenue_and_value", _("MRR at the start"), _("MRR at the end of the previous month."), M,
        NEUTRAL),
    Kpi("accounts", "recurring_revenue_and_value", _("Accounts"), _("Accounts paying a retainer at the month's end."), C),
    Kpi("new_mrr", "recurring_revenue_and_value", _("New MRR"), _("MRR of accounts that paid nothing a month before."), M),
    Kpi("expansion_mrr", "recurring_revenue_and_value", _("Expansion MRR"), _("Increases of accounts paying at both ends."), M),
    Kpi("contraction_mrr", "recurring_revenue_and_value", _("Contraction MRR"),
        _("Decreases of accounts paying at both ends."), M, DOWN),
    Kpi("churned_mrr", "recurring_revenue_and_value", _("Churned MRR"), _("Last month's MRR of accounts that stopped paying."),
        M, DOWN),
    Kpi("gross_mrr_churn_rate", "recurring_revenue_and_value", _("Gross MRR churn"),
        _("(Churned MRR + contraction MRR) ÷ MRR at the start."), R, DOWN, headline=True,
        null_reasons=(NO_MRR_BEFORE,), benchmarkable=True),
    Kpi("gross_mrr_retention", "recurring_revenue_and_value", _("Gross MRR retention"), _("1 − gross MRR churn."), R,
        null_reasons=(NO_MRR_BEFORE,), benchmarkable=True),
    Kpi("arpa", "recurring_revenue_and_value", _("ARPA"), _("MRR ÷ accounts."), M, null_reasons=(NO_ACCOUNTS,),
        benchmarkable=True),
    Kpi("customer_churn_rate", "recurring_revenue_and_value", _("Customer churn rate"),
        _("Accounts that stopped paying ÷ accounts paying a month before."), R, DOWN,
        null_reasons=(NO_ACCOUNTS_BEFORE,), benchmarkable=True),
    Kpi("cltv", "recurring_revenue_and_value", _("CLTV"), _("ARPA ÷ customer churn rate."), M,
        null_reasons=(NO_CHURN, NO_ACCOUNTS), benchmarkable=True),
    Kpi("cac_payback_months", "recurring_revenue_and_value", _("CAC payback (months)"), _("CAC ÷ (ARPA × gross margin)."),
        MO, DOWN, null_reasons=(NO_CUSTOMERS, NO_ACCOUNTS), benchmarkable=True),
    Kpi("ltv_to_cac", "recurring_revenue_and_value", _("LTV : CAC"), _("CLTV ÷ CAC."), X,
        null_reasons=(NO_CHURN, NO_CUSTOMERS), benchmarkable=True),
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
        null_reasons=(_("No contract is known at the end of this month."),), benchmarkable=True),
)

_BY_KEY: dict[str, Kpi] = {k.key: k for k in KPIS}
if len(_BY_KEY) != len(KPIS) or {k.group for k in KPIS} - {g.key for g in GROUPS}:
    raise ImportError("kpis.catalogue: a key declared twice, or a KPI in an undeclared group")

KPI_KEYS: tuple[str, ...] = tuple(_BY_KEY)
DEFAULT_REASON = _("Not defined this month: what it divides by is zero or missing.")


def kpi(key: str) -> Kpi:
    """The declaration of ``key``; KeyError for a key that is not a KPI of the snapshot."""
    return _BY_KEY[key]


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
    """The default figures of an executive summary, in the catalogue's order."""
    return tuple(k for k in _BY_KEY.values() if k.headline)


def grouped_choices(*, only: tuple[Kpi, ...] | None = None) -> list[tuple[Promise, list[tuple[str, Promise]]]]:
    """Choices for a <select> with an option group per group (every KPI, or those of ``only``)."""
    allowed = tuple(_BY_KEY.values()) if only is None else only
    return [
        (group.title, [(k.key, k.label) for k in kpis_in(group.key) if k in allowed])
        for group in GROUPS
        if any(k.group == group.key for k in allowed)
    ]


def null_reason(figure: Kpi) -> str:
    """Why ``figure`` is undefined, to show instead of a misleading 0 (its own reasons, else the general one)."""
    return " ".join(str(reason) for reason in figure.null_reasons) or str(DEFAULT_REASON)


# The breakdowns of the snapshot (kpis.md "Breakdowns"): the figures of each member.
BREAKDOWN_KEYS: dict[str, tuple[str, ...]] = {
    "channel": ("sessions", "new_leads", "traffic_to_lead", "mqls", "customers", "marketing_spend", "cpl", "revenue", "roi"),
    "device": ("sessions", "new_leads", "traffic_to_lead", "bounce_rate", "landing_page_conversion_rate"),
    "persona": ("new_leads", "mqls", "customers", "qualified_lead_rate"),
    "campaign": ("marketing_spend", "new_leads", "cpl", "mqls", "customers", "revenue", "roi"),
    "landing_page": ("sessions", "form_submissions", "landing_page_conversion_rate"),
    "social_network": ("sessions", "new_leads", "customers"),
    "segment": CONTRACT_KEYS,  # every contract figure, per segment
}
