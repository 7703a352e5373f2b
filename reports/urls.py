"""The monthly close at a client's host (included by agency.urls_tenant)."""

from django.urls import path

from reports import views

urlpatterns = [
    path("reports/", views.month_list, name="report_list"),
    path("panels/report/", views.home_panel, name="panel_report"),
    path("reports/<str:month>/", views.month_page, name="report_month"),
    path("reports/<str:month>/report.pdf", views.month_pdf, name="report_month_pdf"),
    path("reports/<str:month>/versions/<int:number>/", views.version_page, name="report_version"),
    path("reports/<str:month>/commentary/", views.commentary_view, name="report_commentary"),
    path("reports/<str:month>/draft/", views.draft_view, name="report_draft"),
    path("reports/<str:month>/close-status/", views.close_status_view, name="report_close_status"),
    path("reports/<str:month>/email-preview/", views.email_preview_view, name="report_email_preview"),
    path("reports/<str:month>/email-preview/report.pdf", views.email_preview_pdf_view, name="report_email_preview_pdf"),
    path("reports/<str:month>/approve/", views.approve_view, name="report_approve"),
    path("reports/<str:month>/sending/", views.sending_view, name="report_sending"),
    path("reports/<str:month>/sending/again/", views.sending_again_view, name="report_sending_again"),
    path("reports/<str:month>/checks/<int:check_id>/resolve/", views.check_resolve_view, name="report_check_resolve"),
    path("reports/<str:month>/links/", views.share_link_create_view, name="report_link_create"),
    path("reports/<str:month>/links/<int:link_id>/revoke/", views.share_link_revoke_view, name="report_link_revoke"),
    path("reports/<str:month>/read/", views.acknowledge_view, name="report_read"),
    path("reports/<str:month>/questions/", views.question_ask_view, name="report_question"),
    path("reports/<str:month>/questions/<int:question_id>/answer/", views.question_answer_view, name="report_answer"),
    path("reports/<str:month>/emails/<int:email_id>/resend/", views.email_resend_view, name="report_email_resend"),
    path("reports/<str:month>/send-new/", views.send_to_new_recipients_view, name="report_send_new"),
    # Read-only, for people without an account: the link's token is the only key.
    path("shared/<str:month>/<str:token>/", views.shared_page, name="report_shared"),
    path("shared/<str:month>/<str:token>/report.pdf", views.shared_pdf, name="report_shared_pdf"),
    path("shared/<str:month>/<str:token>/breakdowns/<slug:dimension>/", views.shared_breakdown,
         name="report_shared_breakdown"),
]
