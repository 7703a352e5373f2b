"""Per-platform concurrency caps across the whole agency: a counting semaphore in Redis.

An agency with 300 HubSpot portals must not run 300 syncs against HubSpot at once. Each sync
takes a slot of its platform (``PORTAL_CONNECTOR_CONCURRENCY``, default 4) before it starts and
gives it back when it ends; a slot whose holder died expires after ``ttl`` seconds. A sync that
finds no free slot is retried later by its task (with jitter). The slots live in one sorted set
per platform (member: the holder, score: when its lease ends), changed by a Lua script so that
two workers never take the last slot together.
"""

from __future__ import annotations

import time

from django.conf import settings

from agency.redis_client import redis_client, redis_key

_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  redis.call('EXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
"""


def _key(platform: str) -> str:
    return redis_key("connector-cap", platform)


def cap_acquire(*, platform: str, holder: str, ttl: int = 1800, limit: int | None = None) -> bool:
    """Take one of ``platform``'s slots for ``holder`` (True), or find them all taken (False)."""
    limit = limit if limit is not None else settings.PORTAL_CONNECTOR_CONCURRENCY
    now = time.time()
    script = redis_client().register_script(_ACQUIRE)
    return bool(script(keys=[_key(platform)], args=[now, now + ttl, holder, limit, ttl * 2]))


def cap_release(*, platform: str, holder: str) -> None:
    redis_client().zrem(_key(platform), holder)


def cap_holders(*, platform: str) -> int:
    """Slots of ``platform`` held now (for the benchmark and the tests)."""
    client = redis_client()
    client.zremrangebyscore(_key(platform), "-inf", time.time())
    return int(client.zcard(_key(platform)))
