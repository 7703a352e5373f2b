"""The month's checks on the close page and the portfolio, in a real browser, in Spanish, at 1440
and 390 px: the list comes before Approve, a check is resolved with its note, the approval asks
why a high one is left, and the portfolio counts them (docs/monthly-close.md "Checks")."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from agency.months import Month
from agency.redis_client import redis_client
from kpis.demo import demo_incident
from kpis.recompute import _keys as recompute_keys
from reports.models import CheckNote, ReportVersion
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_monthly_close import PASSWORD
from tests.browser.test_report import CLOSED, _no_overflow, clock, report_data  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}


@pytest.fixture
def october_with_checks(report_data):  # noqa: F811
    demo_incident(client=report_data, month=CLOSED)
    redis_client().delete(*recompute_keys(report_data))  # computed already; nothing waits
    yield report_data
    redis_client().delete(*recompute_keys(report_data))


def test_staff_review_the_checks_resolve_one_and_approve_with_a_reason(browser, portal, staff_a, october_with_checks) -> None:
    alpha = portal.client("alpha")
    staff_a.language = "es"
    staff_a.save()
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.set_viewport_size(PHONE)
        page.goto(f"{alpha}/reports/2026-10/")
        heading = page.locator("#checks-title")
        assert heading.inner_text() == "3 cosas que revisar"
        assert page.locator("#checks").bounding_box()["y"] < page.locator("#approve-title").bounding_box()["y"]
        sentences = page.locator(".check-sentence").all_inner_texts()
        assert any("Tráfico: faltan los datos de 4 días del mes (13–16 oct)." in s for s in sentences), sentences
        _no_overflow(page)
        screenshot(page, "checks-close-es-390")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "checks-close-es-1440")
        # resolve the traffic gap with a note
        item = page.locator("li[data-check='coverage.source_gap']")
        item.locator("input[name=note]").fill("La etiqueta de Analytics estuvo desactivada; el cliente lo sabe")
        item.get_by_role("button", name="Resolver").click()
        page.get_by_text("Comprobación resuelta").wait_for()
        assert page.locator("#checks-title").inner_text() == "2 cosas que revisar"
        # no high check is left: approving asks no reason
        assert page.locator("input[name=checks_reason]").count() == 0
        page.get_by_role("button", name="Aprobar y enviar al cliente").click()
        page.locator(".message.success").first.wait_for()
        screenshot(page, "checks-close-approved-es-1440")
    finally:
        context.close()
    with schema_context("alpha"):
        assert ReportVersion.objects.get(month=CLOSED).checks_open  # the two left open are on the version
        assert CheckNote.objects.get(month=CLOSED).note.startswith("La etiqueta de Analytics")


def test_the_approval_asks_why_a_high_check_is_left(browser, portal, staff_a, october_with_checks) -> None:
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.set_viewport_size(DESKTOP)
        page.goto(f"{alpha}/reports/2026-10/")
        reason = page.locator("#checks-reason-approve")
        assert reason.get_attribute("required") is not None
        reason.fill("Hueco de tráfico conocido; explicado en el comentario")
        page.get_by_role("button", name="Aprobar y enviar al cliente").click()
        page.locator(".message.success").first.wait_for()
        assert "Aprobado con 3 comprobaciones sin resolver: Hueco de tráfico conocido" in page.content()
    finally:
        context.close()


def test_the_portfolio_shows_the_checks_and_filters_clean_months(browser, portal, admin_user, october_with_checks) -> None:
    admin_user.language = "es"
    admin_user.set_password(PASSWORD)
    admin_user.save()
    context, page = new_page(browser, locale="es")
    try:
        page.goto(portal.console + "/accounts/login/")
        page.locator("#id_username").fill(admin_user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").first.click()
        for name, viewport in (("1440", DESKTOP), ("390", PHONE)):
            page.set_viewport_size(viewport)
            page.goto(portal.console + "/portfolio/?month=2026-10")
            page.get_by_text("3 por revisar · 1 alta").wait_for()
            if name == "390":
                _no_overflow(page)
            screenshot(page, f"checks-portfolio-es-{name}")
        page.set_viewport_size(DESKTOP)
        page.select_option("#portfolio-show", "clean")
        page.get_by_text("Ningún cliente coincide.").or_(page.get_by_text("No client matches.")).first.wait_for()
        assert "Alpha Analytics" not in page.locator("#portfolio-table").inner_text()
    finally:
        context.close()


@pytest.fixture
def october_without_mqls_or_contact_times(report_data):  # noqa: F811
    """Alpha's data as if its criteria scored no lead and its CRM export carried no contact time."""
    from clients.models import Lead
    from kpis.services import snapshot_compute

    with schema_context("alpha"):
        Lead.objects.update(mql_at=None, sales_ready_at=None, first_contacted_at=None)
    snapshot_compute(client=report_data, months=[(Month(2026, 11) - i).first_day for i in range(14)])
    redis_client().delete(*recompute_keys(report_data))
    yield report_data
    redis_client().delete(*recompute_keys(report_data))


def test_a_skipped_mql_stage_reads_in_spanish_on_a_phone(
    browser, portal, staff_a, admin_user, october_without_mqls_or_contact_times
) -> None:
    admin_user.first_name, admin_user.last_name = "Ada", "Lovelace"
    admin_user.save()
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.set_viewport_size(PHONE)
        page.goto(f"{alpha}/reports/2026-10/")
        skipped = page.locator("li[data-check='tracking.mql_stage_skipped']")
        assert "pero ni un solo MQL: los criterios de cualificación no puntúan ninguno de estos leads." in skipped.inner_text()
        assert skipped.locator("a[href='/criteria/new/']").count() == 1
        # Staff may not change the criteria: the check names who can, and asks them in one click.
        assert "Solo los administradores de la agencia pueden cambiar los criterios: Ada Lovelace." in skipped.inner_text()
        assert skipped.locator("[data-criteria-ask]").is_visible()
        _no_overflow(page)
        screenshot(page, "checks-data-gaps-es-390")
        page.set_viewport_size(DESKTOP)
        screenshot(page, "checks-data-gaps-es-1440")
        # Staff may not edit the criteria: "Ver" opens them to read, with whom to ask (not a 404).
        skipped.locator("a[href='/criteria/new/']").click()
        page.wait_for_url(f"{alpha}/criteria/")
        assert "pídeles que los revisen" in page.locator("main").inner_text()
        screenshot(page, "criteria-staff-es-1440")
        page.set_viewport_size(PHONE)
        _no_overflow(page)
        screenshot(page, "criteria-staff-es-390")
        page.goto(f"{alpha}/reports/2026-10/")
        skipped.locator("[data-criteria-ask]").click()
        page.wait_for_url(f"{alpha}/reports/2026-10/#checks")
        asked = skipped.locator("[data-criteria-review]").inner_text()
        assert "pidió a los administradores de la agencia que revisaran los criterios" in asked
        assert "desde la comprobación de octubre de 2026: aún sin respuesta." in asked
        assert skipped.locator("[data-criteria-ask]").count() == 0
        _no_overflow(page)
        screenshot(page, "checks-criteria-asked-es-390")
    finally:
        context.close()
