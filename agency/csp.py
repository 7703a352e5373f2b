"""The Content-Security-Policy header, on every response.

Scripts only from this origin: no inline ``<script>``, no ``on…=`` handler attributes, no
``eval`` (htmx is told so in the ``htmx-config`` meta tag of base.html: ``allowEval`` false,
no indicator ``<style>`` injected). Styles allow inline ``style=""`` attributes (a few layout
widths in templates), which cannot run code. A test crawls every page and fails on an inline
script or handler (tests/agency/test_csp.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
