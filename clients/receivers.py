"""What the client's data does when an import lands or its zone changes (connected in ClientsConfig.ready())."""

from __future__ import annotations

from typing import Any

from agency.models import Client
from clients.connectors.schedule import connections_reschedule
from clients.criteria.services import leads_requalify


def on_data_imported(sender: Any, *, client: Client, kind: str, months: set[str], **kwargs: Any) -> None:
    """Leads, their activities and campaigns (a lead's channel) decide qualification."""
    if kind in {"leads", "activities"}:
        leads_requalify(client=client, months=months)
    elif kind == "campaigns":
        leads_requalify(client=client)


def on_client_timezone_changed(sender: Any, *, client: Client, at: Any, **kwargs: Any) -> None:
    """The connections' coming nightly syncs move to the night of the client's new zone."""
    connections_reschedule(client=client, now=at)
