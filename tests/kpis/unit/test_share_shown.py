"""A share never reads "0.0 %": a true 0 reads "0 %", one that rounds to 0 but is not 0 reads
"< 0.1 %" — the report's mix and conversion lines (CAC: one customer in thousands), the funnel's
step rates and the channel mix's notes."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import translation

from clients.words import share_shown
from kpis.draft_drivers import driver_line
from kpis.draft_writer import Writer
from kpis.explain import TopDriver

FEB, MAR = dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("value", "places", "en", "es"),
    [
        (0, 1, "0 %", "0 %"),
        (Fraction(1, 4000), 1, "< 0.1 %", "< 0,1 %"),
        (0.0004999, 1, "< 0.1 %", "< 0,1 %"),
        (0.0005, 1, "0.1 %", "0,1 %"),
        (Fraction(1, 30000), 2, "< 0.01 %", "< 0,01 %"),
        (0.125, 1, "12.5 %", "12,5 %"),
        (1, 1, "100.0 %", "100,0 %"),
    ],
)
def test_a_share_in_words(value, places, en, es) -> None:
    with translation.override("en"):
        assert share_shown(value, places) == en
    with translation.override("es"):
        assert share_shown(value, places) == es


def _documents(paid_before: int, total_before: int, paid_after: int, total_after: int) -> dict[dt.date, dict]:
    def month(paid: int, total: int) -> dict:
        return {
            "kpis": {"customers": total, "marketing_spend": 1000.0, "cac": 1000.0 / total},
            "breakdowns": {"channel": {
                "paid_search": {"customers": paid, "marketing_spend": 500.0},
                "email": {"customers": total - paid, "marketing_spend": 500.0},
            }},
        }  # fmt: skip

    return {FEB: month(paid_before, total_before), MAR: month(paid_after, total_after)}


def _mix_written(documents: dict[dt.date, dict]):
    top = TopDriver(kpi="cac", dimension="channel", member="paid_search", before=Fraction(1), after=Fraction(2),
                    part=Fraction(1), mix=Fraction(1), rate=Fraction(0), calendar=Fraction(0), weight=1.0)  # fmt: skip
    written = driver_line(Writer(month=MAR, documents=documents, currency="EUR", names={}), top, FEB, MAR)
    assert written is not None and written.key.startswith("driver_mix")
    return written


def _mix_line(documents: dict[dt.date, dict]) -> str:
    return _mix_written(documents).text


def test_the_cac_mix_line_says_none_or_under_a_tenth_never_0_0() -> None:
    # Paid search's own count did the move (1 → 5,000 of 4,000 → 10,000): the split is the story. Had
    # the others' count done it (1 → 5 of 4,000 → 10), the line would say the counts (mix_held).
    with translation.override("en"):
        tiny = _mix_line(_documents(1, 4000, 5000, 10000))
        none = _mix_line(_documents(0, 40, 5, 10))
    assert "Paid search brought 50.0 % of the customers, against < 0.1 %." in tiny, tiny
    assert "Paid search brought 50.0 % of the customers, against none before." in none, none
    with translation.override("es"):
        assert "< 0,1 %" in _mix_line(_documents(1, 4000, 5000, 10000))


def test_the_criteria_backtest_writes_its_shares_the_same_way() -> None:
    """The criteria editor's backtest (a share of the month's MQLs that became SQL) uses the same
    words through the ``share`` filter; it wrote whole percents ("0 %" for one in three hundred)."""
    from clients.templatetags.clients_words import share

    with translation.override("es"):
        assert share(Fraction(1, 300)) == "0,3 %" and share(Fraction(1, 3000)) == "< 0,1 %"
        assert share(0) == "0 %" and share(None) == "—" and share(Fraction(1, 3)) == "33,3 %"


def test_a_share_of_nothing_reads_none_of_the_customers_in_both_languages() -> None:
    """"Paid search brought 0 % of the customers, against 30.0 %" read as a figure to check: a
    member's share of 0 is said in words, in the draft and in the report's "What changed" line
    (both read ``driver_line``), in English and in Spanish, the other month's share still shown."""
    from kpis.draft_writer import line
    from kpis.report_drivers import COMPACT

    none_now = _documents(3, 10, 0, 10)
    with translation.override("en"):
        text = _mix_line(none_now)
        written = _mix_written(none_now)
        changed = line(COMPACT[written.key], **written.slots, kpi="CAC", change="+50.0 %", compare="February 2026").text
    assert "Paid search brought none of the customers, against 30.0 %." in text, text
    assert " 0 %" not in text
    assert "Paid search having none of them (30.0 % before)." in changed, changed
    with translation.override("es"):
        text = _mix_line(none_now)
        before = _mix_line(_documents(0, 40, 5, 10))
        written = _mix_written(none_now)
        changed = line(COMPACT[written.key], **written.slots, kpi="CAC", change="+50,0 %", compare="febrero de 2026").text
    assert "del total de clientes: la parte de la búsqueda de pago fue nula, frente al 30,0 %." in text, text
    assert "fue del 50,0 %, cuando antes era nula." in before, before
    assert "con la búsqueda de pago sin parte alguna (30,0 % antes)." in changed, changed
    assert " 0 %" not in text
