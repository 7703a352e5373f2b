from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join

from agency.branding import brand_for_request
from agency.degrade import redis_degraded
from agency.selectors import console_url, switchable_clients


@functools.cache
def languages_in_their_own_words() -> tuple[tuple[str, str], ...]:
    """The language menu's options, each in its own language ("English", "Español", "Español (México)"),
    whatever the page's: someone who cannot read the page's language finds theirs by its own name
    (an English reader on a Spanish page read "Inglés", a Spanish one on an English page "Spanish")."""
    names = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            names.append((code, str(name)))
    return tuple(names)

def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the current client (if any) and where the user may go."""
    at_client = connection.schema_name != settings.PUBLIC_SCHEMA_NAME
    user = getattr(request, "user", None)
    switchable, more = [], False
    if user is not None and user.is_authenticated and user.is_agency:
        # Every page carries this menu: a bounded list, no model instances, one URL reversed. A
        # page that read it already, in its own single query or from its cache, leaves it on the
        # request (the scorecard, the portfolio).
        preloaded = getattr(request, "switchable_clients", None)
        switchable, more = preloaded if preloaded is not None else switchable_clients(user=user)
    prefix = reverse("client_switch", args=["-"])[:-2] if switchable else ""
    return {
        "brand": brand_for_request(request, getattr(request, "tenant", None) if at_client else None),
        "current_client": getattr(request, "tenant", None) if at_client else None,
        "switchable_clients": switchable,
        "switchable_more": more,
        "switch_prefix": prefix,
        # The menu's items written here in one pass (escaped), not by a template loop on every page.
        "switchable_items": format_html_join("", '<li><a href="{}{}/">{}</a></li>', ((prefix, s, n) for s, n in switchable)),
        "languages": languages_in_their_own_words(),
        "console_url": console_url(path="/") if at_client else "/",
        # Redis failed within the last minute: cached figures were skipped or could not be refreshed.
        "figures_may_be_stale": redis_degraded(),
    }
