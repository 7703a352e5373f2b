"""The sync lock of a connection: short-lived, renewed by its live holder, gone within seconds when the
holder dies (tests/clients/connectors/test_killed.py kills a real one), never released by another."""

from __future__ import annotations

import time

import pytest

from agency.redis_client import redis_client
from clients.connectors.lock import sync_lock, sync_lock_key, sync_lock_since


@pytest.fixture(autouse=True)
def _no_lock_left() -> None:
    redis_client().delete(sync_lock_key(schema="alpha", platform="hubspot"))


def test_a_live_holder_keeps_its_short_lock_as_long_as_it_runs() -> None:
    with sync_lock(schema="alpha", platform="hubspot", seconds=1) as held:
        assert held
        since = sync_lock_since(schema="alpha", platform="hubspot")
        for _ in range(5):  # 2.5 s: more than twice the lock's life
            time.sleep(0.5)
            assert sync_lock_since(schema="alpha", platform="hubspot") == since
            with sync_lock(schema="alpha", platform="hubspot", seconds=1) as second:
                assert not second
    assert sync_lock_since(schema="alpha", platform="hubspot") is None  # released at the end


def test_a_lock_whose_holder_stopped_renewing_lapses() -> None:
    key = sync_lock_key(schema="alpha", platform="hubspot")
    redis_client().set(key, "dead|2026-12-06T12:00:00+00:00", ex=1)  # as a killed worker leaves it
    assert sync_lock_since(schema="alpha", platform="hubspot") is not None
    time.sleep(1.5)
    assert sync_lock_since(schema="alpha", platform="hubspot") is None
    with sync_lock(schema="alpha", platform="hubspot") as held:
        assert held


def test_a_holder_whose_lock_lapsed_does_not_release_the_next_holders() -> None:
    key = sync_lock_key(schema="alpha", platform="hubspot")
    with sync_lock(schema="alpha", platform="hubspot", seconds=30) as held:
        assert held
        redis_client().delete(key)  # lapsed (a long pause of the process) ...
        redis_client().set(key, "next|2026-12-06T12:00:00+00:00", ex=30)  # ... and taken by another
    assert redis_client().get(key) == b"next|2026-12-06T12:00:00+00:00"
    assert redis_client().ttl(key) > 25  # not shortened either
