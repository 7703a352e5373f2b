"""A client's report settings at the console: the summary's KPIs, its own logo and colour, its time zone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agency.decorators import agency_required
from agency.forms import ClientTimezoneForm
from agency.services import client_timezone_set
from agency.views.console import _client_for
from kpis.forms_report import ReportSettingsForm


@agency_required
@require_http_methods(["GET", "POST"])
def client_report_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """A client's summary KPIs and its own accent and logo (staff of the client, admins)."""
    client = _client_for(request, slug)
    zone_posted = request.method == "POST" and "zone-timezone" in request.POST
    zone_form = ClientTimezoneForm(request.POST if zone_posted else None, initial={"timezone": client.timezone},
                                   prefix="zone")
    form = ReportSettingsForm(request.POST if request.method == "POST" and not zone_posted else None,
                              request.FILES or None, instance=client)
    if zone_posted and zone_form.is_valid():
        before = client.timezone
        try:
            client_timezone_set(client=client, zone=zone_form.cleaned_data["timezone"])
        except ValidationError as error:
            zone_form.add_error("timezone", error.message_dict["timezone"])
        else:
            if client.timezone != before:
                messages.success(request, _("Time zone changed from %(before)s to %(after)s: every month is being "
                                            "computed again in it.") % {"before": before, "after": client.timezone})
            return redirect("client_report_settings", slug=client.slug)
    elif not zone_posted and form.is_valid():
        form.save()
        messages.success(request, _("Report settings saved."))
        return redirect("client_detail", slug=client.slug)
    return render(request, "agency/report_settings.html", {"form": form, "zone_form": zone_form, "client": client},
                  status=422 if form.errors or zone_form.errors else 200)
