"""kpis.nocontact without a database: when a month's speed-to-lead figures are not facts."""

from __future__ import annotations

import datetime as dt

from kpis.nocontact import CONTACT_FIGURES, contact_times_loaded, contact_unknown, contact_unknown_figures

MARCH = dt.date(2026, 3, 1)


def _document(*, new_leads: int = 4, uncontacted: float | None = 1.0, frozen: bool | None = None) -> dict:
    document = {"kpis": {"new_leads": new_leads, "uncontacted_share": uncontacted, "contacted_within_4h_share": 0,
                         "median_response_hours": None, "p90_response_hours": None, "sessions": 10}}
    if frozen is not None:
        document["report"] = {"has_contact_times": frozen}
    return document


def test_a_first_contact_time_up_to_the_months_end_makes_the_figures_facts() -> None:
    assert contact_times_loaded(month=MARCH, first_contact=dt.date(2026, 3, 31))
    assert not contact_times_loaded(month=MARCH, first_contact=dt.date(2026, 4, 1))  # sent only later
    assert not contact_times_loaded(month=MARCH, first_contact=None)  # never sent


def test_unknown_only_when_every_new_lead_lacks_the_time_and_none_was_ever_sent() -> None:
    assert contact_unknown(_document(), month=MARCH, first_contact=None)
    assert not contact_unknown(_document(), month=MARCH, first_contact=dt.date(2025, 11, 3))  # a real 100 %
    assert not contact_unknown(_document(uncontacted=0.75), month=MARCH, first_contact=None)
    assert not contact_unknown(_document(new_leads=0, uncontacted=None), month=MARCH, first_contact=None)
    assert not contact_unknown(None, month=MARCH, first_contact=None)


def test_the_rows_are_read_only_when_needed_and_an_approved_answer_wins() -> None:
    def never() -> None:
        raise AssertionError("read")

    assert not contact_unknown(_document(uncontacted=0.5), month=MARCH, first_contact=never)
    assert contact_unknown(_document(frozen=False), month=MARCH, first_contact=never)
    assert not contact_unknown(_document(frozen=True), month=MARCH, first_contact=never)


def test_the_export_names_the_four_figures_only_when_unknown() -> None:
    assert set(contact_unknown_figures(_document(), unknown=True)) == CONTACT_FIGURES
    assert contact_unknown_figures(_document(), unknown=False) is None
