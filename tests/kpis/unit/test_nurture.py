"""kpis.nurture: nurture leads of 0 need their note only when no campaign is marked nurture."""

from __future__ import annotations

from kpis.nurture import frozen_nurture_marked, nurture_unmarked


def _document(count, frozen=None):
    document = {"kpis": {"nurture_leads": count, "new_leads": 5}}
    if frozen is not None:
        document["report"] = {"nurture_marked": frozen}
    return document


def test_zero_nurture_leads_and_no_campaign_marked_need_the_note():
    assert nurture_unmarked("nurture_leads", _document(0), marked=False)


def test_a_campaign_marked_makes_the_zero_a_plain_fact():
    assert not nurture_unmarked("nurture_leads", _document(0), marked=True)


def test_leads_counted_read_nothing():
    def never() -> bool:
        raise AssertionError("read although leads were counted")

    assert not nurture_unmarked("nurture_leads", _document(3), marked=never)
    assert not nurture_unmarked("new_leads", _document(0), marked=never)


def test_the_frozen_answer_wins_over_the_campaigns_now():
    def never() -> bool:
        raise AssertionError("read although the approval froze the answer")

    assert nurture_unmarked("nurture_leads", _document(0, frozen=False), marked=never)
    assert not nurture_unmarked("nurture_leads", _document(0, frozen=True), marked=never)
    assert frozen_nurture_marked(_document(0)) is None


def test_not_read_is_taken_as_marked():
    assert not nurture_unmarked("nurture_leads", _document(0), marked=None)
