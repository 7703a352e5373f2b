"""A new client's first ten minutes in Spanish at 390 px, as the walk of 2026-12-07 (walk13) met
them: the snags a Spanish-speaking staff member on a phone read, each checked where it was seen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from agency.months import Month
from tests.browser.conftest import ARTIFACTS, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_says_the_month_is_being_computed_after_an_import_then_shows_it(
    browser, portal, staff_a, tenants
) -> None:
    """Right after an import the home's panel read "Sin datos aún: todavía no hay nada registrado en
    noviembre" for the half minute the figures took — beside the month's leads just imported. It now
    says they are being computed, and shows the month once they are, without a reload."""
    from unittest import mock

    from clients.models import Lead
    from kpis import recompute
    from kpis.services import snapshot_compute
    from tests.browser.conftest import new_page

    staff_a.language = "es"
    staff_a.save()
    ended = (Month.of(timezone.now().date()) - 1).first_day
    with schema_context("alpha"):  # the import: a lead in the month that ended, its figures not computed yet
        Lead.objects.create(id="walk", created_at=dt.datetime.combine(ended + dt.timedelta(days=9), dt.time(12),
                                                                      tzinfo=dt.UTC))
    with mock.patch.object(recompute, "enqueue_for_client"):
        recompute._request_now(client=tenants["alpha"], months=[str(Month.of(ended))])
    context, page = new_page(browser, locale="es-ES", viewport={"width": 390, "height": 900})
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        computing = page.locator("[data-computing]")
        computing.wait_for()
        assert "Calculando las cifras de" in computing.inner_text()
        assert "todavía no hay nada registrado" not in page.locator("main").inner_text()
        # The checklist's contracts step said "Retainers y proyectos": a retainer is an *iguala*.
        checklist = page.locator("#setup-checklist").inner_text()
        assert "Igualas y proyectos" in checklist and "Retainer" not in checklist, checklist
        _no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "home-computing-es-390.png"), full_page=True)
        # The worker's run: the month computed, the panel finds it by itself.
        recompute.recompute_pending_forget(client=tenants["alpha"], months=[str(Month.of(ended))])
        snapshot_compute(client=tenants["alpha"], months=[ended])
        page.get_by_text("Pendiente de la agencia:").wait_for(timeout=15_000)
        assert page.locator("[data-computing]").count() == 0
    finally:
        recompute.recompute_pending_forget(client=tenants["alpha"], months=[str(Month.of(ended))])
        context.close()


@pytest.mark.parametrize(("language", "locale", "quarter"), [("es-mx", "es-MX", "0.25"), ("es", "es-ES", "0,25")])
def test_the_target_form_writes_its_example_fraction_as_the_page_writes_numbers(
    browser, portal, staff_a, tenants, language, locale, quarter
) -> None:
    """The walk's Mexican staff member read "tasas como fracciones, 0,25 = 25 %" above the target
    field, on a page whose every figure reads with a decimal point ("31.7 %", "9.95"): the example,
    and the error of a rate typed as a percentage, now write 0.25 as the page's language does."""
    from clients.models import Lead
    from kpis.services import snapshot_compute
    from tests.browser.conftest import new_page

    staff_a.language = language
    staff_a.save()
    with schema_context("alpha"):
        Lead.objects.create(id="t1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenants["alpha"], months=[dt.date(2026, 3, 1)])
    context, page = new_page(browser, locale=locale, viewport={"width": 390, "height": 900})
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
        page.locator("details.staff-tools > summary").click()
        field = page.locator("#target-value")
        label = " ".join(page.locator("label[for=target-value]").inner_text().split())
        assert label == f"Objetivo para marzo de 2026 (tasas como fracciones, {quarter} = 25 %)", label
        page.locator("#target-kpi").select_option("qualified_lead_rate")
        field.fill("25")
        page.locator("details.staff-tools button[type=submit]", has_text="Fijar objetivo").click()
        error = page.locator("#target-value_error")
        error.wait_for()
        assert f"escribe {quarter} para el 25 %" in error.inner_text(), error.inner_text()
        _no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / f"target-form-{language}-390.png"), full_page=False)
    finally:
        context.close()


def test_a_new_points_row_says_its_number_box_is_points(browser, portal, admin_user, tenants) -> None:
    """The walk's admin, adding the first points row at 390 px in Spanish, met a bare number box beside
    "Quitar" (its name only for a screen reader): the box now reads "puntos" after it, kept together."""
    from tests.browser.conftest import new_page

    admin_user.language = "es-mx"
    admin_user.save()
    context, page = new_page(browser, locale="es-MX", viewport={"width": 390, "height": 900})
    try:
        sign_in_home(page, portal.client("alpha"), admin_user.username)
        page.goto(portal.client("alpha") + "/criteria/new/")
        page.get_by_role("button", name="Añadir puntos").click()
        row = page.locator(".points-row").first
        row.locator("input[name$='-points']").wait_for()
        unit = row.locator(".points-unit")
        assert unit.is_visible() and unit.inner_text() == "puntos"
        box, word = row.locator("input[name$='-points']").bounding_box(), unit.bounding_box()
        assert abs(word["y"] - box["y"]) < box["height"] and word["x"] > box["x"] + box["width"] - 1, (box, word)
        _no_overflow(page)
        row.screenshot(path=str(ARTIFACTS / "criteria-points-unit-es-mx-390.png"))
    finally:
        context.close()


def test_a_new_clients_console_page_offers_its_invitation_at_the_top(browser, portal, admin_user, tenants) -> None:
    """After Create client, the walk's admin on a phone read "Ahora: Abrir portal" at the top and the
    client user's invitation form five screens further down: a client without users now offers
    "Invitar a un usuario del cliente ↓" beside Open portal, which brings the form's email field on screen."""
    from tests.browser.conftest import new_page

    admin_user.language = "es-mx"
    admin_user.save()
    context, page = new_page(browser, locale="es-MX", viewport={"width": 390, "height": 900})
    try:
        sign_in_home(page, portal.console, admin_user.username)
        page.goto(portal.console + "/clients/alpha/")
        # No staff account at all (a new agency, or this test's): the team card said both "nobody
        # assigned" and "every staff member is already assigned"; it now says there is nobody to assign.
        team = " ".join(page.locator("[data-no-staff-to-assign]").inner_text().split())
        assert team == "La agencia aún no tiene a nadie del personal que asignar: añade a alguien en la página Equipo.", team
        jump = page.locator("[data-invite-jump]")
        assert jump.inner_text() == "Invitar a un usuario del cliente ↓"
        assert jump.bounding_box()["y"] < 900  # on the first screen
        email = page.get_by_label("Correo del usuario del cliente")
        assert email.bounding_box()["y"] > 900  # the form itself is further down
        jump.click()
        from playwright.sync_api import expect

        expect(email).to_be_in_viewport()
        _no_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "console-client-invite-jump-es-mx-390.png"))
    finally:
        context.close()


def test_a_target_being_typed_survives_the_figures_updating(browser, portal, staff_a, tenants) -> None:
    """The walk saved the criteria (every month computed again) then set targets: the "Cifras
    actualizándose" notice swapped the tiles every 5 s, which closed the staff tools and erased the
    target being typed. The poll now swaps nothing until the figures are in, then shows them."""
    from unittest import mock

    from clients.models import Lead
    from kpis import recompute
    from kpis.services import snapshot_compute
    from tests.browser.conftest import new_page

    staff_a.language = "es-mx"
    staff_a.save()
    alpha, march = tenants["alpha"], dt.date(2026, 3, 1)
    with schema_context("alpha"):
        Lead.objects.create(id="t1", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    snapshot_compute(client=alpha, months=[march])
    with mock.patch.object(recompute, "enqueue_for_client"):
        recompute._request_now(client=alpha, months=["2026-03"])  # as saving the criteria asks
    context, page = new_page(browser, locale="es-MX", viewport={"width": 390, "height": 900})
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
        page.locator("#figures-updating").wait_for()
        page.locator("details.staff-tools > summary").click()
        page.locator("#target-value").fill("70")
        page.wait_for_timeout(7_000)  # more than one poll
        assert page.locator("details.staff-tools").get_attribute("open") is not None
        assert page.locator("#target-value").input_value() == "70"
        # The worker's run: the figures are in, and the page shows them by itself.
        recompute.recompute_pending_forget(client=alpha, months=["2026-03"])
        snapshot_compute(client=alpha, months=[march])
        page.locator("#figures-updating").wait_for(state="detached", timeout=15_000)
        _no_overflow(page)
    finally:
        recompute.recompute_pending_forget(client=alpha, months=["2026-03"])
        context.close()
