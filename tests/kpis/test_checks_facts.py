"""The checks computed with the snapshots take what the snapshots' lead pass counted, and read the same
data as when they read every lead themselves (the check_month command's path)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from agency.months import Month
from clients.models import Campaign, Lead, Spend
from kpis.checks import selectors as check_selectors
from kpis.checks.selectors import check_data
from kpis.selectors import check_facts, snapshot_inputs

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
MONTHS = [Month.parse(f"2026-{m:02d}").first_day for m in (3, 4, 5)]


def seed() -> None:
    """Leads on some days of February–May in Madrid (one at 00:30 local on 1 April: still March in UTC),
    some with neither channel nor campaign; campaigns with new leads or only spend rows."""
    Campaign.objects.create(id="c1", name="Brand", channel="paid_search")
    Campaign.objects.create(id="c2", name="Newsletter", channel="email")
    Campaign.objects.create(id="c3", name="Spend only", channel="display")
    leads = []
    for n in range(90):
        day = dt.date(2026, 2 + n % 4, 1 + (n * 7) % 27)
        unattributed = n % 5 == 0
        leads.append(Lead(
            id=f"l{n}", created_at=dt.datetime.combine(day, dt.time(9 + n % 10), tzinfo=MADRID),
            channel="" if unattributed else "referral" if n % 5 == 1 else "",
            campaign_id=None if unattributed or n % 5 == 1 else ("c1" if n % 3 else "c2"),
        ))  # fmt: skip
    leads.append(Lead(id="midnight", created_at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=MADRID)))
    Lead.objects.bulk_create(leads)
    Spend.objects.bulk_create([
        Spend(id="s1", date=dt.date(2026, 4, 3), category="media", amount=Decimal("10"), campaign_id="c3"),
        Spend(id="s2", date=dt.date(2026, 5, 3), category="media", amount=Decimal("10"), campaign_id=None),
    ])  # fmt: skip


@pytest.mark.parametrize("probed_from", [10**9, 0], ids=["days-scanned", "days-probed"])
def test_the_checks_read_the_same_data_with_the_snapshots_facts(tenant_a, monkeypatch, probed_from) -> None:
    monkeypatch.setattr(check_selectors, "LEAD_DAYS_PROBED_FROM", probed_from)
    with schema_context("alpha"):
        seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE clients_lead")  # the estimate the days' branch is chosen by
        facts = check_facts(snapshot_inputs(months=MONTHS, timezone="Europe/Madrid"))
        alone = check_data(months=MONTHS, timezone="Europe/Madrid")
        given = check_data(months=MONTHS, timezone="Europe/Madrid", facts=facts)
    assert given == alone
    april = alone[MONTHS[1]]
    assert april.unattributed_leads == 5  # the midnight lead is April's in Madrid, and has neither
    assert april.campaign_names == ("Brand", "Newsletter", "Spend only")
    assert dt.date(2026, 4, 1) in april.source_days["leads"] and dt.date(2026, 3, 31) not in april.source_days["leads"]
    assert alone[MONTHS[2]].campaign_names == ("Brand", "Newsletter")


def test_the_checks_take_the_kpis_just_stored_as_the_table_gives_them(tenant_a, tenant_b) -> None:
    """The months just computed are not read back: their KPIs, handed over from the documents, equal
    what the table gives; the months before them are still read (here stored first, then not
    recomputed), and another client's snapshots of the same months never enter the history."""
    from kpis.services import snapshot_compute

    with schema_context("alpha"):
        seed()
    earlier = [Month.parse("2026-02").first_day]
    snapshot_compute(client=tenant_b, months=MONTHS)  # another client's same months: never read here
    snapshot_compute(client=tenant_a, months=earlier)
    stored = snapshot_compute(client=tenant_a, months=MONTHS)
    with schema_context("alpha"):
        inputs = snapshot_inputs(months=MONTHS, timezone="Europe/Madrid")
        facts = check_facts(inputs, kpis={row.month: row.document["kpis"] for row in stored})
        read = check_data(months=MONTHS, timezone="Europe/Madrid", facts=check_facts(inputs))
        given = check_data(months=MONTHS, timezone="Europe/Madrid", facts=facts)
    assert given == read
    may = given[MONTHS[2]]
    assert sorted(map(str, may.history)) == ["2026-02", "2026-03", "2026-04", "2026-05"]
    assert may.history[Month.of(MONTHS[1])]["new_leads"] == 23  # April's new leads, alpha's own
