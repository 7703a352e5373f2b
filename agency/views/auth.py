"""Signing in, at the console or at a client's host, and moving between hosts.

Each host keeps its own session cookie. Moving to another client's host goes through a
signed, single-use, one-minute hand-off link, so staff switch clients without typing their
password again, and a cookie from one client's host is never needed at another's.
"""

from __future__ import annotations

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agency.models import Client, User
from agency.selectors import client_primary_host, host_url, user_can_access_client
from agency.services import user_language_set

HANDOFF_SALT = "agency.handoff"
HANDOFF_MAX_AGE = 60


class PortalAuthenticationForm(AuthenticationForm):
    """At a client's host, only that client's members may sign in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "no_access": gettext_lazy("This account has no access to this portal."),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        tenant = getattr(self.request, "tenant", None)
        at_client = tenant is not None and connection.schema_name != settings.PUBLIC_SCHEMA_NAME
        if at_client and not user_can_access_client(user=user, client=tenant):
            raise forms.ValidationError(self.error_messages["no_access"], code="no_access")


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        user = self.request.user
        at_console = connection.schema_name == settings.PUBLIC_SCHEMA_NAME
        if at_console and not user.is_agency:
            client = user.memberships.select_related("client").first()
            if client is not None:
                return handoff_url(user=user, client=client.client)
        return super().get_success_url()


def handoff_url(*, user: User, client: Client) -> str:
    host = client_primary_host(client=client)
    token = signing.dumps({"u": user.pk, "h": host, "n": secrets.token_urlsafe(16)}, salt=HANDOFF_SALT)
    return host_url(host=host) + f"/accounts/handoff/?t={token}"


def client_switch(request: HttpRequest, slug: str) -> HttpResponse:
    """Go to another client's portal: issue a hand-off link for a client the user may see."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    client = get_object_or_404(Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME), slug=slug)
    if not user_can_access_client(user=request.user, client=client):
        raise Http404
    return HttpResponseRedirect(handoff_url(user=request.user, client=client))


def handoff(request: HttpRequest) -> HttpResponse:
    """Sign in at this host from a hand-off link issued at another host."""
    try:
        payload = signing.loads(request.GET.get("t", ""), salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("That link has expired. Please sign in."))
        return redirect(settings.LOGIN_URL)
    if payload.get("h") != request.get_host().split(":")[0]:
        raise Http404
    if not cache.add(f"handoff:{payload['n']}", 1, HANDOFF_MAX_AGE * 2):
        messages.error(request, _("That link was already used. Please sign in."))
        return redirect(settings.LOGIN_URL)
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    tenant = getattr(request, "tenant", None)
    if user is None or tenant is None or not user_can_access_client(user=user, client=tenant):
        raise Http404
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("home")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the user, and in a cookie for visitors."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(_("Unknown language."), status=400)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
