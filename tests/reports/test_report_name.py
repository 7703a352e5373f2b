"""The page "Read the report" opens is called the report wherever it is named: its heading, its
title, the menu, the links to it and back, in English and Spanish. It read "Scorecard" ("Cuadro de
mando") in its heading and the menu while its links, the emails and the PDF said "report"."""

from __future__ import annotations

import re

import pytest

from reports.services import month_approve, month_open
from tests.reports.conftest import MARCH, browser_for


def _visible(html: str) -> str:
    """The words a reader sees (not the address /scorecard/ of a link)."""
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)).lower()


NAMES = {"en": ("Read the report", "Report", "Back to the report", "Scorecard"),
         "es": ("Leer el informe", "Informe", "Volver al informe", "Cuadro de mando")}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_read_the_report_opens_is_the_report_by_name(march, client_user_a, staff_a, language) -> None:
    link, name, back, old = NAMES[language]
    client_user_a.language = language
    client_user_a.save()
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    http = browser_for(client_user_a, march, language=language)
    panel = http.get("/panels/report/").content.decode()
    assert re.search(rf'<a class="button" href="(/scorecard/\?month=2026-03)">{link}</a>', panel), panel
    page = http.get("/scorecard/?month=2026-03").content.decode()
    assert f"<h1>{name}</h1>" in page
    assert re.search(rf"<title>{name} · ", page), re.findall(r"<title>[^<]*", page)
    assert f'<a href="/scorecard/">{name}</a>' in page  # the menu
    assert f">{link}</a>" in http.get("/reports/2026-03/").content.decode()  # the month's page links it alike
    breakdown = http.get("/scorecard/breakdowns/channel/?month=2026-03").content.decode()
    assert f">{back}</a>" in breakdown
    for path in ("/", "/scorecard/?month=2026-03", "/reports/2026-03/", "/reports/", "/accounts/email-preferences/"):
        assert old.lower() not in _visible(http.get(path).content.decode()), path
    staff = browser_for(staff_a, march, language=language)
    for path in ("/scorecard/?month=2026-03", "/reports/2026-03/"):
        assert old.lower() not in _visible(staff.get(path).content.decode()), path
