"""Staff screens of a client's connections: connect (credentials tested first), sync now, disconnect,
and their health with the backfill's progress (polled). Client users never reach them."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.decorators import client_staff_required
from agency.tasks import enqueue_for_client
from clients.connectors.ads import AdConnector
from clients.connectors.advice import connect_advice
from clients.connectors.base import Connector
from clients.connectors.forms import ConnectForm
from clients.connectors.health import connections_context
from clients.connectors.lock import sync_lock_since
from clients.connectors.registry import PLATFORMS
from clients.connectors.schedule import connection_due_at
from clients.connectors.selectors import connection_get
from clients.connectors.sync import AccountShared, connection_connect, connection_disconnect
from clients.connectors.transport import ConnectorError
from clients.connectors.views_oauth import consent_page
from clients.models import SyncRun
from clients.tasks import connection_sync_run


def _connector(platform: str) -> Connector:
    if platform not in PLATFORMS:
        raise Http404
    return PLATFORMS[platform]


@client_staff_required
@require_GET
def connections_panel(request: HttpRequest) -> HttpResponse:
    """The connections card alone (polled while a sync runs)."""
    return render(request, "clients/imports/start.html#connections", connections_context(client=request.tenant))


@client_staff_required
@require_http_methods(["GET", "POST"])
def connection_connect_view(request: HttpRequest, platform: str) -> HttpResponse:
    connector = _connector(platform)
    if isinstance(connector, AdConnector):  # connected through the platform's consent, not a pasted token
        return consent_page(request, connector)
    existing = connection_get(platform=platform)
    initial = {"account_id": existing.account_id} if existing else {}
    form = ConnectForm(request.POST or None, connector=connector, initial=initial)
    if "share" in request.POST:  # the box offered after the warning below, ticked or not
        form.share_offer()
    if request.method == "POST" and form.is_valid():
        try:
            _connection, summary = connection_connect(
                client=request.tenant, platform=platform, account_id=form.cleaned_data["account_id"],
                credentials=form.credentials(), options=form.options(), user=request.user,
                shared_ok=bool(form.cleaned_data.get("share")))
        except AccountShared as shared:  # allowed by design, never silently: say who, offer the box
            form.add_error(None, shared.reason)
            form.share_offer()
        except ConnectorError as error:
            form.add_error(None, error.reason)
            advice = connect_advice(kind=error.kind, platform=connector.label, account=form.cleaned_data["account_id"],
                                    account_label=str(connector.account_label))
            if advice:
                form.add_error(None, advice)
            if error.said:  # the platform's own text, apart: the portal's words say what happened
                form.add_error(None, _("The platform said: “%(said)s”") % {"said": error.said})
        else:
            client = request.tenant
            backfill = existing is None or existing.backfilled_at is None
            trigger = SyncRun.Trigger.BACKFILL if backfill else SyncRun.Trigger.MANUAL
            transaction.on_commit(lambda: enqueue_for_client(connection_sync_run, client=client, platform=platform,
                                                             trigger=trigger))
            messages.success(request, summary + (" · " + _("the 13-month backfill has started.") if backfill else ""))
            return redirect("imports")
    return render(request, "clients/imports/connect.html", {"form": form, "connector": connector, "existing": existing},
                  status=422 if form.errors else 200)


@client_staff_required
@require_POST
def connection_sync_view(request: HttpRequest, platform: str) -> HttpResponse:
    connector = _connector(platform)
    connection = connection_get(platform=platform)
    if connection is None:
        raise Http404
    client = request.tenant
    if connection_due_at(connection=connection) is None:  # paused: a sync would only be refused again
        messages.error(request, _("%(platform)s must be connected again before it can sync: choose Connect again.")
                       % {"platform": connector.label})
        return redirect("imports")
    since = sync_lock_since(schema=client.schema_name, platform=platform)
    if since is not None:  # the worker would skip it: say so rather than promise a sync
        messages.warning(request, _("A sync of %(platform)s has been running since %(since)s, so nothing more was "
                                    "queued: its progress shows below, and Sync now is available again when it "
                                    "ends.") % {"platform": connector.label,
                                                "since": date_format(timezone.localtime(since), "SHORT_DATETIME_FORMAT")})
        return redirect("imports")
    transaction.on_commit(lambda: enqueue_for_client(connection_sync_run, client=client, platform=platform,
                                                     trigger=SyncRun.Trigger.MANUAL))
    messages.success(request, _("The sync has been queued; this page shows its progress."))
    return redirect("imports")


@client_staff_required
@require_POST
def connection_disconnect_view(request: HttpRequest, platform: str) -> HttpResponse:
    connector = _connector(platform)
    if not connection_disconnect(client=request.tenant, platform=platform):
        raise Http404
    messages.success(request, _("%(platform)s disconnected: its credentials are deleted; the data already imported "
                                "stays.") % {"platform": connector.label})
    return redirect("imports")
