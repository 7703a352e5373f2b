"""The leads list and a lead's page, as a client user sees them."""

from __future__ import annotations

import datetime as dt

from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.criteria.services import criteria_version_create
from clients.models import Campaign, Lead, Persona
from tests.conftest import host_of

AT = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)


def test_the_list_shows_each_leads_resolved_channel_and_filters_mqls(client_user_a, tenant_a) -> None:
    with schema_context("alpha"):
        Campaign.objects.create(id="ads", name="Ads", channel="paid_search")
        Lead.objects.bulk_create(
            [
                Lead(id="own", created_at=AT, channel="referral"),
                Lead(id="via-campaign", created_at=AT, campaign_id="ads"),
                Lead(id="bare", created_at=AT),
                Lead(id="mql", created_at=AT, mql_at=AT),
            ]
        )
    http = HttpClient()
    http.force_login(client_user_a)
    body = http.get("/leads/", HTTP_HOST=host_of(tenant_a)).content.decode()
    for expected in ("Referral", "Paid search", "Direct"):  # the channel in words, not its code
        assert f"<td>{expected}</td>" in body
    assert "<td>paid_search</td>" not in body
    partial = http.get("/leads/?status=mql", HTTP_HOST=host_of(tenant_a), HTTP_HX_REQUEST="true").content.decode()
    assert "/leads/mql/" in partial and "/leads/bare/" not in partial and "<html" not in partial


def test_a_leads_page_says_why_it_qualified(client_user_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=AT, employees=400, company_revenue=9_000_000)
    criteria_version_create(
        criteria={"fit": {"field": "company_revenue", "op": "gte", "value": 1_000_000}, "threshold": 10,
                  "points": [{"field": "employees", "op": "gte", "value": 250, "points": 25}]},
        effective_from=dt.date(2026, 1, 1),
        client=tenant_a,
    )
    http = HttpClient()
    http.force_login(client_user_a)
    body = http.get("/leads/big/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Judged by criteria version 1." in body and "+25" in body and "MQL since" in body
    # numbers as people read them: not "9000000.0" nor "400.0"
    assert "lead has <code>9,000,000</code>" in body and "<dd>400</dd>" in body and "<dd>9,000,000</dd>" in body
    assert ".0<" not in body


def test_the_list_and_the_leads_page_name_the_persona_and_channel_in_the_readers_language(client_user_a, tenant_a) -> None:
    with schema_context("alpha"):
        Persona.objects.create(code="founder", name="Fundador", match={"field": "employees", "op": "lt", "value": 50})
        Lead.objects.create(id="f1", created_at=AT, channel="organic_search", persona="founder")
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(client_user_a)
    body = http.get("/leads/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "<td>Fundador</td>" in body and "<td>Búsqueda orgánica</td>" in body
    assert "<td>founder</td>" not in body and "organic_search" not in body
    detail = http.get("/leads/f1/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "<dd>Fundador</dd>" in detail


def test_a_lead_not_yet_qualified_is_not_headed_why_it_qualified(client_user_a, staff_a, tenant_a) -> None:
    """A lead under the threshold read "Why it qualified" above "Not an MQL yet: its score has not reached 10."
    And before any criteria a client read "No qualification criteria are set for this client yet.": itself
    called "this client", in the agency's words."""
    with schema_context("alpha"):
        Lead.objects.create(id="small", created_at=AT, employees=10, company_revenue=9_000_000)
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    http.force_login(client_user_a)
    body = http.get("/leads/small/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Your agency has not set the criteria that qualify your leads yet." in body and "this client" not in body
    staff = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(staff_a)
    assert "No qualification criteria are set for this client yet." in staff.get(
        "/leads/small/", HTTP_HOST=host_of(tenant_a)).content.decode()
    criteria_version_create(
        criteria={"fit": {"field": "company_revenue", "op": "gte", "value": 1_000_000}, "threshold": 10,
                  "points": [{"field": "employees", "op": "gte", "value": 250, "points": 25}]},
        effective_from=dt.date(2026, 1, 1),
        client=tenant_a,
    )
    body = http.get("/leads/small/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert '<h2 id="why-title">Why it has not qualified</h2>' in body and "Not an MQL yet" in body
    assert "Why it qualified" not in body
