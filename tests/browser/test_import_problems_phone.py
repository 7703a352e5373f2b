"""A refused file's problems on a phone, in Spanish: each problem a card of labelled lines, its reason
read whole (it sat off-screen in the fourth column of a table scrolling sideways); a new client's
file in another zone than the client's says both moments and why."""

from __future__ import annotations

import pytest

from agency.models import Client
from clients.imports.services import import_job_create_from_path, import_job_run
from clients.storage import imports_dir
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
def test_a_refused_files_reasons_read_whole_on_a_phone(page, portal, staff_a, tenants, width) -> None:
    alpha = Client.objects.get(slug="alpha")
    path = imports_dir(client=alpha) / "incoming-leads.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("id,created_at,first_contacted_at\nL1,2026-03-02T08:45:00,2026-03-02T07:15:00Z\n"
                    "L2,2026-03-03T09:00:00,2026-03-03T07:00:00Z\n", encoding="utf-8")
    job = import_job_create_from_path(client=alpha, path=path, filename="leads.csv", kind="leads",
                                       language="es")  # as uploaded by a Spanish reader
    import_job_run(client=alpha, job_id=job.pk)
    staff_a.language = "es"
    staff_a.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), staff_a.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + f"/imports/jobs/{job.pk}/")
    table = page.locator("main table.import-problems")
    assert "anterior a created_at (2026-03-02 07:45 UTC; este es 2026-03-02 07:15 UTC)" in table.inner_text()
    reason = table.locator("tbody tr").first.locator("td").last
    box = reason.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width + 1, "the reason is off-screen"
    assert table.locator("xpath=..").evaluate("e => e.scrollWidth <= e.clientWidth"), "the problems scroll sideways"
    if width == 390:
        labels = reason.evaluate("c => getComputedStyle(c, '::before').content")
        assert labels == '"Motivo: "', labels
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / f"import-problems-es-{width}.png"), full_page=True)
