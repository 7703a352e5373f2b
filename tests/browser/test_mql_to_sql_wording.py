"""The two MQL → SQL measures, each named for what it is, as a person reads them in Spanish: the
report's tile (the month's SQLs over its MQLs, 150 % here, with its note) and the criteria editor's
backtest (a cohort share of the same leads), at 1440 and 390 px, with screenshots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from clients.models import Lead
from kpis.services import snapshot_compute
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_the_reports_mql_to_sql_tile_says_why_it_passes_100_in_spanish(page, portal, client_user_a, tenants,
                                                                       width) -> None:
    september, october = dt.datetime(2026, 9, 8, tzinfo=dt.UTC), dt.datetime(2026, 10, 14, tzinfo=dt.UTC)
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"o{i}", created_at=october, mql_at=october, sql_at=october if i < 3 else None) for i in range(10)]
            + [Lead(id=f"s{i}", created_at=september, mql_at=september, sql_at=october) for i in range(12)]
        )
    snapshot_compute(client=tenants["alpha"], months=[dt.date(2026, 9, 1), dt.date(2026, 10, 1)])
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-10")
    tile = page.locator("#kpi-mql_to_sql_rate")
    tile.locator("xpath=ancestor::details").evaluate("e => e.open = true")
    tile.scroll_into_view_if_needed()
    assert tile.locator(".value").inner_text().startswith("150")
    note = tile.locator(".kpi-note")
    assert note.is_visible()
    assert note.inner_text() == ("Por encima del 100 %: los SQL de este mes incluyen leads que pasaron a MQL en "
                                 "meses anteriores.")
    assert tile.locator("h4").get_attribute("title").startswith("SQL de este mes ÷ MQL de este mes.")
    _no_overflow(page)
    tile.screenshot(path=str(ARTIFACTS / f"mql-to-sql-tile-es-{width}.png"))


@pytest.mark.parametrize("width", [1440, 390])
def test_the_backtest_names_its_cohort_share_in_spanish(page, portal, admin_user, tenants, width) -> None:
    created = timezone.now().replace(day=1) - dt.timedelta(days=20)
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"c{i}", created_at=created, employees=100, sql_at=created if i < 1 else None)
                                  for i in range(4)])
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/criteria/new/")
    page.locator("#threshold").fill("0")
    page.locator("button[hx-post$='/criteria/backtest/']").click()
    section = page.locator("#backtest table")
    section.wait_for()
    headers = page.locator("#backtest th[data-measure=cohort]").all_inner_texts()
    assert headers == ["De estos MQL, parte que pasó a SQL, ahora", "De estos MQL, parte que pasó a SQL, con el borrador"]
    assert "25,0 %" in section.inner_text()
    assert "No es la «Tasa MQL → SQL» del informe" in page.locator("#backtest-measure").inner_text()
    assert section.locator("xpath=..").evaluate("e => e.scrollWidth <= e.clientWidth"), "the backtest scrolls sideways"
    if width == 390:  # a card per month, each figure under its own name
        labels = section.locator("tbody tr").last.locator("td[data-label]").evaluate_all(
            "cells => cells.map(c => getComputedStyle(c, '::before').content)")
        assert section.locator("caption").bounding_box()["width"] > 300  # the title reads across the card
        assert '"De estos MQL, parte que pasó a SQL, con el borrador: "' in labels, labels
    _no_overflow(page)
    page.locator("#backtest").screenshot(path=str(ARTIFACTS / f"backtest-es-{width}.png"))
