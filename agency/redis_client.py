"""A plain Redis client on the cache's server, for the few writes that need Redis's own atomic commands.

Django's cache API has no sets and no transactions; the debounce of recomputes (kpis.recompute)
needs both. One connection pool per process, made on first use.
"""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings


@cache
def redis_client() -> redis.Redis:
    """The process's client of the Redis that backs the cache (``REDIS_URL``)."""
    cache = settings.CACHES["default"]
    # The cache's timeouts: a hung Redis fails fast, and callers fall back (agency.degrade).
    return redis.Redis.from_url(cache["LOCATION"], **cache.get("OPTIONS", {}))


def redis_key(*parts: str) -> str:
    """A key under the cache's prefix, so that a shared Redis keeps the portal's keys apart."""
    return ":".join((settings.CACHES["default"].get("KEY_PREFIX") or "portal", *parts))
