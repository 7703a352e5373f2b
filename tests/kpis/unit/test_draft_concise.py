"""The concise draft: each section capped, the lines kept chosen by significance, no figure said twice.

A draft of about 21 sentences took 3–4 minutes a client to read; the concise one is read in under a minute.
The choice is pure (kpis.draft_concise: concise, concise_steps, concise_summary): tested here without a database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from kpis.draft import month_draft
from kpis.draft_concise import CAPS, COMMITMENT_FLOOR, Point, commitment, concise, concise_steps, concise_summary
from kpis.draft_writer import Figure, Line
from kpis.pacing import MonthFigures
from tests.kpis.unit.test_draft import OCT, SEP, channel, document, documents, draft_in, inputs


def said(text: str, key: str = "x", **slots: Figure) -> Line:
    return Line(key=key, slots=dict(slots), text=text)


def change_of(kpi: str, month: dt.date, key: str = "kpi_down") -> Line:
    """A sentence stating ``kpi``'s change against ``month`` (its "before" figure is that month's)."""
    return said(f"{kpi} {key} against {month}", key, before=Figure(shown="1", value=1.0, why="", kpi=kpi, month=month))


def texts(points: list[Point]) -> list[str]:
    return [line.text for point in points for line in point.lines]


def test_a_section_keeps_the_most_significant_points_up_to_its_cap_in_sentences():
    points = [Point([said("small")], 0.05), Point([said("large")], 0.40), Point([said("middle")], 0.20),
              Point([said("tiny")], 0.03)]  # fmt: skip
    assert texts(concise(points, cap=3)) == ["large", "middle", "small"]


def test_the_checks_concerns_always_stay_first_and_count_towards_the_cap():
    checks = [Point([said("check 1")], pinned=True), Point([said("check 2")], pinned=True)]
    moves = [Point([said("move")], 0.9), Point([said("other move")], 0.5)]
    assert texts(concise([*moves, *checks], cap=3)) == ["check 1", "check 2", "move"]
    many = [Point([said(f"check {i}")], pinned=True) for i in range(5)]
    assert texts(concise([*many, *moves], cap=3)) == [f"check {i}" for i in range(5)]  # never dropped


def test_a_point_keeps_what_explains_it_while_there_is_room():
    move = Point([said("MQLs fell 20 %"), said("Paid search did most of it")], 0.30)
    other = Point([said("CPL rose 10 %"), said("Paid social did most of it")], 0.15)
    assert texts(concise([other, move], cap=3)) == ["MQLs fell 20 %", "Paid search did most of it", "CPL rose 10 %"]
    assert texts(concise([other, move], cap=1)) == ["MQLs fell 20 %"]  # the move said, its reason left out


def test_a_missed_target_ranks_before_a_small_move_and_after_a_large_one():
    missed = Point([said("Target missed for MQLs: 58 against 60")], commitment(58, 60), "mqls")  # a 3 % gap
    small = Point([said("Sessions fell 8 %")], 0.08 * 0.6, "sessions")
    large = Point([said("Cost per lead rose 30 %")], 0.30 * 1.5, "cpl")
    assert commitment(58, 60) == COMMITMENT_FLOOR and commitment(30, 60) == 0.5
    assert texts(concise([small, missed, large], cap=2)) == ["Cost per lead rose 30 %", "Target missed for MQLs: 58 against 60"]


def test_next_steps_follow_the_concerns_kept_first():
    kept = [Point([said("Target missed for MQLs")], 0.1, "mqls")]
    steps = [Point([said("Look into Paid social")], 0.5, "sessions"), Point([said("Plan 3 MQLs a day")], 0.1, "mqls"),
             Point([said("Watch CPL")], 0.3, "cpl")]  # fmt: skip
    assert texts(concise_steps(steps, kept, cap=2)) == ["Plan 3 MQLs a day", "Look into Paid social"]


def test_the_summary_does_not_repeat_a_change_a_kept_concern_states():
    month = Point([said("October brought 55 MQLs")], pinned=True)
    mqls = Point([change_of("mqls", SEP, "headline_down")], 0.08, "mqls")
    cpl = Point([change_of("cpl", SEP, "headline_up")], 0.06, "cpl")
    year = Point([change_of("mqls", dt.date(2025, 10, 1), "year_up")], 0.5, "mqls")  # another comparison: said
    concern = Point([change_of("mqls", SEP)], 0.08, "mqls")
    summary = concise_summary([month, mqls, cpl, year], [concern], cap=3)
    assert texts(summary) == texts([month, cpl, year])  # in the order they are read, the month first
    # The concern capped out of its section: the summary says the change (the largest two after the month).
    assert texts(concise_summary([month, mqls, cpl, year], [], cap=3)) == texts([month, mqls, year])
    assert change_of("mqls", SEP).change == ("mqls", SEP) and said("Target met").change is None


def test_the_summary_keeps_a_change_no_kept_line_states():
    month = Point([said("October brought 55 MQLs")], pinned=True)
    mqls = Point([change_of("mqls", SEP, "headline_down")], 0.08, "mqls")
    cpl = Point([change_of("cpl", SEP, "headline_up")], 0.06, "cpl")
    assert texts(concise_summary([month, mqls, cpl], [], cap=3)) == texts([month, mqls, cpl])


def test_the_demo_like_month_is_capped_by_section_and_says_no_figure_twice():
    docs = documents()
    quarter = [
        MonthFigures(dt.date(2026, 10, 1), 22, 22, docs[OCT]["kpis"], {"mqls": 10, "new_leads": 40}),
        MonthFigures(dt.date(2026, 11, 1), 21, 0, None, {"mqls": 10, "new_leads": 40}),
        MonthFigures(dt.date(2026, 12, 1), 21, 0, None, {"mqls": 10, "new_leads": 40}),
    ]
    kwargs = {"targets": {"cpl": 120.0, "mqls": 10, "new_leads": 40}, "quarter": quarter}
    full, short = draft_in("en", docs, full=True, **kwargs), draft_in("en", docs, **kwargs)
    assert len(full.lines()) > len(short.lines())
    for section, cap in CAPS.items():
        assert 1 <= len(short.sections[section]) <= cap, (section, [line.text for line in short.sections[section]])
    stated = [line.change for section in ("wins", "concerns") for line in short.sections[section] if line.change]
    summary = [line.change for line in short.sections["summary"] if line.change]
    assert stated and not set(stated) & set(summary)
    assert short.lines()[0].key == "month_funnel"


def test_the_checks_concerns_stay_whatever_the_cap():
    with translation.override("en"):
        checks = [Line.of_text(f"check_{i}", f"Check {i}.", []) for i in range(4)]
        draft = month_draft(inputs(documents(), targets={"cpl": 1.0}), concerns=checks)
    assert draft.sections["concerns"] == checks  # four checks: nothing else, and none dropped


def slipping() -> dict[dt.date, dict[str, Any]]:
    """September as ``documents()`` has it; October with paid social's leads halved at the same spend:
    MQLs, new leads and cost per lead move the wrong way, each with a step about paid social."""
    docs = documents()
    docs[OCT] = document(OCT, {
        "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000, customers=1),
        "paid_social": channel(spend=2000, leads=5, mqls=2, sessions=800),
    }, working_days=22, sales=500)  # fmt: skip
    return docs


def test_a_next_step_speaks_only_of_a_win_or_concern_the_draft_kept():
    """Three checks fill the concerns: the moves they crowd out get no step either (advice about
    something the draft never said), and the next steps do not say nothing calls for a change."""
    with translation.override("en"):
        alone = month_draft(inputs(slipping()))
        assert [line.key for line in alone.sections["next_steps"]] != ["step_keep"]  # the moves have their steps
        checks = [Line.of_text(f"check_{i}", f"Check {i}.", []) for i in range(3)]
        draft = month_draft(inputs(slipping()), concerns=checks)
    said = " ".join(line.text for section in ("summary", "wins", "concerns") for line in draft.sections[section])
    assert "Paid social" not in said
    steps = [line.text for line in draft.sections["next_steps"]]
    assert not any("Paid social" in step for step in steps), steps
    assert [line.key for line in draft.sections["next_steps"]] == ["step_concerns_first"]


def test_a_step_is_kept_with_the_sentence_it_follows():
    move = Point([said("CPL rose 30 %")], 0.45, "cpl")
    other = Point([said("Sessions fell 20 %")], 0.12, "sessions")
    steps = [Point([said("Review Paid social")], 0.45, "cpl", follows=move.lines[0]),
             Point([said("Look into Organic search")], 0.12, "sessions", follows=other.lines[0])]  # fmt: skip
    kept = concise([move, other], cap=1)
    assert texts(concise_steps(steps, kept, cap=2)) == ["Review Paid social"]
    win = Point([said("CAC fell 40 %")], 0.5, "cac")
    shift = Point([said("Consider moving budget towards Paid search")], 0.5, "cac", follows=win.lines[0])
    assert texts(concise_steps([shift], [], wins=[win], cap=2)) == ["Consider moving budget towards Paid search"]
    assert concise_steps([shift], kept, cap=2) == []


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Review Paid social and its cost per lead."),
    ("es", "Revisar el rendimiento de las redes sociales de pago y su costo por lead."),
])  # fmt: skip
def test_a_next_step_does_not_repeat_the_figures_the_concern_above_it_just_gave(language, expected):
    """"Most of the change came from Paid social: its cost per lead went from €200.00 to €400.00." and,
    under it, "Review Paid social: its cost per lead went from €200.00 to €400.00.": the step names what
    to review; its figures only when the concern's explanation did not make the cut."""
    with translation.override(language):
        draft = month_draft(inputs(slipping()))
        crowded = month_draft(inputs(slipping()), concerns=[Line.of_text("check", "Check.", []) for _ in range(2)])
    said = {figure.why for line in draft.sections["concerns"] for figure in line.figures}
    steps = draft.sections["next_steps"]
    assert [line.text for line in steps] == [expected]
    assert not [line for line in steps if line.figures and {f.why for f in line.figures} <= said]
    # Two checks leave room for the move alone, not what drove it: the step then gives its figures.
    assert [line.key for line in crowded.sections["concerns"]][2:] == ["kpi_up"]
    assert [line.key for line in crowded.sections["next_steps"]] == ["step_review_member"]


def test_a_steps_short_form_is_kept_when_what_it_would_repeat_is():
    move, why = said("CPL rose 30 %"), said("Paid social did most of it: €200 → €400")
    step = Point([said("Review Paid social: €200 → €400")], 0.45, "cpl", follows=move, repeats=why,
                 short=said("Review Paid social"))  # fmt: skip
    assert texts(concise_steps([step], [Point([move, why], 0.45, "cpl")], cap=2)) == ["Review Paid social"]
    assert texts(concise_steps([step], [Point([move], 0.45, "cpl")], cap=2)) == ["Review Paid social: €200 → €400"]


def mixed() -> dict[dt.date, dict[str, Any]]:
    """Each channel's cost per lead as in September; paid social, the dearer, brings 75 % of the new leads."""
    return {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=2000, leads=10, mqls=4, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=500, leads=5, mqls=2, sessions=1000),
            "paid_social": channel(spend=3000, leads=15, mqls=6, sessions=1000),
        }, working_days=22),
    }  # fmt: skip


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Watch cost per lead next month: the shift in the mix above moved it the wrong way, not one channel or "
           "campaign getting worse."),
    ("es", "A vigilar el próximo mes: costo por lead, que empeoró por el cambio de reparto de arriba, no porque un "
           "canal o una campaña empeorara."),
])  # fmt: skip
def test_a_watch_step_under_the_mix_it_follows_does_not_say_the_mix_and_the_figure_again(language, expected):
    """Under "Most of the change came from the mix: Paid social brought 75.0 % of the new leads, against 50.0 %.",
    "Watch cost per lead next month: it moved the wrong way (€175.00) through the split of the new leads, …"
    said the figure and the mix a second time, in words a client does not use."""
    with translation.override(language):
        draft = month_draft(inputs(mixed()))
    concerns, steps = draft.sections["concerns"], draft.sections["next_steps"]
    assert [line.key for line in concerns][:2] == ["kpi_up", "driver_mix"]
    assert steps[0].text == expected and not steps[0].figures
    assert steps[1].key == "step_watch_mix"  # cost per MQL: its mix not said above, the step says it


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Watch cost per MQL next month: it moved the wrong way (€437.50) through a change in the split of the MQLs, "
           "Paid social having 75.0 % of the total (50.0 % before), not because one channel or campaign got worse."),
    ("es", "A vigilar el próximo mes: costo por MQL, que empeoró (437,50 €) por un cambio en el reparto del total de "
           "MQL, con las redes sociales de pago en el 75,0 % (50,0 % antes), no porque un canal o una campaña "
           "empeorara."),
])  # fmt: skip
def test_a_watch_step_whose_mix_the_draft_does_not_say_above_says_the_split_itself(language, expected):
    """Acme's November said under Next steps "Watch cost per lead next month: it moved the wrong way (€287.46)
    through the split of the new leads, …" while no sentence above it spoke of that split (its mix line did not
    make the concerns' cut): the reader had nothing "the split" referred to. The step now says which split."""
    with translation.override(language):
        draft = month_draft(inputs(mixed()))
    concerns, steps = draft.sections["concerns"], draft.sections["next_steps"]
    # Above: cost per MQL's move, but only cost per lead's mix (the new leads'), not the MQLs'.
    assert [line.key for line in concerns] == ["kpi_up", "driver_mix", "kpi_up"]
    assert concerns[2].figures[0].why.startswith(("Cost per MQL", "Costo por MQL"))
    assert steps[1].text.replace("\xa0", " ") == expected
    # Its shares are figures, linked to the MQLs' breakdown by channel like the mix line's.
    assert {f.href for f in steps[1].figures[1:]} == {"/scorecard/breakdowns/channel/?month=2026-09",
                                                      "/scorecard/breakdowns/channel/?month=2026-10"}


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Watch cost per MQL next month: it moved the wrong way (€1,000.00) through a change in the split of the "
           "MQLs, Paid social having none of them (50.0 % before), not because one channel or campaign got worse."),
    ("es", "A vigilar el próximo mes: costo por MQL, que empeoró (1 000,00 €) por un cambio en el reparto del total "
           "de MQL, con las redes sociales de pago sin parte alguna (50,0 % antes), no porque un canal o una campaña "
           "empeorara."),
])  # fmt: skip
def test_a_watch_step_says_a_share_of_nothing_in_words_as_the_mix_line_does(language, expected):
    """Paid social's MQLs 4 → 0: its share of them is "none", never "0 %", in the step as in the mix line."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=2000, leads=10, mqls=4, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=3000, leads=10, mqls=0, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    steps = draft_in(language, docs, full=True).sections["next_steps"]  # every step, in full: how each is written
    assert steps[0].key == "step_watch_mix_none_after"
    assert steps[0].text.replace("\xa0", " ") == expected
