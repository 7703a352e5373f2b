"""A "—" says why in words a phone shows (review: at 390 px CLTV and LTV:CAC showed "—" with the
reason only in a hover title, and that reason was false for the month). Retainers paying at both
ends of March and none stopping: CLTV is undefined because the churn rate is zero — not because no
account pays, with an MRR of €157k."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from clients.models import Contract, Lead
from kpis.services import snapshot_compute
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARCH = dt.date(2026, 3, 1)
ZERO_CHURN_ES = "Ninguna cuenta dejó de pagar este mes"
NO_ACCOUNTS_ES = "Ninguna cuenta paga una iguala"


@pytest.fixture
def retainers(tenants):
    with schema_context("alpha"):
        Contract.objects.bulk_create([
            Contract(id=f"r{i}", account=f"acc{i}", kind="retainer", start_date=dt.date(2025, 6, 1), term_months=24,
                     monthly_fee=Decimal("15700"))
            for i in range(10)
        ])  # fmt: skip
        # A client with a lead source (kpis.nodata): without one, LTV:CAC reads "no leads loaded" first.
        Lead.objects.create(id="l1", created_at=dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenants["alpha"], months=[dt.date(2026, 2, 1), MARCH])
    return tenants["alpha"]


def _inside_the_screen(page, locator) -> None:
    box = locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways


def test_on_a_phone_in_spanish_cltvs_dash_says_the_true_reason(page, portal, staff_a, retainers) -> None:
    staff_a.language = "es"
    staff_a.save()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_url(portal.client("alpha") + "/")

    # The month page of the close: each KPI a row (label | value), the reason on a line of its own.
    page.goto(portal.client("alpha") + "/reports/2026-03/")
    for label in ("CLTV", "LTV : CAC"):
        row = page.locator("table.kpi-table tr", has=page.locator("th", has_text=label)).first
        why = row.locator(".why")
        why.wait_for()
        assert why.is_visible() and ZERO_CHURN_ES in why.inner_text(), label
        assert NO_ACCOUNTS_ES not in row.inner_text()
        _inside_the_screen(page, why)
    row = page.locator("table.kpi-table tr", has=page.locator("th", has_text="MRR")).first
    assert "157" in row.inner_text()  # the MRR the reason must not contradict
    page.locator("table.kpi-table tr", has=page.locator("th", has_text="CLTV")).first.scroll_into_view_if_needed()
    screenshot(page, "null-reasons-report-phone-es")

    # The scorecard: the tile and the lifetime value panel beside it.
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-03")
    group = page.locator('details[data-group="recurring_revenue_and_value"]')
    group.locator("summary").click()
    why = page.locator("#kpi-cltv .why")
    assert why.is_visible() and ZERO_CHURN_ES in why.inner_text() and NO_ACCOUNTS_ES not in why.inner_text()
    _inside_the_screen(page, why)
    page.locator('details[data-group="lifetime-value"] summary').click()
    side = page.locator(".ltv-side .why").first
    assert side.is_visible() and ZERO_CHURN_ES in side.inner_text()
    # The segment table's dashes: their reasons once each in a line under it, not only in titles.
    under = page.locator('details[data-group="lifetime-value"] .table-why')
    assert under.is_visible() and "Todavía no ha terminado ninguna iguala." in under.inner_text()
    _inside_the_screen(page, under)
    page.locator("#kpi-cltv").scroll_into_view_if_needed()
    screenshot(page, "null-reasons-scorecard-phone-es")


def test_on_a_wide_screen_the_reason_sits_under_the_dash(page, portal, staff_a, retainers) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/reports/2026-03/")
    row = page.locator("table.kpi-table tr", has=page.locator("th", has_text="CLTV")).first
    assert row.locator(".why").is_visible() and "No account stopped paying this month" in row.inner_text()
    row.scroll_into_view_if_needed()
    screenshot(page, "null-reasons-report-desktop")


def test_the_agencys_outbox_page_on_a_phone_in_spanish(page, portal, admin_user, tenants) -> None:
    from agency.models import PublicOutboxEmail

    PublicOutboxEmail.objects.create(
        kind="password_reset", recipient_id=admin_user.pk, to="ada@agency.example", reference="1",
        payload={"subject": "s", "body": "b"}, state="failed", attempts=12,
        last_error="SMTPRecipientsRefused: {'ada@agency.example': (550, b'5.1.1 mailbox unavailable')}",
    )  # fmt: skip
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, portal.console, admin_user.username)
    page.goto(portal.console + "/emails/")
    page.get_by_role("heading", name="Los correos de la agencia").wait_for()
    item = page.locator('[data-outbox-state="given_up"]')
    assert "Un enlace para restablecer la contraseña" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "agency-outbox-phone-es")
    page.get_by_role("button", name="Enviar de nuevo").click()
    page.locator("#outbox-empty").wait_for()  # queued again: nothing waits for the admin any more
    screenshot(page, "agency-outbox-sent-again-phone-es")
