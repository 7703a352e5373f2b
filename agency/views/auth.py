"""Signing in, at the console or at a client's host, and moving between hosts.

Each host keeps its own session cookie. Moving to another client's host goes through a
signed, single-use, one-minute hand-off link, so staff switch clients without typing their
password again, and a cookie from one client's host is never needed at another's.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterator
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from agency.emails import password_email_render, registry_email_send
from agency.http import found
from agency.models import Client, User
from agency.outbox import DROPPED_NOTE
from agency.selectors import (
    client_by_slug,
    client_of_user,
    client_primary_host,
    domain_for_host,
    host_is_routed,
    host_url,
    user_active_get,
    user_can_access_client,
    users_active_by_email,
)
from agency.services_users import password_link_host, user_language_set
from agency.tokens import password_token_generator, request_host

logger = logging.getLogger(__name__)
HANDOFF_SALT = "agency.handoff"
HANDOFF_MAX_AGE = 60


class PortalAuthenticationForm(AuthenticationForm):
    """At a client's host, only that client's members may sign in."""

    # A password is hashed as typed: one of a megabyte would cost the server seconds.
    password = forms.CharField(label=gettext_lazy("Password"), strip=False, max_length=4096,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's names the model field ("username"); either name of the account is taken
        # (agency.backends), and only the password is compared letter case and all.
        "invalid_login": gettext_lazy(
            "Enter a correct email or username and password. The password is case-sensitive."
        ),
        "no_access": gettext_lazy("This account has no access to this portal."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Client users are invited by email and sign in with it; agency people with either name.
        field = self.fields["username"]
        field.label = gettext_lazy("Email or username")
        field.max_length = max(self.username_field.max_length, User._meta.get_field("email").max_length)
        field.widget.attrs["maxlength"] = str(field.max_length)
        field.widget.attrs["autocomplete"] = "username"

    def clean(self) -> dict:
        # A name longer than any account's is nobody's: a field error before authentication,
        # which would record the attempt in django-axes' 255-character column (issue #24).
        if len(self.data.get("username") or "") > self.fields["username"].max_length:
            raise self.get_invalid_login_error()
        return super().clean()

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        tenant = getattr(self.request, "tenant", None)
        at_client = tenant is not None and connection.schema_name != settings.PUBLIC_SCHEMA_NAME
        if at_client and not user_can_access_client(user=user, client=tenant):
            raise forms.ValidationError(self.error_messages["no_access"], code="no_access")


SIGN_IN_LANGUAGE_KEY = "_portal_sign_in_language"
"""The language a visitor switched to before signing in (kept in the visitor's session)."""


class PortalLoginView(auth_views.LoginView):
    form_class = PortalAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: PortalAuthenticationForm) -> HttpResponse:
        """Another host is reached by a page that moves on by itself, not by a redirect: the
        Content-Security-Policy's ``form-action 'self'`` covers a form's redirects too."""
        chosen = self.request.session.pop(SIGN_IN_LANGUAGE_KEY, "")
        response = super().form_valid(form)
        if chosen in dict(settings.LANGUAGES):
            # Switched on the way in: the user's language from now on, at every host (each host has
            # its own cookie, so the console's would not follow them into a client's portal).
            user_language_set(user=self.request.user, language=chosen)
        target = response.get("Location", "")
        if response.status_code == 302 and not url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()}):
            return TemplateResponse(self.request, "registration/continue.html", {"next_url": target})
        return response

    def get_success_url(self) -> str:
        user = self.request.user
        at_console = connection.schema_name == settings.PUBLIC_SCHEMA_NAME
        if at_console and not user.is_agency:
            client = client_of_user(user=user)
            if client is not None:
                return handoff_url(request=self.request, client=client)
        return super().get_success_url()


class PortalPasswordResetForm(PasswordResetForm):
    """A reset link never comes from the request: its host is the one the user's account belongs
    to (agency.services_users.password_link_host: the console's base host for agency people, the
    client's primary verified domain for a client's user) with the configured scheme and port,
    and its token is valid at that host only.

    The request's Host header only picks which portal this is, through the routing table; at a
    client's host only that client's members are mailed.
    """

    def get_users(self, email: str) -> Iterator[User]:
        """Active users with this address, including those invited who never chose a password
        (Django leaves those out): for them the link is their invitation again."""
        wanted = email.casefold()
        return (user for user in users_active_by_email(email=email) if user.email.casefold() == wanted)

    def save(self, *args: object, request: HttpRequest | None = None, **kwargs: object) -> None:  # type: ignore[override]
        tenant = getattr(request, "tenant", None)
        at_client = tenant is not None and not tenant.is_public
        for user in self.get_users(self.cleaned_data["email"]):
            if at_client and not user_can_access_client(user=user, client=tenant):
                continue
            host = password_link_host(user=user)
            if host is None:
                continue
            token = password_token_generator(host=host).make_token(user)
            path = reverse(
                "password_reset_confirm", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}
            )
            # A client's user: through the client's outbox, in the client's language and brand;
            # agency people: at once, from the console (agency.emails).
            client = None if user.is_agency else client_of_user(user=user)
            message = password_email_render(user=user, client=client, kind="password_reset", link=host_url(host=host) + path)
            # A refusal is remembered (issue #24): the page must not say "sent" for a message the
            # mail server did not take (through the outbox it is also retried by itself).
            try:
                sent, refusal = registry_email_send(user=user, client=client, kind="password_reset", message=message)
            except Exception:
                logger.exception("password reset email to user %s not sent", user.pk)
                self.mail_failed = True  # not even queued: asking again is the way
                continue
            if not sent:
                # In the outbox: a refusal is tried again by itself; a dropped line may have delivered it.
                self.mail_uncertain |= refusal.startswith(DROPPED_NOTE)
                self.mail_retrying |= not refusal.startswith(DROPPED_NOTE)

    mail_failed = False
    mail_retrying = False
    mail_uncertain = False


class PortalPasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "registration/password_reset.html"

    def form_valid(self, form: PortalPasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        if form.mail_failed:
            form.add_error(None, _("The email could not be sent just now. Please try again in a few minutes."))
            return self.render_to_response(self.get_context_data(form=form))
        if form.mail_retrying or form.mail_uncertain:
            # Queued in an outbox: it is retried by itself, so asking again would only send a second link.
            notice = (
                _("The mail server did not take the email just now. It is tried again by itself over the next "
                  "hours: there is no need to ask again.")
                if form.mail_retrying
                else _("The mail server's line dropped while it was taking the email: it may arrive in a few "
                       "minutes. If it has not arrived within the hour, ask again.")
            )
            return render(self.request, "registration/password_reset_done.html", {"notice": notice})
        return response


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Accepts only tokens made for the host it is asked at (agency.tokens).

    A password chosen from an invitation or a reset link signs its person in at once and opens the
    home page: they had just proved they hold the address, and typing the address and the new
    password again on the sign-in page was one more step between an invited client and their report.
    The sign-in page's own rule holds: at a client's host, only someone who may use that client.
    """

    template_name = "registration/password_reset_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "agency.backends.EmailOrUsernameBackend"
    success_url = "/"

    def dispatch(self, *args: object, **kwargs: object) -> HttpResponse:
        self.token_generator = password_token_generator(host=request_host(self.request))
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form: forms.Form) -> HttpResponse:
        tenant = getattr(self.request, "tenant", None)
        at_client = tenant is not None and connection.schema_name != settings.PUBLIC_SCHEMA_NAME
        if not form.user.is_active or (at_client and not user_can_access_client(user=form.user, client=tenant)):
            self.post_reset_login, self.success_url = False, reverse("password_reset_complete")
        response = super().form_valid(form)
        if self.post_reset_login:
            messages.success(self.request, _("Your password is set, and you are signed in."))
        return response


HANDOFF_COOKIE = "portal_handoff"
HANDOFF_INTENTS = "handoff_intents"
HANDOFF_PATHS = "handoff_paths"  # intent → the page to open at the target host (the close board's links)
# A path of the portal, no host, no "//"; a plain query may follow (the close board's filters, which
# the month page's "Next client waiting" keeps): letters, digits and = & % + . _ - only.
NEXT_PATH = re.compile(r"^/[A-Za-z0-9/_\-]{0,200}(\?[A-Za-z0-9=&%+._\-]{0,300})?$")


def handoff_next(value: str) -> str:
    """The page to open after a hand-off, if ``value`` is a plain path of the portal; else ""."""
    return value if NEXT_PATH.match(value or "") and "//" not in value else ""


def _binding(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def handoff_url(*, request: HttpRequest, client: Client, via: str | None = None, next_path: str = "") -> str:
    """Where to send a browser to move into ``client``'s portal.

    The move starts at the target host (``handoff_start``), which gives this browser a nonce
    cookie there before the link is issued, so the link works in this browser only. ``via`` is
    the host the user is signed in at, which issues the link (default: the console); it issues
    only for an intent recorded here in the user's session, so no other site can make it issue.
    ``next_path`` (a plain path) is the page opened once signed in there, kept with the intent.
    """
    host = client_primary_host(client=client)
    intent = secrets.token_urlsafe(16)
    intents = dict(list(request.session.get(HANDOFF_INTENTS, {}).items())[-4:])
    intents[intent] = host
    request.session[HANDOFF_INTENTS] = intents
    paths = {key: value for key, value in request.session.get(HANDOFF_PATHS, {}).items() if key in intents}
    if handoff_next(next_path):
        paths[intent] = next_path
    request.session[HANDOFF_PATHS] = paths
    query = {"via": via or settings.PORTAL_BASE_HOST, "i": intent}
    return host_url(host=host) + "/accounts/handoff/start/?" + urlencode(query)


def handoff_token(*, user: User, host: str, binding: str, next_path: str = "") -> str:
    """A signed, one-minute, single-use token for ``user`` at ``host``, for the browser whose
    hand-off cookie hashes to ``binding``; ``next_path`` is the page it opens there."""
    payload = {"u": user.pk, "h": host, "n": secrets.token_urlsafe(16), "b": binding}
    if next_path:
        payload["p"] = next_path
    return signing.dumps(payload, salt=HANDOFF_SALT)


@require_GET
def client_switch(request: HttpRequest, slug: str) -> HttpResponse:
    """Go to another client's portal: start a hand-off for a client the user may see."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    client = found(client_by_slug(slug=slug))
    if not user_can_access_client(user=request.user, client=client):
        raise Http404
    via = request_host(request)
    next_path = handoff_next(request.GET.get("next", ""))
    return HttpResponseRedirect(
        handoff_url(request=request, client=client, via=via if host_is_routed(host=via) else None, next_path=next_path)
    )


@require_GET
def handoff_start(request: HttpRequest) -> HttpResponse:
    """At the target host: give this browser a nonce cookie, then ask the issuing host for a link
    bound to it. A link opened in another browser finds no cookie there and signs nobody in."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_public:
        raise Http404
    via, intent = request.GET.get("via", "") or settings.PORTAL_BASE_HOST, request.GET.get("i", "")[:64]
    if not host_is_routed(host=via):
        raise Http404
    host = client_primary_host(client=tenant)
    if request_host(request) != host:  # the cookie must live where the link will point
        query = urlencode({"via": via, "i": intent})
        return HttpResponseRedirect(host_url(host=host) + "/accounts/handoff/start/?" + query)
    nonce = secrets.token_urlsafe(24)
    query = urlencode({"to": host, "b": _binding(nonce), "i": intent})
    issue = host_url(host=via) + "/accounts/handoff/issue/?" + query
    response = HttpResponseRedirect(issue)
    response.set_cookie(
        HANDOFF_COOKIE,
        nonce,
        max_age=HANDOFF_MAX_AGE * 2,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path="/accounts/handoff/",
    )
    return response


@require_GET
def handoff_issue(request: HttpRequest) -> HttpResponse:
    """At the host the user is signed in at: issue the link for the browser that started it."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    host, binding, intent = request.GET.get("to", ""), request.GET.get("b", ""), request.GET.get("i", "")
    intents = request.session.get(HANDOFF_INTENTS, {})
    if intents.get(intent) != host:  # not a move this user asked for here
        raise Http404
    request.session[HANDOFF_INTENTS] = {key: value for key, value in intents.items() if key != intent}
    paths = request.session.get(HANDOFF_PATHS, {})
    next_path = handoff_next(paths.get(intent, ""))
    request.session[HANDOFF_PATHS] = {key: value for key, value in paths.items() if key != intent}
    domain = domain_for_host(host=host)
    if domain is None or domain.tenant.is_public or len(binding) != 64:
        raise Http404
    if not user_can_access_client(user=request.user, client=domain.tenant):
        raise Http404
    token = handoff_token(user=request.user, host=host, binding=binding, next_path=next_path)
    return HttpResponseRedirect(host_url(host=host) + "/accounts/handoff/?" + urlencode({"t": token}))


@require_GET
def handoff(request: HttpRequest) -> HttpResponse:
    """Sign in at this host from a hand-off link issued at another host, in the browser that
    started the hand-off (its nonce cookie matches the link)."""
    try:
        payload = signing.loads(request.GET.get("t", ""), salt=HANDOFF_SALT, max_age=HANDOFF_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("That link has expired. Please sign in."))
        return redirect(settings.LOGIN_URL)
    if not isinstance(payload, dict) or payload.get("h") != request_host(request):
        raise Http404
    nonce = request.COOKIES.get(HANDOFF_COOKIE, "")
    if not nonce or not secrets.compare_digest(_binding(nonce), str(payload.get("b", ""))):
        messages.error(request, _("That link was made for another browser. Please sign in."))
        return redirect(settings.LOGIN_URL)
    if not cache.add(f"handoff:{payload['n']}", 1, HANDOFF_MAX_AGE * 2):
        messages.error(request, _("That link was already used. Please sign in."))
        return redirect(settings.LOGIN_URL)
    user = user_active_get(user_id=payload.get("u"))
    tenant = getattr(request, "tenant", None)
    if user is None or tenant is None or not user_can_access_client(user=user, client=tenant):
        raise Http404
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    next_path = handoff_next(str(payload.get("p", "")))
    response = redirect(next_path or "home")
    response.delete_cookie(HANDOFF_COOKIE, path="/accounts/handoff/")
    return response


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the user, and in a cookie for visitors."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(_("Unknown language."), status=400)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    else:
        request.session[SIGN_IN_LANGUAGE_KEY] = language  # becomes the user's at sign-in (PortalLoginView)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
