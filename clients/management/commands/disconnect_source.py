"""``disconnect_source SLUG PLATFORM``: forget a connection and its credentials (imported rows stay)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_disconnect
from clients.management.commands._client import client_by_slug


class Command(BaseCommand):
    help = "Disconnect a client's platform account: its credentials are deleted; imported data stays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("platform", choices=sorted(PLATFORMS))

    def handle(self, *args: Any, **options: Any) -> None:
        client = client_by_slug(options["slug"])
        if not connection_disconnect(client=client, platform=options["platform"]):
            raise CommandError(f"{client.slug} has no {options['platform']} connection")
        self.stdout.write(f"disconnected {options['platform']} of {client.slug}")
