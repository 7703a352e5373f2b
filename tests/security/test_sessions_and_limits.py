"""Issue #24: sessions bound to their host, sign-in and reset limits, made-up API tokens,
the sign-in name's length, a reset while the mail server is down, CSP form-action."""

from __future__ import annotations

import json
import re
import socket

import pytest
from django.core import mail
from django.test import Client as HttpClient

from agency.ratelimit import rate_limit_hit
from clients.api.services import api_token_create
from tests.agency.test_auth import _hop
from tests.conftest import host_of
from tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    from agency.redis_client import redis_client

    client = redis_client()
    for key in client.scan_iter(match="*ratelimit*"):
        client.delete(key)


def _sign_in(user, host: str) -> HttpClient:
    http = HttpClient()
    response = http.post("/accounts/login/", {"username": user.username, "password": PASSWORD}, HTTP_HOST=host)
    assert response.status_code == 302, response
    return http


def _carried(http: HttpClient) -> HttpClient:
    """Another browser holding the same session cookie (a stolen id)."""
    thief = HttpClient()
    thief.cookies["sessionid"] = http.cookies["sessionid"].value
    return thief


# --- a session is bound to the host that issued it ------------------------------------------


@pytest.mark.parametrize("elsewhere", ["beta", "console", "custom"])
def test_a_session_used_at_another_host_is_refused_and_ended(staff_ab, tenant_a, tenant_b, elsewhere) -> None:
    from agency.models import Domain

    Domain.objects.create(domain="reports.alpha.example", tenant=tenant_a, is_primary=False)
    target = {"beta": host_of(tenant_b), "console": host_of(None), "custom": "reports.alpha.example"}[elsewhere]
    owner = _sign_in(staff_ab, host_of(tenant_a))
    assert owner.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200
    thief = _carried(owner)
    refused = thief.get("/", HTTP_HOST=target)
    assert refused.status_code == 302 and "/accounts/login/" in refused["Location"]
    # Ended: the id is worth nothing anywhere now, at its own host too.
    again = owner.get("/", HTTP_HOST=host_of(tenant_a))
    assert again.status_code == 302 and "/accounts/login/" in again["Location"]


def test_the_same_session_keeps_working_at_its_own_host(client_user_a, tenant_a) -> None:
    http = _sign_in(client_user_a, host_of(tenant_a))
    for _ in range(3):
        assert http.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200
    assert http.get("/", HTTP_HOST=f"{host_of(tenant_a)}:8000").status_code == 200  # the port is not the host


def test_a_hand_off_signs_in_afresh_at_the_target_host(client_user_a, tenant_a) -> None:
    """A client user signing in at the console is moved to their portal; each host keeps its own
    cookie jar, as a browser does (the test client shares one across hosts)."""
    console, portal = HttpClient(), HttpClient()
    response = console.post("/accounts/login/", {"username": client_user_a.username, "password": PASSWORD},
                            HTTP_HOST=host_of(None))
    # Another host is reached by a page that moves on by itself (CSP form-action 'self').
    assert response.status_code == 200
    start = re.search(r'content="0;url=([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    issue = _hop(portal, start)
    link = _hop(console, issue["Location"])
    assert "/accounts/handoff/?t=" in link["Location"]
    assert _hop(portal, link["Location"]).status_code == 302
    assert portal.get("/", HTTP_HOST=host_of(tenant_a)).status_code == 200
    assert console.get("/accounts/password/change/", HTTP_HOST=host_of(None)).status_code == 200


def test_the_csp_lets_forms_post_to_this_origin_only(client_user_a, tenant_a) -> None:
    response = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(tenant_a))
    assert "form-action 'self';" in response["Content-Security-Policy"]


# --- sign-in -------------------------------------------------------------------------------------


def test_a_sign_in_name_of_256_characters_is_a_form_error(db, tenants) -> None:
    response = HttpClient(raise_request_exception=False).post(
        "/accounts/login/", {"username": "x" * 300, "password": "nope"}, HTTP_HOST=host_of(None))
    assert response.status_code == 200
    assert "Enter a correct email or username and password" in response.content.decode()


def test_sign_in_windows_slide_across_the_minute_boundary(db) -> None:
    """30 per minute means 30 in any 60 seconds: 30 at :59 and more at :01 is refused."""
    for second in range(30):
        assert rate_limit_hit(scope="slide", subject="10.0.0.9", limit=30, now=1000.0 + second * 0.01) is None
    wait = rate_limit_hit(scope="slide", subject="10.0.0.9", limit=30, now=1002.0)
    assert wait == 58
    assert rate_limit_hit(scope="slide", subject="10.0.0.9", limit=30, now=1060.5) is None  # the first left the window


# --- password resets -------------------------------------------------------------------------


def test_password_resets_are_limited_per_address_and_per_email(staff_a, settings) -> None:
    settings.PORTAL_PASSWORD_RESET_RATE_PER_ADDRESS = 5
    settings.PORTAL_PASSWORD_RESET_RATE_PER_EMAIL = 2
    http = HttpClient()

    def ask(email: str, address: str = "10.1.0.1"):
        return http.post("/accounts/password/reset/", {"email": email}, HTTP_HOST=host_of(None), REMOTE_ADDR=address)

    assert [ask(staff_a.email, f"10.1.0.{n}").status_code for n in range(2, 5)] == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert [ask(f"nobody{n}@example.com").status_code for n in range(6)] == [302] * 5 + [429]


def test_a_reset_asked_while_the_mail_server_is_down_is_not_answered_sent(staff_a, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as probe:  # a port where nothing listens: the connection is refused
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", probe.getsockname()[1]
    response = HttpClient().post("/accounts/password/reset/", {"email": staff_a.email}, HTTP_HOST=host_of(None))
    assert response.status_code == 200
    assert "did not take the email just now" in response.content.decode()  # and the outbox retries it by itself


# --- made-up API tokens ------------------------------------------------------------------------


def test_made_up_api_tokens_are_limited_per_address(tenant_a, settings) -> None:
    settings.PORTAL_API_BAD_TOKENS_PER_MINUTE = 3
    _token, secret = api_token_create(client=tenant_a, name="good")
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    body = json.dumps({"id": "t1", "created_at": "2026-03-04T09:30:00"})

    def post(token: str, address: str = "10.2.0.1"):
        return http.post("/api/v1/leads", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
                         REMOTE_ADDR=address)

    assert [post(f"guess-{n}").status_code for n in range(5)] == [401, 401, 401, 429, 429]
    assert post(secret).status_code == 429  # guessing right after the limit gets nothing
    assert post(secret, "10.2.0.2").status_code < 300  # another address is not held up
