"""Rate limits: the API per token, made-up API tokens and password resets per address, sign-in
per account and per address; 429 with Retry-After.

Sliding windows counted in Redis: each scope and subject keeps a sorted set of the instants of
its accepted requests; a request is allowed while fewer than ``limit`` lie in the last
``window`` seconds (one Lua script: trim, count, add, atomically), so no burst gets twice the
limit across a minute boundary, as fixed windows allowed (issue #24). With Redis unreachable
the request is **allowed** and a line is logged (agency.degrade): a limiter must not turn a
cache outage into an outage of the API or of sign-in. Sign-in still has django-axes behind it
(failed attempts per account and address, in the database), so brute force stays bounded while
Redis is down.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from agency.degrade import REDIS_ERRORS, redis_failed
from agency.redis_client import redis_client, redis_key
from agency.selectors import sign_in_name

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


# KEYS[1] the set; ARGV: now, window, limit, member, add (1: count this request, 0: only look).
# Answers 0 when allowed (and counted), else the instant the oldest counted request leaves the window.
_SLIDING = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tostring(tonumber(oldest[2]) + window)
end
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], math.ceil(window) + 1)
end
return '0'
"""


def rate_limit_hit(*, scope: str, subject: str, limit: int, window: int = WINDOW_SECONDS, now: float | None = None,
                   count: bool = True) -> int | None:
    """Count one request of ``subject`` in ``scope`` (``count=False``: only look); the seconds to
    wait when ``limit`` requests were already allowed in the last ``window`` seconds, else None."""
    now = time.time() if now is None else now
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = redis_key("ratelimit", scope, digest)
    try:
        free_at = float(redis_client().eval(
            _SLIDING, 1, key, repr(now), str(window), str(limit), f"{now!r}:{secrets.token_hex(4)}", "1" if count else "0"))
    except REDIS_ERRORS as error:
        redis_failed(error, what="rate limit")
        logger.warning("rate limit %s not enforced: Redis unreachable (request allowed)", scope)
        return None
    if not free_at:
        return None
    return max(1, math.ceil(free_at - now))


def _too_many(request: HttpRequest, retry_after: int, *, api: bool) -> HttpResponse:
    message = _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": retry_after}
    if api:
        response: HttpResponse = JsonResponse({"errors": {"rate": [message]}}, status=429)
    else:
        response = HttpResponse(render_to_string("429.html", {"message": message}, request=None), status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RateLimitMiddleware:
    """Counts API writes per token, failed API tokens, sign-in attempts and password resets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        limited = self._check(request)
        if limited is not None:
            return limited
        response = self.get_response(request)
        if response.status_code == 401 and request.path.startswith("/api/"):
            # A made-up token is counted against its address: guessing is limited whatever it sends.
            rate_limit_hit(scope=f"api-bad-token:{connection.schema_name}", subject=_address(request),
                           limit=settings.PORTAL_API_BAD_TOKENS_PER_MINUTE)
        return response

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        schema = connection.schema_name
        if request.path.startswith("/api/"):
            # An address that sent too many unknown tokens waits, whatever token it sends now.
            wait = rate_limit_hit(scope=f"api-bad-token:{schema}", subject=_address(request),
                                  limit=settings.PORTAL_API_BAD_TOKENS_PER_MINUTE, count=False)
            if wait:
                return _too_many(request, wait, api=True)
            # Per token (the header as sent), per client.
            token = request.headers.get("Authorization", "")
            wait = rate_limit_hit(scope=f"api:{schema}", subject=token, limit=settings.PORTAL_API_RATE_PER_MINUTE)
            return _too_many(request, wait, api=True) if wait else None
        if request.path == reverse("login"):
            # The account whichever of its names was typed, in whatever case.
            account = sign_in_name(request) or ""
            checks = [("login-account", account, settings.PORTAL_LOGIN_RATE_PER_ACCOUNT, WINDOW_SECONDS),
                      ("login-address", _address(request), settings.PORTAL_LOGIN_RATE_PER_ADDRESS, WINDOW_SECONDS)]
        elif request.path == reverse("password_reset"):
            # Per address and per address asked for (existing or not: the answer tells nothing).
            email = (request.POST.get("email") or "").strip().casefold()
            checks = [("reset-address", _address(request), settings.PORTAL_PASSWORD_RESET_RATE_PER_ADDRESS, WINDOW_SECONDS),
                      ("reset-email", email, settings.PORTAL_PASSWORD_RESET_RATE_PER_EMAIL, 3600)]
        else:
            return None
        for scope, subject, limit, window in checks:
            wait = rate_limit_hit(scope=scope, subject=subject, limit=limit, window=window)
            if wait:
                return _too_many(request, wait, api=False)
        return None
