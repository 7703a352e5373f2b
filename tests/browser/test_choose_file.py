"""The file inputs in Spanish (Imports' upload, the agency's brand logo, a client's report logo):
"Elegir archivo" and "Ningún archivo elegido", never Chromium's own English "Choose File" / "No file
chosen"; the file's name once chosen (or dropped); the input reached with Tab, its label ringed,
Space opening the chooser; the form still uploads. At 1440 and 390 px."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import AXE, _no_overflow
from tests.clients.imports.test_upload_detection import GOOGLE_ADS_ES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _looks_translated(page, input_id: str, name: str, button: str = "Elegir archivo") -> None:
    """The native control is out of sight; its translated label and the file's name are shown."""
    field = page.locator(f"#{input_id}")
    box = field.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, box
    pick = field.locator("xpath=..")
    assert pick.locator(".file-pick-button").inner_text() == button
    chosen = page.locator(f"#{input_id}_chosen")
    assert chosen.inner_text() == "Ningún archivo elegido"
    assert "Choose" not in pick.inner_text() and "No file" not in pick.inner_text()
    # The keyboard reaches the input itself (from the field before it); its label shows the focus ring.
    field.focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") != input_id
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == input_id
    outline = pick.locator(".file-pick-button").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid", outline
    # Space on the focused input opens the chooser. Headless Chromium now and then drops a chooser
    # asked for a moment after the page loaded: a few tries, each a real key press.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(4):
        try:
            with page.expect_file_chooser(timeout=4000) as chooser:
                page.keyboard.press("Space")
            break
        except PlaywrightTimeout:
            assert attempt < 3, "Space on the file input opened no chooser"
            assert page.evaluate("document.activeElement.id") == input_id
    chooser.value.set_files(name_file(name))
    assert chosen.inner_text() == name


_FILES: dict[str, str] = {}


def name_file(name: str) -> str:
    return _FILES[name]


def _axe_serious(page) -> list:
    """axe's serious and critical findings on the page (run through DevTools, not an inline script)."""
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in serious]


def test_the_imports_upload_in_spanish(browser, portal, staff_a, tenants, eager_tasks, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = tmp_path / "informe-google-ads.csv"
    upload.write_bytes(GOOGLE_ADS_ES)
    _FILES[upload.name] = str(upload)
    staff_a.language = "es"
    staff_a.save()
    alpha = portal.client("alpha")
    context, page = new_page(browser, locale="es-ES", viewport=DESKTOP)
    try:
        sign_in_home(page, alpha, staff_a.username)
        page.goto(alpha + "/imports/")
        assert page.get_by_label("Archivos", exact=True).count() == 1  # the field's label still names the input
        assert _axe_serious(page) == []
        _looks_translated(page, "id_file", upload.name, "Elegir archivos")
        screenshot(page, "choose-file-imports-es-1440")
        page.set_viewport_size(PHONE)
        _no_overflow(page)
        page.locator(".file-pick").scroll_into_view_if_needed()
        screenshot(page, "choose-file-imports-es-390")
        page.set_viewport_size(DESKTOP)
        # A file dropped on the label lands in the input, as on the browser's own control.
        page.evaluate(
            """() => { const data = new DataTransfer();
                 data.items.add(new File(['id,name,channel\\n'], 'campañas.csv', {type: 'text/csv'}));
                 document.querySelector('.file-pick-button').dispatchEvent(
                   new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true})); }"""
        )
        assert page.locator("#id_file_chosen").inner_text() == "campañas.csv"
        assert page.evaluate("document.getElementById('id_file').files[0].name") == "campañas.csv"
        page.get_by_label("Archivos", exact=True).set_input_files(str(upload))
        assert page.locator("#id_file_chosen").inner_text() == upload.name
        page.get_by_role("button", name="Vista previa").click()
        page.locator("#detected").wait_for()  # the form still uploads the file
    finally:
        context.close()


@pytest.mark.parametrize(("path", "input_id"), [("/brand/", "id_logo"), ("/clients/alpha/report/", "id_brand_logo")])
def test_the_brand_and_report_logos_in_spanish(browser, portal, admin_user, tmp_path, settings, path, input_id) -> None:
    """The agency's logo (Brand) and a client's own (its report settings), a browser context each
    (headless Chromium did not open a second file chooser a moment after the first one)."""
    settings.MEDIA_ROOT = tmp_path
    logo = tmp_path / "logotipo.png"
    logo.write_bytes(PNG)
    _FILES[logo.name] = str(logo)
    admin_user.language = "es"
    admin_user.save()
    shot = "brand" if path == "/brand/" else "report"
    context, page = new_page(browser, locale="es-ES", viewport=DESKTOP)
    try:
        sign_in_home(page, portal.console, admin_user.username)
        assert page.goto(portal.console + path).status == 200
        _looks_translated(page, input_id, logo.name)
        assert _axe_serious(page) == [], path
        page.locator(f"#{input_id}").locator("xpath=..").scroll_into_view_if_needed()
        screenshot(page, f"choose-file-{shot}-es-1440")
        page.set_viewport_size(PHONE)
        _no_overflow(page)
        page.locator(f"#{input_id}").locator("xpath=..").scroll_into_view_if_needed()
        screenshot(page, f"choose-file-{shot}-es-390")
    finally:
        context.close()
