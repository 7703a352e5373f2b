"""The report's contract lifetime value panel in Spanish at 1440 and 390 px: each segment in words
(the demo client's segments are its industries: "SaaS", "Comercio minorista"), not its import code."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow, clock, report_data  # noqa: F401 -- the demo client's report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_value_panel_names_its_segments_in_spanish(page, portal, client_user_a, report_data) -> None:  # noqa: F811
    client_user_a.language = "es"
    client_user_a.save()
    alpha = portal.client("alpha")
    sign_in(page, alpha, client_user_a.username)
    page.wait_for_url(alpha + "/")
    for width, height in ((1440, 1000), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(alpha + "/scorecard/?month=2026-10")
        page.locator("summary", has_text="Valor de vida del contrato, explicado").click()
        rows = page.locator("table:has(caption:text('Valor de vida del contrato por segmento')) tbody th[scope=row]")
        names = [name.strip() for name in rows.all_inner_texts()]
        assert names, "no segment rows"
        assert "SaaS" in names or "Fintech" in names or "Comercio minorista" in names, names
        assert not {"saas", "retail", "health", "manufacturing", "education"} & set(names), names
        assert names[:-1] == sorted(names[:-1], key=str.casefold) and names[-1] == "Todos los contratos", names
        _no_overflow(page)
        rows.first.scroll_into_view_if_needed()
        screenshot(page, f"ltv-segments-es-{width}")
        page.locator("details:has(#ltv-segments-title)").screenshot(path=str(ARTIFACTS / f"ltv-segments-panel-es-{width}.png"))
