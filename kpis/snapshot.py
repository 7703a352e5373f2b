"""One month's snapshot document (kpis.md), built from the grouped inputs of kpis.selectors.

No database here: every figure is a formula over numbers the selectors aggregated.
Undefined figures are ``None`` (a ratio over 0, a percentile of nothing), never 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.months import Month
from kpis.catalogue import BREAKDOWN_KEYS, KPI_KEYS
from kpis.formulas import costs, email, funnel, recurring, traffic
from kpis.formulas.common import ratio
from kpis.formulas.contracts import Contract, contract_end, contract_values
from kpis.selectors import Inputs

MARKETING = ("media", "marketing", "nurture")


def _events(inputs: Inputs, month: dt.date) -> dict[str, dict[str, float]]:
    empty = {"count": 0, "revenue": 0.0, "marketing_count": 0, "marketing_revenue": 0.0}
    counts = inputs.lead_counts.get(month, {})
    return {kind: counts.get(kind, empty) for kind in ("new", "mql", "ready", "sql", "sal", "opp", "customer")}


def _marketing_spend(inputs: Inputs, month: dt.date) -> float:
    return sum(amount for (category, _), amount in inputs.spend.get(month, {}).items() if category in MARKETING)


def _roi(revenue: float, spend: float) -> float | None:
    return costs.roi(revenue=revenue, spend=spend)


def traffic_kpis(inputs: Inputs, month: dt.date, new_leads: int) -> dict[str, Any]:
    t = inputs.traffic.get(month, {})
    sessions = t.get("sessions", 0)
    return {
        "sessions": sessions,
        "organic_share": traffic.share(t.get("organic", 0), sessions),
        "social_share": traffic.share(t.get("social", 0), sessions),
        "mobile_share": traffic.share(t.get("mobile", 0), sessions),
        "bounce_rate": traffic.bounce_rate(t.get("bounced", 0), sessions),
        "mobile_bounce_rate": traffic.bounce_rate(t.get("mobile_bounced", 0), t.get("mobile", 0)),
        "landing_page_conversion_rate": traffic.landing_page_conversion_rate(t.get("lp_forms", 0), t.get("lp_sessions", 0)),
        "active_landing_pages": t.get("active_landing_pages", 0),
    }


def funnel_kpis(inputs: Inputs, month: dt.date) -> dict[str, Any]:
    events, prev_events = _events(inputs, month), _events(inputs, (Month.of(month) - 1).first_day)
    new, mqls, sqls, customers = (events[k]["count"] for k in ("new", "mql", "sql", "customer"))
    days, prev_days = Month.of(month).working_days(inputs.holidays), (Month.of(month) - 1).working_days(inputs.holidays)
    stats = inputs.new_lead_stats.get(month, {})
    size_prev = inputs.database_size.get((Month.of(month) - 1).first_day, 0)
    return {
        "new_leads": new,
        "working_days": days,
        "leads_per_working_day": ratio(new, days),
        "growth_needed_per_working_day": (None if not prev_events["new"]["count"] or not days else prev_days / days - 1),
        "database_size": inputs.database_size.get(month, 0),
        "opt_out_rate": ratio(inputs.opted_out.get(month, 0), size_prev),
        "mqls": mqls,
        "sales_ready_leads": events["ready"]["count"],
        "sqls": sqls,
        "sals": events["sal"]["count"],
        "opportunities": events["opp"]["count"],
        "customers": customers,
        "qualified_lead_rate": funnel.conversion(mqls, new),
        "mql_to_sql_rate": funnel.conversion(sqls, mqls),
        "sal_rate": funnel.conversion(events["sal"]["count"], sqls),
        "sql_to_customer_rate": funnel.conversion(customers, sqls),
        "lead_to_customer_rate": funnel.conversion(customers, new),
        "lead_velocity_rate": funnel.lead_velocity_rate(mqls=mqls, mqls_prev=prev_events["mql"]["count"]),
        "nurture_leads": stats.get("nurture_leads", 0),
        "marketing_sourced_customer_share": ratio(events["customer"]["marketing_count"], customers),
        "median_response_hours": stats.get("median_response_hours"),
        "p90_response_hours": stats.get("p90_response_hours"),
        "contacted_within_4h_share": ratio(stats.get("contacted_within_4h", 0), new),
        "uncontacted_share": ratio(stats.get("uncontacted", 0), new),
    }


def email_kpis(inputs: Inputs, month: dt.date) -> dict[str, Any]:
    e = inputs.email.get(month, {})
    delivered = e.get("delivered", 0)
    return {
        "emails_sent": e.get("sent", 0),
        "emails_delivered": delivered,
        "deliverability_rate": email.deliverability_rate(delivered=delivered, sent=e.get("sent", 0)),
        "open_rate": email.per_delivered(e.get("unique_opens", 0), delivered),
        "click_through_rate": email.per_delivered(e.get("unique_clicks", 0), delivered),
        "email_unsubscribe_rate": email.per_delivered(e.get("unsubscribes", 0), delivered),
    }


def cost_kpis(inputs: Inputs, month: dt.date, *, gross_margin: float) -> dict[str, Any]:
    spend = inputs.spend.get(month, {})
    by_category = {c: sum(a for (cat, _), a in spend.items() if cat == c) for c in ("media", "nurture", "sales")}
    marketing = _marketing_spend(inputs, month)
    events = _events(inputs, month)
    new, mqls, sqls, customers = (events[k]["count"] for k in ("new", "mql", "sql", "customer"))
    revenue, m_revenue = events["customer"]["revenue"], events["customer"]["marketing_revenue"]
    earlier = [_events(inputs, (Month.of(month) - i).first_day)["customer"]["marketing_revenue"] for i in (1, 2, 3)]
    first_of_three = (Month.of(month) - 3).first_day
    earliest = inputs.earliest_lead
    uplift_defined = earliest is not None and earliest.astimezone(inputs.zone).date() < (Month.of(first_of_three) + 1).first_day
    uplift = costs.revenue_uplift(marketing_revenue=m_revenue, previous_three=earlier) if uplift_defined else None
    return {
        "media_spend": by_category["media"],
        "nurture_spend": by_category["nurture"],
        "sales_spend": by_category["sales"],
        "marketing_spend": marketing,
        "cpl": costs.cost_per(marketing, new),
        "cost_per_mql": costs.cost_per(marketing, mqls),
        "cost_per_sql": costs.cost_per(marketing, sqls),
        "cost_per_customer": costs.cost_per(marketing, customers),
        "cac": costs.cac(marketing_spend=marketing, sales_spend=by_category["sales"], customers=customers),
        "revenue": revenue,
        "marketing_revenue": m_revenue,
        "roi": costs.roi(revenue=m_revenue, spend=marketing),
        "romi": costs.romi(marketing_revenue=m_revenue, gross_margin=gross_margin, marketing_spend=marketing),
        "revenue_uplift": uplift,
        "revenue_uplift_annualized": costs.revenue_uplift_annualized(uplift),
        "revenue_uplift_rate": costs.revenue_uplift_rate(uplift=uplift, previous_three=earlier),
    }


# --- recurring revenue (retainers) ----------------------------------------------------------


def mrr_by_account(contracts: list[Contract], day: dt.date) -> dict[str, float]:
    """Each account's MRR on ``day``: the monthly fees of its retainers with start ≤ day < end."""
    mrr: dict[str, float] = {}
    for contract in contracts:
        if contract.kind == "retainer" and contract.start_date <= day < contract_end(contract):
            mrr[contract.account] = mrr.get(contract.account, 0.0) + float(contract.monthly_fee)
    return {account: value for account, value in mrr.items() if value > 0}


def recurring_kpis(inputs: Inputs, month: dt.date, *, gross_margin: float, cac: float | None) -> dict[str, Any]:
    contracts = _contracts(inputs)
    moves = recurring.mrr_movements(
        now=mrr_by_account(contracts, Month.of(month).last_day),
        before=mrr_by_account(contracts, (Month.of(month) - 1).last_day),
    )
    churn_rate = recurring.gross_mrr_churn_rate(
        churned_mrr=moves["churned_mrr"], contraction_mrr=moves["contraction_mrr"], mrr_start=moves["mrr_start"]
    )
    arpa = recurring.arpa(mrr=moves["mrr"], accounts=moves["accounts"])
    customer_churn = recurring.customer_churn_rate(
        churned_accounts=moves["churned_accounts"], accounts_start=moves["accounts_start"]
    )
    cltv = recurring.cltv(arpa=arpa, customer_churn_rate=customer_churn)
    return {
        **{
            key: moves[key]
            for key in ("mrr", "mrr_start", "accounts", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr")
        },
        "gross_mrr_churn_rate": churn_rate,
        "gross_mrr_retention": recurring.gross_mrr_retention(churn_rate),
        "arpa": arpa,
        "customer_churn_rate": customer_churn,
        "cltv": cltv,
        "cac_payback_months": recurring.cac_payback_months(cac=cac, arpa=arpa, gross_margin=gross_margin),
        "ltv_to_cac": recurring.ltv_to_cac(cltv=cltv, cac=cac),
    }


# --- breakdowns -----------------------------------------------------------------------------


def _count(members: dict, member: str, event: str, key: str = "count") -> float:
    return members.get(member, {}).get(event, {}).get(key, 0)


def breakdowns(inputs: Inputs, month: dt.date) -> dict[str, dict[str, dict[str, Any]]]:
    leads = inputs.lead_members.get(month, {})
    traffic = inputs.traffic_members.get(month, {})
    spend_by_channel: dict[str, float] = {}
    spend_by_campaign: dict[str, float] = {}
    spent_campaigns: set[str] = set()
    for (category, campaign), amount in inputs.spend.get(month, {}).items():
        channel = inputs.campaigns[campaign].channel if campaign else "unattributed"
        marketing = amount if category in MARKETING else 0.0
        spend_by_channel[channel] = spend_by_channel.get(channel, 0.0) + marketing
        if campaign:
            spent_campaigns.add(campaign)
            spend_by_campaign[campaign] = spend_by_campaign.get(campaign, 0.0) + marketing

    def contributing(dimension: str, *extra: set[str]) -> set[str]:
        from_leads = {m for m, events in leads.get(dimension, {}).items() if {"new", "mql", "customer"} & events.keys()}
        return from_leads | set(traffic.get(dimension, {})) | set().union(*extra)

    channel = {}
    for member in sorted(contributing("channel", set(spend_by_channel))):
        sessions = traffic.get("channel", {}).get(member, {}).get("sessions", 0)
        new = _count(leads.get("channel", {}), member, "new")
        spend = spend_by_channel.get(member, 0.0)
        revenue = _count(leads.get("channel", {}), member, "customer", "revenue")
        channel[member] = {
            "sessions": sessions,
            "new_leads": new,
            "traffic_to_lead": ratio(new, sessions),
            "mqls": _count(leads.get("channel", {}), member, "mql"),
            "customers": _count(leads.get("channel", {}), member, "customer"),
            "marketing_spend": spend,
            "cpl": ratio(spend, new),
            "revenue": revenue,
            "roi": _roi(revenue, spend),
        }
    device = {}
    for member in sorted(contributing("device")):
        t = traffic.get("device", {}).get(member, {})
        new = _count(leads.get("device", {}), member, "new")
        device[member] = {
            "sessions": t.get("sessions", 0),
            "new_leads": new,
            "traffic_to_lead": ratio(new, t.get("sessions", 0)),
            "bounce_rate": ratio(t.get("bounced", 0), t.get("sessions", 0)),
            "landing_page_conversion_rate": ratio(t.get("lp_forms", 0), t.get("lp_sessions", 0)),
        }
    persona = {}
    for member in sorted(contributing("persona")):
        members = leads.get("persona", {})
        new, mqls = _count(members, member, "new"), _count(members, member, "mql")
        persona[member] = {
            "new_leads": new,
            "mqls": mqls,
            "customers": _count(members, member, "customer"),
            "qualified_lead_rate": ratio(mqls, new),
        }
    campaign = {}
    for member in sorted(contributing("campaign", spent_campaigns)):
        members = leads.get("campaign", {})
        new, spend = _count(members, member, "new"), spend_by_campaign.get(member, 0.0)
        revenue = _count(members, member, "customer", "revenue")
        campaign[member] = {
            "marketing_spend": spend,
            "new_leads": new,
            "cpl": ratio(spend, new),
            "mqls": _count(members, member, "mql"),
            "customers": _count(members, member, "customer"),
            "revenue": revenue,
            "roi": _roi(revenue, spend),
        }
    landing_page = {
        member: {
            "sessions": t["sessions"],
            "form_submissions": t["form_submissions"],
            "landing_page_conversion_rate": ratio(t["form_submissions"], t["sessions"]),
        }
        for member, t in sorted(traffic.get("landing_page", {}).items())
    }
    social = {}
    for member in sorted(contributing("social")):
        social[member] = {
            "sessions": traffic.get("social", {}).get(member, {}).get("sessions", 0),
            "new_leads": _count(leads.get("social", {}), member, "new"),
            "customers": _count(leads.get("social", {}), member, "customer"),
        }
    return {
        "channel": channel,
        "device": device,
        "persona": persona,
        "campaign": campaign,
        "landing_page": landing_page,
        "social_network": social,
    }


# --- contracts and the whole document -------------------------------------------------------


def _contracts(inputs: Inputs) -> list[Contract]:
    return [
        Contract(
            id=c.id,
            account=c.account,
            kind=c.kind,
            start_date=c.start_date,
            segment=c.segment,
            term_months=c.term_months,
            monthly_fee=None if c.monthly_fee is None else float(c.monthly_fee),
            project_fee=None if c.project_fee is None else float(c.project_fee),
            end_date=c.end_date,
            cancelled_on=c.cancelled_on,
            renewal_of=c.renewal_of_id,
        )
        for c in inputs.contracts
    ]


def criteria_version_at(inputs: Inputs, day: dt.date) -> int | None:
    """The version in effect at the end of ``day``: the latest effective on or before it (else the first)."""
    versions = sorted(inputs.criteria_versions, key=lambda v: (v.effective_from, v.version))
    if not versions:
        return None
    effective = [v for v in versions if v.effective_from <= day]
    return (effective[-1] if effective else versions[0]).version


def snapshot_document(*, inputs: Inputs, month: dt.date, client: Any, computed_at: dt.datetime) -> dict[str, Any]:
    """The export document of formats.md for ``month``: every key of kpis.md, null where undefined."""
    gross_margin = float(client.gross_margin)
    funnel_figures = funnel_kpis(inputs, month)
    traffic_figures = traffic_kpis(inputs, month, funnel_figures["new_leads"])
    cost_figures = cost_kpis(inputs, month, gross_margin=gross_margin)
    recurring_figures = recurring_kpis(inputs, month, gross_margin=gross_margin, cac=cost_figures["cac"])
    contract_top, segments = contract_values(
        contracts=_contracts(inputs), day=Month.of(month).last_day, horizon_months=client.horizon_months
    )
    figures = {
        **traffic_figures,
        **funnel_figures,
        "traffic_to_lead": traffic.traffic_to_lead(funnel_figures["new_leads"], traffic_figures["sessions"]),
        **email_kpis(inputs, month),
        **cost_figures,
        **recurring_figures,
        **contract_top,
    }
    kpis = {key: figures[key] for key in KPI_KEYS}  # the catalogue's keys, in its order; a missing one fails here
    return {
        "client": client.slug,
        "month": str(Month.of(month)),
        "computed_at": computed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "criteria_version": criteria_version_at(inputs, Month.of(month).last_day),
        "kpis": kpis,
        "breakdowns": {**breakdowns(inputs, month), "segment": segments},
    }


DOCUMENT_KEYS = ("client", "month", "computed_at", "criteria_version", "kpis", "breakdowns")


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """``mapping`` with the keys of ``order`` first, in that order, then any others as they come."""
    return {**{key: mapping[key] for key in order if key in mapping}, **mapping}


def document_ordered(document: dict[str, Any]) -> dict[str, Any]:
    """A stored document with its keys in the export's order. PostgreSQL's jsonb keeps keys sorted by
    length, so the order is restored for people reading it: formats.md's top-level keys, the KPIs in
    the catalogue's order, the breakdowns and their figures as kpis.md lists them, members by name."""
    breakdowns = {
        dimension: {member: _ordered(figures, BREAKDOWN_KEYS.get(dimension, ())) for member, figures in sorted(members.items())}
        for dimension, members in _ordered(document.get("breakdowns", {}), tuple(BREAKDOWN_KEYS)).items()
    }
    ordered = _ordered(document, DOCUMENT_KEYS)
    if "kpis" in ordered:
        ordered["kpis"] = _ordered(ordered["kpis"], KPI_KEYS)
    if "breakdowns" in ordered:
        ordered["breakdowns"] = breakdowns
    return ordered
