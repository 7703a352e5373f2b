"""One month's snapshot document (kpis.md), built from the grouped inputs of kpis.selectors.

No database here: every figure is a formula over numbers the selectors aggregated.
Undefined figures are ``None`` (a ratio over 0, a percentile of nothing), never 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.months import Month
from kpis.catalogue import BREAKDOWN_KEYS, KPI_KEYS, declarations, is_kpi, kpi
from kpis.formulas import costs, recurring
from kpis.formulas.common import ratio
from kpis.formulas.contracts import Contract, contract_values
from kpis.selectors import AD_SUMS, Inputs

MARKETING = ("media", "marketing", "nurture")


def _events(inputs: Inputs, month: dt.date) -> dict[str, dict[str, float]]:
    empty = {"count": 0, "revenue": 0.0, "marketing_count": 0, "marketing_revenue": 0.0}
    counts = inputs.lead_counts.get(month, {})
    return {kind: counts.get(kind, empty) for kind in ("new", "mql", "ready", "sql", "sal", "opp", "customer")}


def _marketing_spend(inputs: Inputs, month: dt.date) -> float:
    return sum(amount for (category, _), amount in inputs.spend.get(month, {}).items() if category in MARKETING)


def _roi(revenue: float, spend: float) -> float | None:
    return costs.roi(revenue=revenue, spend=spend)


def month_inputs(inputs: Inputs, month: dt.date, *, gross_margin: float, contracts: dict[str, Any]) -> dict[str, Any]:
    """The plain numbers of ``month`` the catalogue's formulas read, by name: counts and sums the
    selectors aggregated, the month before's where a formula compares, the client's settings.
    A KPI without a formula is the input of its own name. ``None`` where the input's column is
    not given (kpis.md: the figures over it are then null, never 0)."""
    t = inputs.traffic.get(month, {})
    before = (Month.of(month) - 1).first_day
    events, prev_events = _events(inputs, month), _events(inputs, before)
    stats = inputs.new_lead_stats.get(month, {})
    e = inputs.email.get(month, {})
    spend = inputs.spend.get(month, {})
    first_of_three = (Month.of(month) - 3).first_day
    earliest = inputs.earliest_lead
    uplift_defined = earliest is not None and earliest.astimezone(inputs.zone).date() < (Month.of(first_of_three) + 1).first_day
    contracts_now = _contracts(inputs)
    moves = recurring.mrr_movements(
        now=mrr_by_account(contracts_now, Month.of(month).last_day),
        before=mrr_by_account(contracts_now, Month.of(before).last_day),
    )
    # Rows without a device make every device share unknown; bounces count over the rows giving them.
    devices_known = not t.get("rows_without_device")
    ads = inputs.ads.get(month, {})
    new_by_campaign = inputs.lead_members.get(month, {}).get("campaign", {})
    return {
        # traffic
        "sessions": t.get("sessions", 0),
        "organic_sessions": t.get("organic", 0),
        "social_sessions": t.get("social", 0),
        "mobile_sessions": t.get("mobile", 0) if devices_known else None,
        "bounced_sessions": t.get("bounced"),
        "sessions_with_bounces": t.get("sessions_with_bounces", 0),
        "mobile_bounced_sessions": t.get("mobile_bounced") if devices_known else None,
        "mobile_sessions_with_bounces": t.get("mobile_with_bounces", 0) if devices_known else None,
        "landing_page_sessions": t.get("lp_sessions", 0),
        "landing_page_form_submissions": t.get("lp_forms", 0),
        "active_landing_pages": t.get("active_landing_pages", 0),
        # leads and funnel
        "new_leads": events["new"]["count"],
        "new_leads_prev": prev_events["new"]["count"],
        "working_days": Month.of(month).working_days(inputs.holidays),
        "working_days_prev": Month.of(before).working_days(inputs.holidays),
        "database_size": inputs.database_size.get(month, 0),
        "database_size_prev": inputs.database_size.get(before, 0),
        "opted_out": inputs.opted_out.get(month, 0),
        "mqls": events["mql"]["count"],
        "mqls_prev": prev_events["mql"]["count"],
        "sales_ready_leads": events["ready"]["count"],
        "sqls": events["sql"]["count"],
        "sals": events["sal"]["count"],
        "opportunities": events["opp"]["count"],
        "customers": events["customer"]["count"],
        "marketing_customers": events["customer"]["marketing_count"],
        "nurture_leads": stats.get("nurture_leads", 0),
        "median_response_hours": stats.get("median_response_hours"),
        "p90_response_hours": stats.get("p90_response_hours"),
        "contacted_within_4h": stats.get("contacted_within_4h", 0),
        "uncontacted": stats.get("uncontacted", 0),
        # email
        # None where the month's rows give no such count (not given: its rates null, never 0 %); 0 without rows.
        "emails_sent": e.get("sent", 0),
        "emails_delivered": e.get("delivered", 0),
        **{name: e.get(name, 0) for name in ("sent_with_delivered", "unique_opens", "delivered_with_opens",
                                             "unique_clicks", "delivered_with_clicks", "unsubscribes",
                                             "delivered_with_unsubscribes")},
        # cost and revenue
        **{f"{c}_spend": sum(a for (cat, _), a in spend.items() if cat == c) for c in ("media", "nurture", "sales")},
        "marketing_spend": _marketing_spend(inputs, month),
        "revenue": events["customer"]["revenue"],
        "marketing_revenue": events["customer"]["marketing_revenue"],
        "marketing_revenue_before": (
            [_events(inputs, (Month.of(month) - i).first_day)["customer"]["marketing_revenue"] for i in (1, 2, 3)]
            if uplift_defined
            else None
        ),
        "gross_margin": gross_margin,
        # paid media
        **ad_sums(ads.values()),
        "paid_leads": sum(_count(new_by_campaign, campaign, "new") for campaign in {c for _p, c in ads if c}),
        "campaign_conversions": ad_sums(g for (_p, c), g in ads.items() if c)["platform_conversions"],
        # recurring revenue and contract lifetime value
        **moves,
        **contracts,
    }


def ad_sums(groups: Any) -> dict[str, float | None]:
    """The ad rows' sums of several (platform, campaign) groups added up; a column none of them
    gives stays None (not given), the ad spend is 0 without any."""
    groups = list(groups)
    totals: dict[str, float | None] = {}
    for name, _sql in AD_SUMS:
        given = [group[name] for group in groups if group[name] is not None]
        totals[name] = sum(given) if given else None
    totals["ad_spend"] = totals["ad_spend"] or 0.0
    return totals


def by_catalogue(keys: tuple[str, ...], numbers: dict[str, Any]) -> dict[str, Any]:
    """A breakdown member's figures: each key is its number when given, else the catalogue's formula over them."""
    return {key: numbers[key] if key in numbers else kpi(key).formula(numbers.__getitem__) for key in keys}


_PLANNED: dict[str, Any] = {}


def _plan() -> tuple[tuple[str, Any, tuple[tuple[str, bool], ...], tuple[tuple[str, str, bool], ...]], ...]:
    """The catalogue's KPIs in an order where each formula's KPIs come before it, each with its
    function and its arguments' names (flagged: a KPI of the month, else an input). Worked out
    once, again only when a declaration was replaced (tests do)."""
    declared = declarations()
    if _PLANNED.get("for") != declared:  # the same objects: compared by identity, element by element
        _PLANNED.update({"for": declared, "plan": _plan_of()})
    return _PLANNED["plan"]


def _plan_of() -> tuple[tuple[str, Any, tuple[tuple[str, bool], ...], tuple[tuple[str, str, bool], ...]], ...]:
    order: list[str] = []

    def visit(key: str) -> None:
        if key in order:
            return
        formula = kpi(key).formula
        for name in () if formula is None else (*formula.args, *(name for _arg, name in formula.kwargs)):
            if is_kpi(name):
                visit(name)
        order.append(key)

    for key in KPI_KEYS:
        visit(key)
    plan = []
    for key in order:
        formula = kpi(key).formula
        if formula is None:
            plan.append((key, None, (), ()))
        else:
            args = tuple((name, is_kpi(name)) for name in formula.args)
            plan.append((key, formula.function, args, tuple((arg, name, is_kpi(name)) for arg, name in formula.kwargs)))
    return tuple(plan)


def kpi_values(inputs: dict[str, Any]) -> dict[str, Any]:
    """Every KPI of the catalogue over one month's ``inputs``, in the catalogue's order; a formula
    naming another KPI gets it computed first (once). The same calls as ``Kpi.compute`` over a
    ``value_of`` that computes a named KPI on first use, without a Python call per name asked."""
    values: dict[str, Any] = {}
    for key, function, args, kwargs in _plan():
        if function is None:
            values[key] = inputs[key]
        else:
            values[key] = function(
                *[values[name] if known else inputs[name] for name, known in args],
                **{arg: values[name] if known else inputs[name] for arg, name, known in kwargs},
            )
    return {key: values[key] for key in KPI_KEYS}


# --- recurring revenue (retainers) ----------------------------------------------------------


def mrr_by_account(contracts: list[Contract], day: dt.date) -> dict[str, float]:
    """Each account's MRR on ``day``: the monthly fees of its retainers with start ≤ day < end."""
    mrr: dict[str, float] = {}
    for contract in contracts:
        if contract.kind == "retainer" and contract.start_date <= day < contract.end_day:  # contract_end, cached
            mrr[contract.account] = mrr.get(contract.account, 0.0) + float(contract.monthly_fee)
    return {account: value for account, value in mrr.items() if value > 0}


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
            # Its new customers without a deal value: its revenue and ROI then count only the others
            # (kpis.breakdowns_shown.row_partial_note). Not a KPI; a document computed before it has none.
            "unpriced_customers": _count(leads.get("channel", {}), member, "customer", "unpriced"),
        }
    device = {}
    for member in sorted(contributing("device")):
        t = traffic.get("device", {}).get(member, {})
        new = _count(leads.get("device", {}), member, "new")
        device[member] = {
            "sessions": t.get("sessions", 0),
            "new_leads": new,
            "traffic_to_lead": ratio(new, t.get("sessions", 0)),
            "bounce_rate": ratio(t.get("bounced"), t.get("sessions_with_bounces", 0)),
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
            "unpriced_customers": _count(members, member, "customer", "unpriced"),  # as the channel's
        }
    ads = inputs.ads.get(month, {})
    delivery = BREAKDOWN_KEYS["campaign"][BREAKDOWN_KEYS["campaign"].index("roi") + 1 :]
    for member, figures in campaign.items():
        figures.update(by_catalogue(delivery, ad_sums(g for (_p, c), g in ads.items() if c == member)))
    platform = {}
    for member in sorted({p for p, _c in ads}):
        campaigns = {c for p, c in ads if p == member and c}
        new = sum(_count(leads.get("campaign", {}), c, "new") for c in campaigns)
        sums = ad_sums(g for (p, _c), g in ads.items() if p == member)
        platform[member] = by_catalogue(BREAKDOWN_KEYS["platform"], {
            **sums,
            "paid_leads": new,
            "mqls": sum(_count(leads.get("campaign", {}), c, "mql") for c in campaigns),
            "cpl": costs.cost_per(sums["ad_spend"], new),
            "campaign_conversions": ad_sums(g for (p, c), g in ads.items() if p == member and c)["platform_conversions"],
        })
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
        "platform": platform,
        "landing_page": landing_page,
        "social_network": social,
    }


# --- contracts and the whole document -------------------------------------------------------


def _contracts(inputs: Inputs) -> list[Contract]:
    return inputs.contracts  # read as the formulas' records (kpis.selectors._reference)


def criteria_version_at(inputs: Inputs, day: dt.date) -> int | None:
    """The version in effect at the end of ``day``: the latest effective on or before it (else the first)."""
    versions = sorted(inputs.criteria_versions, key=lambda v: (v.effective_from, v.version))
    if not versions:
        return None
    effective = [v for v in versions if v.effective_from <= day]
    return (effective[-1] if effective else versions[0]).version


def snapshot_document(*, inputs: Inputs, month: dt.date, client: Any, computed_at: dt.datetime) -> dict[str, Any]:
    """The export document of formats.md for ``month``: every key of kpis.md, null where undefined."""
    contract_top, segments = contract_values(
        contracts=_contracts(inputs), day=Month.of(month).last_day, horizon_months=client.horizon_months
    )
    numbers = month_inputs(inputs, month, gross_margin=float(client.gross_margin), contracts=contract_top)
    return {
        "client": client.slug,
        "month": str(Month.of(month)),
        "computed_at": computed_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "criteria_version": criteria_version_at(inputs, Month.of(month).last_day),
        "kpis": kpi_values(numbers),
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
