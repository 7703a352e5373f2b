"""The request type views are handed: Django's, with what the middleware adds.

django-htmx's middleware (settings.MIDDLEWARE) gives every request ``request.htmx``; a view that
reads it annotates ``request: HtmxHttpRequest`` so the type checker knows the attribute
(django-htmx's documented pattern).
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
