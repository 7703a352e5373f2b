"""The ad platforms' OAuth consent through the local OAuth server: state bound to the staff member and
the client, used once, PKCE, the redirect URI on the console's host only, the choice of account
(a manager's clients), and a connection refused when its account is another client's."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django_tenants.utils import tenant_context

from agency.models import Client, PlatformApp
from agency.selectors import client_url
from clients.connectors import vault
from clients.connectors.apps import app_masked
from clients.connectors.consent import redirect_uri
from clients.connectors.fake_ads import AdsFake
from clients.models import Connection
from tests.clients.connectors.ads_fixtures import APP, MANAGER, SPAIN, STATES
from tests.conftest import host_of, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(ads: AdsFake, settings) -> AdsFake:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    ads.redirect_uris.add(redirect_uri())
    return ads


def _start(http: HttpClient, platform: str = "google_ads") -> str:
    answer = http.post(f"/imports/connections/{platform}/connect/")
    assert answer.status_code == 302, answer.content.decode()[:500]
    return answer["Location"]


def _allow(authorize: str) -> str:
    """What the platform's consent screen does when the user clicks Allow: the redirect it sends back."""
    answer = httpx.get(authorize + "&decision=allow")
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _console(user=None) -> HttpClient:
    return signed_in(user)


def _callback(http: HttpClient, back: str):
    parts = urlsplit(back)
    return http.get(parts.path + "?" + parts.query)


def test_the_consent_goes_to_the_platform_with_a_signed_state_pkce_and_the_consoles_redirect_uri(
    staff_http: HttpClient, consent: AdsFake
) -> None:
    page = staff_http.get("/imports/connections/google_ads/connect/")
    fake = settings.PORTAL_OAUTH_URLS["google_ads"]
    assert f"form-action 'self' {fake};" in page["Content-Security-Policy"]  # the consent screen's origin, only there
    assert "form-action 'self';" in staff_http.get("/imports/")["Content-Security-Policy"]
    authorize = _start(staff_http)
    query = parse_qs(urlsplit(authorize).query)
    assert urlsplit(authorize).path == "/o/oauth2/v2/auth"
    assert query["redirect_uri"] == [f"http://{settings.PORTAL_BASE_HOST}:{settings.PORTAL_PORT}/connections/oauth/callback/"]
    assert query["client_id"] == [APP[0]] and query["code_challenge_method"] == ["S256"]
    assert query["access_type"] == ["offline"] and query["scope"] == ["https://www.googleapis.com/auth/adwords"]
    assert len(query["state"][0]) > 40


def test_the_whole_consent_connects_a_managers_client_account_and_a_replayed_code_is_refused(
    staff_http: HttpClient, consent: AdsFake, tenant_a: Client, staff_a
) -> None:
    back = _allow(_start(staff_http))
    assert back.startswith(redirect_uri() + "?")
    answer = _callback(_console(), back)
    assert answer.status_code == 302, answer.content.decode()[-600:]
    chooser = answer["Location"]
    assert chooser.startswith(client_url(client=tenant_a, path="/imports/connections/google_ads/account/?handoff="))
    page = staff_http.get(urlsplit(chooser).path + "?" + urlsplit(chooser).query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Agency MCC (manager account 9990001111)" in html and "Alpha España · 1112223333 · EUR" in html
    handoff = parse_qs(urlsplit(chooser).query)["handoff"][0]
    # The manager itself cannot be chosen (it has no spend of its own).
    refused = staff_http.post("/imports/connections/google_ads/account/", {"handoff": handoff, "account": MANAGER})
    assert refused.status_code == 400 and "Choose one of the ad accounts listed." in refused.content.decode()
    done = staff_http.post("/imports/connections/google_ads/account/", {"handoff": handoff, "account": SPAIN})
    assert done.status_code == 302 and done["Location"] == "/imports/"
    with tenant_context(tenant_a):
        connection = Connection.objects.get(platform="google_ads")
    credentials = vault.unseal(connection.secrets, owner=tenant_a.schema_name)
    assert (connection.account_id, connection.account_label) == (SPAIN, "Alpha España")
    assert credentials.extra["login_customer_id"] == MANAGER and credentials.refresh_token.startswith("1//rt-")
    # The same answer again (a replayed code and state): refused, nothing changes.
    replay = _callback(_console(), back)
    assert replay.status_code == 400 and "already used" in replay.content.decode()
    # The handoff is used once too.
    again = staff_http.post("/imports/connections/google_ads/account/", {"handoff": handoff, "account": SPAIN})
    assert again.status_code == 400


def test_a_state_that_does_not_match_is_refused(staff_http: HttpClient, consent: AdsFake) -> None:
    back = _allow(_start(staff_http))
    parts = urlsplit(back)
    query = parse_qs(parts.query)
    forged = f"{parts.path}?code={query['code'][0]}&state={query['state'][0][:-3]}abc"
    answer = _console().get(forged)
    assert answer.status_code == 400 and "the state is wrong" in answer.content.decode()
    # A code with no state at all: refused as well; the code was never exchanged.
    assert _console().get(f"{parts.path}?code={query['code'][0]}").status_code == 400
    assert not consent.codes[query["code"][0]]["used"]


def test_a_consent_started_by_one_staff_member_cannot_be_finished_by_another(
    staff_http: HttpClient, consent: AdsFake, staff_ab
) -> None:
    back = _allow(_start(staff_http))
    answer = _callback(_console(staff_ab), back)
    assert answer.status_code == 400 and "another staff member" in answer.content.decode()


def test_the_platform_never_redirects_elsewhere_and_the_callback_returns_only_to_the_clients_host(
    staff_http: HttpClient, consent: AdsFake, tenant_a: Client
) -> None:
    authorize = _start(staff_http)
    # A consent link altered to send the code to another host: the platform refuses it (not registered).
    evil = authorize.replace("redirect_uri=http%3A%2F%2F", "redirect_uri=https%3A%2F%2Fevil.example%2F")
    assert httpx.get(evil + "&decision=allow").status_code == 400
    # A "next" added to the callback is ignored: the way back is the state's client's host.
    answer = _callback(_console(), _allow(authorize) + "&next=https://evil.example/")
    assert answer.status_code == 302 and answer["Location"].startswith(client_url(client=tenant_a))


def test_a_denied_consent_connects_nothing(staff_http: HttpClient, consent: AdsFake, tenant_a: Client) -> None:
    denied = httpx.get(_start(staff_http, "linkedin_ads") + "&decision=deny").headers["Location"]
    answer = _callback(_console(), denied)
    assert answer.status_code == 400 and "did not give access (access_denied)" in answer.content.decode()
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()


def test_meta_consent_exchanges_the_code_for_a_long_lived_token(
    staff_http: HttpClient, consent: AdsFake, tenant_a: Client
) -> None:
    answer = _callback(_console(), _allow(_start(staff_http, "meta_ads")))
    chooser = urlsplit(answer["Location"])
    page = staff_http.get(chooser.path + "?" + chooser.query).content.decode()
    assert "Alpha Meta · 123456789 · EUR" in page
    handoff = parse_qs(chooser.query)["handoff"][0]
    assert staff_http.post(chooser.path, {"handoff": handoff, "account": "123456789"}).status_code == 302
    with tenant_context(tenant_a):
        connection = Connection.objects.get(platform="meta_ads")
    assert connection.token_expires_at is not None and (connection.token_expires_at - connection.connected_at).days >= 59


def test_the_consent_and_token_exchange_log_no_secret_even_at_debug(
    staff_http: HttpClient, consent: AdsFake, tenant_a: Client, caplog
) -> None:
    """Meta's token exchange is a GET carrying the app secret and the short-lived token in its query
    string (Graph API's documented shape): the HTTP client's request log (httpx, at INFO) wrote that URL
    whole, secret and token included, to the portal's log. Nothing of them may reach a log record."""
    caplog.set_level(logging.DEBUG)
    for platform, account in (("meta_ads", "123456789"), ("google_ads", None), ("linkedin_ads", None)):
        chooser = urlsplit(_callback(_console(), _allow(_start(staff_http, platform)))["Location"])
        if account:
            handoff = parse_qs(chooser.query)["handoff"][0]
            assert staff_http.post(chooser.path, {"handoff": handoff, "account": account}).status_code == 302
    secrets_issued = [APP[1], *consent.tokens, *consent.refresh_tokens]
    assert len(secrets_issued) > 3
    assert [s for s in secrets_issued if s in caplog.text] == []
    assert "client_secret" not in caplog.text and "fb_exchange_token=" not in caplog.text


def test_an_account_of_another_clients_connection_is_refused_at_the_choice(
    staff_ab, consent: AdsFake, tenant_a: Client, tenant_b: Client
) -> None:
    for tenant in (tenant_a, tenant_b):
        http = HttpClient(HTTP_HOST=host_of(tenant))
        http.force_login(staff_ab)
        chooser = urlsplit(_callback(_console(), _allow(_start(http, "meta_ads")))["Location"])
        handoff = parse_qs(chooser.query)["handoff"][0]
        answer = http.post(chooser.path, {"handoff": handoff, "account": "123456789"})
        if tenant == tenant_a:
            assert answer.status_code == 302
        else:
            assert answer.status_code == 400
            assert "already connected to another client, Alpha Analytics" in answer.content.decode()
    with tenant_context(tenant_b):
        assert not Connection.objects.exists()


def test_a_handoff_of_one_client_cannot_be_used_at_another(staff_ab, consent: AdsFake, tenant_a: Client,
                                                            tenant_b: Client) -> None:
    alpha = HttpClient(HTTP_HOST=host_of(tenant_a))
    alpha.force_login(staff_ab)
    chooser = urlsplit(_callback(_console(), _allow(_start(alpha, "meta_ads")))["Location"])
    beta = HttpClient(HTTP_HOST=host_of(tenant_b))
    beta.force_login(staff_ab)
    answer = beta.get(chooser.path + "?" + chooser.query)
    assert answer.status_code == 400 and "another client" in answer.content.decode()


def test_admins_save_the_agencys_apps_encrypted_and_masked(admin_user, settings) -> None:
    settings.PORTAL_OAUTH_APPS = {}
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = ""
    http = _console(admin_user)
    answer = http.post("/connections/apps/", {"platform": "google_ads", "google_ads-client_id": "42.apps.example",
                                              "google_ads-client_secret": "GOCSPX-secret-0123456789",
                                              "google_ads-developer_token": "dev-ABCDEFGHIJKL0123",
                                              "google_ads-login_customer_id": "999-000-1111"})
    assert answer.status_code == 302
    row = PlatformApp.objects.get(platform="google_ads")
    assert "GOCSPX-secret-0123456789" not in row.secrets
    page = http.get("/connections/apps/").content.decode()
    assert "GOCSPX-secret-0123456789" not in page and "GOCS…6789" in page and "dev-ABCDEFGHIJKL0123" not in page
    assert app_masked("google_ads")["client_id"] == "42.apps.example"
    from clients.connectors.oauth import app_credentials

    app = app_credentials("google_ads")
    assert (app.client_secret, app.developer_token, app.login_customer_id, app.origin) == (
        "GOCSPX-secret-0123456789", "dev-ABCDEFGHIJKL0123", "999-000-1111", "screen")
    # Saved again with the secrets left empty: they are kept.
    http.post("/connections/apps/", {"platform": "google_ads", "google_ads-client_id": "43.apps.example"})
    assert app_credentials("google_ads").client_secret == "GOCSPX-secret-0123456789"


def test_staff_who_are_not_admins_cannot_open_the_apps(staff_a) -> None:
    assert _console(staff_a).get("/connections/apps/").status_code in {302, 403, 404}


def _consent_to(http: HttpClient, platform: str, account: str) -> None:
    chooser = urlsplit(_callback(_console(), _allow(_start(http, platform)))["Location"])
    handoff = parse_qs(chooser.query)["handoff"][0]
    assert http.post(chooser.path, {"handoff": handoff, "account": account}).status_code == 302


def test_a_revoked_consent_shows_needs_reauthorisation_with_connect_again_and_reconnecting_keeps_the_history(
    staff_http: HttpClient, consent: AdsFake, tenant_a: Client
) -> None:
    import datetime as dt

    from clients.connectors.sync import connection_sync
    from clients.models import Spend
    from tests.clients.connectors.ads_fixtures import LINKEDIN
    from tests.clients.connectors.conftest import NOW

    _consent_to(staff_http, "linkedin_ads", LINKEDIN)
    assert connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW).ok
    with tenant_context(tenant_a):
        rows, cursor = Spend.objects.count(), Connection.objects.get().cursor
    assert rows > 0
    consent.revoke("linkedin_ads")  # the client removed the app in LinkedIn's settings
    outcome = connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=1))
    assert not outcome.ok
    page = staff_http.get("/imports/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "needs re-authorisation" in html and "LinkedIn Ads refused to refresh the access token" in html
    assert 'href="/imports/connections/linkedin_ads/connect/">Connect again</a>' in html
    _consent_to(staff_http, "linkedin_ads", LINKEDIN)
    with tenant_context(tenant_a):
        connection = Connection.objects.get()
        assert Spend.objects.count() == rows  # the history stays
    assert connection.state == Connection.State.CONNECTED and connection.cursor == cursor and connection.backfilled_at
    assert connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=1)).ok


@pytest.mark.parametrize(("language", "bound"), [
    ("en", "The consent is bound to you and to this client; it expires after 10 minutes."),
    ("es", "El consentimiento queda ligado a ti y a este cliente; caduca a los 10 minutos."),
])
def test_the_consent_page_says_what_a_person_needs_without_protocol_names(
    language: str, bound: str, staff_http: HttpClient, consent: AdsFake
) -> None:
    page = staff_http.get("/imports/connections/google_ads/connect/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert bound in page and "PKCE" not in page


def test_the_chooser_says_which_account_already_feeds_another_client_before_it_is_chosen(
    staff_ab, consent: AdsFake, tenant_a: Client, tenant_b: Client
) -> None:
    """Choosing an account another client holds was refused only after the click, and the consent was
    used up with it (started again from the Imports page): the chooser now says so beside the account,
    which cannot be ticked, and ticks the one account left when there is one."""
    pages = {}
    for tenant in (tenant_a, tenant_b):
        http = HttpClient(HTTP_HOST=host_of(tenant), HTTP_ACCEPT_LANGUAGE="en")
        http.force_login(staff_ab)
        chooser = urlsplit(_callback(_console(), _allow(_start(http, "meta_ads")))["Location"])
        pages[tenant.slug] = http.get(chooser.path + "?" + chooser.query).content.decode()
        if tenant == tenant_a:
            handoff = parse_qs(chooser.query)["handoff"][0]
            assert http.post(chooser.path, {"handoff": handoff, "account": "123456789"}).status_code == 302
    assert "already feeds" not in pages[tenant_a.slug]
    assert 'value="123456789" required checked>' in pages[tenant_a.slug]  # the only account: ticked
    held = pages[tenant_b.slug]
    assert 'value="123456789" required disabled>' in held
    assert "already feeds Alpha Analytics: disconnect it there first" in held
    free = held.count('type="radio"') - 1
    assert ("checked>" in held) == (free == 1)
    assert ("Connect this account" in held) == (free >= 1)
    assert ("Every account this access can read already feeds another client" in held) == (free == 0)


def test_the_chooser_says_when_an_accounts_amounts_will_be_converted(staff_a, consent: AdsFake, tenant_a: Client) -> None:
    """The walk's new Mexican client was offered a euro account with only "EUR" beside it: the chooser
    says that an account in another currency than the client's has its amounts converted."""
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    chooser = urlsplit(_callback(_console(staff_a), _allow(_start(http, "google_ads")))["Location"])
    page = http.get(chooser.path + "?" + chooser.query).content.decode()
    states = page[page.index('value="' + STATES + '"') :]
    spain = page[page.index('value="' + SPAIN + '"') : page.index('value="' + STATES + '"')]
    assert tenant_a.currency == "EUR"
    said = "en USD: los importes de esta cuenta se convierten a EUR al tipo de referencia de cada día"
    assert said in states.split("</label>")[0]
    assert "se convierten" not in spain
