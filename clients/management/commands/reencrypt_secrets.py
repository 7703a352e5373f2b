"""``reencrypt_secrets``: encrypt every client's connection credentials again with the first key.

Rotation: put the new key first in ``PORTAL_SECRETS_KEY`` (``new,old``), run this, then drop
the old key (docs/connectors.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from agency.models import Client
from clients.connectors.sync import secrets_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every connection's credentials with the first key of PORTAL_SECRETS_KEY (key rotation)."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for client in Client.objects.exclude(schema_name="public").order_by("slug"):
            total += secrets_reencrypt(client=client)
        self.stdout.write(f"re-encrypted {total} connection(s)")
