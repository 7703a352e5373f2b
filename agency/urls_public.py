"""URLs of the agency console (the portal's base host, the public schema)."""

from django.urls import include, path

from agency.views import branding, console

urlpatterns = [
    path("", console.console_home, name="home"),
    path("clients/new/", console.client_add, name="client_add"),
    path("clients/<slug:slug>/", console.client_detail, name="client_detail"),
    path("clients/<slug:slug>/assign/", console.client_assign, name="client_assign"),
    path("clients/<slug:slug>/review-delay/", console.client_review_delay, name="client_review_delay"),
    path("clients/<slug:slug>/economics/", console.client_economics, name="client_economics"),
    path("clients/<slug:slug>/unassign/<int:user_id>/", console.client_unassign, name="client_unassign"),
    path("clients/<slug:slug>/invite/", console.client_invite, name="client_invite"),
    path("clients/<slug:slug>/domains/", console.client_domain_add, name="client_domain_add"),
    path("clients/<slug:slug>/domains/<int:claim_id>/verify/", console.client_domain_verify, name="client_domain_verify"),
    path("staff/", console.staff_list, name="staff_list"),
    path("emails/", console.outbox_page, name="outbox"),
    path("emails/<int:email_id>/resend/", console.outbox_resend, name="outbox_resend"),
    path("brand/", branding.brand_edit, name="brand_edit"),
    path("", include("agency.urls_auth")),
    path("", include("kpis.urls_public")),
    path("", include("clients.connectors.urls_public")),
    path("", include("reports.urls_public")),
]
