"""The client's home page at its own host; its panels load through HTMX."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agency.decorators import client_member_required
from agency.selectors import client_users_for_client, staff_for_client
from clients.selectors import data_summary
from clients.sources_schedule import scheduled_sources_failing


@client_member_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "clients/home.html", {"failing_sources": scheduled_sources_failing()})


@client_member_required
def panel_data(request: HttpRequest) -> HttpResponse:
    summary = data_summary()
    has_data = any(row["count"] for row in summary)
    return render(request, "clients/home.html#panel-data", {"summary": summary, "has_data": has_data})


@client_member_required
def panel_team(request: HttpRequest) -> HttpResponse:
    client = request.tenant
    context = {"staff": staff_for_client(client=client), "client_users": client_users_for_client(client=client)}
    return render(request, "clients/home.html#panel-team", context)
