"""Every time the close page shows names its zone, as the portfolio and the pages' DATETIME_FORMAT do:
the connections line's "last sync" read "(last sync Mar 31, 2026, 11:30 p.m.)" with no zone, and the
commentary's "Saved at 09:42" was UTC's time, bare. And the portal's short date and time (a lead's
dates, a token's last use) names its zone too."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from clients.models import Connection
from tests.reports.conftest import browser_for, march  # noqa: F401 -- alpha's closed March (Europe/Madrid)

pytestmark = pytest.mark.django_db
SYNCED = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)  # 00:30 on 1 April in Madrid (CEST)


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "(last sync Apr 1, 2026, 12:30 a.m. CEST)"),
    ("es", "(última sincronización el 1 abr 2026, 00:30 CEST)"),
])
def test_the_close_pages_last_sync_names_the_clients_zone(march, staff_a, language, shown) -> None:  # noqa: F811
    with schema_context("alpha"):
        Connection.objects.create(platform="hubspot", account_id="4242", last_success_at=SYNCED)
    page = browser_for(staff_a, march, language=language).get("/reports/2026-03/").content.decode()
    assert shown in page, re.findall(r"\((?:last sync|última sincronización)[^)]*\)", page)


@pytest.mark.parametrize(("language", "said"), [("en", r"Saved at (\d{1,2}(:\d\d)? [ap]\.m\.|noon|midnight) CES?T"),
                                                ("es", r"Guardado a las \d\d:\d\d CES?T")])
def test_the_commentarys_saved_at_is_the_viewers_time_with_its_zone(march, staff_a, language, said) -> None:  # noqa: F811
    answer = browser_for(staff_a, march, language=language).post(
        "/reports/2026-03/commentary/", {"section": "summary", "text": "A good month"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert re.match(said, answer), answer


def test_a_short_date_and_time_names_its_zone() -> None:
    moment = dt.datetime(2026, 12, 6, 14, 50, tzinfo=ZoneInfo("Europe/Madrid"))
    for language, shown in (("en", "Dec 6, 2026, 2:50 p.m. CET"), ("es", "6 dic 2026, 14:50 CET"),
                            ("es-mx", "6 dic 2026, 14:50 CET")):
        with translation.override(language):
            assert date_format(moment, "SHORT_DATETIME_FORMAT") == shown, language
