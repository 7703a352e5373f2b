"""The registry's emails about a client (an invitation, a client user's password reset: rendered
by agency.emails) through the client's outbox: written first, tried at once so that staff see on
the page whether it went out, then retried by the drain when the mail server refused it; a
second invitation while the first still waits replaces it (agency.outbox.Outbox.registry_queue).
Registered with agency.emails in ``clients.apps.ready()``."""

from __future__ import annotations

from typing import Any

from agency.models import Client, User
from clients.outbox import client_outbox


def registry_email_queue(*, client: Client, user: User, kind: str, message: dict[str, Any]) -> tuple[bool, str]:
    """Queue ``message`` for ``user`` in ``client``'s outbox and try it now; returns whether it went
    out and, if not, what the mail server said (it is tried again by itself)."""
    return client_outbox(client).registry_queue(user=user, kind=kind, message=message)
