"""The glossary page (What each figure means) as a client reads it, at 1440 and 390 px in Spanish:
every figure whole, no sideways scroll; on a phone each figure a card of labelled lines."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_glossary_reads_whole_in_spanish(page, portal, client_user_a, tenants, width) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/glossary/")
    row = page.locator("#kpi-cpl")
    text = " ".join(row.inner_text().split())
    assert "Costo por lead" in text and "Inversión en marketing ÷ leads nuevos." in text and "una bajada" in text
    if width == 390:
        label = row.locator("td").first.evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Qué mide: "', label
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"glossary-es-{width}.png"), full_page=True)
