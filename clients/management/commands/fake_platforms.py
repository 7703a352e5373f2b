"""``fake_platforms [--port 9100]``: serve the demo's fake HubSpot, GA4, Mailchimp and ad platforms (development only).

``scripts/run`` starts it beside the portal and points the connectors at it
(``PORTAL_CONNECTOR_URL_*``), so the demo's connected client syncs for real through the same code.
Refused when ``DEBUG`` is false.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.connectors.fake_server import FakeServerRefused, demo_platforms, fake_server_start


def demo_directory() -> Path:
    return Path(settings.BASE_DIR) / ".local" / "fake-platforms"


class Command(BaseCommand):
    help = "Serve fake HubSpot, GA4, Mailchimp, Google Ads, Meta and LinkedIn APIs with the demo's accounts (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=9100)

    def handle(self, *args: Any, **options: Any) -> None:
        platforms, _credentials = demo_platforms(demo_directory(), today=dt.date.today())  # noqa: DTZ011 (demo data)
        platforms.latency = 0.02
        try:
            server = fake_server_start(platforms, port=options["port"])
        except FakeServerRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"fake HubSpot, GA4, Mailchimp, Google Ads, Meta and LinkedIn at "
                          f"http://127.0.0.1:{server.server_address[1]}", ending="\n")
        self.stdout.flush()
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            server.shutdown()
