"""The demo's list of logins. ``scripts/run`` printed the seed's list ("sam … agency staff: acme,
globex", written from the seed's constants) and, after seed_demo_connections had assigned Wayne to
sam, its own final list ("acme, globex, wayne"): two lists a newcomer reads one above the other,
contradicting each other. The seed's list is now read from the memberships as they stand, and the
run prints the logins once, at the end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agency.models import Membership, User
from kpis.demo import demo_logins
from kpis.management.commands.seed_demo import Command as SeedDemo
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_seeds_list_names_the_staff_members_clients_as_they_are_now(tenant_a, tenant_b) -> None:
    sam = UserFactory(username="sam", role=User.Role.STAFF, clients=[tenant_a])
    logins = dict(demo_logins())
    assert logins["sam"] == "agency staff: alpha"
    assert logins["admin"] == "agency admin: every client"
    Membership.objects.create(user=sam, client=tenant_b)  # as seed_demo_connections assigns Wayne
    assert dict(demo_logins())["sam"] == "agency staff: alpha, beta"


def test_the_run_prints_the_logins_once_after_every_demo_client_is_made() -> None:
    run = (ROOT / "scripts" / "portal.py").read_text()
    seed = run.index('manage("seed_demo", "--no-logins")')
    assert seed < run.index('manage("seed_demo_connections")') < run.index("Logins (password for all")
    assert len(re.findall(r"^\s+sam\s", run, flags=re.MULTILINE)) == 1
    assert "agency staff, acme, globex, wayne" in run  # the final list, with the connected client
    options = SeedDemo().create_parser("manage.py", "seed_demo").parse_args(["--no-logins"])
    assert options.no_logins is True
