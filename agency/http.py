"""What views share about HTTP: the request type they are handed, and "not found".

django-htmx's middleware (settings.MIDDLEWARE) gives every request ``request.htmx``; a view that
reads it annotates ``request: HtmxHttpRequest`` so the type checker knows the attribute
(django-htmx's documented pattern).
"""

from __future__ import annotations

from typing import TypeVar

from django.http import Http404, HttpRequest
from django_htmx.middleware import HtmxDetails

T = TypeVar("T")


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def found(thing: T | None) -> T:
    """What a selector found, else a 404: views read through selectors (``entity_get`` returns
    None when there is no such row, or none this viewer may see) and say "not found" here, as
    ``get_object_or_404`` did when views queried themselves."""
    if thing is None:
        raise Http404
    return thing
