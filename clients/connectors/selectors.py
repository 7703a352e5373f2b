"""Reads of the client's connections for its screens (the views read through these:
tests/test_architecture.py). Health across clients is ``clients.connectors.health``."""

from __future__ import annotations

from clients.models import Connection, SyncRun


def connection_get(*, platform: str) -> Connection | None:
    """The client's connection to ``platform``, if it has one (one per platform)."""
    return Connection.objects.filter(platform=platform).first()


def sync_run_last_writing(*, connection: Connection) -> SyncRun | None:
    """The connection's last finished sync that wrote rows (its ``months``: those it added or changed
    rows of, saved with each batch in the batch's transaction), whether it ended well or not: what
    it wrote stays written. None when no sync wrote anything yet."""
    return connection.runs.filter(finished_at__isnull=False).exclude(months=[]).order_by("-finished_at", "-id").first()
