"""How the scorecard writes numbers: rounded to the nearest shown digit, in English and Spanish."""

from __future__ import annotations

import pytest
from django.utils import translation

from kpis.formatting import change, format_value


@pytest.mark.parametrize(
    ("language", "key", "value", "shown"),
    [
        ("en", "early_cancel_rate", 1 / 6, "16.7 %"),  # rounded, not cut to 16.6 %
        ("es", "early_cancel_rate", 1 / 6, "16,7 %"),
        ("en", "retainer_ltv", 47401.709401709406, "€47,401.71"),
        ("es", "retainer_ltv", 47401.709401709406, "47\xa0401,71\xa0€"),
        ("en", "expected_terms", 1.96875, "1.97"),
        ("es", "expected_terms", 1.96875, "1,97"),
        ("en", "p90_response_hours", 119.99999999999993, "120.0 h"),
        ("en", "sessions", 16296, "16,296"),
        ("es", "sessions", 16296, "16\xa0296"),
        ("en", "growth_needed_per_working_day", -0.0001, "0.0 %"),  # no "-0.0 %"
        # A share of a whole: a true 0 reads "0 %", one too small for a decimal "< 0.1 %", never "0.0 %".
        ("en", "opt_out_rate", 0.0, "0 %"),
        ("en", "email_unsubscribe_rate", 0.0004, "< 0.1 %"),
        ("es", "bounce_rate", 0.0004, "< 0,1 %"),
        ("en", "bounce_rate", 0.4567, "45.7 %"),
        ("en", "roi", 0.0, "0.0 %"),  # not a share (it may be negative or above 100 %): as before
        ("en", "cpl", None, "—"),
        ("es", "cac", None, "—"),
    ],
)
def test_values_are_rounded_and_written_the_languages_way(language: str, key: str, value, shown: str) -> None:
    with translation.override(language):
        assert format_value(key, value, "EUR") == shown


def test_changes_are_points_for_rates_and_percent_otherwise_and_undefined_without_a_base() -> None:
    with translation.override("es"):
        assert change("open_rate", 0.25, 0.2)["text"] == "+5,0 pp"
        assert change("new_leads", 45, 39)["text"] == "+15,4 %"
    falling = change("cpl", 400.0, 500.0)
    assert falling["text"] == "-20.0 %" and falling["good"] is True  # cost per lead down is good news
    assert change("cpl", 5, 0) is None and change("cpl", None, 10.0) is None
    # A count on a base under 20 (or 0) shows its absolute change, never a percentage (issue #21).
    assert change("new_leads", 5, 0)["text"] == "+5" and change("new_leads", 16, 1)["text"] == "+15"
    assert change("new_leads", 45, 20)["text"] == "+125.0 %"
    # The same small count both months: words, not a bare "0" beside the figure.
    same = change("customers", 10, 10)
    assert same["text"] == "no change" and same["flat"] is True
    with translation.override("es"):
        assert change("customers", 10, 10)["text"] == "sin cambio"
    assert change("new_leads", 5, None, first=True)["text"] == "first full month" and change("new_leads", 5, None) is None


def test_the_same_figure_both_months_reads_no_change_whatever_its_size_or_unit() -> None:
    """60 new leads both months read "0,0 %" in the email beside "MQL: 0 (sin cambio)"; a rate held
    read "0.0 pp"."""
    for key, value in (("new_leads", 60), ("marketing_spend", 1500.0), ("open_rate", 0.25)):
        same = change(key, value, value)
        assert same["text"] == "no change" and same["flat"] is True and same["good"] is True, key
    with translation.override("es"):
        assert change("new_leads", 60, 60)["text"] == "sin cambio"



def test_a_change_too_small_for_its_decimal_reads_as_it_rounds_neither_good_nor_bad() -> None:
    """The month page showed "Tasa tráfico → lead 2,6 %, frente al mes anterior 0,0 pp" in red."""
    for key, value, before, shown in (
        ("traffic_to_lead", 0.0259, 0.0260, "0.0 pp"),
        ("open_rate", 0.2504, 0.25, "0.0 pp"),
        ("marketing_spend", 100000.0, 100010.0, "0.0 %"),
    ):
        tiny = change(key, value, before)
        assert tiny == {"text": shown, "good": True, "flat": True}, key
    with translation.override("es"):
        assert change("traffic_to_lead", 0.0259, 0.0260)["text"] == "0,0 pp"
    assert change("open_rate", 0.2506, 0.25)["text"] == "+0.1 pp"  # one that shows is still a change


@pytest.fixture(autouse=True)
def _english_unless_said() -> None:
    """A request earlier in the run may leave another language active in this thread."""
    with translation.override("en"):
        yield
