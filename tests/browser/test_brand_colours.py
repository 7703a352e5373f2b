"""The Brand page's colours in a browser, in Spanish at 390 px: each swatch drawn in the saved colour
with its hex beside it, and the hex follows a colour picked."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from agency.models import AgencyBrand
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_swatches_show_the_saved_colours_and_their_hex_follows_a_pick(page, portal, admin_user) -> None:
    AgencyBrand.objects.create(name="Agencia Norte", accent="#0a7d55", bar_colour="#222222")
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": 390, "height": 900})
    try:
        sign_in(page, portal.console, admin_user.username)
        page.goto(portal.console + "/brand/")
        accent = page.locator("#id_accent")
        assert accent.input_value() == "#0a7d55"
        assert page.locator("#id_accent_hex").inner_text() == "#0a7d55"
        assert page.locator("#id_bar_colour_hex").inner_text() == "#222222"
        assert accent.bounding_box()["width"] >= 40  # a swatch one sees, not a sliver
        _no_overflow(page)
        page.locator("form.narrow-form").screenshot(path=str(ARTIFACTS / "brand-colours-es-390.png"))
        accent.fill("#aa3300")
        assert page.locator("#id_accent_hex").inner_text() == "#aa3300"
    finally:
        cache.delete(AgencyBrand.BRAND_CACHE_KEY)
