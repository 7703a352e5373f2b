"""Staff forms and keyboard focus on the scorecard in a real browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from clients.models import Lead
from kpis.services import snapshot_compute
from portfolio.models import Target
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_months(tenants):
    alpha = tenants["alpha"]
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"b{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)) for i in range(3)]
            + [Lead(id=f"c{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC)) for i in range(6)]
        )
    snapshot_compute(client=alpha, months=[dt.date(2026, 2, 1), dt.date(2026, 3, 1)])
    return alpha


def test_a_mistyped_target_shows_its_error_beside_the_field_and_a_spanish_decimal_is_read(
    page, portal, staff_a, two_months
) -> None:
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.get_by_text("Staff: annotate, set a target, recompute").click()
    page.get_by_label("KPI", exact=True).select_option("qualified_lead_rate")
    page.get_by_label("Target for March 2026").fill("25")
    page.get_by_role("button", name="Set target").click()
    error = page.locator("#target-value_error")
    error.wait_for()
    assert "between 0 and 1" in error.inner_text()
    field = page.get_by_label("Target for March 2026")
    assert field.get_attribute("aria-invalid") == "true" and field.input_value() == "25"  # what was typed stays
    assert "target-value_error" in field.get_attribute("aria-describedby")
    screenshot(page, "scorecard-target-error")

    field.fill("0,25")
    page.get_by_role("button", name="Set target").click()
    page.get_by_text("Target saved.").wait_for()
    assert Target.objects.get(client=two_months, kpi="qualified_lead_rate").value == 0.25
    target = page.locator('.tile[data-kpi="qualified_lead_rate"] .target').text_content()  # in a folded group
    assert " ".join(target.split()) == "Target 25.0 % — missed"


def test_focus_moves_to_the_swapped_tiles_for_keyboard_users(page, portal, staff_a, two_months) -> None:
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    page.get_by_label("Month", exact=True).focus()
    page.get_by_label("Month", exact=True).select_option("2026-02")
    page.wait_for_url("**/scorecard/?month=2026-02**")
    page.locator(".freshness", has_text="February 2026").wait_for()
    expect(page.locator("[data-focus-after-swap]:focus")).to_have_count(1)  # polls without eval (the page's CSP refuses it)
    assert "February 2026" in page.evaluate("document.activeElement.textContent")
    page.get_by_role("button", name="Channel").click()
    page.get_by_role("row", name="direct").wait_for()
    expect(page.locator("table.data:focus")).to_have_count(1)
