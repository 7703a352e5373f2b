"""Reads of the ingestion API's tokens."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from clients.models import ApiToken


def api_token_hash(secret: str) -> str:
    """The stored form of an API token's secret (only its SHA-256 is kept)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The live token with this secret, looked up in the current client's schema only.

    A token of client A presented at B's host is therefore unknown (401) at B.
    """
    if not secret:
        return None
    return ApiToken.objects.filter(token_hash=api_token_hash(secret), revoked_at__isnull=True).first()


def api_tokens_list() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("created_by")
