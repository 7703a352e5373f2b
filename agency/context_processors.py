from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from agency.selectors import clients_for_user, console_url


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the current client (if any) and where the user may go."""
    at_client = connection.schema_name != settings.PUBLIC_SCHEMA_NAME
    user = getattr(request, "user", None)
    switchable = []
    if user is not None and user.is_authenticated and user.is_agency:
        switchable = list(clients_for_user(user=user).only("slug", "name")[:200])
    return {
        "current_client": getattr(request, "tenant", None) if at_client else None,
        "switchable_clients": switchable,
        "languages": settings.LANGUAGES,
        "console_url": console_url(path="/") if at_client else "/",
    }
