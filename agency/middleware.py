"""Per-request guards: the user's language, a session's host, and membership at a client's host.

Users live in the public schema, so a session would be valid on every host that sees its
cookie. A session is therefore bound to the host it was signed in at (``SessionHostMiddleware``),
and membership is checked on every request at a client host: a signed-in user who is not a
member of that client gets 404, whatever the URL (django-tenants #52).
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.request import split_domain_port
from django.middleware.common import CommonMiddleware
from django.utils import timezone, translation
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import remove_www

from agency.selectors import client_variant, user_can_access_client


class PortalTenantMiddleware(TenantMainMiddleware):
    """django-tenants' routing, with the host normalized as the Domain table stores it.

    Lower case and no trailing dot (``ACME.example.`` is ``acme.example``); ``www.X`` is looked
    up as ``X``, as django-tenants does: a custom domain and its www. form are one pair that
    always belongs to one client (agency.services_domains.domain_pair).
    """

    @staticmethod
    def hostname_from_request(request: HttpRequest) -> str:
        domain, _port = split_domain_port(request.get_host())
        return remove_www(domain)

# Paths anyone may reach at any host (assets, the language switch, logging out, and a shared
# report: its link is the key, whatever session the browser carries; reports.views.shared_page).
OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/", "/accounts/monthly-email/off/", "/shared/")


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


class UnstorableInputMiddleware:
    """A NUL (or a lone surrogate) can reach no view: PostgreSQL stores neither in a text.

    In the path it names nothing (404); in a query parameter or a posted form field it is a
    bad request (400). Forms also refuse NUL on their own; this covers every raw ``GET``/``POST``
    read as well, so no lookup or write can fail on it after the fact.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _unstorable(request.path):
            raise Http404
        if request.method == "POST" and request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            fields = request.POST
        else:
            fields = None
        for data in (request.GET, fields):
            if data is not None and any(_unstorable(k) or any(_unstorable(v) for v in data.getlist(k)) for k in data):
                return HttpResponseBadRequest(_("The request holds a character that cannot be stored (NUL)."))
        return self.get_response(request)


class PortalCommonMiddleware(CommonMiddleware):
    """Django's, without its development-only error: with DEBUG on, a POST to a URL without its
    final slash raised RuntimeError (a 500 in ``scripts/run``, issue #24); it is redirected as in
    production instead."""

    def get_full_path_with_slash(self, request: HttpRequest) -> str:
        return escape_leading_slashes(request.get_full_path(force_append_slash=True))


class UserLanguageMiddleware:
    """Activate the signed-in user's chosen language over the browser's (a client's user who never
    chose: the client's language), and at a client's host the client's time zone: every time
    shown there is the client's, and its format names the zone (agency.formats)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = ""
        if user is not None and user.is_authenticated:
            language = user.language
            tenant = getattr(request, "tenant", None)
            if not language and not user.is_agency and tenant is not None and not tenant.is_public:
                # A client user who never chose: the client's language when it has one set, else
                # the browser's (an email, which has no browser, falls back to the agency's default).
                language = tenant.language
        elif settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # A visitor at a client's host (the sign-in page, the invitation's "choose a password"
            # page) who never used the language switch: the client's language when it has one set,
            # as the invitation email that brought them here was written, else the browser's.
            tenant = getattr(request, "tenant", None)
            if tenant is not None and not tenant.is_public and tenant.language:
                language = tenant.language
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        tenant = getattr(request, "tenant", None)
        # The menu names the language chosen; the page is written in the client's variant of it (a
        # Mexican client's pages in "es" are "es-mx": its money, numbers and dates as its commentary's).
        request.language_chosen = translation.get_language()
        if tenant is not None and not tenant.is_public:
            variant = client_variant(request.language_chosen, tenant)
            if variant != request.language_chosen:
                translation.activate(variant)
                request.LANGUAGE_CODE = variant
        zone = None
        if tenant is not None and not tenant.is_public:
            try:
                zone = ZoneInfo(tenant.timezone)
            except (ValueError, KeyError):
                zone = None
        with timezone.override(zone):  # restored after the response: nothing leaks to the thread's next work
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


SESSION_HOST_KEY = "_portal_host"


def _host(request: HttpRequest) -> str:
    domain, _port = split_domain_port(request.get_host())
    return domain


@receiver(user_logged_in, dispatch_uid="agency.session_host_bind")
def session_host_bind(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Every sign-in through a request (the form, a hand-off link) binds the session to its host."""
    if request is not None and hasattr(request, "session") and ("HTTP_HOST" in request.META or "SERVER_NAME" in request.META):
        request.session[SESSION_HOST_KEY] = _host(request)


class SessionHostMiddleware:
    """A session used at another host than the one it was signed in at is refused and ended.

    Each host has its own cookie, so a session id met at another host was carried there by
    someone (issue #24: a staff member's id from ``acme.<base>`` opened ``globex.<base>``, the
    console and a custom domain). The session is flushed, which signs it out at its own host
    too: a stolen id is worth nothing once tried. Hand-off links sign in afresh at their target,
    so moving between hosts is unaffected. With ``PORTAL_SESSION_COOKIE_DOMAIN`` set the cookie is
    shared across subdomains on purpose and the binding is not checked. Sessions without a host
    (made before this control: the migration ``0008_sessions_end_unbound`` ends them; a test's
    ``force_login``) are not bound.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.SESSION_COOKIE_DOMAIN:
            bound = request.session.get(SESSION_HOST_KEY)
            if bound is not None and bound != _host(request):
                logout(request)  # flushes the session (deleted from the database) and the user
        return self.get_response(request)


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
