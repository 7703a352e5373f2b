"""The draft in a month whose tracking broke: no channel's "results" read from a split the fault
distorts; the fault said once, plainly, with what it affects (kpis.draft_tracking)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import translation

from kpis.draft import month_draft
from kpis.draft_tracking import AFFECTS, Fault
from tests.kpis.unit.test_draft import OCT, SEP, channel, document, inputs

UNTAGGED = {
    "en": "14 of the 26 new leads of October 2026 arrived without a source tag, so the split by channel and "
          "campaign is not reliable for that month.",
    "es": "14 de los 26 leads nuevos de octubre de 2026 llegaron sin etiqueta de origen, así que el reparto por "
          "canal y campaña de ese mes no es fiable.",
}  # fmt: skip
CHANNELS = re.compile(r"Direct|Paid search|directo|búsqueda de pago", re.IGNORECASE)


def untagged_october() -> dict[dt.date, dict[str, Any]]:
    """October's landing page lost its UTM tags: 14 of its 26 leads count as Direct (2 in September),
    so Direct "made all of" the MQLs' rise and "converts" 6 % of its sessions against 0.7 %."""
    return {
        SEP: document(SEP, {
            "paid_search": channel(spend=2000, leads=20, mqls=8, sessions=1000),
            "direct": channel(spend=0, leads=2, mqls=1, sessions=300),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=2000, leads=8, mqls=3, sessions=1000),
            "direct": channel(spend=0, leads=18, mqls=8, sessions=300),
        }, working_days=22),
    }  # fmt: skip


def lines(language: str, docs, faults=(), *, full: bool) -> list:
    with translation.override(language):
        return month_draft(inputs(docs), faults=faults, full=full).lines()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("full", [False, True])
def test_leads_without_tags_are_not_read_as_a_channels_results_but_said_once(language, full):
    fault = Fault("tracking.leads_unattributed", OCT, {"count": 14, "leads": 26, "share": 14 / 26})
    before = lines(language, untagged_october(), full=full)
    assert any(CHANNELS.search(line.text) for line in before)  # Direct "made all of it and more"
    after = lines(language, untagged_october(), [fault], full=full)
    texts = [line.text.replace("\xa0", " ") for line in after]
    assert not [t for t in texts if CHANNELS.search(t)], texts
    assert texts.count(UNTAGGED[language]) == 1, texts
    said = next(line for line in after if line.key == "tracking_leads_unattributed")
    assert [f.shown for f in said.figures] == ["14", "26"]  # linked: the untagged count and the month's new leads
    assert said.figures[0].href == "/scorecard/breakdowns/channel/?month=2026-10"
    # The moves themselves stay: they are the figures the report shows.
    assert any(line.key == "kpi_up_count" for line in after)


@pytest.mark.parametrize(("language", "step"), [
    ("en", "Watch cost per lead next month: it moved the wrong way (€118.18) against September 2026, whose tracking "
           "broke."),
    ("es", "A vigilar el próximo mes: costo por lead, que empeoró (118,18 €) frente a septiembre de 2026, cuyo "
           "seguimiento falló."),
])
def test_a_split_against_a_month_whose_tracking_broke_sends_no_one_to_review_a_channel(language, step):
    """Acme's November against its untagged October: "Paid search having 30.6 % of the new leads
    (12.9 % before)" was October's missing tags, read as a shift in the mix. A fault of the month
    compared with counts as the month's own; resolved or not, the figures still lack the tags."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=2000, leads=8, mqls=3, sessions=1000),
            "direct": channel(spend=0, leads=14, mqls=6, sessions=300),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=2600, leads=20, mqls=8, sessions=1000),
            "direct": channel(spend=0, leads=2, mqls=1, sessions=300),
        }, working_days=22),
    }  # fmt: skip
    before = [line.key for line in lines(language, docs, full=True)]
    assert "step_review_member" in before or "step_watch_mix" in before, before
    fault = Fault("tracking.leads_unattributed", SEP, {"count": 12, "leads": 22, "share": 12 / 22})
    after = lines(language, docs, [fault], full=True)
    texts = [line.text.replace("\xa0", " ") for line in after]
    assert not [t for t in texts if CHANNELS.search(t)], texts
    assert step in texts, texts
    said = [line.text for line in after if line.key == "tracking_leads_unattributed"]
    assert len(said) == 1 and ("of September 2026" in said[0] or "de septiembre de 2026" in said[0]), said


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("full", [False, True])
def test_a_fault_behind_a_win_is_said_under_the_concerns_and_the_win_keeps_its_plain_move(language, full):
    """October's MQLs rose 9 → 11, a win, and Direct "made all of it": the fault, said in place of
    that, sat under Wins ("14 of the 26 new leads … arrived without a source tag" read as good news).
    A fault is a concern: said there, once; the win says its move."""
    fault = Fault("tracking.leads_unattributed", OCT, {"count": 14, "leads": 26, "share": 14 / 26})
    with translation.override(language):
        draft = month_draft(inputs(untagged_october()), faults=[fault], full=full)
    wins = draft.sections["wins"]
    concerns = [line.text.replace("\xa0", " ") for line in draft.sections["concerns"]]
    assert wins[0].key == "kpi_up_count" and wins[0].slots["before"].kpi == "mqls"  # "MQLs rose by 2…", alone
    assert not [line.text for line in wins if line.key.startswith("tracking_")]
    assert concerns.count(UNTAGGED[language]) == 1, concerns


def test_a_fault_keeps_the_splits_it_does_not_distort():
    """Leads without tags distort their split by source, not the sessions' (the analytics tag) nor a
    split by buyer persona; a campaign named two ways distorts the campaigns' split only."""
    untagged = AFFECTS["tracking.leads_unattributed"]
    assert "sessions" not in untagged.kpis and "persona" not in untagged.dimensions
    assert {"new_leads", "mqls", "cpl", "cost_per_mql", "cac"} <= untagged.kpis
    assert AFFECTS["tracking.campaign_name_twins"].dimensions == ("campaign",)
    docs = untagged_october()
    fault = Fault("tracking.campaign_name_twins", OCT, {"names": ["Brand", "brand"]})
    assert [line.text for line in lines("en", docs, [fault], full=True)] == [line.text for line in lines("en", docs, full=True)]


@pytest.mark.parametrize("key", sorted(AFFECTS))
def test_every_tracking_fault_has_its_plain_sentence_in_both_languages(key):
    docs = untagged_october()
    fault = Fault(key, OCT, {"count": 14, "leads": 26, "share": 14 / 26})
    for language in ("en", "es"):
        texts = [line.text for line in lines(language, docs, [fault], full=True) if line.key.startswith("tracking_")]
        if key in ("tracking.campaign_name_twins", "tracking.spend_without_results"):
            continue  # these split the ad platforms' figures or campaigns, which the documents here lack
        assert len(texts) == 1 and ("October 2026" if language == "en" else "octubre de 2026") in texts[0], texts
