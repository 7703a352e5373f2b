"""The API tokens screen for agency staff at a client's host: list, create (shown once), revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agency.decorators import client_staff_required
from clients.api.selectors import api_tokens_list
from clients.api.services import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("Who uses it, e.g. “Website contact form” or “CRM sync”."))


@client_staff_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = api_token_create(client=request.tenant, name=form.cleaned_data["name"],
                                                  user=request.user)
                form = ApiTokenForm()
            except ValidationError as error:
                form.add_error(None, error)
                status = 422
        else:
            status = 422
    context = {"form": form, "secret": secret, "tokens": api_tokens_list()}
    response = render(request, "clients/api_tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may carry a secret shown once
    return response


@client_staff_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    api_token_revoke(client=request.tenant, token_id=token_id)
    messages.success(request, _("The token was revoked: requests using it are refused from now on."))
    return redirect("api_tokens")
