"""One sync per connection at a time: a short Redis lock that the live sync keeps renewing.

A sync takes its connection's lock for ``PORTAL_CONNECTOR_LOCK_SECONDS`` (30 s) and a daemon
thread of its process renews it every third of that while the sync runs — through a long
request too (a Meta report job, a slow page). A killed worker's thread dies with it, so its
lock lapses within those seconds and the next sync (Sync now, the nightly run) resumes after the
last committed batch instead of being refused for minutes (the way ``clients.jobs`` heartbeats
its jobs). The lock's value says since when the sync runs: the Imports page tells it when Sync
now is refused.

Plain Redis commands (``agency.redis_client``), not the cache: the cache's keys carry the
connection's current schema, which the renewing thread does not share; this key names its
client's schema itself. Renewal and release check the holder's token in one script, so a holder
whose lock lapsed never extends or deletes the next holder's. Redis unreachable: no lock can be
taken, and the sync is skipped (the nightly dispatcher tries again), as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
import threading
from collections.abc import Iterator

from django.conf import settings
from django.utils import timezone

from agency.degrade import REDIS_ERRORS, redis_failed
from agency.redis_client import redis_client, redis_key

logger = logging.getLogger(__name__)

# KEYS[1] the lock, ARGV[1] the holder's value; ARGV[2] seconds to extend by, or 0 to release.
_IF_MINE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if tonumber(ARGV[2]) > 0 then return redis.call('expire', KEYS[1], ARGV[2]) end
return redis.call('del', KEYS[1])
"""


def sync_lock_key(*, schema: str, platform: str) -> str:
    return redis_key("connector-sync", schema, platform)


def sync_lock_since(*, schema: str, platform: str) -> dt.datetime | None:
    """Since when a live sync holds the connection's lock; None when none does (or its holder died)."""
    try:
        value = redis_client().get(sync_lock_key(schema=schema, platform=platform))
    except REDIS_ERRORS as error:
        redis_failed(error, what="sync lock read")
        return None
    if not value:
        return None
    return dt.datetime.fromisoformat(value.decode().split("|", 1)[1])


@contextlib.contextmanager
def sync_lock(*, schema: str, platform: str, seconds: int | None = None) -> Iterator[bool]:
    """Hold the connection's lock while the block runs; yields False (and holds nothing) when a live
    sync already holds it or Redis cannot be reached. Renewed every third of ``seconds`` by a daemon
    thread; released at the end only if it is still this holder's."""
    seconds = seconds or settings.PORTAL_CONNECTOR_LOCK_SECONDS
    key = sync_lock_key(schema=schema, platform=platform)
    value = f"{secrets.token_hex(8)}|{timezone.now().isoformat()}"
    try:
        held = bool(redis_client().set(key, value, nx=True, ex=seconds))
    except REDIS_ERRORS as error:
        redis_failed(error, what="sync lock")
        held = False
    if not held:
        yield False
        return
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(seconds / 3):
            try:
                if not redis_client().eval(_IF_MINE, 1, key, value, seconds):
                    logger.warning("the sync lock %s lapsed while its sync ran", key)
                    return
            except REDIS_ERRORS as error:  # tried again at the next beat; the lock may lapse meanwhile
                redis_failed(error, what="sync lock renewal")

    thread = threading.Thread(target=beat, name=f"sync-lock-{schema}-{platform}", daemon=True)
    thread.start()
    try:
        yield True
    finally:
        stop.set()
        thread.join(timeout=seconds)
        try:
            redis_client().eval(_IF_MINE, 1, key, value, 0)
        except REDIS_ERRORS as error:  # it lapses by itself within ``seconds``
            redis_failed(error, what="sync lock release")
