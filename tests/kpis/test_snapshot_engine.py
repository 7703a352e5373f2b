"""The snapshot engine on small fixtures with answers worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agency.months import Month
from clients.models import Campaign, Contract, Holiday, Lead, Spend, TrafficRow
from kpis.models import Snapshot
from kpis.selectors import data_months
from kpis.services import snapshot_compute

MADRID = ZoneInfo("Europe/Madrid")


def at(text: str) -> dt.datetime:
    """A wall-clock time in Madrid (alpha's zone)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=MADRID)


def lead(id: str, created: str, **fields) -> Lead:
    return Lead(id=id, created_at=at(created), **fields)


def month(text: str) -> dt.date:
    return Month.parse(text).first_day


def kpis_of(tenant, text: str) -> dict:
    snapshot_compute(client=tenant, months=[month(text)])
    return Snapshot.objects.get(month=month(text)).document["kpis"]


def test_month_boundaries_follow_the_client_zone_across_a_dst_change(in_tenant_a) -> None:
    # Madrid leaves summer time on 2025-10-26 (03:00 CEST -> 02:00 CET).
    Lead.objects.bulk_create(
        [
            lead("sep-last", "2025-09-30T23:30:00"),  # 21:30 UTC on Sep 30: September in Madrid
            lead("oct-first", "2025-10-01T00:10:00"),  # 22:10 UTC on Sep 30: October in Madrid
            lead("oct-dst", "2025-10-26T02:30:00"),  # the repeated hour
            lead("oct-last", "2025-10-31T23:59:00"),  # 22:59 UTC Oct 31
            lead("nov-first", "2025-11-01T00:00:00"),  # 23:00 UTC Oct 31: November in Madrid
        ]
    )
    assert kpis_of(in_tenant_a, "2025-09")["new_leads"] == 1
    assert kpis_of(in_tenant_a, "2025-10")["new_leads"] == 3
    assert kpis_of(in_tenant_a, "2025-11")["new_leads"] == 1


def test_working_days_leave_out_weekends_and_holidays(in_tenant_a) -> None:
    assert Month(2025, 12).working_days() == 23
    assert Month(2025, 12).working_days({dt.date(2025, 12, 8), dt.date(2025, 12, 25), dt.date(2025, 12, 27)}) == 21
    Holiday.objects.bulk_create([Holiday(date=dt.date(2025, 12, 8)), Holiday(date=dt.date(2025, 12, 25))])
    Lead.objects.bulk_create([lead(f"l{i}", "2025-12-10T10:00:00") for i in range(21)])
    kpis = kpis_of(in_tenant_a, "2025-12")
    assert kpis["working_days"] == 21
    assert kpis["leads_per_working_day"] == 1.0


def test_zero_denominators_are_null_never_zero_and_counts_are_zero(in_tenant_a) -> None:
    kpis = kpis_of(in_tenant_a, "2025-06")
    assert kpis["new_leads"] == 0 and kpis["sessions"] == 0 and kpis["mrr"] == 0
    for key in (
        "cpl",
        "cac",
        "qualified_lead_rate",
        "bounce_rate",
        "lead_velocity_rate",
        "arpa",
        "cltv",
        "roi",
        "median_response_hours",
        "opt_out_rate",
        "growth_needed_per_working_day",
        "contract_ltv",
    ):
        assert kpis[key] is None, key


def test_cost_per_lead_and_roi_by_hand(in_tenant_a) -> None:
    Campaign.objects.create(id="ads", name="Ads", channel="paid_search")
    Spend.objects.bulk_create(
        [
            Spend(id="s1", date=dt.date(2026, 3, 3), category="media", amount=Decimal("600"), campaign_id="ads"),
            Spend(id="s2", date=dt.date(2026, 3, 9), category="sales", amount=Decimal("400")),
            Spend(id="s3", date=dt.date(2026, 3, 31), category="marketing", amount=Decimal("300")),
        ]
    )
    Lead.objects.bulk_create(
        [
            lead("a", "2026-03-02T10:00:00", campaign_id="ads"),
            lead(
                "b", "2026-03-02T11:00:00", campaign_id="ads", customer_at=at("2026-03-20T10:00:00"), deal_value=Decimal("2600")
            ),
            lead("c", "2026-03-05T09:00:00", origin="sales"),
        ]
    )
    kpis = kpis_of(in_tenant_a, "2026-03")
    assert kpis["marketing_spend"] == 900.0
    assert kpis["cpl"] == 300.0  # 900 / 3
    assert kpis["cac"] == 1300.0  # (900 + 400) / 1
    assert kpis["roi"] == pytest.approx((2600 - 900) / 900)
    assert kpis["romi"] == pytest.approx((2600 * 0.7 - 900) / 900)  # alpha's gross margin is the default 0.7
    channel = Snapshot.objects.get(month=month("2026-03")).document["breakdowns"]["channel"]
    assert channel["paid_search"]["marketing_spend"] == 600.0 and channel["paid_search"]["cpl"] == 300.0
    assert channel["unattributed"]["marketing_spend"] == 300.0 and channel["unattributed"]["cpl"] is None
    assert channel["direct"]["new_leads"] == 1


def test_contracts_cancelled_early_renewed_and_on_the_31st(in_tenant_a) -> None:
    Contract.objects.bulk_create(
        [
            Contract(
                id="r1",
                account="a1",
                kind="retainer",
                start_date=dt.date(2025, 1, 31),
                term_months=1,
                monthly_fee=Decimal("1000"),
            ),  # term ends Feb 28
            Contract(
                id="r2",
                account="a1",
                kind="retainer",
                start_date=dt.date(2025, 2, 28),
                term_months=3,
                monthly_fee=Decimal("1500"),
                renewal_of_id="r1",
            ),
            Contract(
                id="r3",
                account="a2",
                kind="retainer",
                start_date=dt.date(2025, 1, 10),
                term_months=6,
                monthly_fee=Decimal("2000"),
                cancelled_on=dt.date(2025, 3, 10),
            ),
        ]
    )
    feb, mar = kpis_of(in_tenant_a, "2025-02"), kpis_of(in_tenant_a, "2025-03")
    assert feb["mrr"] == 3500.0  # r2 from Feb 28 (r1 ended that day) + r3
    assert (mar["mrr"], mar["churned_mrr"], mar["expansion_mrr"]) == (1500.0, 2000.0, 0)
    assert mar["customer_churn_rate"] == 0.5
    assert feb["renewal_rate"] == 1.0  # r1 ran its term and was renewed
    assert mar["early_cancel_rate"] == 0.5  # r3 cancelled before its term end, r1 not


def test_recomputing_twice_leaves_one_row_with_the_same_values(in_tenant_a) -> None:
    Lead.objects.bulk_create([lead("x", "2026-01-05T10:00:00")])
    first = snapshot_compute(client=in_tenant_a, months=[month("2026-01")])
    document = Snapshot.objects.get(month=month("2026-01")).document
    snapshot_compute(client=in_tenant_a, months=[month("2026-01")])
    assert Snapshot.objects.filter(month=month("2026-01")).count() == 1
    again = Snapshot.objects.get(month=month("2026-01")).document
    assert {k: v for k, v in again.items() if k != "computed_at"} == {k: v for k, v in document.items() if k != "computed_at"}
    assert len(first) == 1


def test_the_number_of_queries_does_not_grow_with_months_or_rows(in_tenant_a) -> None:
    Lead.objects.bulk_create([lead(f"q{i}", f"2025-{1 + i % 12:02d}-10T10:00:00") for i in range(60)])
    TrafficRow.objects.bulk_create(
        [
            TrafficRow(date=dt.date(2025, 1 + i % 12, 3), channel="email", device="desktop", sessions=10, landing_page=f"/p{i}")
            for i in range(36)
        ]
    )
    with CaptureQueriesContext(connection) as one:
        snapshot_compute(client=in_tenant_a, months=[month("2025-03")])
    with CaptureQueriesContext(connection) as twelve:
        snapshot_compute(client=in_tenant_a, months=[month(f"2025-{m:02d}") for m in range(1, 13)])
    assert len(one.captured_queries) == len(twelve.captured_queries)


def test_data_months_span_the_earliest_to_the_latest_row(in_tenant_a) -> None:
    Lead.objects.bulk_create([lead("early", "2025-11-15T10:00:00"), lead("late", "2026-02-02T10:00:00")])
    assert [m.strftime("%Y-%m") for m in data_months(timezone="Europe/Madrid")] == ["2025-11", "2025-12", "2026-01", "2026-02"]
