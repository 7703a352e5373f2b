"""Staff screens for a client's scheduled sources (a CSV at a URL fetched daily) and their runs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agency.decorators import client_staff_required
from agency.forms import apply_errors
from agency.http import found
from agency.tasks import enqueue_for_client
from clients.mappings.saved import saved_mappings
from clients.sources.fetching import url_redact
from clients.sources.forms import ScheduledSourceForm
from clients.sources.schedule import (
    scheduled_source_delete,
    scheduled_source_get,
    scheduled_source_save,
    scheduled_sources_list,
    source_failure,
    source_runs_recent,
)
from clients.tasks import scheduled_source_fetch


@client_staff_required
@require_http_methods(["GET", "POST"])
def scheduled_sources(request: HttpRequest) -> HttpResponse:
    mappings = saved_mappings()
    form = ScheduledSourceForm(request.POST or None, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        kind, mapping_id = form.how_parts()
        try:
            source = scheduled_source_save(
                client=request.tenant, name=form.cleaned_data["name"], url=form.cleaned_data["url"], kind=kind,
                mapping_id=mapping_id, active=form.cleaned_data["active"], user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Scheduled source saved; it is fetched once a day."))
            return redirect("scheduled_source_detail", pk=source.pk)
    sources = [{"source": s, "url": url_redact(s.url), "failure": source_failure(source=s) if s.last_ok is False else None}
               for s in scheduled_sources_list()]
    return render(request, "clients/sources/scheduled.html", {"form": form, "sources": sources},
                  status=422 if form.errors else 200)


@client_staff_required
@require_http_methods(["GET", "POST"])
def scheduled_source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = found(scheduled_source_get(source_id=pk))
    mappings = saved_mappings()
    how = f"kind:{source.kind}" if source.kind else (f"mapping:{source.mapping_id}" if source.mapping_id else "")
    initial = {"name": source.name, "url": source.url, "how": how, "active": source.active}
    form = ScheduledSourceForm(request.POST or None, initial=initial, mappings=mappings)
    if request.method == "POST" and form.is_valid():
        kind, mapping_id = form.how_parts()
        try:
            scheduled_source_save(
                client=request.tenant, source=source, name=form.cleaned_data["name"], url=form.cleaned_data["url"],
                kind=kind, mapping_id=mapping_id, active=form.cleaned_data["active"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Scheduled source saved."))
            return redirect("scheduled_source_detail", pk=source.pk)
    failure = source_failure(source=source) if source.last_ok is False else None
    context = {"source": source, "url": url_redact(source.url), "runs": source_runs_recent(source=source), "form": form,
               "failure": failure}
    return render(request, "clients/sources/scheduled_detail.html", context, status=422 if form.errors else 200)


@client_staff_required
@require_POST
def scheduled_source_run(request: HttpRequest, pk: int) -> HttpResponse:
    source = found(scheduled_source_get(source_id=pk))
    client = request.tenant
    transaction.on_commit(lambda: enqueue_for_client(scheduled_source_fetch, client=client, source_id=source.pk))
    messages.success(request, _("The source is being fetched; its run appears below in a moment."))
    return redirect("scheduled_source_detail", pk=source.pk)


@client_staff_required
@require_POST
def scheduled_source_remove(request: HttpRequest, pk: int) -> HttpResponse:
    source = found(scheduled_source_get(source_id=pk))
    scheduled_source_delete(client=request.tenant, source_id=source.pk)
    messages.success(request, _("Scheduled source removed; the data it imported stays."))
    return redirect("scheduled_sources")
