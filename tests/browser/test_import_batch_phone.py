"""In a real browser, in Spanish on a phone: staff drop a new client's files at once (picked in the
wrong order, one bad, one nobody knows) and read one list with every file's outcome."""

from __future__ import annotations

import pytest
from django.db import connection

from clients.models import Activity, Campaign, Lead
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow
from tests.clients.imports.test_import_batch import ACTIVITIES, BAD_LEADS, CAMPAIGNS, LEADS, UNKNOWN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_several_files_in_spanish_on_a_phone(browser, portal, staff_a, tenants, eager_tasks, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    picked = []
    for name, data in [("actividades.csv", ACTIVITIES), ("leads.csv", LEADS), ("oportunidades.csv", UNKNOWN),
                       ("leads-marzo.csv", BAD_LEADS), ("campañas.csv", CAMPAIGNS)]:
        (tmp_path / name).write_bytes(data)
        picked.append(str(tmp_path / name))
    staff_a.language = "es"
    staff_a.save()
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="es-ES", viewport=PHONE)
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/imports/")
        # Several files dropped on the label land in the input, and the button says what comes next.
        page.evaluate(
            """() => { const data = new DataTransfer();
                 for (const name of ['a.csv', 'b.csv']) data.items.add(new File(['id\\n'], name, {type: 'text/csv'}));
                 document.querySelector('.file-pick-button').dispatchEvent(
                   new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true})); }"""
        )
        assert page.locator("#id_file_chosen").inner_text() == "a.csv, b.csv"
        assert page.evaluate("document.getElementById('id_file').files.length") == 2
        page.get_by_label("Archivos", exact=True).set_input_files(picked)
        assert page.locator("#id_file_chosen").inner_text().count(".csv") == 5
        screenshot(page, "import-batch-form-es-390")
        page.get_by_role("button", name="Importar estos archivos").click()

        page.get_by_role("heading", name="Importación de 5 archivos").wait_for()
        result = page.locator("#batch-files")
        result.locator(".batch-outcome", has_text="Importado: 2 filas leídas").nth(2).wait_for()
        names = result.locator("ol.batch-files .batch-file-name").all_inner_texts()
        assert names == ["campañas.csv", "leads.csv", "leads-marzo.csv", "actividades.csv"]
        outcomes = [" ".join(text.split()) for text in result.locator("ol.batch-files .batch-outcome").all_inner_texts()]
        assert outcomes[0] == "Importado: 2 filas leídas (añadidas: 2, actualizadas: 0, sin cambios: 0)."
        assert outcomes[2].startswith("Rechazado, no se ha escrito nada: 1 problema en el archivo. Línea 3, created_at:")
        assert outcomes[2].endswith("Ver todos los problemas")
        assert "sea cual sea el orden en que los elegiste" in result.inner_text()
        to_map = result.locator("ul.batch-files .batch-file")
        assert to_map.locator(".batch-file-name").inner_text() == "oportunidades.csv"
        assert "Asigna sus columnas" in to_map.inner_text()
        text = page.locator("main").inner_text()
        for english in ("Imported", "Refused", "Map its", "Waiting", "whatever"):
            assert english not in text
        _no_overflow(page)
        screenshot(page, "import-batch-result-es-390")

        connection.set_tenant(tenants["alpha"])
        assert (Campaign.objects.count(), Lead.objects.count(), Activity.objects.count()) == (2, 2, 2)
        connection.set_schema_to_public()

        to_map.get_by_role("link", name="Asigna sus columnas").click()
        page.get_by_role("link", name="Asignar sus columnas a mano").wait_for()  # the single upload's way on
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_several_files_in_english(browser, portal, staff_a, tenants, eager_tasks, settings, tmp_path, width) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    picked = []
    for name, data in [("activities.csv", ACTIVITIES), ("leads.csv", LEADS), ("opportunities.csv", UNKNOWN),
                       ("campaigns.csv", CAMPAIGNS)]:
        (tmp_path / name).write_bytes(data)
        picked.append(str(tmp_path / name))
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="en-US", viewport={"width": width, "height": 900})
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/imports/")
        page.get_by_label("Files", exact=True).set_input_files(picked)
        page.get_by_role("button", name="Import these files").click()
        result = page.locator("#batch-files")
        result.locator(".batch-outcome", has_text="Imported: 2 rows read").nth(2).wait_for()
        items = [" ".join(text.split()) for text in result.locator("ol.batch-files > li").all_inner_texts()]
        assert items == [
            "campaigns.csv Campaigns Imported: 2 rows read (2 added, 0 updated, 0 unchanged).",
            "leads.csv Leads Imported: 2 rows read (2 added, 0 updated, 0 unchanged).",
            "activities.csv Activities Imported: 2 rows read (2 added, 0 updated, 0 unchanged).",
        ]
        assert "Map its columns" in result.locator("ul.batch-files").inner_text()
        _no_overflow(page)
        screenshot(page, f"import-batch-result-en-{width}")
    finally:
        context.close()
