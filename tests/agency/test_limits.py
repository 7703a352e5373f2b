"""Rate limits (429 with Retry-After), the upload size limit, sign out everywhere."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from agency.ratelimit import rate_limit_hit
from clients.api.services import api_token_create
from tests.conftest import host_of
from tests.factories import PASSWORD
from tests.redis_control import redis_down


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    from agency.redis_client import redis_client

    client = redis_client()
    for key in client.scan_iter(match="*ratelimit*"):
        client.delete(key)


def test_a_counter_answers_how_long_to_wait_once_over_the_limit(db) -> None:
    assert rate_limit_hit(scope="t", subject="x", limit=2, now=120.0) is None
    assert rate_limit_hit(scope="t", subject="x", limit=2, now=130.0) is None
    assert rate_limit_hit(scope="t", subject="x", limit=2, now=135.0) == 45
    assert rate_limit_hit(scope="t", subject="y", limit=2, now=135.0) is None  # another subject
    assert rate_limit_hit(scope="t", subject="x", limit=2, now=180.0) is None  # the next minute


def test_the_api_is_limited_per_token_with_retry_after(tenant_a, settings) -> None:
    settings.PORTAL_API_RATE_PER_MINUTE = 3
    _t1, first = api_token_create(client=tenant_a, name="form")
    _t2, second = api_token_create(client=tenant_a, name="crm")
    http = HttpClient(HTTP_HOST=host_of(tenant_a))

    def post(secret: str, n: int):
        body = json.dumps({"id": f"rl-{secret[-4:]}-{n}", "created_at": "2026-03-04T09:30:00"})
        return http.post("/api/v1/leads", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert all(post(first, n).status_code < 300 for n in range(3))
    limited = post(first, 4)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many requests" in limited.json()["errors"]["rate"][0]
    assert post(second, 1).status_code < 300  # another token has its own count


def test_sign_in_is_limited_per_account_and_per_address(staff_a, client_user_a, settings) -> None:
    settings.PORTAL_LOGIN_RATE_PER_ACCOUNT = 2
    settings.PORTAL_LOGIN_RATE_PER_ADDRESS = 3
    http = HttpClient()

    def attempt(username: str, address: str = "10.0.0.1"):
        return http.post("/accounts/login/", {"username": username, "password": "nope"}, HTTP_HOST=host_of(None),
                         REMOTE_ADDR=address)

    assert [attempt(staff_a.username).status_code for _ in range(2)] == [200, 200]
    refused = attempt(staff_a.username, "10.0.0.2")  # the account, from anywhere
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert "Too many requests" in refused.content.decode()
    assert attempt(client_user_a.username, "10.0.0.3").status_code == 200
    # 10.0.0.1 tried twice, 10.0.0.2 once (refused by the account limit, counted): one more is the third.
    assert attempt("someone-else").status_code == 200
    assert attempt("another-one").status_code == 429  # the address's fourth


@pytest.mark.fault
def test_with_redis_down_the_limits_allow_and_say_so_in_the_log(staff_a, settings, caplog) -> None:
    settings.PORTAL_LOGIN_RATE_PER_ACCOUNT = 1
    http = HttpClient()
    with redis_down():
        for _ in range(3):
            data = {"username": staff_a.username, "password": PASSWORD}
            response = http.post("/accounts/login/", data, HTTP_HOST=host_of(None))
            assert response.status_code == 302
    assert "not enforced: Redis unreachable" in caplog.text


def test_an_upload_above_the_limit_is_a_form_error_that_names_the_limit(staff_a, tenant_a, settings) -> None:
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024 * 1024
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    big = SimpleUploadedFile("leads.csv", b"id,created_at\n" + b"x" * (1024 * 1024 + 10), content_type="text/csv")
    response = http.post("/imports/", {"kind": "leads", "file": big})
    assert response.status_code == 422
    assert "files up to 1 MB can be uploaded" in response.content.decode()


def test_sign_out_everywhere_ends_the_sessions_on_every_host(staff_ab, tenant_a, tenant_b) -> None:
    console, portal_a, portal_b = HttpClient(), HttpClient(), HttpClient()
    console.post("/accounts/login/", {"username": staff_ab.username, "password": PASSWORD}, HTTP_HOST=host_of(None))
    portal_a.force_login(staff_ab)
    portal_b.force_login(staff_ab)
    assert portal_a.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200
    assert "Sign out everywhere" in portal_b.get("/accounts/password/change/", HTTP_HOST=host_of(tenant_b)).content.decode()
    response = portal_b.post("/accounts/sign-out-everywhere/", HTTP_HOST=host_of(tenant_b))
    assert response.status_code == 302
    for http, host in [(console, host_of(None)), (portal_a, host_of(tenant_a)), (portal_b, host_of(tenant_b))]:
        response = http.get("/", HTTP_HOST=host)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    # Signing in again works, with the new generation.
    fresh = HttpClient()
    assert fresh.post("/accounts/login/", {"username": staff_ab.username, "password": PASSWORD},
                      HTTP_HOST=host_of(tenant_a)).status_code == 302
    assert fresh.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200


def test_signing_out_everywhere_needs_a_post(staff_a) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    assert http.get("/accounts/sign-out-everywhere/", HTTP_HOST=host_of(None)).status_code == 405
