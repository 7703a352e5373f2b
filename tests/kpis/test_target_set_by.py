"""A target names who set it as the close names people (agency.models.User.display_name: "Sam
Rivera", else the email address), never by the login name ("sam-staff"): set on the scorecard,
copied from another client's set-up, and the names stored before rewritten by portfolio 0014."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection

from kpis.services import target_set
from kpis.services_template import template_apply
from portfolio.models import Target
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def sam(staff_a):
    staff_a.first_name, staff_a.last_name, staff_a.email = "Sam", "Rivera", "sam@agency.example"
    staff_a.save()
    return staff_a


def test_a_target_set_on_the_scorecard_names_the_person(tenant_a, sam) -> None:
    response = signed_in(sam, tenant_a).post("/scorecard/targets/", {"month": "2026-03", "kpi": "new_leads", "value": "40"})
    assert response.status_code == 302
    assert Target.objects.get(client=tenant_a, kpi="new_leads").set_by == "Sam Rivera"
    sam.first_name = sam.last_name = ""
    sam.save()
    target_set(client=tenant_a, month=MARCH, kpi="new_leads", value=50, user=sam)
    assert Target.objects.get(client=tenant_a, kpi="new_leads").set_by == "sam@agency.example"


def test_a_target_copied_from_another_client_names_who_copied_it(tenant_a, tenant_b, sam, admin_user) -> None:
    admin_user.first_name, admin_user.last_name = "Ada", "Lovelace"
    admin_user.save()
    target_set(client=tenant_a, month=MARCH, kpi="new_leads", value=40, user=sam)
    template_apply(source=tenant_a, targets=[tenant_b], parts=["targets"], user=admin_user)
    assert Target.objects.get(client=tenant_b, kpi="new_leads").set_by == "Ada Lovelace"


def test_login_names_stored_before_are_rewritten_by_the_migration(tenant_a, sam) -> None:
    Target.objects.create(client=tenant_a, month=MARCH, kpi="new_leads", value=40, set_by="sam-staff")
    Target.objects.create(client=tenant_a, month=MARCH, kpi="cpl", value=60, set_by="Somebody else")
    migration = importlib.import_module("portfolio.migrations.0014_target_set_by_person_name")
    migration.rename(None, SimpleNamespace(connection=connection))
    assert dict(Target.objects.values_list("kpi", "set_by")) == {"new_leads": "Sam Rivera", "cpl": "Somebody else"}
