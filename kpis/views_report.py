"""A client's report settings at the console: the summary's KPIs, its own logo and colour."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agency.decorators import agency_required
from agency.views.console import _client_for
from kpis.forms_report import ReportSettingsForm


@agency_required
@require_http_methods(["GET", "POST"])
def client_report_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A client's summary KPIs and its own accent and logo (staff of the client, admins)."""
    client = _client_for(request, slug)
    form = ReportSettingsForm(request.POST or None, request.FILES or None, instance=client)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Report settings saved."))
        return redirect("client_detail", slug=client.slug)
    return render(request, "agency/report_settings.html", {"form": form, "client": client}, status=422 if form.errors else 200)
