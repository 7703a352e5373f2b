"""Every URL of the portal × every role × the hosts it is served at, with the status expected.

``test_every_url_is_in_the_matrix`` fails when a URL is added without an expectation here,
so the matrix cannot silently fall behind the URL configuration.
"""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import host_of

ROLES = ("anonymous", "client_a", "client_b", "staff_a", "admin")
CONSOLE, ALPHA, BETA = "console", "alpha", "beta"


def row(anonymous: int, client_a: int, client_b: int, staff_a: int, admin: int) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, client_a, client_b, staff_a, admin), strict=True))


LOGIN_REDIRECT = 302
# (host, url name, kwargs, expected status per role)
MATRIX: list[tuple[str, str, dict, dict[str, int]]] = [
    # --- agency console (base host) ---
    (CONSOLE, "home", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "client_add", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "client_detail", {"slug": "alpha"}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "client_detail", {"slug": "beta"}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "client_assign", {"slug": "alpha"}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_review_delay", {"slug": "alpha"}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_economics", {"slug": "alpha"}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_unassign", {"slug": "alpha", "user_id": 1}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_invite", {"slug": "alpha"}, row(302, 404, 404, 405, 405)),
    (CONSOLE, "client_invite", {"slug": "beta"}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_domain_add", {"slug": "alpha"}, row(302, 404, 404, 405, 405)),
    (CONSOLE, "client_domain_add", {"slug": "beta"}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_domain_verify", {"slug": "alpha", "claim_id": 1}, row(302, 404, 404, 405, 405)),
    (CONSOLE, "staff_list", {}, row(302, 404, 404, 404, 200)),
    # The agency's own outbox: admins only (a staff member's, a client's email is none of theirs).
    (CONSOLE, "outbox", {}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "outbox_resend", {"email_id": 999999}, row(302, 404, 404, 404, 405)),
    (CONSOLE, "client_report_settings", {"slug": "alpha"}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "client_report_settings", {"slug": "beta"}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "client_template", {"slug": "alpha"}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "client_template", {"slug": "beta"}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "brand_edit", {}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "platform_apps", {}, row(302, 404, 404, 404, 200)),
    # The platforms' OAuth redirect: open to anyone (the signed, single-use state is the guard); no state is a 400.
    (CONSOLE, "oauth_callback", {}, row(400, 404, 404, 400, 400)),
    (CONSOLE, "brand_css", {}, row(200, 404, 404, 200, 200)),
    (CONSOLE, "brand_logo", {}, row(404, 404, 404, 404, 404)),
    (CONSOLE, "portfolio", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "close_board", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "close_board_approve", {}, row(302, 404, 404, 405, 405)),
    # One note resolving the same check for several clients: staff (their own clients only) and admins
    (CONSOLE, "close_board_checks", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "close_board_approval", {"bulk_id": 999999}, row(302, 404, 404, 404, 404)),  # only its approver's
    (CONSOLE, "login", {}, row(200, 302, 302, 302, 302)),
    (CONSOLE, "logout", {}, row(405, 405, 405, 405, 405)),
    (CONSOLE, "password_change", {}, row(302, 200, 200, 200, 200)),
    (CONSOLE, "password_change_done", {}, row(302, 200, 200, 200, 200)),
    (CONSOLE, "password_reset", {}, row(200, 200, 200, 200, 200)),
    (CONSOLE, "password_reset_done", {}, row(200, 200, 200, 200, 200)),
    (CONSOLE, "password_reset_confirm", {"uidb64": "MQ", "token": "bad-token"}, row(200, 200, 200, 200, 200)),
    (CONSOLE, "password_reset_complete", {}, row(200, 200, 200, 200, 200)),
    (CONSOLE, "handoff", {}, row(302, 302, 302, 302, 302)),
    (CONSOLE, "handoff_start", {}, row(404, 404, 404, 404, 404)),
    (CONSOLE, "handoff_issue", {}, row(302, 404, 404, 404, 404)),
    (CONSOLE, "client_switch", {"slug": "alpha"}, row(302, 302, 404, 302, 302)),
    (CONSOLE, "client_switch", {"slug": "beta"}, row(302, 404, 302, 404, 302)),
    (CONSOLE, "language_set", {}, row(405, 405, 405, 405, 405)),
    (CONSOLE, "email_preferences", {}, row(302, 200, 200, 200, 200)),
    (CONSOLE, "sign_out_everywhere", {}, row(302, 405, 405, 405, 405)),
    (CONSOLE, "monthly_email_off", {}, row(400, 400, 400, 400, 400)),
    (CONSOLE, "benchmark_list", {}, row(302, 404, 404, 200, 200)),
    (CONSOLE, "benchmark_add", {}, row(302, 404, 404, 404, 200)),
    (CONSOLE, "benchmark_edit", {"pk": 999999}, row(302, 404, 404, 404, 404)),
    (CONSOLE, "benchmark_remove", {"pk": 999999}, row(302, 404, 404, 404, 405)),
    # --- client A's host ---
    (ALPHA, "home", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "panel_data", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "panel_team", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "panel_report", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "login", {}, row(200, 302, 404, 302, 302)),
    (ALPHA, "logout", {}, row(405, 405, 405, 405, 405)),
    (ALPHA, "password_change", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "password_change_done", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "password_reset", {}, row(200, 200, 404, 200, 200)),
    (ALPHA, "password_reset_done", {}, row(200, 200, 404, 200, 200)),
    (ALPHA, "password_reset_confirm", {"uidb64": "MQ", "token": "bad-token"}, row(200, 200, 404, 200, 200)),
    (ALPHA, "password_reset_complete", {}, row(200, 200, 404, 200, 200)),
    (ALPHA, "handoff", {}, row(302, 302, 404, 302, 302)),
    (ALPHA, "handoff_start", {}, row(302, 302, 404, 302, 302)),
    (ALPHA, "handoff_issue", {}, row(302, 404, 404, 404, 404)),
    (ALPHA, "client_switch", {"slug": "beta"}, row(302, 404, 404, 404, 302)),
    (ALPHA, "language_set", {}, row(405, 405, 405, 405, 405)),
    (ALPHA, "email_preferences", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "sign_out_everywhere", {}, row(302, 405, 404, 405, 405)),
    (ALPHA, "monthly_email_off", {}, row(400, 400, 400, 400, 400)),
    (ALPHA, "scorecard", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "glossary", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "brand_css", {}, row(200, 200, 404, 200, 200)),
    (ALPHA, "brand_logo", {}, row(404, 404, 404, 404, 404)),
    (ALPHA, "scorecard_csv", {}, row(302, 404, 404, 404, 404)),
    (ALPHA, "scorecard_pdf", {}, row(302, 404, 404, 404, 404)),
    (ALPHA, "breakdown", {"dimension": "channel"}, row(302, 200, 404, 200, 200)),
    (ALPHA, "breakdown_csv", {"dimension": "channel"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "annotation_add", {}, row(302, 404, 404, 405, 405)),
    (ALPHA, "target_set", {}, row(302, 404, 404, 405, 405)),
    (ALPHA, "targets_edit", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "recompute", {}, row(302, 404, 404, 405, 405)),
    (ALPHA, "recompute_status", {"job_id": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "recompute_retry", {"job_id": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "planner", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "lead_list", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "lead_detail", {"lead_id": "missing"}, row(302, 404, 404, 404, 404)),
    # Staff read the criteria (the month check links them there); the editor sends them to the versions.
    (ALPHA, "criteria_versions", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "criteria_edit", {}, row(302, 404, 404, 302, 200)),
    (ALPHA, "criteria_review_ask", {}, row(302, 404, 404, 405, 405)),  # staff ask the admins (POST)
    (ALPHA, "criteria_builder", {}, row(302, 404, 404, 404, 405)),
    (ALPHA, "criteria_backtest", {}, row(302, 404, 404, 404, 405)),
    (ALPHA, "criteria_version_detail", {"version": 99}, row(302, 404, 404, 404, 404)),
    (ALPHA, "persona_list", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "persona_add", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "persona_builder", {}, row(302, 404, 404, 405, 405)),
    (ALPHA, "persona_edit", {"code": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "persona_move", {"code": "missing"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "holidays", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "contract_list", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "contract_add", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "contract_edit", {"contract_id": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "contract_renew", {"renew": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "contract_cancel", {"contract_id": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "imports", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "import_preview", {"kind": "leads", "token": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "import_job", {"job_id": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "import_batch", {"batch_id": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "import_batch_again", {"batch_id": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "import_job_errors", {"job_id": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "import_job_retry", {"job_id": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "import_detected", {"token": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "import_example", {"kind": "leads"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "import_example", {"kind": "nope"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "mapping_editor", {"token": "missing"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "mapping_list", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "mapping_copy", {"pk": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "mapping_remove", {"pk": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "scheduled_sources", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "scheduled_source_detail", {"pk": 999999}, row(302, 404, 404, 404, 404)),
    (ALPHA, "scheduled_source_run", {"pk": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "scheduled_source_remove", {"pk": 999999}, row(302, 404, 404, 405, 405)),
    (ALPHA, "connections_panel", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "hubspot"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "ga4"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "mailchimp"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "nope"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "connection_connect", {"platform": "google_ads"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "meta_ads"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "connection_connect", {"platform": "linkedin_ads"}, row(302, 404, 404, 200, 200)),
    # The choice of ad account after a consent: without its one-time handoff a 400 page.
    (ALPHA, "connection_account", {"platform": "google_ads"}, row(302, 404, 404, 400, 400)),
    (ALPHA, "connection_account", {"platform": "hubspot"}, row(302, 404, 404, 400, 400)),
    (ALPHA, "connection_sync", {"platform": "hubspot"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "connection_disconnect", {"platform": "hubspot"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "api_tokens", {}, row(302, 404, 404, 200, 200)),
    (ALPHA, "api_token_revoke", {"token_id": 1}, row(302, 404, 404, 405, 405)),
    (ALPHA, "api_leads", {}, row(405, 405, 404, 405, 405)),
    (ALPHA, "api_activities", {}, row(405, 405, 404, 405, 405)),
    (ALPHA, "api_spend", {}, row(405, 405, 404, 405, 405)),
    # --- the monthly close (reports): no month of alpha is approved here, so a client user
    # sees no month page (a draft does not exist for them); the share page needs no sign-in
    # and answers 404 to an unknown token whoever asks ---
    (ALPHA, "report_list", {}, row(302, 200, 404, 200, 200)),
    (ALPHA, "report_month", {"month": "2026-03"}, row(302, 404, 404, 200, 200)),
    (ALPHA, "report_month", {"month": "not-a-month"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "report_month_pdf", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),  # nothing approved yet
    (ALPHA, "report_version", {"month": "2026-03", "number": 1}, row(302, 404, 404, 404, 404)),
    (ALPHA, "report_commentary", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_approve", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_draft", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_check_resolve", {"month": "2026-03", "check_id": 1}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_close_status", {"month": "2026-03"}, row(302, 404, 404, 302, 302)),
    (ALPHA, "report_link_create", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_link_revoke", {"month": "2026-03", "link_id": 1}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_read", {"month": "2026-03"}, row(302, 405, 404, 405, 405)),
    (ALPHA, "report_question", {"month": "2026-03"}, row(302, 405, 404, 405, 405)),
    (ALPHA, "report_answer", {"month": "2026-03", "question_id": 1}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_email_resend", {"month": "2026-03", "email_id": 1}, row(302, 404, 404, 405, 405)),
    (ALPHA, "report_send_new", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    # The approval's email being prepared (the month page's poll; opened by hand, the month's page) and its "Try again"
    (ALPHA, "report_sending", {"month": "2026-03"}, row(302, 404, 404, 302, 302)),
    (ALPHA, "report_sending_again", {"month": "2026-03"}, row(302, 404, 404, 405, 405)),
    # The email a month would send, before approval: staff of the client only (the fixture's month has no figures: 404)
    (ALPHA, "report_email_preview", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "report_email_preview_pdf", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),
    (ALPHA, "report_shared", {"month": "2026-03", "token": "unknown"}, row(404, 404, 404, 404, 404)),
    (ALPHA, "report_shared_pdf", {"month": "2026-03", "token": "unknown"}, row(404, 404, 404, 404, 404)),
    (ALPHA, "report_shared_breakdown", {"month": "2026-03", "token": "unknown", "dimension": "channel"},
     row(404, 404, 404, 404, 404)),
    # --- client B's host: A's people see nothing ---
    (BETA, "home", {}, row(302, 404, 200, 404, 200)),
    (BETA, "panel_data", {}, row(302, 404, 200, 404, 200)),
    (BETA, "panel_report", {}, row(302, 404, 200, 404, 200)),
    (BETA, "login", {}, row(200, 404, 302, 404, 302)),
    (BETA, "report_month", {"month": "2026-03"}, row(302, 404, 404, 404, 200)),
    (BETA, "targets_edit", {}, row(302, 404, 404, 404, 200)),  # staff of alpha only
    (BETA, "criteria_review_ask", {}, row(302, 404, 404, 404, 405)),
    (BETA, "report_month_pdf", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),
    (BETA, "report_shared", {"month": "2026-03", "token": "unknown"}, row(404, 404, 404, 404, 404)),
    (BETA, "report_shared_pdf", {"month": "2026-03", "token": "unknown"}, row(404, 404, 404, 404, 404)),
    (BETA, "report_shared_breakdown", {"month": "2026-03", "token": "unknown", "dimension": "channel"},
     row(404, 404, 404, 404, 404)),
    (BETA, "imports", {}, row(302, 404, 404, 404, 200)),
    (BETA, "mapping_list", {}, row(302, 404, 404, 404, 200)),
    (BETA, "scheduled_sources", {}, row(302, 404, 404, 404, 200)),
    (BETA, "connections_panel", {}, row(302, 404, 404, 404, 200)),
    (BETA, "connection_connect", {"platform": "hubspot"}, row(302, 404, 404, 404, 200)),
    (BETA, "connection_account", {"platform": "meta_ads"}, row(302, 404, 404, 404, 400)),
    (BETA, "connection_sync", {"platform": "hubspot"}, row(302, 404, 404, 404, 405)),
    (BETA, "connection_disconnect", {"platform": "hubspot"}, row(302, 404, 404, 404, 405)),
]


def _names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


@pytest.mark.parametrize(("urlconf", "host"), [("agency.urls_public", CONSOLE), ("agency.urls_tenant", ALPHA)])
def test_every_url_is_in_the_matrix(urlconf: str, host: str) -> None:
    covered = {name for h, name, _kwargs, _row in MATRIX if h == host}
    missing = _names(get_resolver(urlconf).url_patterns) - covered
    assert not missing, f"add these {host} URLs to MATRIX: {sorted(missing)}"


@pytest.fixture
def people(client_user_a, client_user_b, staff_a, admin_user) -> dict:
    return {"anonymous": None, "client_a": client_user_a, "client_b": client_user_b, "staff_a": staff_a, "admin": admin_user}


@pytest.mark.parametrize(("host", "name", "kwargs", "expected"), MATRIX, ids=lambda v: v if isinstance(v, str) else "")
def test_status_for_every_role(host, name, kwargs, expected, people, tenants) -> None:
    urlconf = "agency.urls_public" if host == CONSOLE else "agency.urls_tenant"
    path = reverse(name, urlconf=urlconf, kwargs=kwargs)
    http_host = host_of(None if host == CONSOLE else tenants[host])
    seen = {}
    for role in ROLES:
        http = HttpClient()
        if people[role] is not None:
            http.force_login(people[role])
        seen[role] = http.get(path, HTTP_HOST=http_host).status_code
    assert seen == expected, f"{host} {path}"


# URLs a page also POSTs to and whose GET the matrix covers, with the status expected per role: the same guard
# for both methods. The email preview receives a revision's reason by POST (never in its URL).
POSTED: list[tuple[str, str, dict, dict[str, int]]] = [
    (ALPHA, "report_email_preview", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),
    (BETA, "report_email_preview", {"month": "2026-03"}, row(302, 404, 404, 404, 404)),
]


@pytest.mark.parametrize(("host", "name", "kwargs", "expected"), POSTED, ids=lambda v: v if isinstance(v, str) else "")
def test_status_of_a_post_for_every_role(host, name, kwargs, expected, people, tenants) -> None:
    path = reverse(name, urlconf="agency.urls_tenant", kwargs=kwargs)
    seen = {}
    for role in ROLES:
        http = HttpClient()
        if people[role] is not None:
            http.force_login(people[role])
        seen[role] = http.post(path, {"reason": "late Google Ads spend"}, HTTP_HOST=host_of(tenants[host])).status_code
    assert seen == expected, f"POST {host} {path}"
