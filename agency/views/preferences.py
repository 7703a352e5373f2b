"""A user's email preferences: the monthly scorecard email can be turned off in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from agency.selectors import opt_out_user
from agency.services_users import user_sessions_end_all


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.user.monthly_email = request.POST.get("monthly_email") == "on"
        request.user.save(update_fields=["monthly_email"])
        messages.success(request, _("Your email preferences are saved."))
        return redirect("email_preferences")
    return render(request, "registration/email_preferences.html")


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of this user, on the console and on every client's host, this one included."""
    user_sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You are signed out everywhere. Sign in again to continue."))
    return redirect("login")


@csrf_exempt  # the signed token is the authorization; mail clients' one-click unsubscribe posts without a session
@require_http_methods(["GET", "POST"])
def monthly_email_off(request: HttpRequest) -> HttpResponse:
    """The signed link at the foot of every monthly email: no sign-in needed.

    Opening the link only asks; the button (or a mail client's one-click POST) turns the email off,
    so link scanners that open every URL in a message unsubscribe nobody.
    """
    token = request.POST.get("t") or request.GET.get("t", "")
    user = opt_out_user(token)
    if user is None:
        return render(request, "registration/monthly_email_off.html", {"invalid": True}, status=400)
    if request.method == "POST":
        user.monthly_email = False
        user.save(update_fields=["monthly_email"])
        return render(request, "registration/monthly_email_off.html", {"done": True})
    return render(request, "registration/monthly_email_off.html", {"token": token})
