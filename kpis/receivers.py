"""Data changes queue a (debounced) recompute of the snapshots of the months they touch."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Min
from django_tenants.utils import tenant_context

from agency.models import Client
from agency.months import Month
from kpis.models import Snapshot
from kpis.recompute import months_recompute_request
from kpis.selectors import data_months
from kpis.selectors_report import snapshot_months_list
from portfolio.services import connection_health_note, source_failure_note

# Contract figures at the end of a month depend on every contract known by then: a change to
# contracts moves every later month too.
CUMULATIVE_KINDS = {"contracts", "criteria"}


def _and_later(months: set[str], *, kind: str) -> set[str]:
    """The months asked and every later month up to the last stored snapshot.

    A criteria version's effective month is a boundary, not data: only the stored snapshots from it on
    are computed again (the leads it requalifies ask for their own months). A version effective from
    2020 on a client whose data starts in 2025 computed an empty January 2020 that nobody asked for.
    """
    start = Month.parse(min(months))
    stored = Snapshot.objects.filter(month__gte=start.first_day).aggregate(first=Min("month"), last=Max("month"))
    asked = set() if kind == "criteria" else set(months)
    if stored["last"] is None:
        return asked
    if kind == "criteria":
        start = Month.of(stored["first"])
    return asked | {str(month) for month in Month.range(start, Month.of(stored["last"]))}


def on_data_imported(sender: Any, *, client: Client, kind: str, months: set[str], **kwargs: Any) -> None:
    if months:
        asked = _and_later(months, kind=kind) if kind in CUMULATIVE_KINDS else months
        if asked:
            months_recompute_request(client=client, months=asked)


def on_client_timezone_changed(sender: Any, *, client: Client, at: Any, **kwargs: Any) -> None:
    """The client's days and months are counted in its new zone: every month with a snapshot or with data
    (read in the new zone) is computed again. An approved month whose figures move then waits for staff
    as a revision (reports), the client seeing the approved version until it is approved."""
    with tenant_context(client):
        months = {str(Month.of(month)) for month in snapshot_months_list()}
        months |= {str(Month.of(month)) for month in data_months(timezone=client.timezone)}
        months_recompute_request(client=client, months=months)


def on_client_economics_changed(sender: Any, *, client: Client, **kwargs: Any) -> None:
    """The client's gross margin or LTV horizon changed: every month with a snapshot is computed again
    (ROMI and the lifetime values read them); an approved month whose figures move waits as a revision."""
    with tenant_context(client):
        months = {str(Month.of(month)) for month in snapshot_months_list()}
    if months:
        months_recompute_request(client=client, months=months)


def on_leads_requalified(sender: Any, *, client: Client, months: set[str], **kwargs: Any) -> None:
    months_recompute_request(client=client, months=months)


def on_scheduled_source_result(
    sender: Any, *, client: Client, source_id: int, source_name: str, ok: bool, message: str, at: Any,
    words: dict | None = None, **kwargs: Any,
) -> None:
    """Keep the portfolio's list of failing scheduled sources (public table) in step with each run."""
    source_failure_note(client=client, source_id=source_id, source_name=source_name, ok=ok, message=message,
                        words=words or {}, at=at)


def on_connection_health(
    sender: Any, *, client: Client, platform: str, label: str, state: str, reason: str, last_success_at: Any,
    failing_since: Any, token_expires_at: Any, at: Any, reason_words: dict | None = None, **kwargs: Any,
) -> None:
    """Keep the portfolio's mirror of every client's connections (public table) in step with each sync."""
    connection_health_note(client=client, platform=platform, label=label, state=state, reason=reason,
                           reason_words=reason_words or {},
                           last_success_at=last_success_at, failing_since=failing_since,
                           token_expires_at=token_expires_at, at=at)
