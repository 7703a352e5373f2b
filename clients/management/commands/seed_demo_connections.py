"""``seed_demo_connections``: the demo client fed only by connected platforms (development only).

Makes (or keeps) Wayne Outdoor, assigns the demo staff member, and connects its HubSpot, GA4 and
Mailchimp to the fake platforms (``fake_platforms``), queueing the 13-month backfill for the
worker. Idempotent: an existing connection is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from agency.models import Client, Membership, User
from agency.services import client_create
from agency.tasks import enqueue_for_client
from clients.connectors.fake_server import demo_platforms
from clients.connectors.sync import connection_connect
from clients.criteria.services import criteria_version_create
from clients.demo import CRITERIA
from clients.management.commands.connect_source import credentials_from_json
from clients.management.commands.fake_platforms import demo_directory
from clients.models import Connection, CriteriaVersion, SyncRun
from clients.tasks import connection_sync_run

SLUG = "wayne"


class Command(BaseCommand):
    help = "Create the demo client whose HubSpot, GA4 and Mailchimp are connected to the fake platforms."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("the demo connections are for development only (DEBUG is false)")
        client = Client.objects.filter(slug=SLUG).first() or client_create(
            slug=SLUG, name="Wayne Outdoor", timezone="Europe/Madrid", currency="EUR")
        for username in ("sam",):
            user = User.objects.filter(username=username).first()
            if user is not None:
                Membership.objects.get_or_create(user=user, client=client)
        with tenant_context(client):
            has_criteria = CriteriaVersion.objects.exists()
            connected = set(Connection.objects.values_list("platform", flat=True))
        if not has_criteria:
            criteria_version_create(client=client, criteria=CRITERIA, effective_from="2020-01-01",
                                    change_note="demo criteria")
        _platforms, credentials = demo_platforms(demo_directory(), today=dt.date.today())  # noqa: DTZ011 (demo data)
        for platform, (account, data) in credentials.items():
            if platform in connected:
                continue
            with transaction.atomic():
                connection_connect(client=client, platform=platform, account_id=account,
                                   credentials=credentials_from_json(data), check=False)
                transaction.on_commit(lambda p=platform: enqueue_for_client(
                    connection_sync_run, client=client, platform=p, trigger=SyncRun.Trigger.BACKFILL))
            self.stdout.write(f"  {SLUG}: {platform} connected to the fake platforms; backfill queued")
