"""Rate limits: the API per token, sign-in per account and per address; 429 with Retry-After.

Fixed one-minute windows counted in Redis (``INCR`` + ``EXPIRE`` on a key per scope, subject
and window), shared by every web process. With Redis unreachable the request is **allowed**
and a line is logged (agency.degrade): a limiter must not turn a cache outage into an outage of
the API or of sign-in. Sign-in still has django-axes behind it (failed attempts per account and
address, in the database), so brute force stays bounded while Redis is down.
"""

from __future__ import annotations

import hashlib
import logging
import math
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

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


def rate_limit_hit(*, scope: str, subject: str, limit: int, window: int = WINDOW_SECONDS, now: float | None = None) -> int | None:
    """Count one request of ``subject`` in ``scope``; the seconds to wait when over ``limit``, else None."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    key = redis_key("ratelimit", scope, digest, str(bucket))
    try:
        with redis_client().pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, window + 1)
            count = pipe.execute()[0]
    except REDIS_ERRORS as error:
        redis_failed(error, what="rate limit")
        logger.warning("rate limit %s not enforced: Redis unreachable (request allowed)", scope)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil((bucket + 1) * window - now))


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
    """Counts API writes per token and sign-in attempts per account and per address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            limited = self._check(request)
            if limited is not None:
                return limited
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        schema = connection.schema_name
        if request.path.startswith("/api/"):
            # Per token (the header as sent, so a wrong token is counted too), per client.
            token = request.headers.get("Authorization", "")
            wait = rate_limit_hit(scope=f"api:{schema}", subject=token, limit=settings.PORTAL_API_RATE_PER_MINUTE)
            return _too_many(request, wait, api=True) if wait else None
        if request.path == reverse("login"):
            account = (request.POST.get("username") or "").strip().lower()
            for scope, subject, limit in (
                ("login-account", account, settings.PORTAL_LOGIN_RATE_PER_ACCOUNT),
                ("login-address", _address(request), settings.PORTAL_LOGIN_RATE_PER_ADDRESS),
            ):
                wait = rate_limit_hit(scope=scope, subject=subject, limit=limit)
                if wait:
                    return _too_many(request, wait, api=False)
        return None
