"""Issue #24 item 5: ids holding "/" (an API lead ``web/2026/8812``, a contract ``K/evil``) are
routed like any other: their lists and pages answer for every role instead of a 500."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.api.services import api_token_create
from clients.models import Contract, Persona
from tests.conftest import signed_in


def _as(user, tenant) -> HttpClient:
    return signed_in(user, tenant, raise_request_exception=False)


def test_an_api_lead_whose_id_holds_slashes_has_a_working_list_and_page(tenant_a, staff_a, client_user_a,
                                                                         admin_user) -> None:
    _token, secret = api_token_create(client=tenant_a, name="crm")
    body = json.dumps({"id": "web/2026/8812", "created_at": "2026-03-04T09:30:00"})
    created = _as(None, tenant_a).post("/api/v1/leads", body, content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert created.status_code in {200, 201}
    for user in (staff_a, client_user_a, admin_user):
        listing = _as(user, tenant_a).get("/leads/")
        assert listing.status_code == 200
        assert 'href="/leads/web/2026/8812/"' in listing.content.decode()
        page = _as(user, tenant_a).get("/leads/web/2026/8812/")
        assert page.status_code == 200 and "web/2026/8812" in page.content.decode()
        assert _as(user, tenant_a).get("/leads/web%2F2026%2F8812/").status_code == 200


def test_a_contract_and_a_persona_whose_ids_hold_slashes_can_be_listed_edited_and_cancelled(tenant_a, staff_a) -> None:
    with schema_context(tenant_a.schema_name):
        Contract.objects.create(id="K/evil", account="Acme", kind="retainer", start_date=dt.date(2026, 1, 1),
                                monthly_fee=100, term_months=12)
        Persona.objects.create(code="cfo/emea", name="CFO")
    http = _as(staff_a, tenant_a)
    listing = http.get("/contracts/")
    assert listing.status_code == 200
    for link in ("/contracts/K/evil/edit/", "/contracts/K/evil/renew/", "/contracts/K/evil/cancel/"):
        assert f'href="{link}"' in listing.content.decode()
        assert http.get(link).status_code == 200, link
    assert http.get("/personas/").status_code == 200
    assert http.get("/personas/cfo/emea/").status_code == 200


@pytest.mark.parametrize("path", ["/leads/a/b/", "/contracts/a/b/edit/", "/personas/x/y/"])
def test_an_unknown_id_with_slashes_is_a_404(staff_a, tenant_a, path) -> None:
    assert _as(staff_a, tenant_a).get(path).status_code == 404
