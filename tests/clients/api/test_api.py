"""The ingestion API: tokens, single and batch leads, activities, upsert, errors, isolation."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.api.services import api_token_create, api_token_revoke
from clients.api.utm import utm_channel
from clients.models import Activity, ApiToken, Campaign, Lead
from tests.conftest import host_of


@pytest.fixture
def token_a(tenant_a):
    _token, secret = api_token_create(client=tenant_a, name="Website form")
    return secret


@pytest.fixture
def api(tenant_a, token_a):
    def post(path, body, *, token=token_a, host=None):
        http = HttpClient(HTTP_HOST=host or host_of(tenant_a), enforce_csrf_checks=True)  # the API is CSRF-exempt
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return http.post(path, data, content_type="application/json", **headers)

    return post


@pytest.fixture
def spring(tenant_a):
    connection.set_tenant(tenant_a)
    Campaign.objects.create(id="spring-24", name="Spring", channel="paid_search")
    connection.set_schema_to_public()


def in_a(tenant_a):
    connection.set_tenant(tenant_a)


def test_a_single_lead_is_created_with_utm_parameters_mapped(api, tenant_a, spring):
    response = api(
        "/api/v1/leads",
        {
            "id": "web-1",
            "created_at": "2026-03-04T09:30:00",
            "email": "ann@example.com",
            "employees": 120,
            "interests": ["analytics", "growth"],
            "utm_campaign": "spring-24",
            "utm_medium": "cpc",
            "utm_source": "google",
            "utm_term": "crm software",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json() == {"inserted": 1, "updated": 0, "unchanged": 0}
    in_a(tenant_a)
    lead = Lead.objects.get(id="web-1")
    assert (lead.campaign_id, lead.channel, lead.employees) == ("spring-24", "paid_search", 120)
    assert lead.interests == ["analytics", "growth"]
    assert lead.created_at == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)  # Madrid time


def test_a_batch_is_written_and_a_repeat_upserts_by_id(api, tenant_a):
    batch = {
        "leads": [
            {"id": "crm-1", "created_at": "2026-03-01T10:00:00Z"},
            {"id": "crm-2", "created_at": "2026-03-02T10:00:00Z", "channel": "email"},
        ]
    }
    assert api("/api/v1/leads", batch).json() == {"inserted": 2, "updated": 0, "unchanged": 0}
    assert api("/api/v1/leads", batch).json() == {"inserted": 0, "updated": 0, "unchanged": 2}
    batch["leads"][1]["sql_at"] = "2026-03-09T10:00:00Z"
    response = api("/api/v1/leads", batch)
    assert response.status_code == 200 and response.json() == {"inserted": 0, "updated": 1, "unchanged": 1}
    in_a(tenant_a)
    assert Lead.objects.get(id="crm-2").sql_at == dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC)


def test_a_bad_lead_gets_400_with_the_fields_at_fault(api, tenant_a):
    response = api(
        "/api/v1/leads", {"id": "x", "created_at": "yesterday", "employees": -3, "colour": "red", "utm_campaign": "nope"}
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"colour": ["Unknown field."]}}
    response = api("/api/v1/leads", {"id": "x", "created_at": "yesterday", "employees": -3, "utm_campaign": "nope"})
    errors = response.json()["errors"]
    assert set(errors) == {"created_at", "employees"}
    assert "ISO 8601" in errors["created_at"][0] and "negative" in errors["employees"][0]
    response = api("/api/v1/leads", {"id": "x", "created_at": "2026-03-01T10:00:00", "utm_campaign": "nope"})
    assert response.json() == {"errors": {"utm_campaign": ["unknown campaign “nope”: add the campaigns first"]}}
    in_a(tenant_a)
    assert not Lead.objects.exists()


def test_a_batch_reports_errors_per_index_and_writes_nothing(api, tenant_a):
    response = api(
        "/api/v1/leads",
        {
            "leads": [
                {"id": "ok", "created_at": "2026-03-01T10:00:00Z"},
                {
                    "id": "bad",
                    "created_at": "2026-03-01T10:00:00Z",
                    "customer_at": "2026-03-05T10:00:00Z",
                    "deal_value": 10,
                    "lost_at": "2026-03-06T10:00:00Z",
                },
                {"created_at": "2026-03-01T10:00:00Z"},
                {"id": "ok", "created_at": "2026-03-01T10:00:00Z"},
            ]
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "1": {"lost_at": ["a lead cannot have both customer_at and lost_at"]},
            "2": {"id": ["required value missing"]},
            "3": {"id": ["duplicate key: the same key is at index 0"]},
        }
    }
    in_a(tenant_a)
    assert not Lead.objects.exists()


def test_activities_are_posted_for_known_leads(api, tenant_a):
    in_a(tenant_a)
    Lead.objects.create(id="L1", created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    connection.set_schema_to_public()
    response = api(
        "/api/v1/activities",
        {
            "activities": [
                {"id": "a1", "lead": "L1", "occurred_at": "2026-03-02T10:00:00Z", "action": "demo_request", "detail": "=cmd"}
            ]
        },
    )
    assert response.status_code == 201
    response = api("/api/v1/activities", {"id": "a2", "lead": "L9", "occurred_at": "2026-03-02T10:00:00Z", "action": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"action"}  # the reference is checked once the row itself is valid
    in_a(tenant_a)
    assert Activity.objects.get(id="a1").detail == "=cmd"


@pytest.mark.parametrize("auth", [None, "Bearer nonsense", "Basic abc", "Bearer "])
def test_no_or_a_bad_token_is_401(api, tenant_a, auth):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
    response = http.post(
        "/api/v1/leads", json.dumps({"id": "x", "created_at": "2026-03-01T10:00:00Z"}), content_type="application/json", **headers
    )
    assert response.status_code == 401
    assert "authorization" in response.json()["errors"]


def test_a_revoked_token_is_401(api, tenant_a, token_a):
    in_a(tenant_a)
    token = ApiToken.objects.get()
    connection.set_schema_to_public()
    api_token_revoke(client=tenant_a, token_id=token.id)
    assert api("/api/v1/leads", {"id": "x", "created_at": "2026-03-01T10:00:00Z"}).status_code == 401


def test_a_token_of_client_a_cannot_write_to_client_b(api, tenant_a, tenant_b):
    response = api("/api/v1/leads", {"id": "x", "created_at": "2026-03-01T10:00:00Z"}, host=host_of(tenant_b))
    assert response.status_code == 401
    connection.set_tenant(tenant_b)
    assert not Lead.objects.exists()


def test_tokens_are_stored_hashed(tenant_a, token_a):
    in_a(tenant_a)
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(token_a.encode()).hexdigest()
    assert token.prefix == token_a[:12]


def test_invalid_json_and_bad_shapes_are_400(api):
    assert api("/api/v1/leads", "{not json").json() == {"errors": {"body": ["The body is not valid JSON."]}}
    assert api("/api/v1/leads", {"leads": []}).status_code == 400
    assert api("/api/v1/leads", [1, 2]).status_code == 400
    assert api("/api/v1/leads", {"id": "x", "created_at": "2026-03-01T10:00:00Z", "age": {"n": 1}}).status_code == 400


def test_the_api_takes_post_only(tenant_a, token_a):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    assert http.get("/api/v1/leads", HTTP_AUTHORIZATION=f"Bearer {token_a}").status_code == 405


@pytest.mark.parametrize(
    ("medium", "source", "channel"),
    [
        ("cpc", "google", "paid_search"),
        ("ppc", "", "paid_search"),
        ("paidsearch", "bing", "paid_search"),
        ("cpc", "linkedin", "paid_social"),
        ("paid_social", "facebook", "paid_social"),
        ("organic", "google", "organic_search"),
        ("", "bing", "organic_search"),
        ("social", "twitter", "organic_social"),
        ("", "linkedin", "organic_social"),
        ("email", "newsletter", "email"),
        ("referral", "partner.com", "referral"),
        ("", "partner.com", "referral"),
        ("display", "gdn", "display"),
        ("(none)", "(direct)", "direct"),
        ("CPC", "Google", "paid_search"),
        ("weird", "", "other"),
        ("", "", ""),
    ],
)
def test_utm_medium_and_source_map_to_a_channel(medium, source, channel):
    assert utm_channel(medium=medium, source=source) == channel


# --- the tokens screen ----------------------------------------------------------------------


def test_staff_create_a_token_shown_once_and_revoke_it(staff_a, tenant_a):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    response = http.post("/settings/api-tokens/", {"name": "Website"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("cpt_") and secret in response.content.decode()
    assert secret not in http.get("/settings/api-tokens/").content.decode()  # never shown again
    in_a(tenant_a)
    token = ApiToken.objects.get()
    connection.set_schema_to_public()
    http.post(f"/settings/api-tokens/{token.id}/revoke/")
    in_a(tenant_a)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_client_users_cannot_manage_tokens(client_user_a, tenant_a):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(client_user_a)
    assert http.get("/settings/api-tokens/").status_code == 404
