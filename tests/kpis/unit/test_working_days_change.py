"""A month's working days against the month before read as days, not a percentage: the demo's
November read "Working days 21, -4.5 %" on the report, its PDF and its CSV (walk of 7 Dec 2026)."""

from __future__ import annotations

import pytest
from django.utils import translation

from kpis.formatting import change


@pytest.mark.parametrize("language", ["en", "es"])
def test_working_days_change_by_a_number_of_days(language) -> None:
    with translation.override(language):
        assert change("working_days", 21, 22)["text"] == "-1"
        assert change("working_days", 23, 21)["text"] == "+2"
        assert change("working_days", 22, 22)["text"] == {"en": "no change", "es": "sin cambio"}[language]
        assert change("new_leads", 170, 155)["text"].endswith("%")  # a count over the small base: still a percentage
