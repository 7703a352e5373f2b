"""Data changes queue a (debounced) recompute of the snapshots of the months they touch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from agency.models import Client
from kpis.models import Snapshot
from kpis.selectors import month_add

# Contract figures at the end of a month depend on every contract known by then: a change to
# contracts moves every later month too.
CUMULATIVE_KINDS = {"contracts", "criteria"}


def _and_later(months: set[str]) -> set[str]:
    first = min(months)
    start = dt.date(int(first[:4]), int(first[5:7]), 1)
    latest = Snapshot.objects.order_by("-month").values_list("month", flat=True).first()
    if latest is None or latest < start:
        return months
    span, month = set(months), start
    while month <= latest:
        span.add(month.strftime("%Y-%m"))
        month = month_add(month, 1)
    return span


def on_data_imported(sender: Any, *, client: Client, kind: str, months: set[str], **kwargs: Any) -> None:
    from kpis.tasks import recompute_debounced

    if months:
        recompute_debounced(client=client, months=_and_later(months) if kind in CUMULATIVE_KINDS else months)


def on_leads_requalified(sender: Any, *, client: Client, months: set[str], **kwargs: Any) -> None:
    from kpis.tasks import recompute_debounced

    recompute_debounced(client=client, months=months)
