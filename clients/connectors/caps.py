"""Per-platform concurrency caps across the whole agency: a counting semaphore in Redis.

An agency with 300 HubSpot portals must not run 300 syncs against HubSpot at once. Each sync
takes a slot of its platform (``PORTAL_CONNECTOR_CONCURRENCY``, default 4) before it starts and
gives it back when it ends; a slot whose holder died expires after ``ttl`` seconds. A sync that
finds no free slot waits for one to be given back (:func:`cap_wait`: each release pushes a token
on the platform's "freed" list, which waiters block on), a few seconds at most, then its task is
retried a little later. The slots live in one sorted set per platform (member: the holder,
score: when its lease ends), changed by a Lua script so that two workers never take the last
slot together.
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


def _freed_key(platform: str) -> str:
    return redis_key("connector-cap-freed", platform)


def cap_acquire(*, platform: str, holder: str, ttl: int = 1800, limit: int | None = None) -> bool:
    """Take one of ``platform``'s slots for ``holder`` (True), or find them all taken (False)."""
    limit = limit if limit is not None else settings.PORTAL_CONNECTOR_CONCURRENCY
    now = time.time()
    script = redis_client().register_script(_ACQUIRE)
    return bool(script(keys=[_key(platform)], args=[now, now + ttl, holder, limit, ttl * 2]))


def cap_release(*, platform: str, holder: str) -> None:
    """Give the slot back, and wake one sync waiting for it (the list is bounded: tokens nobody took
    only cause a waiter a spurious try)."""
    freed = _freed_key(platform)
    with redis_client().pipeline(transaction=True) as pipe:
        pipe.zrem(_key(platform), holder)
        pipe.lpush(freed, 1)
        pipe.ltrim(freed, 0, 63)
        pipe.expire(freed, 600)
        pipe.execute()


def cap_wait(*, platform: str, holder: str, seconds: float, limit: int | None = None) -> bool:
    """Take a slot of ``platform``, waiting up to ``seconds`` for one to be given back (True), or not."""
    deadline = time.monotonic() + seconds
    client = redis_client()
    while True:
        if cap_acquire(platform=platform, holder=holder, limit=limit):
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        # Below the client's socket timeout (2 s); a slot whose holder died frees itself without a token.
        client.blpop([_freed_key(platform)], timeout=min(1.0, max(left, 0.01)))


def cap_holders(*, platform: str) -> int:
    """Slots of ``platform`` held now (for the benchmark and the tests)."""
    client = redis_client()
    client.zremrangebyscore(_key(platform), "-inf", time.time())
    return int(client.zcard(_key(platform)))
