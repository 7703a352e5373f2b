"""The monthly report email in Chromium at a phone's width (390 px), its images as the mail client
shows them and blocked: nothing wider than the screen (the funnel chart shrinks to fit), and each key figure
says in plain words what it means; English and Spanish."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from reports.services import month_approve
from tests.browser.conftest import screenshot
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _as_shown(payload: dict) -> str:
    """The HTML with its inline images (cid:) in place, as a mail client draws it."""
    html = payload["html"]
    for attachment in payload["attachments"]:
        if attachment.get("inline_id"):
            data = base64.b64encode(Path(attachment["path"]).read_bytes()).decode()
            html = html.replace(f"cid:{attachment['inline_id']}", f"data:{attachment['mimetype']};base64,{data}")
    return html


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_email_fits_a_phone_and_explains_its_figures(browser, march, client_user_a, staff_a, language) -> None:  # noqa: F811
    client_user_a.language = language
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind="report_approved").payload
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_content(_as_shown(payload))
    # The funnel chart drawn (the test reads its real width, not a broken image's).
    chart = "document.querySelector('img[src^=\"data:image/png\"]')"
    page.wait_for_function(f"{chart} && {chart}.complete && {chart}.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Its labels read at 12 px or more: drawn at 13 px on a 340 px drawing (its PNG twice that), shown
    # at most that wide (kpis.charts.SCREEN_TEXT; it was 10.5 px on 420 px, shrunk on a phone).
    shown, natural = page.evaluate(f"[{chart}.getBoundingClientRect().width, {chart}.naturalWidth]")
    assert natural == 680 and 12 <= 13 * shown / (natural / 2) <= 13
    page.set_content(payload["html"])  # a mail client that blocks images (Outlook's default): still no wider
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_content(_as_shown(payload))
    mqls = {"en": "Leads that became marketing-qualified in the month.",
            "es": "Leads que pasaron a ser cualificados por marketing durante el mes."}[language]
    assert mqls in page.locator("[data-definition]").all_inner_texts()
    screenshot(page, f"report-email-390-{language}")
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_key_figures_read_across_the_screen_on_a_phone_and_a_desktop(
    browser, march, client_user_a, staff_a, language  # noqa: F811
) -> None:
    """At 390 px the key-figure table had four columns: a figure's meaning squeezed into ~110 px, five
    words a line. Each figure is now its name and its value on one row, its meaning on a row of its own
    across the table, in plain table markup (no media query: Gmail and Outlook draw it the same)."""
    client_user_a.language = language
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind="report_approved").payload
    assert "{#" not in payload["html"] and "{%" not in payload["html"]  # no template text shown
    for width in (390, 640):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_content(payload["html"])  # images blocked
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        table = page.locator("[data-key-figures]").bounding_box()
        notes = page.locator("[data-figure-notes]")
        assert notes.count() == page.locator("[data-key-figure]").count() >= 5
        for box in (notes.nth(i).bounding_box() for i in range(notes.count())):
            assert box["width"] >= table["width"] - 1  # the meaning spans the whole table
        # the figure's name has most of its row; the value and its change keep to the right
        name = page.locator("[data-key-figure] td").first.bounding_box()
        assert name["width"] >= table["width"] * 0.5
        screenshot(page, f"report-email-key-figures-{width}-{language}")
        context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_revision_email_fits_a_phone_and_a_desktop_with_its_logo(
    browser, march, client_user_a, staff_a, language  # noqa: F811
) -> None:
    """The revision's email, branded like the monthly one (it was plain text): its logo drawn from
    its attachment, nothing wider than the screen, each changed figure's revised and approved value
    side by side with its name at 390 px as at 600 px."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from agency.models import Client
    from tests.reports.conftest import late_spend

    png = io.BytesIO()
    Image.new("RGB", (120, 40), "#0f766e").save(png, format="PNG")
    Client.objects.get(pk=march.pk).brand_logo.save("logo.png", ContentFile(png.getvalue()), save=True)
    march.refresh_from_db()
    client_user_a.language = language
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)
    late_spend(march)
    month_approve(client=march, month=MARCH, user=staff_a, reason="gasto tardío de Google Ads", notify=True)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind="report_revised").payload
    assert "{#" not in payload["html"] and "{%" not in payload["html"]
    for width in (390, 600):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_content(_as_shown(payload))
        logo = "document.querySelector('img[src^=\"data:image/png\"]')"
        page.wait_for_function(f"{logo} && {logo}.complete && {logo}.naturalWidth > 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.locator("[data-change]")
        assert rows.count() >= 1
        for i in range(rows.count()):
            name, value = (rows.nth(i).locator("td").nth(j).bounding_box() for j in (0, 1))
            assert name["y"] == value["y"] and name["x"] + name["width"] <= value["x"] + 1
        screenshot(page, f"revision-email-{width}-{language}")
        context.close()
