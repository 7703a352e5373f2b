"""``connections_due_rebuild [SLUG …]``: write the dispatcher's due index and
the ad accounts' claims again from the clients' schemas."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from agency.selectors import clients_ready
from clients.connectors.schedule import connections_due_rebuild
from clients.management.commands._client import client_by_slug


class Command(BaseCommand):
    help = ("Rebuild the nightly dispatcher's index of when connections are due (agency.ConnectionDue) and the ad "
            "accounts' claims (agency.AccountClaim) from the clients' schemas: after restoring a schema. Without "
            "slugs: every ready client.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*")

    def handle(self, *args: Any, **options: Any) -> None:
        clients = [client_by_slug(slug) for slug in options["slugs"]] or list(clients_ready())
        total = sum(connections_due_rebuild(client=client) for client in clients)
        self.stdout.write(f"{total} connection(s) of {len(clients)} client(s) in the due index")
