"""The close board on a phone, in English and Spanish: a client's card is indented for its tick box
only when it has one. A card without one (a month not clean) kept the 2rem of room, so its name and
lines sat inwards of the page's text for nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portfolio.models import ClientMonthClose
from reports.services import month_reviews_start
from tests.browser.conftest import screenshot, sign_in_home
from tests.browser.test_close_board import APRIL_5, ROWS, _beta_march
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
# a row's first line (the name) and the first cell of its second line (the state): a phone's row per
# client (BOARD_LAYOUT 18) puts the state, checks and days waiting side by side under the name
LEFTS = """row => [...row.querySelectorAll(':scope > th, :scope > td.state')]
    .map(cell => Math.round(cell.getBoundingClientRect().left))"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_card_without_a_tick_box_is_not_indented_on_a_phone(browser, portal, march, tenant_b, staff_ab, language) -> None:  # noqa: F811
    _beta_march(tenant_b)
    month_reviews_start(client=march, at=APRIL_5)
    month_reviews_start(client=tenant_b, at=APRIL_5)
    # a client question waits on beta's March: not clean, so no tick box
    ClientMonthClose.objects.filter(client=tenant_b, month=MARCH).update(open_questions=1, updated_at=timezone.now())
    staff_ab.language = language
    staff_ab.save()
    context = browser.new_context(locale="es-ES" if language == "es" else "en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-03")
        expect(page.locator(ROWS)).to_have_count(2)
        screenshot(page, f"board-cards-390-{language}")
        page_left = round(page.locator("#board-table .board-counts").bounding_box()["x"])
        ticked, plain = page.locator("table.board tbody tr").all()
        assert ticked.locator("td.pick input").count() == 1 and plain.locator("td.pick input").count() == 0
        # without a tick box: the name and the line under it start at the page's text edge, at one left
        lefts = plain.evaluate(LEFTS)
        assert set(lefts) == {page_left}, lefts
        # with one: the box at the edge, the row's name and the line under it beside it, at one left
        box = ticked.locator("td.pick input").bounding_box()
        lefts = ticked.evaluate(LEFTS)
        assert len(set(lefts)) == 1 and lefts[0] >= box["x"] + box["width"], (lefts, box)
        assert lefts[0] - page_left == pytest.approx(32, abs=1)  # the 2rem of room for the box
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


FIRST_LETTERS = """table => [...table.querySelectorAll('tbody td[data-label] .said')]
    .map(said => [said.closest('td').dataset.label, said.textContent.trim(),
                  getComputedStyle(said, '::first-letter').textTransform])"""


@pytest.mark.parametrize(("language", "width", "lowered"),
                         [("es", 390, True), ("es", 1440, False), ("en", 390, True), ("en", 1440, False)])
def test_a_card_goes_on_in_lower_case_after_its_labels_colon(
    browser, portal, march, staff_ab, language, width, lowered  # noqa: F811
) -> None:
    """"Estado: En revisión" and "State: In review" read as a capital in mid-line: on a phone's card
    the value goes on in lower case after the label's colon in both languages ("Estado: en revisión",
    "State: in review", "Waiting: no", "Figures computed: not yet"); the table's cells stand alone and
    keep their capital."""
    month_reviews_start(client=march, at=APRIL_5)
    staff_ab.language = language
    staff_ab.save()
    context = browser.new_context(locale="es-ES" if language == "es" else "en-GB", viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        sign_in_home(page, portal.console, staff_ab.username)
        page.goto(portal.console + "/board/?month=2026-03")
        expect(page.locator(ROWS).first).to_be_visible()
        screenshot(page, f"board-colon-{width}-{language}")
        lines = page.locator("table.board").evaluate(FIRST_LETTERS)
        labels = {label for label, _text, _transform in lines}
        assert {"Estado", "Comentario", "En espera"} <= labels if language == "es" else {"State", "Commentary"} <= labels, lines
        assert all(text[:1].isupper() for _label, text, _transform in lines if text[:1].isalpha()), lines  # as written
        expected = "lowercase" if lowered else "none"
        assert {transform for _label, _text, transform in lines} == {expected}, lines
    finally:
        context.close()
