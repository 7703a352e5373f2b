"""The scorecard's "Compare with" choices read as a label's value ("Compare with: Previous month
(February 2026)"), not "Compare with: the previous month", and name their month as the page names
the month a change is against (kpis.formatting.compared_month, the tiles' "against February 2026").
A month changed through HTMX swaps only the tiles: the choices follow out of band."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import host_of
from tests.kpis.test_figure_notes_screens import unmarked  # noqa: F401 -- fixture
from tests.kpis.test_unmatched_leads_screens import http_for

pytestmark = pytest.mark.django_db
CHOICES = {
    "en": ["Previous month (February 2026)", "Same month last year (March 2025)"],
    "es": ["Mes anterior (febrero de 2026)", "Mismo mes del año pasado (marzo de 2025)"],
}
OPTION = re.compile(r'<option id="compare-(month|year)" value="\1" ?(selected)?[^>]*>([^<]+)</option>')


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_compare_choices_read_after_the_label_and_name_their_month(client_user_a, unmarked, language):  # noqa: F811
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03&compare=year",
                                                          HTTP_HOST=host_of(unmarked)).content.decode())
    form = html[html.index('<select id="compare"'):]
    form = form[: form.index("</select>")]
    options = OPTION.findall(form)
    assert [label for _value, _selected, label in options] == CHOICES[language], form
    assert [value for value, selected, _label in options if selected] == ["year"]
    assert ">the previous month<" not in html and ">el mes anterior<" not in html
    against = {"en": "against March 2025", "es": "frente a marzo de 2025"}[language]
    assert against in html  # the tiles name the same month


def test_a_month_changed_in_place_brings_its_compare_choices_out_of_band(client_user_a, unmarked):  # noqa: F811
    html = unescape(http_for(client_user_a, "en").get("/scorecard/?month=2026-02", HTTP_HOST=host_of(unmarked),
                                                      HTTP_HX_REQUEST="true").content.decode())
    swapped = re.findall(r'<option id="compare-(?:month|year)"[^>]*hx-swap-oob="true">([^<]+)</option>', html)
    assert swapped == ["Previous month (January 2026)", "Same month last year (February 2025)"], html[-600:]
    full = http_for(client_user_a, "en").get("/scorecard/?month=2026-02", HTTP_HOST=host_of(unmarked)).content.decode()
    assert "hx-swap-oob" not in full  # the whole page has its choices in the form, once
