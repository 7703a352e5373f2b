"""What the client's own data does when an import lands (connected in ClientsConfig.ready())."""

from __future__ import annotations

from typing import Any

from agency.models import Client
from clients.criteria.services import leads_requalify


def on_data_imported(sender: Any, *, client: Client, kind: str, months: set[str], **kwargs: Any) -> None:
    """Leads, their activities and campaigns (a lead's channel) decide qualification."""
    if kind in {"leads", "activities"}:
        leads_requalify(client=client, months=months)
    elif kind == "campaigns":
        leads_requalify(client=client)
