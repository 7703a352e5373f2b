"""The ad platforms' consent (OAuth): start on the client's Imports page, the console's callback, the
choice of ad account back on the client's host; and the agency's platform apps (admins, console)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agency.csp import POLICY
from agency.decorators import admin_required, client_staff_required
from agency.tasks import enqueue_for_client
from clients.connectors import consent
from clients.connectors.ads import AdConnector
from clients.connectors.apps import app_masked, app_save
from clients.connectors.forms import PlatformAppForm
from clients.connectors.oauth import app_credentials
from clients.connectors.registry import PLATFORMS
from clients.connectors.selectors import connection_get
from clients.models import SyncRun
from clients.tasks import connection_sync_run


def consent_page(request: HttpRequest, connector: AdConnector) -> HttpResponse:
    """GET: what the consent does; POST: off to the platform's consent screen (called by connection_connect_view)."""
    existing = connection_get(platform=connector.slug)
    if request.method == "POST":
        try:
            return redirect(consent.consent_start(client=request.tenant, user=request.user, platform=connector.slug))
        except consent.ConsentRefused as refused:
            messages.error(request, refused.reason)
    app = app_credentials(connector.slug)
    response = render(request, "clients/imports/consent.html", {
        "connector": connector, "existing": existing, "app_ready": app.configured})
    # The form's answer redirects to the platform's consent screen: CSP's form-action must allow that origin
    # (and only that one) on this page.
    parts = urlsplit(connector.endpoints.authorize_url(connector.slug))
    response.headers["Content-Security-Policy"] = POLICY.replace(
        "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")
    return response


@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    """The platforms' redirect (console host): a wrong, expired or replayed state is refused with a 400 page."""
    try:
        finished = consent.consent_finish(state=request.GET.get("state", ""), code=request.GET.get("code", ""),
                                          error=request.GET.get("error", ""), session_user=request.user)
    except consent.ConsentRefused as refused:
        return render(request, "clients/imports/consent_refused.html", {"reason": refused.reason}, status=400)
    return redirect(finished.next_url)


@client_staff_required
@require_http_methods(["GET", "POST"])
def connection_account_view(request: HttpRequest, platform: str) -> HttpResponse:
    """The consent's ad accounts: choose the one that is this client's."""
    handoff = request.POST.get("handoff") or request.GET.get("handoff", "")
    client = request.tenant
    try:
        connector = consent.ad_connector(platform)
        if request.method == "POST":
            _connection, summary, backfill = consent.handoff_connect(
                client=client, user=request.user, platform=platform, handoff=handoff,
                account_id=request.POST.get("account", ""))
            trigger = SyncRun.Trigger.BACKFILL if backfill else SyncRun.Trigger.MANUAL
            transaction.on_commit(lambda: enqueue_for_client(connection_sync_run, client=client, platform=platform,
                                                             trigger=trigger))
            messages.success(request, summary + (" · " + _("the 13-month backfill has started.") if backfill else ""))
            return redirect("imports")
        accounts = consent.handoff_accounts(client=client, user=request.user, platform=platform, handoff=handoff)
    except consent.ConsentRefused as refused:
        return render(request, "clients/imports/consent_refused.html", {"reason": refused.reason}, status=400)
    choices = consent.handoff_choices(client=client, platform=platform, accounts=accounts)
    free = [account for account, holder in choices if not account.is_manager and not holder]
    return render(request, "clients/imports/consent_accounts.html", {
        "connector": connector, "accounts": accounts, "choices": choices, "handoff": handoff,
        "existing": connection_get(platform=platform), "free": free,
        "only": free[0].id if len(free) == 1 else ""})


@admin_required
@require_http_methods(["GET", "POST"])
def platform_apps(request: HttpRequest) -> HttpResponse:
    """The agency's apps on the ad platforms (client ID and secret, Google Ads developer token)."""
    platform = request.POST.get("platform", "")
    forms = []
    for slug, connector in PLATFORMS.items():
        if not isinstance(connector, AdConnector):
            continue
        bound = request.method == "POST" and platform == slug
        form = PlatformAppForm(request.POST if bound else None, platform=slug, prefix=slug,
                               initial=app_masked(slug))
        if bound and form.is_valid():
            app_save(platform=slug, values=form.cleaned_data, by=request.user.get_username())
            messages.success(request, _("The %(platform)s app is saved.") % {"platform": connector.label})
            return redirect("platform_apps")
        forms.append({"connector": connector, "form": form, "app": app_credentials(slug),
                      "redirect_uri": consent.redirect_uri()})
    failed = any(entry["form"].errors for entry in forms)
    return render(request, "agency/platform_apps.html", {"forms": forms}, status=422 if failed else 200)
