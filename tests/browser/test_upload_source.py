"""In a real browser: staff drop a platform's export, see what was detected, import it, see the figures."""

from __future__ import annotations

import datetime as dt

import pytest

from kpis.services import snapshot_compute
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in
from tests.clients.imports.test_upload_detection import GOOGLE_ADS_ES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_upload_a_spanish_google_ads_report_and_see_the_spend(
    page, portal, staff_a, tenants, eager_tasks, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = tmp_path / "informe-google-ads.csv"
    upload.write_bytes(GOOGLE_ADS_ES)
    alpha = portal.client("alpha")
    sign_in(page, alpha, staff_a.username)
    page.wait_for_url(alpha + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_label("Files", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Preview").click()

    detected = page.locator("#detected")
    detected.wait_for()
    text = " ".join(detected.inner_text().split())
    assert text == "Detected: Google Ads campaign report (Spanish), 6 rows, Mar 1, 2026 … Mar 2, 2026, 3 new campaigns."
    page.get_by_role("cell", name="1,234.50").wait_for()  # written as the totals write numbers
    screenshot(page, "upload-detected")

    page.get_by_role("button", name="Import the whole file").click()
    page.get_by_text("Done: 6 rows read, 6 added, 0 updated, 0 unchanged.").wait_for()
    screenshot(page, "upload-imported")

    snapshot_compute(client=tenants["alpha"], months=[dt.date(2026, 3, 1)])
    page.goto(alpha + "/scorecard/?month=2026-03")
    page.locator("summary", has_text="Cost and revenue").click()  # the report folds the detail groups away
    spend = page.locator('[data-kpi="media_spend"] .value')
    assert spend.inner_text().replace("\u00a0", " ") == "€1,430.00"  # 1,234.50 + 80.25 + 10 + 99 + 0.75 + 5.50
    page.get_by_role("button", name="Campaign").click()
    page.locator("#drilldown tbody tr").filter(has_text="Marca").filter(has_text="€1,333.50").first.wait_for()  # campaign 701
    screenshot(page, "upload-figures")
