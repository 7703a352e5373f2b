"""The portfolio's notes of failing scheduled sources and connections, said as each client's pages say them.

The public mirrors (``portfolio.SourceFailure``, ``portfolio.ConnectionHealth``) keep a failure's reason
as words with its kind and what the platform or address said; here each note gets, in the reader's
language, what happened, what to do (the same functions as the client's Imports and sources pages:
``clients.connectors.advice.failure_advice``, ``clients.sources.schedule.source_failure_described``)
and the platform's own words apart. Times ("tries again at 4:48 a.m. CET tomorrow") are the client's
own, as its pages say them, with the zone named (``zone_named``): the page lists clients of many zones,
and a bare "4:48 a.m." beside a Mexican and a Spanish client would read as one moment. Called per
request: "tomorrow" is read from the clock then.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from agency.models import Client
from clients.connectors.advice import connected_by_consent, failure_advice, failure_of
from clients.connectors.registry import PLATFORMS
from clients.sources.schedule import source_failure_described


def _zone(client: Client) -> ZoneInfo | None:
    try:
        return ZoneInfo(client.timezone)
    except (ValueError, KeyError):
        return None


def source_failures_described(*, failures: list[Any]) -> list[dict[str, Any]]:
    """Each failing scheduled source (``portfolio.SourceFailure``) with ``reason``, ``advice``, ``said``."""
    described = []
    for failure in failures:
        with timezone.override(_zone(failure.client)):
            words = source_failure_described(words=failure.words, message=failure.message,
                                             last_run_at=failure.failed_at, zone_named=True)
        described.append({"row": failure, "client": failure.client, **words})
    return described


def connections_broken_described(*, connections: list[Any]) -> list[dict[str, Any]]:
    """Each connection needing attention (``portfolio.selectors.connections_broken_visible``'s rows) with
    ``reason``, ``advice`` (empty for a working one whose token expires soon) and ``said``."""
    described = []
    for row in connections:
        kind, said = failure_of(row.reason_words)
        advice = ""
        if row.state in {"failing", "reauth"}:
            connector = PLATFORMS.get(row.platform)
            with timezone.override(_zone(row.client)):
                advice = failure_advice(
                    kind=kind, platform=row.label, account=getattr(row, "account_id", None) or "",
                    account_label=str(connector.account_label) if connector else "",
                    next_run_at=getattr(row, "due_at", None), paused=row.state == "reauth",
                    consent=connected_by_consent(connector), zone_named=True)
        reason = row.reason_shown if (row.reason or row.reason_words) else ""
        described.append({"row": row, "client": row.client, "reason": reason, "advice": advice, "said": said})
    return described
