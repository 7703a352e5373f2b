"""Calling a platform's API: base URL (and its override), retries, and errors in words.

One :class:`Session` per sync: an ``httpx.Client`` with the connection's credentials applied by
its connector. A 429 or 5xx answer (or a dropped connection) is retried with exponential
backoff and jitter, waiting at least what ``Retry-After`` asks; a platform's usage headers can
ask for a pause too (:meth:`Connector.pause_after`). A 401 (and the platforms' own "token
expired" answers) raises :class:`ReauthNeeded`: nothing more is requested, the sync writes
nothing more and the connection says it needs re-authorisation. Every error message passes
through :func:`~clients.connectors.vault.redact`, so no secret leaves in one.
"""

from __future__ import annotations

import email.utils
import functools
import logging
import random
import ssl
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.utils.translation import gettext_noop

from agency.reasons import Words, say
from clients.connectors.vault import Credentials, redact

if TYPE_CHECKING:
    from clients.connectors.base import Connector

logger = logging.getLogger(__name__)
RETRIED = frozenset({429, 500, 502, 503, 504})


class ConnectorError(Exception):
    """The platform refused or failed; ``reason`` says it in words (shown to staff), ``words`` keeps
    it translatable (None for a reason that is plain text)."""

    def __init__(self, reason: str | Words, *, status: int | None = None) -> None:
        super().__init__(str(reason))
        self.words = reason if isinstance(reason, Words) else None
        self.reason = str(reason)
        self.status = status


class ReauthNeeded(ConnectorError):
    """The credentials were refused (expired, revoked, wrong): someone must connect again."""


@functools.cache
def _tls() -> ssl.SSLContext:
    """The certificate store, loaded once per process: httpx loads it again for every new client
    (about 50 ms, most of a nightly sync's own CPU time); a context is safe to share between clients."""
    return httpx.create_ssl_context()


def api_base(platform: str, default: str) -> str:
    """The platform's API scheme, host and port: ``PORTAL_CONNECTOR_URL_<PLATFORM>`` or the documented one."""
    return settings.PORTAL_CONNECTOR_URLS.get(platform) or default


def oauth_base(platform: str, default: str) -> str:
    """The platform's OAuth endpoints' scheme, host and port: ``PORTAL_OAUTH_URL_<PLATFORM>`` or the documented one."""
    return settings.PORTAL_OAUTH_URLS.get(platform) or default


def retry_after(response: httpx.Response) -> float | None:
    """Seconds the platform asked us to wait (``Retry-After`` as seconds or as an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Session:
    """The HTTP side of one sync: base URL, credentials, retries; answers as parsed JSON."""

    def __init__(self, *, connector: Connector, credentials: Credentials, account_id: str,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.connector = connector
        self.credentials = credentials
        self.account_id = account_id
        self.base = api_base(connector.slug, connector.default_base(credentials=credentials, account_id=account_id))
        self.client = httpx.Client(timeout=settings.PORTAL_CONNECTOR_TIMEOUT, transport=transport, verify=_tls(),
                                   headers={"User-Agent": "agency-portal-connector/1", "Accept": "application/json"})
        self.requests = 0
        self.credentials_changed = False
        self.memo: dict[str, Any] = {}  # what a connector reads once a sync (the agency's app)
        # Called with the new credentials as soon as a refresh succeeds (the framework stores them at
        # once: a refresh token the platform rotated must not be lost if the sync fails later).
        self.on_refresh: Callable[[Credentials], None] | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, *, base: str | None = None, auth: bool = True, **kwargs: Any) -> Any:
        """``method`` ``path`` on the platform; the JSON answer, after retries; ConnectorError otherwise."""
        url = (base or self.base) + path
        attempts = max(1, settings.PORTAL_CONNECTOR_RETRIES)
        max_wait = settings.PORTAL_CONNECTOR_MAX_WAIT
        refreshed = False
        for attempt in range(attempts):
            headers = dict(kwargs.pop("headers", {}) or {})
            if auth:
                self.connector.authorize(self, headers)
            try:
                response = self.client.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as error:
                if attempt + 1 >= attempts:
                    raise ConnectorError(say(gettext_noop("%(platform)s could not be reached: %(error)s"),
                                             platform=self.connector.label, error=type(error).__name__)) from None
                self._sleep(self._backoff(attempt, max_wait))
                kwargs["headers"] = headers
                continue
            finally:
                self.requests += 1
            kwargs["headers"] = headers
            throttled = self.connector.throttled(response)
            if (response.status_code in RETRIED or throttled is not None) and attempt + 1 < attempts:
                asked = retry_after(response)
                if throttled:
                    asked = max(asked or 0.0, throttled)
                wait = min(max_wait, asked) if asked is not None else self._backoff(attempt, max_wait)
                logger.info("%s answered %s; waiting %.1f s (attempt %s)", self.connector.slug, response.status_code,
                            wait, attempt + 1)
                self._sleep(wait)
                continue
            if response.status_code == 401 and auth and not refreshed and self.connector.refresh(self):
                refreshed = True
                self.refreshed()
                continue  # a fresh access token: the same request once more
            if response.status_code >= 400:
                raise self._error(response)
            pause = self.connector.pause_after(response)
            if pause:
                self._sleep(min(max_wait, pause))
            return response.json() if response.content else {}
        raise ConnectorError(say(gettext_noop("%(platform)s kept failing"), platform=self.connector.label))

    def refreshed(self) -> None:
        """A connector's refresh put new credentials in ``self.credentials``: hand them on to be stored."""
        self.credentials_changed = True
        if self.on_refresh is not None:
            self.on_refresh(self.credentials)

    def _backoff(self, attempt: int, max_wait: float) -> float:
        base = settings.PORTAL_CONNECTOR_BACKOFF
        return min(max_wait, base * (2 ** attempt)) * random.uniform(0.5, 1.0)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def _error(self, response: httpx.Response) -> ConnectorError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        # What the platform said is its own text: redacted of the connection's secrets, never translated.
        said = self._redact(self.connector.error_words(body) if isinstance(body, dict) else "")[:300]
        status = response.status_code
        label = self.connector.label
        if self.connector.needs_reauth(status, body if isinstance(body, dict) else {}):
            return ReauthNeeded(say(gettext_noop("%(platform)s refused the credentials (HTTP %(status)s): %(said)s"),
                                    platform=label, status=status,
                                    said=said or say(gettext_noop("expired or revoked"))), status=status)
        if status == 429:
            reason = say(gettext_noop("%(platform)s is limiting requests (HTTP 429) and still did after %(count)s attempts"),
                         platform=label, count=settings.PORTAL_CONNECTOR_RETRIES)
        elif status >= 500:
            reason = say(gettext_noop("%(platform)s had an error (HTTP %(status)s) on every attempt"), platform=label,
                         status=status)
        else:
            reason = say(gettext_noop("%(platform)s refused the request (HTTP %(status)s): %(said)s"), platform=label,
                         status=status, said=said or self._redact(response.reason_phrase))
        return ConnectorError(reason, status=status)

    def _redact(self, text: str) -> str:
        return redact(text, self.credentials)
