"""Shared by the client commands: find a client by its slug or stop with a clear message."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from agency.models import Client


def client_by_slug(slug: str) -> Client:
    client = Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(slug=slug).first()
    if client is None:
        raise CommandError(f"no client with slug '{slug}' (create it with create_client)")
    return client
