"""``seed_demo_clients``: an agency tries the close board at its own size. There was no way to have
more than the demo's five clients short of importing files for each: the clients it adds have data,
their months computed and the month that ended in review — the board shows them waiting, clean but one
in ten (its month gone wrong, its checks open), and a second run keeps them."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from agency.models import Client, Membership, User
from portfolio.models import ClientMonthChecks, ClientMonthClose
from reports.board import board_counts, board_months

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_clients_it_adds_wait_on_the_board_for_their_staff_member(tenants, clean_tenant_tables, staff_a) -> None:
    month = board_months(now=timezone.now())[0]
    try:
        call_command("seed_demo_clients", count=3, months=3, leads_per_month=30, staff=staff_a.username)
        added = Client.objects.filter(slug__in=["alder-dental", "birch-dental", "cedar-dental"])
        assert added.count() == 3
        assert set(Membership.objects.filter(user=staff_a, client__in=added).values_list("client__slug", flat=True)) == {
            "alder-dental", "birch-dental", "cedar-dental"}
        # Every third written to in Spanish; each with a client user to email but every fifth.
        assert Client.objects.get(slug="cedar-dental").language == "es"
        assert User.objects.filter(email="owner@alder-dental.example", role=User.Role.CLIENT).exists()
        assert ClientMonthClose.objects.filter(client__in=added, month=month, state="in_review").count() == 3
        counts = board_counts(user=staff_a, month=month, mine=True)
        assert counts["waiting"] >= 3
        # One in ten (the third) has its month go wrong as a real one does: four days of traffic
        # missing, its checks open, so it needs a look (50 seeded clients were all clean).
        checks = ClientMonthChecks.objects.get(client__slug="cedar-dental", month=month)
        assert checks.open >= 1
        assert counts["waiting"] - counts["clean"] >= 1
        assert not ClientMonthChecks.objects.filter(client__slug="alder-dental", month=month, open__gt=0).exists()
        call_command("seed_demo_clients", count=3, months=2, leads_per_month=5)  # again: kept, nothing added
        assert Client.objects.filter(slug__endswith="-dental").count() == 3
    finally:
        for client in Client.objects.filter(slug__in=["alder-dental", "birch-dental", "cedar-dental"]):
            client.delete(force_drop=True)


def test_a_staff_member_who_does_not_exist_is_said(tenants) -> None:
    with pytest.raises(CommandError, match="nobody"):
        call_command("seed_demo_clients", count=1, staff="nobody")
