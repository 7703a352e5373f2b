"""The client's report settings in a real browser at 1440 and 390 px in Spanish: "Remove the logo" is a
checkbox where the other fields start, its label beside it — not a box floating in the middle of the
form's width (a lone checkbox stretched across a column of the form)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}


def test_the_remove_the_logo_checkbox_lines_up_with_the_fields_and_its_label(browser, portal, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    context, page = new_page(browser, locale="es")
    try:
        sign_in_home(page, portal.console, staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(portal.console + "/clients/alpha/report/").status == 200
            box = page.locator("#id_clear_logo").bounding_box()
            label = page.get_by_text("Quitar el logotipo", exact=True).bounding_box()
            colour = page.locator("#id_brand_accent").bounding_box()
            assert box is not None and label is not None and colour is not None
            assert abs(box["x"] - colour["x"]) <= 4, (width, box, colour)  # where the fields start
            assert box["width"] <= 24, box  # a checkbox, not a stretched control
            assert label["x"] > box["x"] + box["width"] - 1, (label, box)  # its label beside it, to the right
            assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) <= 6, (label, box)
            if width == "390":
                _no_overflow(page)
            page.locator("#id_clear_logo").scroll_into_view_if_needed()
            screenshot(page, f"report-settings-logo-es-{width}")
        page.locator("#id_clear_logo").check()  # still a working checkbox: clicking its label ticks it off again
        page.get_by_text("Quitar el logotipo", exact=True).click()
        assert not page.locator("#id_clear_logo").is_checked()
    finally:
        context.close()
