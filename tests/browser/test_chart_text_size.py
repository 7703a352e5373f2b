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


@pytest.mark.parametrize("paper", [703, 725])  # the text's width on A4 and on Letter, 12 mm margins (portal.css @page)
@pytest.mark.parametrize("language", ["en", "es"])
def test_printed_chart_labels_sit_at_or_just_under_the_body_text(
    page, portal, client_user_a, report_data, paper, language  # noqa: F811
) -> None:
    """On paper the funnel's and the channels' names printed at 16.9 px beside a body of 14 px (10.5 pt): a
    drawing made for a narrower box, enlarged. Every label of every chart now prints between 85 % and 100 %
    of the body text."""
    client_user_a.language = language
    client_user_a.save()
    sign_in(page, portal.client("alpha"), client_user_a.username)
    page.wait_for_url(portal.client("alpha") + "/")
    page.goto(portal.client("alpha") + "/scorecard/?month=2026-10")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": paper, "height": 1123})
    body = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body == 14  # 10.5 pt
    charts = page.evaluate(RENDERED)
    assert len(charts) >= 10, [c["title"] for c in charts]  # the summary's eight, the funnel and the channel mix
    for chart in charts:
        assert chart["count"] and 0.85 * body <= chart["min"] and chart["max"] <= body, (chart["title"], chart["min"],
                                                                                       chart["max"])
    page.locator("#funnel-title").scroll_into_view_if_needed()
    screenshot(page, f"charts-print-{language}-{paper}")
