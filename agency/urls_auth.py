"""Account URLs, served at the console and at every client's host."""

from django.contrib.auth import views as auth_views
from django.urls import path

from agency.views import auth, branding, preferences

urlpatterns = [
    path("brand.css", branding.brand_css, name="brand_css"),
    path("brand/logo", branding.brand_logo, name="brand_logo"),
    path("accounts/login/", auth.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth.PortalPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("accounts/handoff/", auth.handoff, name="handoff"),
    path("accounts/handoff/start/", auth.handoff_start, name="handoff_start"),
    path("accounts/handoff/issue/", auth.handoff_issue, name="handoff_issue"),
    path("accounts/switch/<slug:slug>/", auth.client_switch, name="client_switch"),
    path("i18n/language/", auth.language_set, name="language_set"),
    path("accounts/email-preferences/", preferences.email_preferences, name="email_preferences"),
    path("accounts/monthly-email/off/", preferences.monthly_email_off, name="monthly_email_off"),
    path("accounts/sign-out-everywhere/", preferences.sign_out_everywhere, name="sign_out_everywhere"),
]
