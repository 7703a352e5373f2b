"""A user's email preferences: the monthly scorecard email can be turned off in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.user.monthly_email = request.POST.get("monthly_email") == "on"
        request.user.save(update_fields=["monthly_email"])
        messages.success(request, _("Your email preferences are saved."))
        return redirect("email_preferences")
    return render(request, "registration/email_preferences.html")


def monthly_email_off(request: HttpRequest) -> HttpResponse:
    """The signed link at the foot of every monthly email: no sign-in needed."""
    from kpis.emails import opt_out_user

    user = opt_out_user(request.GET.get("t", ""))
    if user is not None:
        user.monthly_email = False
        user.save(update_fields=["monthly_email"])
    return render(request, "registration/monthly_email_off.html", {"done": user is not None}, status=200 if user else 400)
