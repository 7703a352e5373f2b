"""The ad platforms' fake accounts (Google Ads with a manager account and two clients, Meta, LinkedIn)
and the agency's app, for the ad connectors' tests (imported by them as a fixture)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agency.models import Client
from clients.connectors.fake_ads import ADS, AdsFake, make_ad_rows
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.sync import connection_connect
from clients.connectors.vault import Credentials

APP = ("1234-app.apps.example", "app-secret-9f8e7d6c5b4a")
DEVELOPER_TOKEN = "devtoken-ABCDEFGHIJKLMNOP"
MANAGER, SPAIN, STATES = "9990001111", "1112223333", "4445556666"
META, LINKEDIN = "123456789", "508000111"
FIRST = dt.date(2025, 10, 1)  # the backfill's first day at NOW (Europe/Madrid)
LAST = dt.date(2026, 11, 2)


@pytest.fixture
def ads(platforms: FakePlatforms, settings) -> AdsFake:
    url = settings.PORTAL_CONNECTOR_URLS["hubspot"]
    settings.PORTAL_CONNECTOR_URLS = {**settings.PORTAL_CONNECTOR_URLS, **dict.fromkeys(ADS, url)}
    settings.PORTAL_OAUTH_URLS = {**settings.PORTAL_OAUTH_URLS, **dict.fromkeys(ADS, url)}
    settings.PORTAL_OAUTH_APPS = dict.fromkeys(ADS, APP)
    settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN = DEVELOPER_TOKEN
    settings.PORTAL_CONNECTOR_JOB_POLL = 0.01
    fake = platforms.ads
    fake.apps[APP[0]] = APP[1]
    fake.developer_tokens.add(DEVELOPER_TOKEN)
    fake.google_customers = {
        MANAGER: {"name": "Agency MCC", "currency": "EUR", "manager": True, "clients": [SPAIN, STATES]},
        SPAIN: {"name": "Alpha España", "currency": "EUR"}, STATES: {"name": "Alpha USA", "currency": "USD"}}
    fake.google_accessible = [MANAGER]
    fake.meta_accounts = {META: {"name": "Alpha Meta", "currency": "EUR"}}
    fake.linkedin_accounts = {LINKEDIN: {"name": "Alpha LinkedIn", "currency": "EUR"}}
    days = (LAST - FIRST).days + 1
    fake.rows[("google_ads", SPAIN)] = make_ad_rows(campaigns=3, first_day=FIRST, days=days, seed=1, prefix="7")
    fake.rows[("google_ads", STATES)] = make_ad_rows(campaigns=2, first_day=dt.date(2026, 9, 1), days=60, seed=2,
                                                     prefix="8")
    fake.rows[("meta_ads", META)] = make_ad_rows(campaigns=3, first_day=FIRST, days=days, seed=3, prefix="2")
    fake.rows[("linkedin_ads", LINKEDIN)] = make_ad_rows(campaigns=3, first_day=FIRST, days=days, seed=4, prefix="5")
    return fake


def connect(client: Client, fake: AdsFake, platform: str, account: str, *, manager: str = "",
            expires_at: dt.datetime | None = None, check: bool = True) -> Credentials:
    credentials = Credentials(
        access_token=fake.token_issue(platform, 3600),
        refresh_token=fake.refresh_issue(platform) if platform != "meta_ads" else "",
        expires_at=expires_at or timezone.now() + dt.timedelta(hours=1),
        extra={"login_customer_id": manager} if manager else {})
    connection_connect(client=client, platform=platform, account_id=account, credentials=credentials, check=check)
    return credentials
