"""seed_demo_connections: the demo client's six platforms connected, the ad platforms through their
consent (the agency's app saved, the consent page's Allow, the callback, the account chosen) and their
tokens accepted by the fake platforms' server of the development processes, which then syncs them."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client, PlatformApp, User
from agency.months import Month
from clients.connectors import vault
from clients.connectors.consent import consent_finish, consent_start, handoff_accounts, handoff_choices
from clients.connectors.fake_ads import ADS
from clients.connectors.fake_server import (
    DEMO_AD_ACCOUNTS,
    DEMO_SPARE_AD_ACCOUNTS,
    DEMO_SPARE_AD_NAME,
    FakePlatforms,
    demo_ads,
    demo_platforms,
)
from clients.connectors.sync import connection_sync
from clients.management.commands.fake_platforms import demo_directory
from clients.management.commands.seed_demo_connections import consent_give, consent_server
from clients.models import Connection, Lead, Spend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo_connections", "--client", "alpha", stdout=out)
    return out.getvalue()


def test_the_demo_client_gets_its_ad_platforms_through_the_consent_and_they_sync(
    tenant_a: Client, platforms: FakePlatforms, settings
) -> None:
    settings.DEBUG = True
    sam = UserFactory(username="sam", role=User.Role.STAFF, clients=[tenant_a])
    out = _seed()
    for platform in ADS:
        assert f"alpha: {platform} connected through its consent (account {DEMO_AD_ACCOUNTS[platform]})" in out
    assert PlatformApp.objects.filter(platform__in=ADS).count() == 3  # as an admin saves them on the screen
    with tenant_context(tenant_a):
        connections = {connection.platform: connection for connection in Connection.objects.all()}
    assert set(connections) == {"hubspot", "ga4", "mailchimp", *ADS}
    google = connections["google_ads"]
    assert google.connected_by_id == sam.pk and google.account_label == "Wayne Outdoor ES"
    credentials = vault.unseal(google.secrets, owner=tenant_a.schema_name)
    # chosen under the agency's manager account, with the refresh token the code was exchanged for
    assert credentials.extra["login_customer_id"] == "5550000001" and credentials.refresh_token
    assert vault.unseal(connections["meta_ads"].secrets, owner=tenant_a.schema_name).expires_at > (
        timezone.now() + dt.timedelta(days=50))  # Meta's short-lived token exchanged for a long-lived one

    # The development processes' fake server (another process: its own codes, the demo's fixed tokens)
    # serves the accounts' delivery; the queued backfills read it.
    today = timezone.localdate()
    demo_ads(platforms.ads, first_day=(Month.of(today) - 13).first_day, today=today)
    url = settings.PORTAL_CONNECTOR_URLS["hubspot"]
    settings.PORTAL_CONNECTOR_URLS = {**settings.PORTAL_CONNECTOR_URLS, **dict.fromkeys(ADS, url)}
    settings.PORTAL_OAUTH_URLS = {**settings.PORTAL_OAUTH_URLS, **dict.fromkeys(ADS, url)}
    for platform in ADS:
        outcome = connection_sync(client=tenant_a, platform=platform)
        assert outcome.ok, outcome.message
        assert len(outcome.months) >= 13
    with tenant_context(tenant_a):
        for platform in ADS:
            expected = sum(row.cost for row in platforms.ads.rows[(platform, DEMO_AD_ACCOUNTS[platform])]
                           if row.day >= (Month.of(today) - 13).first_day)
            assert Spend.objects.filter(platform=platform).aggregate(total=Sum("amount"))["total"] == expected

    # Run again (every scripts/run): nothing is connected twice.
    assert "connected" not in _seed()


def test_a_client_added_in_the_demo_finds_a_free_ad_account_on_each_platform_and_connects_it(
    tenant_a: Client, tenant_b: Client, platforms: FakePlatforms, settings
) -> None:
    """Every demo account fed Wayne Outdoor: a client added in the demo met only "already feeds Wayne
    Outdoor" in the chooser and could be fed from the export files only. One account on each platform
    is left for it."""
    settings.DEBUG = True
    sam = UserFactory(username="sam", role=User.Role.STAFF, clients=[tenant_a, tenant_b])
    _seed()  # alpha, as Wayne Outdoor, holds the demo's own accounts
    with consent_server() as base:
        for platform in ADS:
            authorize = consent_start(client=tenant_b, user=sam, platform=platform)
            allow = re.search(r"id='allow' href='([^']+)'", httpx.get(authorize).text).group(1)
            back = parse_qs(urlsplit(httpx.get(urljoin(base, unescape(allow))).headers["Location"]).query)
            finished = consent_finish(state=back["state"][0], code=back["code"][0], error="", session_user=sam)
            accounts = handoff_accounts(client=tenant_b, user=sam, platform=platform, handoff=finished.handoff)
            choices = {account.id: (account.name, holder) for account, holder in
                       handoff_choices(client=tenant_b, platform=platform, accounts=accounts) if not account.is_manager}
            # Three spares, in euros, dollars and pesos: a second and third new client find one too.
            spares = dict(zip(DEMO_SPARE_AD_ACCOUNTS[platform], ("EUR", "USD", "MXN"), strict=True))
            assert choices == {DEMO_AD_ACCOUNTS[platform]: (choices[DEMO_AD_ACCOUNTS[platform]][0], tenant_a.name),
                               **{a: (f"{DEMO_SPARE_AD_NAME} ({c})", "") for a, c in spares.items()}}, platform
            mxn = DEMO_SPARE_AD_ACCOUNTS[platform][2]
            connected = consent_give(client=tenant_b, user=sam, platform=platform, base=base, account_id=mxn)
            assert connected == mxn
    with tenant_context(tenant_b):
        labels = {c.platform: c.account_label for c in Connection.objects.all()}
    assert labels == dict.fromkeys(ADS, f"{DEMO_SPARE_AD_NAME} (MXN)")


def test_without_the_demo_staff_member_the_ad_platforms_are_left_unconnected(
    tenant_a: Client, platforms: FakePlatforms, settings
) -> None:
    settings.DEBUG = True
    assert "no staff member 'sam'" in _seed()
    with tenant_context(tenant_a):
        assert not Connection.objects.filter(platform__in=ADS).exists()


def test_the_demo_client_s_criteria_qualify_part_of_its_crm_leads(
    tenant_a: Client, platforms: FakePlatforms, settings
) -> None:
    """Wayne's leads come from HubSpot alone (no website activity): its criteria score company size and
    revenue, so its funnel shows MQLs instead of a row of zeros, and not every lead either."""
    settings.DEBUG = True
    today = timezone.localdate()
    demo, _credentials = demo_platforms(demo_directory(), today=today)
    platforms.hubspot_tokens.update(demo.hubspot_tokens)
    platforms.hubspot_contacts[:] = demo.hubspot_contacts
    _seed()
    outcome = connection_sync(client=tenant_a, platform="hubspot")
    assert outcome.ok, outcome.message
    with tenant_context(tenant_a):
        leads = Lead.objects.count()
        mqls = Lead.objects.filter(mql_at__isnull=False).count()
    assert leads == 1800
    assert 0.05 * leads < mqls < 0.5 * leads, mqls


def test_the_demo_clients_paid_media_cards_say_its_hubspot_leads_cannot_be_matched_not_0(
    tenant_a: Client, platforms: FakePlatforms, settings, client_user_a: User
) -> None:
    """Wayne's CRM is HubSpot through its API: a contact brings its Original Traffic Source, no campaign
    (docs/connectors.md), so no lead is linked to the ad campaigns and no card may claim 0 leads."""
    from django.test import Client as HttpClient

    from kpis.report import last_complete_month
    from kpis.services import snapshot_compute
    from tests.conftest import host_of

    settings.DEBUG = True
    today = timezone.localdate()
    demo, _credentials = demo_platforms(demo_directory(), today=today)
    platforms.hubspot_tokens.update(demo.hubspot_tokens)
    platforms.hubspot_contacts[:] = demo.hubspot_contacts
    UserFactory(username="sam", role=User.Role.STAFF, clients=[tenant_a])
    _seed()
    demo_ads(platforms.ads, first_day=(Month.of(today) - 13).first_day, today=today)
    url = settings.PORTAL_CONNECTOR_URLS["hubspot"]
    settings.PORTAL_CONNECTOR_URLS = {**settings.PORTAL_CONNECTOR_URLS, **dict.fromkeys(ADS, url)}
    settings.PORTAL_OAUTH_URLS = {**settings.PORTAL_OAUTH_URLS, **dict.fromkeys(ADS, url)}
    for platform in ("hubspot", *ADS):
        assert connection_sync(client=tenant_a, platform=platform).ok
    month = last_complete_month(tenant_a)
    with tenant_context(tenant_a):
        assert Lead.objects.filter(created_at__date__gte=month).exists()
        assert not Lead.objects.filter(campaign__isnull=False).exists()  # HubSpot's mapping names no campaign
    snapshot_compute(client=tenant_a, months=[month])
    http = HttpClient()
    http.force_login(client_user_a)
    page = http.get(f"/scorecard/?month={month:%Y-%m}", HTTP_HOST=host_of(tenant_a)).content.decode()
    paid = page[page.index('data-section="paid-media"') :]
    for platform in ADS:
        assert f'data-platform="{platform}"' in paid
    assert paid.count("cannot be matched to the campaigns of") == len(ADS)
    assert "leads reached the CRM" not in paid
