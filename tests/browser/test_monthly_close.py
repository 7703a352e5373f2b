"""The monthly close walked in a real browser, in Spanish: staff review, comment and approve; the
client reads the approved month; late data makes a revision the client sees only once approved;
a share link opens without an account. Screenshots at 1440 px (staff) and 390 px (client, phone)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reports.services import month_reviews_start
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.factories import PASSWORD
from tests.reports.conftest import late_spend, march  # noqa: F401 -- the fixture of a closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}


def _page(browser, viewport):
    return new_page(browser, locale="es-ES", viewport=viewport)


def test_the_close_as_staff_and_as_the_client(browser, portal, march, staff_a, client_user_a) -> None:  # noqa: F811
    alpha = portal.client("alpha")
    march.language = "es"  # a Spanish-speaking client: its share link is in Spanish
    march.save()
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    staff_context, staff = _page(browser, DESKTOP)
    client_context, client = _page(browser, PHONE)
    try:
        # staff: the month waits for review; the commentary saves itself as it is typed
        sign_in_home(staff, alpha, staff_a.username)
        staff.goto(alpha + "/reports/2026-03/")
        staff.get_by_text("En revisión", exact=True).wait_for()
        staff.get_by_label("Resumen").fill("Marzo cerró **bien**: más leads con el mismo gasto.")
        staff.locator("#saved-summary").get_by_text(re.compile("Guardado a las")).wait_for()
        staff.get_by_label("Próximos pasos").fill("- Ampliar la campaña de búsqueda\n- Revisar el formulario móvil")
        staff.locator("#saved-next_steps").get_by_text(re.compile("Guardado a las")).wait_for()
        screenshot(staff, "close-1-staff-review-1440")
        # the client sees no draft yet
        sign_in_home(client, alpha, client_user_a.username)
        assert client.goto(alpha + "/reports/2026-03/").status == 404
        # staff approve: the client sees the month, commentary on top
        staff.goto(alpha + "/reports/2026-03/")
        staff.get_by_role("button", name="Aprobar y enviar al cliente").click()
        staff.get_by_text(re.compile("Aprobado: el cliente ya ve estas cifras")).wait_for()
        screenshot(staff, "close-2-staff-approved-1440")
        client.goto(alpha + "/reports/2026-03/")
        client.get_by_text(re.compile("215,72")).first.wait_for()
        assert "Marzo cerró bien" in client.locator(".commentary").inner_text()
        client.get_by_role("button", name="Marcar como leído").click()
        client.get_by_text(re.compile("Marcaste este informe como leído")).wait_for()
        client.get_by_label("Haz una pregunta sobre este mes").fill("¿Por qué subió el coste por lead?")
        client.get_by_role("button", name="Enviar la pregunta").click()
        client.get_by_text("Esperando la respuesta de la agencia.").wait_for()
        screenshot(client, "close-3-client-approved-390")
        # late Google Ads spend: staff see the revision waiting, the client still the approved figures
        late_spend(march)
        staff.goto(alpha + "/reports/2026-03/")
        staff.get_by_role("heading", name="Cifras revisadas disponibles").wait_for()
        assert re.search(r"Costo por lead 215,72\s€ → 219,40\s€", staff.locator(".revision-pending").inner_text())
        staff.get_by_label("Respuesta").fill("Entraron 29,44 EUR de Google Ads con retraso.")
        staff.get_by_role("button", name="Enviar la respuesta").click()
        staff.get_by_text("Respuesta enviada.").wait_for()
        screenshot(staff, "close-4-staff-revision-available-1440")
        client.goto(alpha + "/scorecard/?month=2026-03")
        assert "219,40" not in client.content() and "215,72" in client.content()
        # staff approve the revision with its reason; the client sees the revised figures and the diff
        staff.get_by_label("Por qué cambiaron las cifras (el cliente lo verá)").fill("gasto tardío de Google Ads")
        staff.get_by_role("button", name="Aprobar la revisión").click()
        staff.get_by_text(re.compile("Revisión aprobada")).wait_for()
        # a share link for the CEO, opened with no session at all
        staff.get_by_label("Para", exact=True).fill("Directora general")
        staff.get_by_role("button", name="Crear un enlace").click()
        message = staff.get_by_text(re.compile("Enlace creado")).inner_text()
        screenshot(staff, "close-5-staff-revised-and-shared-1440")
        link = re.search(r"http://\S+/shared/2026-03/\S+/", message).group(0)
        client.goto(alpha + "/reports/2026-03/")
        client.get_by_text(re.compile(r"Revisado el \d{1,2} \w+ \d{4}")).first.wait_for()
        # the reason as typed, quoted in a Spanish sentence that says whose words they are
        client.get_by_text("Nota de tu agencia sobre esta revisión: «Gasto tardío de Google Ads».").first.wait_for()
        assert re.search(r"Costo por lead 215,72\s€ → 219,40\s€", client.locator("body").inner_text())
        assert "Entraron 29,44 EUR de Google Ads con retraso." in client.content()
        screenshot(client, "close-6-client-revised-390")
        # the scorecard's header on a phone: "Revised …" on its own line, no "·" left at a line's end
        client.goto(alpha + "/scorecard/?month=2026-03")
        state = client.locator(".report-state").first
        revised = state.locator(".revised")
        assert "·" not in state.inner_text(), state.inner_text()
        assert abs(revised.bounding_box()["x"] - state.bounding_box()["x"]) < 1
        screenshot(client, "close-6b-client-scorecard-revised-390")
        anonymous_context, anonymous = _page(browser, PHONE)
        try:
            assert anonymous.goto(link).status == 200
            anonymous.get_by_text(re.compile("219,40")).first.wait_for()
            assert "Marzo cerró bien" in anonymous.locator(".commentary").inner_text()
            assert anonymous.locator("[data-summary] svg.chart").count() >= 6  # the whole report, charts too
            screenshot(anonymous, "close-7-shared-no-session-390")
        finally:
            anonymous_context.close()
        # the console lists nothing waiting any more for alpha's March; the page renders
        staff.goto(portal.console + "/accounts/login/")
        staff.locator("#id_username").fill(staff_a.username)
        staff.locator("#id_password").fill(PASSWORD)
        staff.locator("form button[type=submit]").first.click()
        staff.goto(portal.console + "/portfolio/")
        staff.get_by_role("heading", name="Cartera").wait_for()
    finally:
        staff_context.close()
        client_context.close()
