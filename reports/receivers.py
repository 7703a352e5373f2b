"""The close listens to the KPI engine (kpis cannot import reports)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.models import Client
from reports.services import months_recomputed


def on_snapshots_computed(sender: Any, *, client: Client, months: list[dt.date], **kwargs: Any) -> None:
    """Late data moved an approved month: the console's row says a revision is waiting."""
    months_recomputed(client=client, months=months)
