"""The agency's ad platform apps saved from the admin screen: encrypted, masked, environment first."""

from __future__ import annotations

from typing import Any

from agency.models import PlatformApp
from clients.connectors import vault

APP_FIELDS = ("client_id", "client_secret", "developer_token", "login_customer_id")
SECRET_FIELDS = frozenset({"client_secret", "developer_token"})


def app_stored(platform: str) -> dict[str, str] | None:
    """What an admin saved for ``platform`` (decrypted), or None."""
    row = PlatformApp.objects.filter(platform=platform).first()
    if row is None:
        return None
    try:
        return {name: str(value) for name, value in vault.decrypt(row.secrets).items() if name in APP_FIELDS}
    except vault.SecretsError:
        return None


def app_save(*, platform: str, values: dict[str, str], by: str = "") -> PlatformApp:
    """Store the app (an empty secret field keeps the saved one: the screen never shows it back)."""
    current = app_stored(platform) or {}
    data: dict[str, Any] = {}
    for name in APP_FIELDS:
        value = (values.get(name) or "").strip()
        data[name] = value if value or name not in SECRET_FIELDS else current.get(name, "")
    row, _created = PlatformApp.objects.update_or_create(
        platform=platform, defaults={"secrets": vault.encrypt(data), "updated_by_name": by[:150]})
    return row


def app_masked(platform: str) -> dict[str, str]:
    """The saved app as the screen shows it: ids in full, secrets masked."""
    stored = app_stored(platform) or {}
    return {name: vault.mask(value) if name in SECRET_FIELDS else value for name, value in stored.items()}
