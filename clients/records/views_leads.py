"""Leads at the client's host: a searchable list, and each lead with why it qualified."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from agency.decorators import client_member_required
from agency.http import HtmxHttpRequest, found
from clients.records.selectors import lead_get, lead_qualification_explain, leads_search


@client_member_required
@vary_on_headers("HX-Request")
@require_GET
def lead_list(request: HtmxHttpRequest) -> HttpResponse:
    query, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    page = Paginator(leads_search(query=query, status=status), 50).get_page(request.GET.get("page"))
    template = "clients/leads/list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#lead-table"
    return render(request, template, {"page": page, "q": query, "status": status})


@client_member_required
@require_GET
def lead_detail(request: HttpRequest, lead_id: str) -> HttpResponse:
    lead = found(lead_get(lead_id=lead_id))
    explained = lead_qualification_explain(lead=lead, timezone=request.tenant.timezone)
    return render(request, "clients/leads/detail.html", {"lead": lead, "why": explained})
