"""Writes of the ingestion API's tokens: created with a secret shown once, revoked at once."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.api.selectors import api_token_hash
from clients.models import ApiToken

TOKEN_PREFIX = "cpt_"  # noqa: S105 - a marker that makes leaked tokens recognisable, not a secret


def api_token_create(*, client: Client, name: str, user: Any = None) -> tuple[ApiToken, str]:
    """A new API token for ``client``: returns it and its secret, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, such as the form or CRM that will use it.")]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with tenant_context(client):
        token = ApiToken.objects.create(
            name=name[:100],
            prefix=secret[:12],
            token_hash=api_token_hash(secret),
            created_by=user if getattr(user, "pk", None) else None,
        )
    return token, secret


def api_token_used(*, token: ApiToken) -> None:
    """Note when a token was last used (the token screen shows it): one UPDATE, no read."""
    ApiToken.objects.filter(id=token.id).update(last_used_at=timezone.now())


def api_token_revoke(*, client: Client, token_id: int) -> None:
    """Revoke a token of ``client`` at once; its requests get 401 from now on."""
    with tenant_context(client):
        ApiToken.objects.filter(id=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
