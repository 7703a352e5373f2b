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


class Failure:
    """Kinds of failure, each with its own advice on screen (clients.connectors.advice)."""

    CREDENTIALS = "credentials"  # refused, expired or revoked: connect again
    RATE_LIMITED = "rate-limited"  # the platform's limits: the portal retries by itself
    UNAVAILABLE = "unavailable"  # 5xx, unreachable, timed out: the platform's side, retried tonight
    NOT_FOUND = "not-found"  # the account (or what the sync reads) is unknown: check the account id
    PERMISSION = "permission"  # the credentials cannot read this account: check the user's access
    REFUSED = "refused"  # another refusal of the request
    OTHER = ""


class ConnectorError(Exception):
    """The platform refused or failed; ``reason`` says it in words (shown to staff), ``words`` keeps
    it translatable (None for a reason that is plain text). ``kind`` (a :class:`Failure`) chooses the
    advice shown with it; ``said`` is what the platform said itself, shown apart as a detail."""

    def __init__(self, reason: str | Words, *, status: int | None = None, kind: str = Failure.OTHER,
                 said: str = "") -> None:
        super().__init__(str(reason))
        self.words = reason if isinstance(reason, Words) else None
        self.reason = str(reason)
        self.status = status
        self.kind = kind or (Failure.CREDENTIALS if isinstance(self, ReauthNeeded) else Failure.OTHER)
        self.said = said

    def to_json(self) -> dict[str, Any]:
        """The reason as stored on the connection: its words (translated where read), kind and the platform's text."""
        # A reason in plain text (already in the worker's language) is kept as a message with no values.
        stored: dict[str, Any] = self.words.to_json() if self.words else {"msgid": self.reason, "params": {}}
        return {**stored, "kind": self.kind, "said": self.said}


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
                    # The platform said nothing: no "The platform said: “ConnectError”" (the library's name).
                    logger.info("%s could not be reached: %s", self.connector.slug, type(error).__name__)
                    raise ConnectorError(say(gettext_noop("%(platform)s could not be reached."),
                                             platform=self.connector.label),
                                         kind=Failure.UNAVAILABLE) from None
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
        raise ConnectorError(say(gettext_noop("%(platform)s kept failing"), platform=self.connector.label),
                             kind=Failure.UNAVAILABLE)

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
        # What the platform said is its own text: redacted of the connection's secrets, never translated,
        # and shown apart from the portal's words (which say what happened and what to do).
        words = self._redact(self.connector.error_words(body) if isinstance(body, dict) else "")[:300]
        status = response.status_code
        said = f"HTTP {status}: {words or self._redact(response.reason_phrase)}"
        platform = self.connector.label
        if self.connector.needs_reauth(status, body if isinstance(body, dict) else {}):
            return ReauthNeeded(say(gettext_noop("%(platform)s refused the credentials: they are wrong, expired or "
                                                 "were revoked."), platform=platform),
                                status=status, kind=Failure.CREDENTIALS, said=said)
        if status == 429 or self.connector.throttled(response) is not None:
            return ConnectorError(say(gettext_noop("%(platform)s is limiting how often the portal may ask for data, "
                                                   "and still was after %(count)s attempts."),
                                      platform=platform, count=settings.PORTAL_CONNECTOR_RETRIES),
                                  status=status, kind=Failure.RATE_LIMITED, said=said)
        if status >= 500:
            return ConnectorError(say(gettext_noop("%(platform)s was unavailable: its servers answered with an error "
                                                   "on every attempt."), platform=platform),
                                  status=status, kind=Failure.UNAVAILABLE, said=said)
        if status == 404:
            return ConnectorError(say(gettext_noop("%(platform)s did not find the account or the data asked for."),
                                      platform=platform), status=status, kind=Failure.NOT_FOUND, said=said)
        if status == 403:
            return ConnectorError(say(gettext_noop("%(platform)s refused access to this account's data."),
                                      platform=platform), status=status, kind=Failure.PERMISSION, said=said)
        return ConnectorError(say(gettext_noop("%(platform)s refused the request."), platform=platform),
                              status=status, kind=Failure.REFUSED, said=said)

    def _redact(self, text: str) -> str:
        return redact(text, self.credentials)
