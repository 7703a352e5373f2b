"""The device drill-down of a month whose CRM leads record no device (a HubSpot export) while its traffic
has devices, in a real browser at 1440 and 390 px in English and Spanish: no column of 0 new leads, the
reason under the table, nothing scrolling sideways (screenshots a person looks at)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.models import Lead, TrafficRow
from kpis.services import snapshot_compute
from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MARCH = dt.date(2026, 3, 1)
REASON = {
    "en": "None of this month's 12 new leads records a device (their source does not send one)",
    "es": "Ninguno de los 12 leads nuevos de este mes registra un dispositivo (su origen no lo envía)",
}
NOT_SHOWN = {"en": "Not shown, as there is no value for any device this month: New leads",
             "es": "No se muestran, porque no hay valor para ningún dispositivo este mes: Leads nuevos"}
COLUMN = {"en": "New leads", "es": "Leads nuevos"}


@pytest.fixture
def no_device(tenants):
    alpha = tenants["alpha"]
    with schema_context("alpha"):
        TrafficRow.objects.bulk_create([
            TrafficRow(date=dt.date(2026, 3, 4), channel="organic_search", device=device, sessions=sessions,
                       bounced_sessions=sessions // 3)
            for device, sessions in (("desktop", 900), ("mobile", 600), ("tablet", 60))
        ])  # fmt: skip
        at = dt.datetime(2026, 3, 12, 10, tzinfo=dt.UTC)
        Lead.objects.bulk_create([Lead(id=f"h{i}", created_at=at, channel="organic_search") for i in range(12)])
    snapshot_compute(client=alpha, months=[MARCH])
    return alpha


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [1440, 390])
def test_the_device_drilldown_says_no_lead_records_a_device(page, portal, client_user_a, no_device, width, language):
    client_user_a.language = language
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 1000})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/breakdowns/device/?month=2026-03")
    table = page.locator("table.data")
    assert table.is_visible() and table.locator(f'td[data-label="{COLUMN[language]}"]').count() == 0
    assert "0" not in [text.strip() for text in table.locator("td").all_inner_texts()]
    note = page.locator("p[data-blank-columns]")
    assert note.is_visible() and note.inner_text().startswith(NOT_SHOWN[language]) and REASON[language] in note.inner_text()
    _no_overflow(page)
    screenshot(page, f"device-drilldown-no-device-{language}-{width}")
