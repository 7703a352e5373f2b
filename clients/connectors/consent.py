"""The OAuth consent of an ad platform, from a client's Imports page to a chosen ad account.

1. :func:`consent_start` (staff, on the client's host): a ``state`` signed with the secret key
   that names the staff member, the client and the platform, with a nonce whose PKCE verifier
   is kept server-side for 10 minutes; the platform's consent URL with the redirect URI on the
   console's base host (built from ``PORTAL_BASE_HOST``, never from the request).
2. :func:`consent_finish` (the console's callback): the state's signature and age checked, its
   nonce used once (a replayed callback is refused), the staff member of the console's session,
   if any, the one the state names; the code exchanged for tokens (with the verifier). The tokens
   are sealed for that client and kept 10 minutes under a one-time handoff key; the browser goes
   back to the client's host.
3. :func:`handoff_accounts` and :func:`handoff_connect` (the client's host, the same staff
   member): the ad accounts the consent can read (a manager account lists its clients), then
   the chosen one connected through ``connection_connect`` (an account of another client's
   connection is refused) and its 13-month backfill queued.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import redis
from django.core import signing
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.account_claims import account_holders
from agency.models import Client, User
from agency.redis_client import redis_client, redis_key
from agency.selectors import client_url, console_url
from clients.connectors import vault
from clients.connectors.ads import AdAccount, AdConnector
from clients.connectors.oauth import app_credentials, consent_url
from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_connect
from clients.connectors.transport import ConnectorError, Session
from clients.models import Connection

SALT = "clients.connectors.consent"
LIFETIME = 600  # seconds a consent (and then its handoff) may take
CALLBACK_PATH = "/connections/oauth/callback/"


def _put(kind: str, key: str, value: dict[str, Any]) -> None:
    """Kept in Redis outside any client's key space: a consent starts at a client's host and ends at the console's."""
    try:
        redis_client().set(redis_key("oauth", kind, key), json.dumps(value), ex=LIFETIME)
    except redis.RedisError as error:
        raise ConsentRefused(_("The consent cannot start now (the portal's Redis is unreachable); try again in a "
                               "minute.")) from error


def _get(kind: str, key: str, *, take: bool = False) -> dict[str, Any] | None:
    """The value, or None; ``take``: read and delete in one step (GETDEL), so it is used once."""
    try:
        client = redis_client()
        name = redis_key("oauth", kind, key)
        raw = client.getdel(name) if take else client.get(name)
    except redis.RedisError:
        return None
    return json.loads(raw) if raw else None


class ConsentRefused(Exception):
    """The consent cannot go on; ``reason`` says why in words (shown on the page, status 400)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def ad_connector(platform: str) -> AdConnector:
    connector = PLATFORMS.get(platform)
    if not isinstance(connector, AdConnector):
        raise ConsentRefused(_("This platform is not connected through a consent."))
    return connector


def redirect_uri() -> str:
    """The one redirect URI registered with each platform: the console's callback, on the base host."""
    return console_url(path=CALLBACK_PATH)


def consent_start(*, client: Client, user: User, platform: str) -> str:
    """The platform's consent URL for this client and staff member (the state kept for 10 minutes)."""
    connector = ad_connector(platform)
    app = app_credentials(platform)
    if not app.configured:
        raise ConsentRefused(_("The agency's %(platform)s app is not set up yet: an admin enters its client ID and "
                               "secret under Platform apps on the console.") % {"platform": connector.label})
    if platform == "google_ads" and not app.developer_token:
        raise ConsentRefused(_("The agency's Google Ads developer token is not set up yet (Platform apps on the console)."))
    nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    _put("consent", nonce, {"verifier": verifier, "user": user.pk, "client": client.schema_name, "platform": platform})
    state = signing.dumps({"n": nonce, "u": user.pk, "c": client.schema_name, "p": platform}, salt=SALT, compress=True)
    return consent_url(platform=platform, endpoints=connector.endpoints, app=app, redirect_uri=redirect_uri(),
                       state=state, verifier=verifier)


@dataclass
class Finished:
    client: Client
    platform: str
    handoff: str

    @property
    def next_url(self) -> str:
        return client_url(client=self.client, path=f"/imports/connections/{self.platform}/account/?handoff={self.handoff}")


def consent_finish(*, state: str, code: str, error: str, session_user: User | None) -> Finished:
    """The callback: state checked and used once, the code exchanged, the tokens handed to the client's host."""
    try:
        data = signing.loads(state, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired:
        raise ConsentRefused(_("This consent took more than 10 minutes. Start again from the client's Imports page.")) from None
    except signing.BadSignature:
        raise ConsentRefused(_("This answer does not match a consent started here (the state is wrong). Start again "
                               "from the client's Imports page.")) from None
    pending = _get("consent", data["n"], take=True)
    if pending is None:
        raise ConsentRefused(_("This consent was already used. Start again from the client's Imports page."))
    if (pending["user"], pending["client"], pending["platform"]) != (data["u"], data["c"], data["p"]):
        raise ConsentRefused(_("This answer does not match a consent started here (the state is wrong)."))
    if session_user is not None and session_user.is_authenticated and session_user.pk != data["u"]:
        raise ConsentRefused(_("This consent was started by another staff member."))
    client = Client.objects.filter(schema_name=data["c"]).first()
    if client is None:
        raise ConsentRefused(_("This client no longer exists."))
    connector = ad_connector(data["p"])
    if error:
        raise ConsentRefused(_("%(platform)s did not give access (%(error)s): nothing was connected.") % {
            "platform": connector.label, "error": error[:100]})
    credentials = vault.Credentials()
    try:
        with Session(connector=connector, credentials=credentials, account_id="") as session:
            connector.exchange_code(session, code=code, redirect_uri=redirect_uri(), verifier=pending["verifier"])
    except ConnectorError as error_:
        raise ConsentRefused(error_.reason) from None
    handoff = secrets.token_urlsafe(24)
    _put("handoff", handoff, {"user": data["u"], "platform": data["p"], "accounts": None,
                              "sealed": vault.seal(credentials, owner=client.schema_name)})
    return Finished(client=client, platform=data["p"], handoff=handoff)


def _handoff(*, client: Client, user: User, platform: str, handoff: str) -> dict[str, Any]:
    held = _get("handoff", handoff) if handoff else None
    if held is None or held["platform"] != platform:
        raise ConsentRefused(_("This consent has expired or was already used. Start again from the Imports page."))
    if held["user"] != user.pk:
        raise ConsentRefused(_("This consent was started by another staff member."))
    try:
        vault.unseal(held["sealed"], owner=client.schema_name)
    except vault.SecretsError:
        raise ConsentRefused(_("This consent was given for another client.")) from None
    return held


def handoff_accounts(*, client: Client, user: User, platform: str, handoff: str) -> list[AdAccount]:
    """The ad accounts the consent can read (listed once, then kept with the handoff)."""
    held = _handoff(client=client, user=user, platform=platform, handoff=handoff)
    if held["accounts"] is None:
        connector = ad_connector(platform)
        credentials = vault.unseal(held["sealed"], owner=client.schema_name)
        try:
            with Session(connector=connector, credentials=credentials, account_id="") as session:
                accounts = connector.accounts(session)
        except ConnectorError as error:
            raise ConsentRefused(error.reason) from None
        held["accounts"] = [account.as_dict() for account in accounts]
        _put("handoff", handoff, held)
    return [AdAccount(**account) for account in held["accounts"]]


def handoff_choices(*, client: Client, platform: str, accounts: list[AdAccount]) -> list[tuple[AdAccount, str]]:
    """The accounts as the chooser lists them, each with the name of the other client it already feeds
    ("" when free): chosen, it would be refused, and the consent used up with it (started again from the
    Imports page), so the page says so first. A platform whose accounts may be shared holds none."""
    connector = ad_connector(platform)
    held = account_holders(platform=platform, account_ids=[account.id for account in accounts], besides=client) \
        if connector.exclusive_accounts else {}
    return [(account, held[account.id].name if account.id in held else "") for account in accounts]


def handoff_connect(*, client: Client, user: User, platform: str, handoff: str, account_id: str) -> tuple[Connection, str, bool]:
    """Connect the chosen account (one the consent listed, not a manager); (connection, summary, backfill)."""
    accounts = {account.id: account for account in handoff_accounts(client=client, user=user, platform=platform,
                                                                     handoff=handoff)}
    chosen = accounts.get(account_id)
    if chosen is None or chosen.is_manager:
        raise ConsentRefused(_("Choose one of the ad accounts listed."))
    held = _handoff(client=client, user=user, platform=platform, handoff=handoff)
    credentials = vault.unseal(held["sealed"], owner=client.schema_name)
    if chosen.manager_id:
        credentials.extra["login_customer_id"] = chosen.manager_id
    try:
        with tenant_context(client):
            existing = Connection.objects.filter(platform=platform).first()
        connection, summary = connection_connect(client=client, platform=platform, account_id=chosen.id,
                                                 credentials=credentials, user=user)
    except ConnectorError as error:
        raise ConsentRefused(error.reason) from None
    if _get("handoff", handoff, take=True) is None:
        raise ConsentRefused(_("This consent has expired or was already used. Start again from the Imports page."))
    backfill = existing is None or existing.backfilled_at is None or existing.account_id != connection.account_id
    return connection, summary, backfill
