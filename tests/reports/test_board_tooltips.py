"""The close board's month squares: after the month and a colon the state goes on in lower case, in
Spanish ("noviembre de 2026: en revisión") and in English ("November 2026: in review", which read
"November 2026: In review", a title-case label in mid-line), while the state column's badge keeps its capital."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from reports.services import month_reviews_start
from tests.reports.conftest import MARCH, browser_for, march  # noqa: F401 -- alpha's closed March

pytestmark = pytest.mark.django_db
APRIL_5 = dt.datetime(2026, 4, 5, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize(("language", "square", "badge"), [
    ("es", "marzo de 2026: en revisión", "En revisión"),
    ("en", "March 2026: in review", "In review"),
])
def test_a_squares_title_writes_the_state_after_the_colon_as_the_language_does(
    march, admin_user, language, square, badge  # noqa: F811
) -> None:
    month_reviews_start(client=march, at=APRIL_5)
    with time_machine.travel(APRIL_5):
        page = browser_for(admin_user, None, language=language).get(f"/board/?month={MARCH:%Y-%m}").content.decode()
    titles = re.findall(r'class="sq sq-in_review"[^>]*title="([^"]+)"', page)
    assert titles and set(titles) == {square}
    assert f'<span class="visually-hidden">{square}</span>' in page
    assert f'<span class="badge state-in_review">{badge}</span>' in page
