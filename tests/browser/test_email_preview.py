"""Staff open "Preview the email" from a month's close page at 1440 and 390 px: the page says it is
a preview in the viewer's language (English), the email below it is the Spanish client's, drawn
whole (its chart loaded, its frame as tall as the email: no box scrolling inside the page), nothing
is wider than the screen, and the attached PDF opens in the browser. Kept as screenshots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from agency.models import AgencyBrand
from agency.redis_client import redis_client
from clients.models import OutboxEmail, Spend
from kpis.recompute import _keys as recompute_keys
from kpis.services import snapshot_compute
from reports.models import MonthReport, ReportVersion
from reports.services import commentary_save, month_approve
from tests.browser.conftest import ARTIFACTS, new_page, screenshot, sign_in_home
from tests.browser.test_report import CLOSED, _no_overflow, clock, report_data  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def october_in_review(report_data, staff_a, client_user_a):  # noqa: F811
    """October 2026 in review at a Spanish client, its summary written; its staff read in English."""
    alpha = report_data
    alpha.language = "es"
    alpha.save()
    client_user_a.email, client_user_a.language = "ann@alpha.example", ""
    client_user_a.save()
    AgencyBrand.objects.create(name="Agencia Norte", sender_name="Equipo Norte")
    with schema_context("alpha"):
        MonthReport.objects.update_or_create(month=CLOSED, defaults={"state": MonthReport.State.IN_REVIEW})
    commentary_save(client=alpha, month=CLOSED, section="summary", user=staff_a,
                    text="Octubre cerró **bien**: más leads cualificados con el mismo gasto.")
    redis_client().delete(*recompute_keys(alpha))
    yield alpha
    redis_client().delete(*recompute_keys(alpha))
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)


WORDS = {
    "en": {"link": "Preview the email", "banner": "Preview — not sent.", "language": "Spanish"},
    "es": {"link": "Vista previa del correo", "banner": "Vista previa — no enviado.", "language": "Español"},
}


@pytest.mark.parametrize(("width", "language"), [("1440", "en"), ("390", "en"), ("390", "es")])
def test_staff_preview_the_email_from_the_close_page(
    browser, portal, october_in_review, staff_a, width, language
) -> None:
    alpha = portal.client("alpha")
    staff_a.language = language
    staff_a.save()
    words = WORDS[language]
    context, page = new_page(browser, locale={"en": "en-US", "es": "es-ES"}[language], viewport=WIDTHS[width])
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/reports/2026-10/")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#close-approve").screenshot(path=str(ARTIFACTS / f"email-preview-link-{width}-{language}.png"))
        page.get_by_role("link", name=words["link"]).click()
        page.wait_for_url(alpha + "/reports/2026-10/email-preview/")
        banner = page.locator("[data-preview-banner]")
        assert banner.is_visible() and banner.inner_text().startswith(words["banner"])
        assert page.locator("[data-preview-subject]").inner_text() == (
            "Alpha Analytics: tu informe de marketing de octubre de 2026")
        assert page.locator("[data-preview-language]").inner_text().startswith(words["language"])
        frame = page.frame_locator("iframe[data-email-preview]")
        assert "Octubre cerró bien" in frame.locator("body").inner_text()
        chart = "img[src^='data:image/png']"
        frame.locator(chart).first.wait_for()
        assert frame.locator(chart).first.evaluate("i => i.complete && i.naturalWidth > 0")
        # The frame as tall as the email inside it (static/js/email_preview.js): read with the page's scroll.
        page.wait_for_function("""() => { const f = document.querySelector('iframe[data-email-preview]');
            return f.contentDocument && Math.abs(f.getBoundingClientRect().height
                - f.contentDocument.documentElement.scrollHeight) <= 2; }""")
        inner = page.evaluate("document.querySelector('iframe[data-email-preview]').contentDocument"
                              ".documentElement.scrollWidth")
        assert inner <= WIDTHS[width]["width"]
        _no_overflow(page)
        screenshot(page, f"email-preview-{width}-{language}")
        link = page.locator("[data-preview-pdf] a")
        assert link.inner_text() == "alpha-informe-2026-10.pdf"
        kind, disposition = page.evaluate(
            "href => fetch(href).then(r => [r.headers.get('content-type'), r.headers.get('content-disposition')])",
            link.get_attribute("href"))
        assert kind == "application/pdf" and disposition.startswith("inline;")  # opens in the browser
    finally:
        context.close()
    with schema_context("alpha"):  # nothing sent, nothing approved
        assert not OutboxEmail.objects.exists() and not ReportVersion.objects.exists()


@pytest.fixture
def october_revised(october_in_review, staff_a):
    """October approved and emailed, then restated by 640 EUR of late Google Ads spend."""
    alpha = october_in_review
    month_approve(client=alpha, month=CLOSED, user=staff_a)
    with schema_context("alpha"):
        Spend.objects.create(id="late-ads", date=dt.date(2026, 10, 30), category="media", amount=Decimal("640.00"))
    snapshot_compute(client=alpha, months=[CLOSED])
    redis_client().delete(*recompute_keys(alpha))
    return alpha


REVISION_WORDS = {
    "en": {"banner": "Preview — not sent.", "back": "← Back to October 2026"},
    "es": {"banner": "Vista previa — no enviado.", "back": "← Volver a octubre de 2026"},
}


@pytest.mark.parametrize(("width", "language"), [("1440", "en"), ("390", "es")])
def test_staff_preview_a_revisions_email_with_the_reason_they_typed(
    browser, portal, october_revised, staff_a, width, language
) -> None:
    alpha = portal.client("alpha")
    staff_a.language = language
    staff_a.save()
    words = REVISION_WORDS[language]
    context, page = new_page(browser, locale={"en": "en-US", "es": "es-ES"}[language], viewport=WIDTHS[width])
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/reports/2026-10/")
        page.locator("#reason").fill("gasto tardío de Google Ads")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#close-revision").screenshot(path=str(ARTIFACTS / f"revision-preview-link-{width}-{language}.png"))
        page.locator("button[data-email-preview-reason]").click()  # the reason as typed goes with it, by POST
        page.wait_for_url("**/reports/2026-10/email-preview/")
        assert "reason" not in page.url  # never in the address (history, server logs)
        assert page.locator("[data-preview-banner]").inner_text().startswith(words["banner"])
        assert page.locator("[data-preview-subject]").inner_text() == "Alpha Analytics: cifras revisadas de octubre de 2026"
        assert page.locator("[data-preview-reason]").inner_text().startswith("gasto tardío de Google Ads")
        frame = page.frame_locator("iframe[data-email-preview]")
        note = frame.locator("[data-reason]").inner_text()
        assert "Nota de tu agencia sobre esta revisión: «Gasto tardío de Google Ads»." in note
        assert frame.locator("[data-change]").count() >= 1
        page.wait_for_function("""() => { const f = document.querySelector('iframe[data-email-preview]');
            return f.contentDocument && Math.abs(f.getBoundingClientRect().height
                - f.contentDocument.documentElement.scrollHeight) <= 2; }""")
        _no_overflow(page)
        screenshot(page, f"revision-preview-{width}-{language}")
        link = page.locator("[data-preview-pdf] a")
        assert link.inner_text() == "alpha-informe-2026-10.pdf"
        kind = page.evaluate("href => fetch(href).then(r => r.headers.get('content-type'))", link.get_attribute("href"))
        assert kind == "application/pdf"
        page.get_by_role("link", name=words["back"]).click()  # back: the reason typed is still there
        page.wait_for_url("**/reports/2026-10/#pending-title")
        assert page.locator("#reason").input_value() == "gasto tardío de Google Ads"
    finally:
        context.close()
    with schema_context("alpha"):  # the revision neither approved nor sent
        assert list(ReportVersion.objects.values_list("number", flat=True)) == [1]
        assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["report_approved"]
