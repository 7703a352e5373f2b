"""Property: on random data, the SQL path gives what a plain-Python reading of kpis.md gives.

The oracle below recomputes a month's figures straight from the rows, one lead at a time —
the obvious, slow way — so a mistake in the grouped SQL (month bucketing in the client's zone,
GROUPING SETS members, cumulative database size, percentiles) shows up as a difference.
"""

from __future__ import annotations

import datetime as dt
import statistics
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clients.models import Campaign, Lead, Spend, TrafficRow
from kpis.formulas.common import ratio
from kpis.models import Snapshot
from kpis.services import snapshot_compute
from tests.properties import db_examples, rolled_back

ZONE = ZoneInfo("Europe/Madrid")
WINDOW_START = dt.datetime(2025, 9, 20, tzinfo=ZONE)
MONTH = dt.date(2025, 10, 1)
CAMPAIGNS = {"c1": "paid_search", "c2": "email"}


def in_month(moment: dt.datetime | None) -> bool:
    return moment is not None and moment.astimezone(ZONE).date().replace(day=1) == MONTH


minutes = st.integers(min_value=0, max_value=60 * 24 * 50)  # Sep 20 .. Nov 8, across the Oct 26 DST change
leads_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "created": minutes,
            "mql_after": st.none() | st.integers(0, 60 * 24 * 20),
            "contact_after": st.none() | st.integers(0, 60 * 12),
            "customer_after": st.none() | st.integers(0, 60 * 24 * 20),
            # cents: sums such as 0.10 + 0.20 that floats cannot add exactly (the SQL path adds whole cents)
            "deal": st.none() | st.integers(0, 500_000),  # None: a customer without a deal value
            "campaign": st.sampled_from(["", "c1", "c2"]),
            "channel": st.sampled_from(["", "referral", "organic_search"]),
            "origin": st.sampled_from(["marketing", "sales"]),
            "unsubscribed": st.none() | minutes,
        }
    ),
    max_size=25,
)
spend_strategy = st.lists(
    st.tuples(
        st.integers(0, 40),
        st.sampled_from(["media", "marketing", "nurture", "sales"]),
        st.integers(0, 900),
        st.sampled_from(["", "c1", "c2"]),
    ),
    max_size=8,
)
traffic_strategy = st.lists(
    st.tuples(
        st.integers(0, 40),
        st.sampled_from(["email", "paid_search"]),
        st.sampled_from(["mobile", "desktop"]),
        st.integers(0, 300),
        st.integers(0, 300),
    ),
    max_size=8,
    unique_by=lambda row: row[:3],
)


def oracle(leads: list[Lead], spend: list[Spend], traffic: list[TrafficRow]) -> dict:
    new = [lead for lead in leads if in_month(lead.created_at)]
    customers = [lead for lead in leads if in_month(lead.customer_at)]
    marketing = sum(float(s.amount) for s in spend if s.date.replace(day=1) == MONTH and s.category != "sales")
    sales = sum(float(s.amount) for s in spend if s.date.replace(day=1) == MONTH and s.category == "sales")
    month_end = dt.datetime(2025, 11, 1, tzinfo=ZONE)
    sessions = sum(t.sessions for t in traffic if t.date.replace(day=1) == MONTH)
    bounced = sum(t.bounced_sessions for t in traffic if t.date.replace(day=1) == MONTH)
    # Real elapsed time (kpis.md): Python subtracts datetimes sharing a tzinfo by wall clock, so go through UTC.
    hours = sorted(
        (lead.first_contacted_at.astimezone(dt.UTC) - lead.created_at.astimezone(dt.UTC)).total_seconds() / 3600
        for lead in new
        if lead.first_contacted_at
    )
    channel_of = {lead.id: lead.channel or CAMPAIGNS.get(lead.campaign_id or "", "direct") for lead in leads}
    return {
        "new_leads": len(new),
        "mqls": sum(in_month(lead.mql_at) for lead in leads),
        "customers": len(customers),
        "revenue": float(sum(lead.deal_value or 0 for lead in customers)),
        "marketing_revenue": float(sum(lead.deal_value or 0 for lead in customers if lead.origin == "marketing")),
        "marketing_spend": marketing,
        "cpl": ratio(marketing, len(new)),
        "cac": ratio(marketing + sales, len(customers)),
        "sessions": sessions,
        "bounce_rate": ratio(bounced, sessions),
        "database_size": sum(
            lead.created_at < month_end and not (lead.unsubscribed_at and lead.unsubscribed_at < month_end) for lead in leads
        ),
        "median_response_hours": statistics.median(hours) if hours else None,
        "uncontacted_share": ratio(sum(lead.first_contacted_at is None for lead in new), len(new)),
        "channel_new_leads": {
            channel: sum(channel_of[lead.id] == channel for lead in new) for channel in {channel_of[lead.id] for lead in new}
        },
        # each channel's new customers without a deal value (a breakdown row's partial revenue)
        "channel_unpriced_customers": {
            channel: sum(channel_of[lead.id] == channel and lead.deal_value is None for lead in customers)
            for channel in {channel_of[lead.id] for lead in customers}
        },
    }


def build(lead_specs, spend_specs, traffic_specs):
    leads = []
    for index, spec in enumerate(lead_specs):
        created = WINDOW_START + dt.timedelta(minutes=spec["created"])
        customer = None if spec["customer_after"] is None else created + dt.timedelta(minutes=spec["customer_after"])
        leads.append(
            Lead(
                id=f"L{index}",
                created_at=created,
                mql_at=None if spec["mql_after"] is None else created + dt.timedelta(minutes=spec["mql_after"]),
                first_contacted_at=None
                if spec["contact_after"] is None
                else created + dt.timedelta(minutes=spec["contact_after"]),
                customer_at=customer,
                deal_value=Decimal(spec["deal"]).scaleb(-2) if customer and spec["deal"] is not None else None,
                campaign_id=spec["campaign"] or None,
                channel=spec["channel"],
                origin=spec["origin"],
                unsubscribed_at=None
                if spec["unsubscribed"] is None
                else WINDOW_START + dt.timedelta(minutes=spec["unsubscribed"]),
            )
        )
    spend = [
        Spend(id=f"S{i}", date=WINDOW_START.date() + dt.timedelta(days=d), category=c, amount=Decimal(a), campaign_id=k or None)
        for i, (d, c, a, k) in enumerate(spend_specs)
    ]
    traffic = [
        TrafficRow(
            date=WINDOW_START.date() + dt.timedelta(days=d),
            channel=ch,
            device=dev,
            sessions=max(s, b),
            bounced_sessions=min(s, b),
        )
        for d, ch, dev, s, b in traffic_specs
    ]
    return leads, spend, traffic


@pytest.mark.django_db
@db_examples(30)
@given(lead_specs=leads_strategy, spend_specs=spend_strategy, traffic_specs=traffic_strategy)
@example(  # contacted "12 hours later" across the October DST change: 13 hours really elapsed
    lead_specs=[
        {
            "created": 51300,
            "mql_after": None,
            "contact_after": 720,
            "customer_after": None,
            "deal": 0,
            "campaign": "",
            "channel": "",
            "origin": "marketing",
            "unsubscribed": None,
        }
    ],
    spend_specs=[],
    traffic_specs=[],
)
@example(  # ten deals of 0.10 make 1.0 exactly, but 0.9999999999999999 added as floats in any order
    lead_specs=[
        {"created": 16000 + i, "mql_after": None, "contact_after": None, "customer_after": 100, "deal": 10,
         "campaign": "c1", "channel": "", "origin": "marketing", "unsubscribed": None}
        for i in range(10)
    ],
    spend_specs=[],
    traffic_specs=[],
)
def test_sql_path_equals_plain_python(in_tenant_a, lead_specs, spend_specs, traffic_specs) -> None:
    leads, spend, traffic = build(lead_specs, spend_specs, traffic_specs)
    expected = oracle(leads, spend, traffic)
    with rolled_back():
        Campaign.objects.bulk_create([Campaign(id=k, name=k, channel=v) for k, v in CAMPAIGNS.items()])
        Lead.objects.bulk_create(leads)
        Spend.objects.bulk_create(spend)
        TrafficRow.objects.bulk_create(traffic)
        snapshot_compute(client=in_tenant_a, months=[MONTH])
        document = Snapshot.objects.get(month=MONTH).document
    kpis = document["kpis"]
    for key, value in expected.items():
        if key == "channel_new_leads":
            ours = {
                member: figures["new_leads"]
                for member, figures in document["breakdowns"]["channel"].items()
                if figures["new_leads"]
            }
            assert ours == {k: v for k, v in value.items() if v}
        elif key == "channel_unpriced_customers":
            ours = {
                member: figures["unpriced_customers"]
                for member, figures in document["breakdowns"]["channel"].items()
                if figures["unpriced_customers"]
            }
            assert ours == {k: v for k, v in value.items() if v}
        elif value is None:
            assert kpis[key] is None, key
        elif key in ("revenue", "marketing_revenue"):  # sums of money: the float nearest the exact sum, exactly
            assert kpis[key] == value, key
        else:
            assert kpis[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
