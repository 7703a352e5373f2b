"""The commentary draft gives a count under 20 the month before its change as a number ("MQLs rose by
4"), as the tiles and the report's "What changed" do (kpis.formatting.small_base, SMALL_BASE), not a
percentage ("rose 50.0 %"); from 20 up, a percentage as before. English and Spanish."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from kpis.catalogue import Unit, kpi
from kpis.draft_writer import Line, Writer
from kpis.formatting import SMALL_BASE
from tests.kpis.unit.test_draft import OCT, OCT_LAST_YEAR, SEP, channel, document, documents, draft_in


def _texts(language: str, docs) -> dict[str, list[str]]:
    draft = draft_in(language, docs, full=True)  # every sentence: how each is written, before the caps
    return {section: [line.text.replace("\xa0", " ") for line in lines] for section, lines in draft.sections.items()}


SMALL = {
    "en": {
        "summary": "Against September 2026, MQLs rose by 4 (8 → 12).",
        "year": "Against October 2025, a year earlier: MQLs up by 9 (3 then), cost per lead up 23.3 % (€100.00 then).",
        "win": "MQLs rose by 4 against September 2026, from 8 to 12.",
    },
    "es": {
        "summary": "Frente a septiembre de 2026: MQL, 4 más (8 → 12).",
        "year": "Frente a octubre de 2025, un año antes: MQL, 9 más (3 entonces); costo por lead, al alza un 23,3 % "
                "(100,00 € entonces).",
        "win": "MQL: 4 más que en septiembre de 2026, de 8 a 12.",
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_small_counts_rise_is_a_number_in_the_summary_and_the_wins(language):
    text = _texts(language, documents())  # MQLs 8 → 12, 3 a year earlier
    assert SMALL[language]["summary"] in text["summary"], text["summary"]
    assert SMALL[language]["year"] in text["summary"], text["summary"]
    assert SMALL[language]["win"] in text["wins"], text["wins"]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "MQLs fell by 4 against September 2026, from 12 to 8."),
    ("es", "MQL: 4 menos que en septiembre de 2026, de 12 a 8."),
])  # fmt: skip
def test_a_small_counts_fall_is_a_number_too(language, expected):
    docs = documents()
    swapped = {
        SEP: document(SEP, docs[OCT]["breakdowns"]["channel"], working_days=22, sales=500),
        OCT: document(OCT, docs[SEP]["breakdowns"]["channel"], working_days=22, sales=500),
    }
    text = _texts(language, swapped)
    assert expected in text["concerns"], text["concerns"]
    headline = {
        "en": "Against September 2026, MQLs fell by 4 (12 → 8).",
        "es": "Frente a septiembre de 2026: MQL, 4 menos (12 → 8).",
    }
    assert headline[language] in text["summary"], text["summary"]


def test_no_count_under_the_small_base_gets_a_percentage_anywhere_in_the_draft():
    docs = documents()
    draft = draft_in("en", docs, full=True)
    checked = 0
    clauses = [value for line in draft.lines() for value in line.slots.values() if isinstance(value, Line)]
    for line in [*draft.lines(), *clauses]:  # the year-before sentence says both KPIs in clauses
        if not line.key.startswith(("kpi_", "headline_", "year_")) or "change" not in line.slots:
            continue
        before = line.slots["before"]
        if kpi(before.kpi).unit == Unit.COUNT and abs(before.value) < SMALL_BASE:
            assert "%" not in line.slots["change"].shown and line.key.endswith("_count"), line.text
            checked += 1
    assert checked >= 3


def _scaled(factor: int):
    """documents() with every count (and spend) ``factor`` times larger: the same rates and costs."""
    return {
        month: document(month, {
            name: channel(spend=c["marketing_spend"] * factor, leads=c["new_leads"] * factor, mqls=c["mqls"] * factor,
                          sessions=c["sessions"] * factor, customers=c["customers"] * factor)
            for name, c in doc["breakdowns"]["channel"].items()
        }, working_days=22, sales=500 * factor if month != OCT_LAST_YEAR else 0)
        for month, doc in documents().items()
    }  # fmt: skip


@pytest.mark.parametrize(("language", "win", "summary"), [
    ("en", "MQLs rose 50.0 % against September 2026, from 80 to 120.", "Against September 2026, MQLs rose 50.0 % (80 → 120)."),
    ("es", "MQL: al alza un 50,0 % frente a septiembre de 2026, de 80 a 120.",
     "Frente a septiembre de 2026: MQL, al alza un 50,0 % (80 → 120)."),
])  # fmt: skip
def test_from_the_small_base_up_a_count_still_moves_by_a_percentage(language, win, summary):
    text = _texts(language, _scaled(10))
    assert win in text["wins"], text["wins"]
    assert summary in text["summary"], text["summary"]


def test_the_signed_change_what_changed_writes_is_the_tiles():
    """One rule for both: Writer.change(signed=True) is "What changed"'s "+4", the tile's text."""
    docs = documents()
    with translation.override("en"):
        w = Writer(month=OCT, documents=docs, currency="EUR", names={})
        assert w.change("mqls", SEP, OCT, signed=True).shown == "+4"
        assert w.change("mqls", SEP, OCT).shown == "4"
        assert w.change("cac", SEP, OCT, signed=True).shown == "-40.0 %"  # money: a percentage whatever its size
        big = _scaled(10)
        w = Writer(month=OCT, documents=big, currency="EUR", names={})
        assert re.fullmatch(r"\+50\.0 %", w.change("mqls", SEP, OCT, signed=True).shown)


def test_a_small_count_from_zero_still_has_no_change_sentence():
    """From 0 there is no percentage and "What changed" skips it; the draft too (unchanged)."""
    docs = documents()
    docs[SEP]["kpis"]["mqls"] = 0
    with translation.override("en"):
        w = Writer(month=OCT, documents=docs, currency="EUR", names={})
        assert w.change("mqls", SEP, OCT) is None
