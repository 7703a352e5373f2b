"""The client's home page at its own host; its panels load through HTMX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agency.decorators import client_member_required
from agency.selectors import client_users_for_client, console_url, staff_for_client
from clients.imports.forms import KIND_LABELS
from clients.selectors import data_summary
from clients.sources.schedule import scheduled_sources_failing
from clients.words import shown_number


@client_member_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clients/home.html", {"failing_sources": scheduled_sources_failing()})


@client_member_required
@require_GET
def panel_data(request: HttpRequest) -> HttpResponse:
    summary = data_summary()
    has_data = any(row["count"] for row in summary)
    for row in summary:  # in words and the reader's number format: a client reads this panel too
        row["label"] = KIND_LABELS.get(row["kind"]) or _("Personas")
        row["shown"] = shown_number(row["count"], 0)
    return render(request, "clients/home.html#panel-data", {"summary": summary, "has_data": has_data})


@client_member_required
@require_GET
def panel_team(request: HttpRequest) -> HttpResponse:
    client = request.tenant
    # The console's invitation form brings staff back to this home once sent, as from a month's
    # page (reports.selectors client_users_url; agency.views.console reads ``back``).
    context = {"staff": staff_for_client(client=client), "client_users": client_users_for_client(client=client),
               "invite_url": console_url(path=f"/clients/{client.slug}/?back=/#client-users")}
    return render(request, "clients/home.html#panel-team", context)
