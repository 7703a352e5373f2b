"""Per-request guards: the user's language, and membership at a client's host.

Users live in the public schema, so a session is valid on every host that sees its cookie.
Membership is therefore checked on every request at a client host: a signed-in user who is
not a member of that client gets 404, whatever the URL (django-tenants #52).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from agency.selectors import user_can_access_client


class PortalTenantMiddleware(TenantMainMiddleware):
    """django-tenants' routing, with the host normalized as the Domain table stores it.

    Lower case and no trailing dot (``ACME.example.`` is ``acme.example``); ``www.X`` is looked
    up as ``X``, as django-tenants does: a custom domain and its www. form are one pair that
    always belongs to one client (agency.services.domain_pair).
    """

    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        domain, _port = split_domain_port(request.get_host())
        return remove_www(domain)

# Paths anyone may reach at any host (assets, the language switch, logging out).
OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/", "/accounts/monthly-email/off/")


class UserLanguageMiddleware:
    """Activate the signed-in user's chosen language over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class HostMembershipMiddleware:
    """404 for a signed-in user at a host they have no business on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(OPEN_PREFIXES) and request.user.is_authenticated:
            tenant = getattr(request, "tenant", None)
            if tenant is None or connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
                if not request.user.is_agency and not request.path.startswith("/accounts/"):
                    raise Http404
            elif not user_can_access_client(user=request.user, client=tenant):
                raise Http404
        return self.get_response(request)
