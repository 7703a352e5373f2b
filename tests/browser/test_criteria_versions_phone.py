"""The criteria's versions at 390 px in Spanish: each version a card of labelled lines, no sideways
scroll, "desde el principio – …" read whole (it was cut at the screen's edge)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.models import CriteriaVersion
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_criteria_versions_read_whole_on_a_phone_in_spanish(page, portal, admin_user, tenants, width) -> None:
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria={"fit": {}, "threshold": 0},
                                       author_name="ana.garcia", change_note="Primera versión, umbral 0")
        CriteriaVersion.objects.create(version=2, effective_from=dt.date(2026, 5, 1), criteria={"fit": {}, "threshold": 20},
                                       author_name="ana.garcia", change_note="Umbral 20 desde mayo, tras la reunión")
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/criteria/")
    table = page.locator("main table.data")
    assert "desde el principio" in table.inner_text()
    assert table.locator("xpath=..").evaluate("e => e.scrollWidth <= e.clientWidth"), "the versions scroll sideways"
    for cell in table.locator("td").all():
        assert cell.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), cell.inner_text()
    if width == 390:  # a card per version, each line under its column's name
        labels = table.locator("tbody tr").last.locator("td[data-label]").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert '"Vigente: "' in labels, labels
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"criteria-versions-es-{width}.png"), full_page=True)
