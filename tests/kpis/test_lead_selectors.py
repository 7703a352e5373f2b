"""The one-pass lead selector on a small fixture with answers worked by hand (alpha: Europe/Madrid).

Madrid moves its clocks forward on 2026-03-29 (02:00 CET -> 03:00 CEST): a first contact across
the change counts real elapsed time.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from clients.models import Campaign, Lead
from kpis.models import Snapshot
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthSummary

MADRID = ZoneInfo("Europe/Madrid")
FEB, MARCH, APRIL = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=MADRID)


@pytest.fixture
def leads(in_tenant_a) -> None:
    Campaign.objects.bulk_create(
        [
            Campaign(id="ads", name="Ads", channel="paid_search"),
            Campaign(id="li", name="LinkedIn", channel="paid_social", social_network="linkedin"),
            Campaign(id="nl", name="Newsletter", channel="email", nurture=True),
        ]
    )
    Lead.objects.bulk_create(
        [
            # February: a stays until it unsubscribes in March; b leaves in February.
            Lead(id="a", created_at=at("2026-02-10T10:00"), campaign_id="ads", unsubscribed_at=at("2026-03-05T09:00")),
            Lead(id="b", created_at=at("2026-02-20T10:00"), unsubscribed_at=at("2026-02-25T10:00")),
            # March (Madrid time).
            Lead(
                id="c",
                created_at=at("2026-03-01T00:30"),
                campaign_id="li",
                device="mobile",
                persona="ops",
                first_contacted_at=at("2026-03-01T02:30"),
            ),
            Lead(
                id="d",
                created_at=at("2026-03-29T01:30"),
                campaign_id="nl",
                device="desktop",
                first_contacted_at=at("2026-03-29T04:30"),
            ),  # 2 h of real time across the clock change
            Lead(
                id="e",
                created_at=at("2026-03-15T10:00"),
                campaign_id="ads",
                channel="referral",
                origin="sales",
                first_contacted_at=at("2026-03-16T10:00"),
                customer_at=at("2026-03-20T10:00"),
                deal_value=Decimal("1000"),
            ),
            Lead(id="f", created_at=at("2026-03-31T23:30"), unsubscribed_at=at("2026-03-10T10:00")),  # never in the database
            Lead(
                id="h",
                created_at=at("2026-03-05T10:00"),
                campaign_id="li",
                first_contacted_at=at("2026-03-05T16:00"),
                customer_at=at("2026-03-25T10:00"),
                deal_value=Decimal("3000"),
            ),
            # April, by 10 minutes of Madrid time (still March 31 in UTC).
            Lead(id="g", created_at=at("2026-04-01T00:10")),
        ]
    )


def documents(client) -> dict[dt.date, dict]:
    snapshot_compute(client=client, months=[FEB, MARCH, APRIL])
    return {s.month: s.document for s in Snapshot.objects.all()}


def test_database_size_and_opt_outs_by_month_end(leads, in_tenant_a) -> None:
    docs = documents(in_tenant_a)
    feb, march, april = (docs[m]["kpis"] for m in (FEB, MARCH, APRIL))
    assert (feb["database_size"], march["database_size"], april["database_size"]) == (1, 4, 5)
    assert march["opt_out_rate"] == 1.0  # a: in the database at the end of February, unsubscribed in March
    assert april["opt_out_rate"] == 0.0
    assert feb["opt_out_rate"] is None  # nobody in the database at the end of January


def test_speed_to_lead_in_real_elapsed_hours(leads, in_tenant_a) -> None:
    march = documents(in_tenant_a)[MARCH]["kpis"]
    assert march["new_leads"] == 5  # c, d, e, f, h
    # first contact after 2, 2 (across the clock change), 24 and 6 hours
    assert march["median_response_hours"] == pytest.approx(4.0)
    assert march["p90_response_hours"] == pytest.approx(6 + 0.7 * (24 - 6))
    assert march["contacted_within_4h_share"] == pytest.approx(2 / 5)
    assert march["uncontacted_share"] == pytest.approx(1 / 5)
    assert march["nurture_leads"] == 1


def test_revenue_by_origin_and_the_uplift_needs_three_earlier_months(leads, in_tenant_a) -> None:
    march = documents(in_tenant_a)[MARCH]["kpis"]
    assert (march["customers"], march["revenue"], march["marketing_revenue"]) == (2, 4000.0, 3000.0)
    assert march["marketing_sourced_customer_share"] == 0.5
    assert march["revenue_uplift"] is None  # the earliest lead (February) is after December


def test_breakdown_members_from_the_same_pass(leads, in_tenant_a) -> None:
    breakdowns = documents(in_tenant_a)[MARCH]["breakdowns"]
    channel = breakdowns["channel"]
    assert (channel["paid_social"]["new_leads"], channel["paid_social"]["customers"], channel["paid_social"]["revenue"]) == (
        2,
        1,
        3000.0,
    )
    assert (channel["referral"]["new_leads"], channel["referral"]["revenue"]) == (1, 1000.0)  # its own channel wins
    assert channel["email"]["new_leads"] == 1 and channel["direct"]["new_leads"] == 1
    assert "paid_search" not in channel  # a's and e's campaign, but nothing of March resolves to it
    assert {k: v["new_leads"] for k, v in breakdowns["device"].items()} == {"desktop": 1, "mobile": 1}
    assert breakdowns["persona"] == {"ops": {"new_leads": 1, "mqls": 0, "customers": 0, "qualified_lead_rate": 0.0}}
    assert breakdowns["social_network"] == {"linkedin": {"sessions": 0, "new_leads": 2, "customers": 1}}
    assert set(breakdowns["campaign"]) == {"ads", "li", "nl"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_recomputes_leave_one_row_with_the_same_values(tenant_a, clean_tenant_tables) -> None:
    with tenant_context(tenant_a):
        Lead.objects.bulk_create([Lead(id=f"x{i}", created_at=at("2026-03-10T10:00")) for i in range(7)])
    barrier, errors = threading.Barrier(4), []

    def recompute() -> None:
        try:
            barrier.wait(timeout=10)
            snapshot_compute(client=tenant_a, months=[MARCH])
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=recompute) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with tenant_context(tenant_a):
        assert [s.new_leads for s in Snapshot.objects.filter(month=MARCH)] == [7]
    assert list(ClientMonthSummary.objects.filter(client=tenant_a).values_list("new_leads", flat=True)) == [7]
