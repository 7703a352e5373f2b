"""The close listens to the KPI engine (kpis cannot import reports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.models import Client
from reports.services import months_recomputed, restatement_note


def on_snapshots_computed(sender: Any, *, client: Client, months: list[dt.date], **kwargs: Any) -> None:
    """Late data moved an approved month: the console's row says a revision is waiting."""
    months_recomputed(client=client, months=months)


def on_connection_synced(
    sender: Any, *, client: Client, platform: str, label: str, kind: str, months: set[str], synced_on: dt.date,
    **kwargs: Any,
) -> None:
    """A connector wrote rows of approved months: name the platform and the sync for the revision's reason."""
    restatement_note(client=client, platform_label=label, kind=kind, months=months, synced_on=synced_on)
