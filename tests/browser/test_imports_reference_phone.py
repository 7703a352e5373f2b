"""The Imports page's reference on a phone, in Spanish: every table of the recognized reports and of
the portal's own file kinds fits its box with its descriptions wrapped (they were cut at the right
edge), and a link to a file kind (#kind-leads, from the mapping editor) opens its closed section."""

from __future__ import annotations

import pytest

from tests.browser.test_portal_shell import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_file_kinds_reference_fits_a_phone_and_a_link_opens_its_kind(page, portal, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    base = portal.client("alpha")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, staff_a.username)
    page.wait_for_url(base + "/")
    page.goto(base + "/imports/#kind-leads")
    assert page.evaluate("document.getElementById('kind-leads').open")  # the link opened it
    for section in page.locator("#builtin-sources details, #kinds-reference details").all():
        section.evaluate("d => d.open = true")
    too_wide = page.evaluate("""() => [...document.querySelectorAll(
          '#builtin-sources .table-wrap, #kinds-reference .table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1)
        .map(w => w.closest('details').querySelector('summary').innerText)""")
    assert too_wide == []
