"""Degrade, don't fall over: what the portal does while Redis cannot be reached.

Redis is the cache, the broker and the rate limiter's counter store; none of them holds a fact
the portal cannot rebuild from PostgreSQL. So while Redis is down:

- the cache is skipped: :class:`FailSoftRedisCache` answers every read as a miss and drops every
  write, logging once per outage, and the banner says figures may be stale (:func:`redis_degraded`);
- sessions live in the database (``SESSION_ENGINE`` is plain ``db``), so nobody is signed out;
- a recompute that cannot be queued is written to the database outbox
  (``agency.RecomputeOutbox``), which the beat's drain queues once Redis answers again;
- rate limits allow the request and log a line (:mod:`agency.ratelimit`).

Code that must *know* Redis failed (the recompute debounce, the rate limiter) uses
:func:`agency.redis_client.redis_client`, which raises, and catches :data:`REDIS_ERRORS` itself.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("agency.degrade")

# What an unreachable or dying Redis raises, through redis-py or through Celery's publisher.
REDIS_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError, KombuOperationalError, OSError)

# After a failure the cache is not tried again for this many seconds (a hung Redis would
# otherwise cost every request its socket timeout); the banner shows for STALE_SECONDS.
RETRY_AFTER_FAILURE_SECONDS = 2.0
STALE_SECONDS = 60.0

_state = threading.local()
_lock = threading.Lock()
_last_failure: list[float] = [0.0]
_outage_logged: list[bool] = [False]


def redis_failed(error: BaseException, *, what: str) -> None:
    """Record a Redis failure (for the banner and the short skip) and log it once per outage."""
    with _lock:
        _last_failure[0] = time.monotonic()
        first = not _outage_logged[0]
        _outage_logged[0] = True
    if first:
        logger.warning("Redis unreachable (%s): cache skipped, pages served from the database: %s", what, error)


def redis_recovered() -> None:
    with _lock:
        if _outage_logged[0]:
            _outage_logged[0] = False
            logger.warning("Redis answers again: cache back in use")


def redis_degraded() -> bool:
    """True when Redis failed within the last minute: the pages say figures may be stale."""
    return _last_failure[0] > 0 and time.monotonic() - _last_failure[0] < STALE_SECONDS


def _skipping() -> bool:
    return _last_failure[0] > 0 and time.monotonic() - _last_failure[0] < RETRY_AFTER_FAILURE_SECONDS


def reset_for_tests() -> None:
    with _lock:
        _last_failure[0] = 0.0
        _outage_logged[0] = False


class _ClientKept(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per connection pool: Django makes a
    new one for every cache call, and building its table of reply callbacks costs more than a
    cached read's round trip. The object holds no connection of its own (the pool does), so one is
    safe to share between the calls and threads of a process."""

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        kept = self.__dict__.setdefault("_kept", {})
        client = kept.get(id(pool))
        if client is None:
            client = kept[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache that treats a connection error as a miss (reads) or a no-op (writes).

    ``add`` answers False when Redis is down: callers using it as a lock (the hand-off link's
    single use) refuse rather than allow twice.
    """

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ClientKept

    def _soft(self, what: str, default: Any, call: Any, *args: Any, **kwargs: Any) -> Any:
        if _skipping():
            return default
        try:
            result = call(*args, **kwargs)
        except REDIS_ERRORS as error:
            redis_failed(error, what=f"cache {what}")
            return default
        if _outage_logged[0]:
            redis_recovered()
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft("add", False, super().add, key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft("get", default, super().get, key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._soft("set", None, super().set, key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft("touch", False, super().touch, key, timeout, version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft("delete", False, super().delete, key, version)

    def get_many(self, keys: Any, version: int | None = None) -> dict:
        return self._soft("get_many", {}, super().get_many, keys, version)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft("has_key", False, super().has_key, key, version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list:
        return self._soft("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._soft("delete_many", None, super().delete_many, keys, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter cannot be faked: callers that count use agency.redis_client and decide themselves.
        return super().incr(key, delta, version)
