"""Reads of the client's connections for its screens (the views read through these:
tests/test_architecture.py). Health across clients is ``clients.connectors.health``."""

from __future__ import annotations

from clients.models import Connection


def connection_get(*, platform: str) -> Connection | None:
    """The client's connection to ``platform``, if it has one (one per platform)."""
    return Connection.objects.filter(platform=platform).first()

