"""The report's charts read on a phone: at 390 px (and 360, and on a desktop) every label of every
chart shown renders at 12 px or more (the funnel and the channel mix were one wide drawing scaled down to about 10 px),
the page does not scroll sideways, and a Spanish reader sees Spanish months in lower case."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow, clock, report_data  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each chart shown (a drawing per width, the others display:none): its title, how many texts, and
# the smallest and largest size a text renders at, in CSS px (font size × the drawing's scale).
RENDERED = """() => [...document.querySelectorAll('.chart-box svg')].filter(svg => svg.getBoundingClientRect().width > 0)
  .map(svg => { const sizes = [...svg.querySelectorAll('text')]
      .map(t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a);
    return {title: svg.getAttribute('aria-label'), count: sizes.length, min: Math.min(...sizes), max: Math.max(...sizes),
            texts: [...svg.querySelectorAll('text')].map(t => t.textContent)}; })"""


@pytest.mark.parametrize("width", [390, 360, 1440])
def test_every_chart_label_renders_at_12_px_or_more_in_spanish(
    page, portal, client_user_a, report_data, width  # noqa: F811
) -> None:
    client_user_a.language = "es"
    client_user_a.save()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/")
    page.locator("#funnel-title").scroll_into_view_if_needed()
    charts = page.evaluate(RENDERED)
    titles = [chart["title"] for chart in charts]
    assert len(charts) >= 8 and any(t.startswith("Embudo") for t in titles) and "Leads nuevos por canal" in titles
    assert len(titles) == len(set(titles)), titles  # one drawing of each chart shown, not two
    for chart in charts:
        assert chart["count"] and chart["min"] >= 12, chart
        assert chart["max"] <= 17, chart  # and none blown up either
    texts = next(c["texts"] for c in charts if c["title"].startswith("Leads nuevos,"))
    months = [t for t in texts if re.fullmatch(r"[^\W\d]{3,4}\.?( \d{4})?", t)]
    assert months[0] == "oct 2025" and months[-1] == "oct" and all(m == m.lower() for m in months), months
    assert "Objetivo 80" in texts and "Mes con una nota" in texts  # the dashed line and the markers, named
    mix = next(c["texts"] for c in charts if c["title"] == "Leads nuevos por canal")
    assert any(t.endswith(" leads") for t in mix)  # counted in leads, not bare numbers
    _no_overflow(page)
    screenshot(page, f"charts-es-{width}")
