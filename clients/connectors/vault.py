"""Credentials at rest: encrypted with ``PORTAL_SECRETS_KEY`` (cryptography's MultiFernet).

Several keys may be given (comma-separated): the first encrypts, every one decrypts, so a key is
rotated by putting a new one first, running ``manage.py reencrypt_secrets`` and then dropping
the old one. A secret is never shown back in full (:func:`mask`), and :class:`Credentials`
prints as a mask, so a log line, an error message or a template that names one by mistake
still shows no secret.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretsError(Exception):
    """The stored credentials cannot be read with the configured keys."""


def _fernet() -> MultiFernet:
    keys = settings.PORTAL_SECRETS_KEYS
    if not keys:
        raise SecretsError("PORTAL_SECRETS_KEY is not set")
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def encrypt(data: dict[str, Any]) -> str:
    """The JSON of ``data``, encrypted with the first key (a URL-safe text)."""
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise SecretsError("the credentials were encrypted with a key that is no longer configured") from error


def seal(credentials: Credentials, *, owner: str) -> str:
    """``credentials`` encrypted for one client (``owner``: its schema): another client's row
    holding the same ciphertext cannot use it (:func:`unseal` refuses)."""
    return encrypt({**credentials.to_dict(), "_owner": owner})


def unseal(token: str, *, owner: str) -> Credentials:
    data = decrypt(token)
    if data.pop("_owner", None) != owner:
        raise SecretsError("these credentials belong to another client")
    return Credentials.from_dict(data)


def rotate(token: str) -> str:
    """The same secret encrypted again with the first key (MultiFernet.rotate)."""
    return _fernet().rotate(token.encode()).decode() if token else token


def mask(secret: str) -> str:
    """``pat-na1-…f3a9``: enough to tell two tokens apart, never enough to use one."""
    secret = secret or ""
    if len(secret) < 12:
        return "•" * 8 if secret else ""
    return f"{secret[:4]}…{secret[-4:]}"


@dataclass
class Credentials:
    """What a connection holds to call its platform: one model for tokens, API keys and OAuth.

    ``access_token`` (a HubSpot private-app token, an OAuth access token) with ``expires_at``
    (None: does not expire) and ``refresh_token`` (OAuth: a connector's ``refresh`` turns it
    into a new access token before expiry); ``api_key`` (Mailchimp); ``service_account`` (a
    Google service account's JSON key, GA4); ``extra``: anything else a platform needs
    (a developer token, a login customer id). Never printed in full (``repr`` masks).
    """

    access_token: str = ""
    refresh_token: str = ""
    expires_at: dt.datetime | None = None
    api_key: str = ""
    service_account: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Credentials:
        known = {f.name for f in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        expires = values.get("expires_at")
        if isinstance(expires, str) and expires:
            values["expires_at"] = dt.datetime.fromisoformat(expires)
        elif not expires:
            values["expires_at"] = None
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["expires_at"] = self.expires_at.isoformat() if self.expires_at else None
        return {name: value for name, value in data.items() if value}

    def secrets(self) -> list[str]:
        """Every secret string held (to redact them from any text leaving a sync)."""
        found = [self.access_token, self.refresh_token, self.api_key, *self.extra.values()]
        if self.service_account.get("private_key"):
            found.append(self.service_account["private_key"])
        return [secret for secret in found if secret and len(secret) >= 6]

    def masked(self) -> str:
        """What a screen shows of them."""
        if self.api_key:
            return mask(self.api_key)
        if self.service_account:
            return str(self.service_account.get("client_email", "")) or "•" * 8
        return mask(self.access_token or self.refresh_token)

    def __repr__(self) -> str:
        return f"Credentials({self.masked()})"

    __str__ = __repr__


def redact(text: str, credentials: Credentials | None) -> str:
    """``text`` with every secret of ``credentials`` replaced by its mask."""
    if credentials is None:
        return text
    for secret in credentials.secrets():
        text = text.replace(secret, mask(secret))
    return text
