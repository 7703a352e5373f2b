"""The agency console, on the portal's base host: clients, staff, assignments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from agency import services, services_domains, services_users
from agency.decorators import admin_required, agency_required
from agency.forms import AssignStaffForm, ClientForm, DomainForm, InviteForm, StaffForm, apply_errors, margin_help
from agency.http import HtmxHttpRequest, found
from agency.models import Client, User
from agency.selectors import (
    agency_people_list,
    brand_is_default,
    client_domains_list,
    client_for_user,
    client_primary_host,
    client_users_for_client,
    clients_by_name,
    clients_console_list,
    domain_claim_pending_get,
    domain_claims_pending,
    public_outbox_attention,
    staff_for_client,
    user_can_access_client,
    user_get,
)
from agency.views.auth import handoff_next, handoff_url


def _client_for(request: HttpRequest, slug: str) -> Client:
    client = found(client_for_user(user=request.user, slug=slug))
    if not user_can_access_client(user=request.user, client=client):
        raise Http404
    return client


@agency_required
@vary_on_headers("HX-Request")
@require_GET
def console_home(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    clients = clients_console_list(user=request.user, query=query)
    template = "agency/console_home.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#client-table"
    return render(request, template, {"clients": clients, "q": query})


@agency_required
@require_http_methods(["GET", "POST"])
def client_add(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None, clients=clients_by_name(user=request.user), user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        start_from = fields.pop("start_from", "")
        manager = fields.pop("manager", None)
        try:
            client = services.client_create(**fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if request.user.role == User.Role.STAFF:  # they see the clients they are assigned to
                services_users.staff_assign(user=request.user, client=client)
            if manager is not None:
                services_users.staff_assign(user=manager, client=client)
            if start_from:  # a new client from a template: choose what to copy into it
                # The template page has no Open portal: "Next: Open portal" sent a newcomer looking for it.
                messages.success(request, _("Client “%(name)s” is ready. Next: choose what to copy into it below and "
                                            "copy it; its page then has Open portal, whose home page lists the steps "
                                            "left.") % {"name": client.name})
                return redirect(f"/clients/{start_from}/template/?to={client.slug}")
            # What comes next, said where a newcomer stops: the client's own portal, whose home page
            # lists its set-up steps (data, criteria, holidays…), is one click away.
            messages.success(request, _("Client “%(name)s” is ready. Next: Open portal, where its home page lists "
                                        "the steps to set it up (its data first).") % {"name": client.name})
            return redirect("client_detail", slug=client.slug)
    status = 422 if form.errors else 200
    return render(request, "agency/client_form.html", {"form": form}, status=status)


@agency_required
@require_GET
def client_detail(request: HttpRequest, slug: str) -> HttpResponse:
    client = _client_for(request, slug)
    context = {
        "client": client,
        # The language its emails, PDF and invitations are written in, said as a word (the setting may be empty).
        "language_label": dict(settings.LANGUAGES).get(client.report_language, client.report_language),
        # "America/" and "Mexico_City" on two lines in a narrow column, never "Mexico_Ci" and "ty".
        "timezone_parts": client.timezone.split("/", 1),
        "margin_help": margin_help(),  # as the Add client form says it, in the page's number format
        "host": client_primary_host(client=client),
        "domains": client_domains_list(client=client),
        "staff": staff_for_client(client=client),
        "client_users": client_users_for_client(client=client),
        "assign_form": AssignStaffForm(client=client),
        "invite_form": InviteForm(),
        # The portal page that sent staff here to invite someone (a month's close): the form goes back to it.
        "back": handoff_next(request.GET.get("back", "")),
        "domain_form": DomainForm(),
        "claims": domain_claims_pending(client=client),
        "brand_default": brand_is_default(),
        "brand_url": reverse("brand_edit"),
    }
    return render(request, "agency/client_detail.html", context)


@agency_required
def client_domain_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Claim a custom domain: it shows the TXT record to publish, and is not routed until verified."""
    client = _client_for(request, slug)  # before the method check: no hint that a client exists
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DomainForm(request.POST)
    if form.is_valid():
        try:
            claim = services_domains.domain_claim_create(client=client, domain=form.cleaned_data["domain"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Publish the TXT record shown for %(domain)s, then check it.") % {"domain": claim.domain})
    else:
        messages.error(request, _("Enter a host name."))
    return redirect("client_detail", slug=slug)


@agency_required
def client_domain_verify(request: HttpRequest, slug: str, claim_id: int) -> HttpResponse:
    """Look the claim's TXT record up now ("check now"); may be retried any number of times."""
    client = _client_for(request, slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = found(domain_claim_pending_get(client=client, claim_id=claim_id))
    if services_domains.domain_claim_verify(claim=claim):
        messages.success(request, _("%(domain)s is verified and now opens this client's portal.") % {"domain": claim.domain})
    else:
        messages.error(request, claim.last_error)
    return redirect("client_detail", slug=slug)


@admin_required
@require_POST
def client_review_delay(request: HttpRequest, slug: str) -> HttpResponse:
    """The client's settling delay of the monthly close (days after a month ends before review)."""
    client = _client_for(request, slug)
    try:
        services.client_review_delay_set(client=client, days=request.POST.get("review_delay_days", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("client_detail", slug=slug)


@admin_required
@require_POST
def client_economics(request: HttpRequest, slug: str) -> HttpResponse:
    """The client's gross margin and LTV horizon, changed after it was added (its months computed again)."""
    client = _client_for(request, slug)
    try:
        services.client_economics_set(client=client, gross_margin=request.POST.get("gross_margin", ""),
                                      horizon_months=request.POST.get("horizon_months", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Saved: every month of the client is being computed again with them."))
    return redirect("client_detail", slug=slug)


@admin_required
@require_POST
def client_assign(request: HttpRequest, slug: str) -> HttpResponse:
    client = _client_for(request, slug)
    form = AssignStaffForm(request.POST, client=client)
    if form.is_valid():
        services_users.staff_assign(user=form.cleaned_data["user"], client=client)
        messages.success(request, _("Staff member assigned."))
    else:
        messages.error(request, _("Choose a staff member."))
    return redirect("client_detail", slug=slug)


@admin_required
@require_POST
def client_unassign(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    client = _client_for(request, slug)
    services_users.staff_unassign(user=found(user_get(user_id=user_id)), client=client)
    messages.success(request, _("Staff member unassigned."))
    return redirect("client_detail", slug=slug)


@agency_required
def client_invite(request: HttpRequest, slug: str) -> HttpResponse:
    client = _client_for(request, slug)  # before the method check: no hint that a client exists
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            user = services_users.client_user_invite(client=client, email=form.cleaned_data["email"], invited_by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if user.invitation_refused:
                # The person and the email are kept: the outbox tries again by itself.
                messages.error(
                    request,
                    _(
                        "%(email)s was added, but the invitation could not be emailed (the mail server said: %(error)s). "
                        "It is tried again by itself; send the invitation again to try at once."
                    )
                    % {**form.cleaned_data, "error": user.invitation_refused},
                )
            else:
                back = handoff_next(request.POST.get("back", ""))
                if back:
                    # Back to the page of the client's portal it came from (a month's close, whose Approve
                    # now names the person invited), by a page that moves on by itself: the CSP's
                    # form-action 'self' blocks a form's redirect to another host (as after signing in).
                    return TemplateResponse(request, "registration/continue.html", {
                        "next_url": handoff_url(request=request, client=client, next_path=back),
                        "heading": _("Invitation sent to %(email)s.") % form.cleaned_data,
                        "moving_on": _("Taking you back to the client's portal…")})
                messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
    else:
        messages.error(request, _("Enter a valid email address."))
    return redirect("client_detail", slug=slug)


@admin_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services_users.user_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            refusal = services_users.user_password_setup_send(user=user)
            if refusal:  # the person and the email are kept: the agency's outbox tries again by itself
                messages.error(
                    request,
                    _(
                        "%(name)s was added, but the email with the link to set a password could not be sent "
                        "(the mail server said: %(error)s). It is tried again by itself."
                    )
                    % {"name": user.username, "error": refusal},
                )
            else:
                messages.success(request, _("%(name)s was added and emailed a link to set a password.") % {"name": user.username})
            return redirect("staff_list")
    people = agency_people_list()
    status = 422 if form.errors else 200
    return render(request, "agency/staff_list.html", {"form": form, "people": people}, status=status)


@admin_required
@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    """The agency's own emails that need a look (invitations, password links, the digest of checks)."""
    return render(request, "agency/outbox.html", {"emails": public_outbox_attention()})


@admin_required
@require_POST
def outbox_resend(request: HttpRequest, email_id: int) -> HttpResponse:
    if services_users.public_outbox_email_resend(pk=email_id):
        messages.success(request, _("The email is queued to be sent again."))
    else:
        messages.error(request, _("This email is not waiting for you any more (sent, or still being tried)."))
    return redirect("outbox")
