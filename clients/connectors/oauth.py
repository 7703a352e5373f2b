"""OAuth for the ad platforms: the agency's apps, the token endpoint, and the consent's URLs.

The agency registers one app per platform (its client id and secret; for Google Ads also a
developer token and, optionally, a manager account's id sent as ``login-customer-id``). They
come from the environment (``PORTAL_OAUTH_CLIENT_ID_<PLATFORM>``, ``…_SECRET_<PLATFORM>``,
``PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN``, ``PORTAL_GOOGLE_ADS_LOGIN_CUSTOMER_ID``), else from the
agency's settings screen (stored encrypted, :func:`app_store`). The token endpoint is called the
same way for the consent's code and for a refresh; its host is the documented one unless
``PORTAL_OAUTH_URL_<PLATFORM>`` replaces it (tests, the demo).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clients.connectors.apps import app_stored
from clients.connectors.transport import ConnectorError, ReauthNeeded, oauth_base, say

if TYPE_CHECKING:
    from clients.connectors.transport import Session


@dataclass(frozen=True)
class OAuthEndpoints:
    """Where a platform's consent and tokens are (documented hosts; the override replaces both)."""

    authorize_base: str
    authorize_path: str
    grant_base: str
    grant_path: str
    scopes: tuple[str, ...]
    pkce: bool = False  # the platform documents PKCE for web apps with a client secret
    scope_separator: str = " "
    extra: dict[str, str] = field(default_factory=dict)  # access_type=offline, prompt=consent

    def authorize_url(self, platform: str) -> str:
        return oauth_base(platform, self.authorize_base) + self.authorize_path

    def token_url(self, platform: str) -> tuple[str, str]:
        return oauth_base(platform, self.grant_base), self.grant_path


@dataclass(frozen=True)
class AppCredentials:
    """The agency's app on one platform (never shown in full: :meth:`masked`)."""

    client_id: str = ""
    client_secret: str = ""
    developer_token: str = ""  # Google Ads
    login_customer_id: str = ""  # Google Ads: the agency's manager account (optional)
    origin: str = ""  # "environment" or "screen"

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret)


def app_credentials(platform: str) -> AppCredentials:
    """The agency's app for ``platform``: the environment first, then what an admin saved."""
    client_id, client_secret = settings.PORTAL_OAUTH_APPS.get(platform, ("", ""))
    developer_token = login_customer_id = ""
    if platform == "google_ads":
        developer_token = settings.PORTAL_GOOGLE_ADS_DEVELOPER_TOKEN
        login_customer_id = settings.PORTAL_GOOGLE_ADS_LOGIN_CUSTOMER_ID
    if client_id and client_secret:
        return AppCredentials(client_id, client_secret, developer_token, login_customer_id, origin="environment")
    stored = app_stored(platform)
    if stored is None:
        return AppCredentials(developer_token=developer_token, login_customer_id=login_customer_id)
    return AppCredentials(stored.get("client_id", ""), stored.get("client_secret", ""),
                          developer_token or stored.get("developer_token", ""),
                          login_customer_id or stored.get("login_customer_id", ""), origin="screen")


def session_app(session: Session, platform: str) -> AppCredentials:
    """The agency's app for the session's sync, read once: a backfill's reading thread never queries the database."""
    key = f"app:{platform}"
    if key not in session.memo:
        session.memo[key] = app_credentials(platform)
    return session.memo[key]


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url(sha256(verifier)) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def consent_url(*, platform: str, endpoints: OAuthEndpoints, app: AppCredentials, redirect_uri: str, state: str,
                verifier: str) -> str:
    """The platform's consent page for the agency's app, bound to ``state`` (and PKCE's challenge)."""
    query = {"response_type": "code", "client_id": app.client_id, "redirect_uri": redirect_uri, "state": state,
             "scope": endpoints.scope_separator.join(endpoints.scopes), **endpoints.extra}
    if endpoints.pkce:
        query.update(code_challenge=pkce_challenge(verifier), code_challenge_method="S256")
    return endpoints.authorize_url(platform) + "?" + urlencode(query)


def token_request(session: Session, *, platform: str, endpoints: OAuthEndpoints, form: dict[str, str],
                  method: str = "POST") -> dict[str, Any]:
    """One call to the platform's token endpoint with the agency's app; the JSON answer."""
    app = session_app(session, platform)
    if not app.configured:
        raise ReauthNeeded(_("The agency's %(platform)s app is not configured (client id and secret).") % {
            "platform": session.connector.label})
    base, path = endpoints.token_url(platform)
    data = {**form, "client_id": app.client_id, "client_secret": app.client_secret}
    if method == "GET":
        return session.request("GET", path, base=base, auth=False, params=data)
    return session.request("POST", path, base=base, auth=False, data=data)


def tokens_apply(session: Session, answer: dict[str, Any]) -> bool:
    """An access token answer into ``session.credentials`` (a rotated refresh token kept); True when it held one."""
    credentials = session.credentials
    token = str(answer.get("access_token") or "")
    if not token:
        return False
    credentials.access_token = token
    credentials.refresh_token = str(answer.get("refresh_token") or credentials.refresh_token)
    seconds = answer.get("expires_in")
    credentials.expires_at = timezone.now() + dt.timedelta(seconds=int(seconds)) if seconds else None
    return True


def refresh_with(session: Session, *, platform: str, endpoints: OAuthEndpoints) -> bool:
    """The refresh hook of an OAuth connector: a refused refresh (revoked consent) needs re-authorisation."""
    credentials = session.credentials
    if not credentials.refresh_token:
        return False
    try:
        answer = token_request(session, platform=platform, endpoints=endpoints, form={
            "grant_type": "refresh_token", "refresh_token": credentials.refresh_token})
    except ReauthNeeded:
        raise
    except ConnectorError as error:
        if error.status is None or error.status >= 500 or error.status == 429:
            raise  # the platform is unreachable or failing: the next sync tries again
        raise ReauthNeeded(say(gettext_noop("%(platform)s refused to refresh the access token: %(reason)s"),
                               platform=session.connector.label, reason=error.words or error.reason),
                           said=error.said) from None
    return tokens_apply(session, answer)
