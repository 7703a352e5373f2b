"""``seed_demo_connections``: the demo client fed only by connected platforms (development only).

Makes (or keeps) Wayne Outdoor, assigns the demo staff member, and connects its HubSpot, GA4 and
Mailchimp to the fake platforms (``fake_platforms``), queueing the 13-month backfill for the
worker. Its Google Ads, Meta and LinkedIn are connected the way an agency connects them: the
agency's app saved as on the Platform apps screen, then for each platform the consent started
from the client's Imports page as the staff member ``sam``, *Allow* clicked on the fake
platform's consent page, the callback, the choice of the ad account (Google's under the
agency's manager account) and its backfill queued — the services of ``clients.connectors.consent``
against a fake OAuth server started for the moment (its tokens are the demo's fixed ones, which the
``fake_platforms`` server accepts too). Idempotent: an existing connection is kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_tenants.utils import tenant_context

from agency.models import Client, Membership, User
from agency.services import client_create
from agency.tasks import enqueue_for_client
from clients.connectors import consent
from clients.connectors.apps import app_save
from clients.connectors.fake_ads import ADS
from clients.connectors.fake_server import (
    DEMO_AD_ACCOUNTS,
    DEMO_AD_APP,
    DEMO_DEVELOPER_TOKEN,
    FakePlatforms,
    demo_ads,
    demo_platforms,
    fake_server_start,
)
from clients.connectors.oauth import app_credentials
from clients.connectors.sync import connection_connect
from clients.criteria.services import criteria_version_create
from clients.management.commands.connect_source import credentials_from_json
from clients.management.commands.fake_platforms import demo_directory
from clients.models import Connection, CriteriaVersion, SyncRun
from clients.tasks import connection_sync_run

SLUG = "wayne"
STAFF = "sam"
# Wayne's leads come from its CRM alone: no website activity to score, so the demo files' criteria
# (which need downloads or webinar sign-ups to reach their threshold) would make no MQL at all.
# These score what HubSpot's contacts carry: company size and revenue.
CRITERIA = {
    "fit": {"all": [{"field": "employees", "op": "between", "value": [20, 5000]}]},
    "threshold": 30,
    "points": [
        {"field": "employees", "op": "gte", "value": 100, "points": 20},
        {"field": "company_revenue", "op": "gte", "value": 1000000, "points": 20},
    ],
    "sales_ready_actions": ["demo_request", "contact_request"],
}


class Command(BaseCommand):
    help = ("Create the demo client whose HubSpot, GA4, Mailchimp, Google Ads, Meta and LinkedIn are connected to the "
            "fake platforms.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client", default=SLUG, help="the client to connect (made as Wayne Outdoor if missing)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo connections are for development only (DEBUG is false)")
        slug = options["client"]
        client = Client.objects.filter(slug=slug).first() or client_create(
            slug=slug, name="Wayne Outdoor", timezone="Europe/Madrid", currency="EUR")
        staff = User.objects.filter(username=STAFF).first()
        if staff is not None:
            Membership.objects.get_or_create(user=staff, client=client)
        with tenant_context(client):
            has_criteria = CriteriaVersion.objects.exists()
            connected = set(Connection.objects.values_list("platform", flat=True))
        if not has_criteria:
            criteria_version_create(client=client, criteria=CRITERIA, effective_from="2020-01-01",
                                    change_note="demo criteria", saved_via=CriteriaVersion.SavedVia.DEMO)
        _platforms, credentials = demo_platforms(demo_directory(), today=dt.date.today())  # noqa: DTZ011 (demo data)
        for platform, (account, data) in credentials.items():
            if platform in connected:
                continue
            with transaction.atomic():
                connection_connect(client=client, platform=platform, account_id=account,
                                   credentials=credentials_from_json(data), check=False)
                transaction.on_commit(lambda p=platform: enqueue_for_client(
                    connection_sync_run, client=client, platform=p, trigger=SyncRun.Trigger.BACKFILL))
            self.stdout.write(f"  {slug}: {platform} connected to the fake platforms; backfill queued")
        missing = [platform for platform in ADS if platform not in connected]
        if not missing:
            return
        if staff is None:
            self.stdout.write(f"  {slug}: no staff member {STAFF!r} to give the ad platforms' consent: not connected")
            return
        apps_save()
        with consent_server() as base:
            for platform in missing:
                account = consent_give(client=client, user=staff, platform=platform, base=base)
                self.stdout.write(f"  {slug}: {platform} connected through its consent (account {account}); "
                                  "backfill queued")


def apps_save() -> None:
    """The agency's app on each ad platform, as an admin saves it on the Platform apps screen (if none is set)."""
    for platform in ADS:
        if not app_credentials(platform).configured:
            app_save(platform=platform, by="demo", values={
                "client_id": DEMO_AD_APP[0], "client_secret": DEMO_AD_APP[1],
                "developer_token": DEMO_DEVELOPER_TOKEN if platform == "google_ads" else ""})


@contextlib.contextmanager
def consent_server() -> Iterator[str]:
    """A fake of the ad platforms (and their OAuth endpoints) for the consent, and the connectors pointed at it."""
    platforms = FakePlatforms()
    today = dt.date.today()  # noqa: DTZ011 (demo data)
    demo_ads(platforms.ads, first_day=today - dt.timedelta(days=7), today=today)
    server = fake_server_start(platforms)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    saved = settings.PORTAL_CONNECTOR_URLS, settings.PORTAL_OAUTH_URLS
    settings.PORTAL_CONNECTOR_URLS = {**saved[0], **dict.fromkeys(ADS, base)}
    settings.PORTAL_OAUTH_URLS = {**saved[1], **dict.fromkeys(ADS, base)}
    try:
        yield base
    finally:
        settings.PORTAL_CONNECTOR_URLS, settings.PORTAL_OAUTH_URLS = saved
        server.shutdown()
        server.server_close()


def consent_give(*, client: Client, user: User, platform: str, base: str, account_id: str = "") -> str:
    """One platform's consent, step by step as the staff member's browser goes through it; the account
    connected (``account_id``, by default the demo client's own, DEMO_AD_ACCOUNTS)."""
    authorize = consent.consent_start(client=client, user=user, platform=platform)
    page = httpx.get(authorize)  # the platform's consent page: its Allow link is what the person clicks
    page.raise_for_status()
    link = re.search(r"id='allow' href='([^']+)'", page.text)
    if link is None:
        raise CommandError(f"{platform}: the fake consent page has no Allow link")
    answer = httpx.get(urljoin(base, unescape(link.group(1))))
    back = parse_qs(urlsplit(answer.headers.get("Location", "")).query)
    try:
        finished = consent.consent_finish(state=back.get("state", [""])[0], code=back.get("code", [""])[0],
                                          error=back.get("error", [""])[0], session_user=user)
        accounts = consent.handoff_accounts(client=client, user=user, platform=platform, handoff=finished.handoff)
        chosen = next(account for account in accounts if account.id == (account_id or DEMO_AD_ACCOUNTS[platform]))
        with transaction.atomic():
            _connection, _summary, backfill = consent.handoff_connect(
                client=client, user=user, platform=platform, handoff=finished.handoff, account_id=chosen.id)
            trigger = SyncRun.Trigger.BACKFILL if backfill else SyncRun.Trigger.MANUAL
            transaction.on_commit(lambda: enqueue_for_client(connection_sync_run, client=client, platform=platform,
                                                             trigger=trigger))
    except (consent.ConsentRefused, StopIteration) as error:
        raise CommandError(f"{platform}: the demo consent failed: {getattr(error, 'reason', error)}") from None
    return chosen.id
