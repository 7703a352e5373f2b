"""A scheduled source's page after a failed run, in a real browser at 1440 and 390 px, in English and
Spanish: the runs table shows every column (its details wrap instead of being cut at the card's edge),
what to do reads in dark text, not alarm red, and nothing scrolls sideways on the phone."""

from __future__ import annotations

import pytest

from agency.models import Client
from clients.sources.schedule import scheduled_source_save, source_run
from tests.browser.conftest import new_page, screenshot, sign_in_home
from tests.browser.test_report import _no_overflow
from tests.clients.local_http import allow_private_fixture, server_fixture  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"1440": {"width": 1440, "height": 1000}, "390": {"width": 390, "height": 844}}
ADVICE = {"en": "Open the address in a browser", "es": "Abre la dirección en un navegador"}
CUT = """() => [...document.querySelectorAll('#source-runs td, #source-runs th')]
               .filter(e => e.getBoundingClientRect().right > e.closest('.table-wrap').getBoundingClientRect().right + 1)
               .map(e => e.textContent.slice(0, 30))"""


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_failed_sources_page_shows_every_run_column_and_what_to_do(
    browser, portal, staff_a, server, allow_private, settings, tmp_path, language
) -> None:
    base, _handler = server
    settings.MEDIA_ROOT = tmp_path
    alpha = Client.objects.get(slug="alpha")
    source = scheduled_source_save(client=alpha, name="Campaign sheet", url=f"{base}/gone.csv", kind="campaigns")
    assert not source_run(client=alpha, source_id=source.pk).ok  # 404: no file there any more
    staff_a.language = language
    staff_a.save()
    context, page = new_page(browser, locale=language)
    try:
        sign_in_home(page, portal.client("alpha"), staff_a.username)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            assert page.goto(portal.client("alpha") + f"/sources/scheduled/{source.pk}/").status == 200
            screenshot(page, f"scheduled-source-failed-{language}-{width}")
            assert page.evaluate(CUT) == []  # no column beyond the card's edge
            advice = page.locator("#source-failure .failure-advice")
            assert ADVICE[language] in advice.inner_text()
            red = page.evaluate("getComputedStyle(document.querySelector('#source-failure')).color")
            assert advice.evaluate("e => getComputedStyle(e).color") != red
            if width == "390":
                _no_overflow(page)
    finally:
        context.close()
