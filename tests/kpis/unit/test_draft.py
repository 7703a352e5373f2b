"""The commentary draft from the figures: traceable sentences, Spanish, one-month clients."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.utils import translation

from agency.months import Month
from kpis.draft import DraftInputs, month_draft
from kpis.draft_drivers import budget_line
from kpis.draft_writer import Line, Writer
from kpis.explain import month_drivers, top_drivers
from kpis.pacing import MonthFigures
from kpis.sentences import SENTENCES

SEP, OCT, OCT_LAST_YEAR = dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2025, 10, 1)


def channel(*, spend: float, leads: int, mqls: int, sessions: int, customers: int = 0) -> dict[str, Any]:
    return {
        "sessions": sessions, "new_leads": leads, "mqls": mqls, "customers": customers, "marketing_spend": spend,
        "cpl": spend / leads if leads else None,
    }  # fmt: skip


def document(month: dt.date, channels: dict[str, dict[str, Any]], *, working_days: int, sales: float = 0.0) -> dict[str, Any]:
    total = {k: sum(c[k] for c in channels.values()) for k in ("sessions", "new_leads", "mqls", "customers", "marketing_spend")}
    spend, leads, mqls, customers = total["marketing_spend"], total["new_leads"], total["mqls"], total["customers"]
    return {
        "client": "acme",
        "month": str(Month.of(month)),
        "kpis": {
            **total,
            "working_days": working_days,
            "sales_spend": sales,
            "sqls": 0,
            "cpl": spend / leads if leads else None,
            "cost_per_mql": spend / mqls if mqls else None,
            "cac": (spend + sales) / customers if customers else None,
        },
        "breakdowns": {"channel": channels, "campaign": {}, "persona": {}},
    }


def documents() -> dict[dt.date, dict[str, Any]]:
    return {
        OCT_LAST_YEAR: document(OCT_LAST_YEAR, {
            "paid_search": channel(spend=900, leads=9, mqls=3, sessions=900),
        }, working_days=22),
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000, customers=1),
            "paid_social": channel(spend=2000, leads=10, mqls=4, sessions=800),
        }, working_days=22, sales=500),
        OCT: document(OCT, {
            "paid_search": channel(spend=1800, leads=20, mqls=9, sessions=1500, customers=2),
            "paid_social": channel(spend=1900, leads=10, mqls=3, sessions=700),
        }, working_days=22, sales=500),
    }  # fmt: skip


def inputs(docs: dict[dt.date, dict[str, Any]], *, targets: dict[str, float] | None = None, quarter=None) -> DraftInputs:
    return DraftInputs(month=OCT, documents=docs, targets=targets or {}, quarter=quarter or [], currency="EUR")


def draft_in(language: str, docs: dict[dt.date, dict[str, Any]], *, full: bool = False, **kwargs):
    """The month's draft; ``full``: every sentence the figures give, before the concise draft's caps
    (the tests of how each sentence is written)."""
    with translation.override(language):
        return month_draft(inputs(docs, **kwargs), full=full)


def test_the_top_drivers_name_the_kpi_and_member_that_moved_most():
    tops = top_drivers(month_drivers(documents()[SEP], documents()[OCT]))
    assert [t.kpi for t in tops][:1] == ["mqls"]  # 8 → 12: +50 %
    assert tops[0].member == "paid_search" and tops[0].part > 0


def test_every_figure_in_every_sentence_is_the_snapshots_own_or_says_what_it_was_worked_out_from():
    docs = documents()
    quarter = [
        MonthFigures(dt.date(2026, 10, 1), 22, 22, docs[OCT]["kpis"], {"mqls": 10}),
        MonthFigures(dt.date(2026, 11, 1), 21, 0, None, {"mqls": 10}),
        MonthFigures(dt.date(2026, 12, 1), 21, 0, None, {"mqls": 10}),
    ]
    draft = draft_in("en", docs, targets={"cpl": 120.0, "mqls": 10}, quarter=quarter, full=True)
    checked = 0
    for line in draft.lines():
        assert line.figures or line.key in {"step_keep", "step_concerns_first", "no_wins", "no_concerns"}, line.text
        for figure in line.figures:
            assert figure.why and figure.shown in line.text
            assert figure.href.startswith("/scorecard/")  # every number is a link to its figure
            if figure.derived:
                continue
            doc = docs[figure.month]
            stored = doc["breakdowns"][figure.dimension][figure.member] if figure.dimension else doc["kpis"]
            assert figure.value == stored[figure.kpi]  # exactly the snapshot's
            assert figure.href.startswith("/scorecard/")
            checked += 1
    assert checked >= 10
    text = {section: [line.text for line in lines] for section, lines in draft.sections.items()}
    assert text["summary"][0] == (
        "October 2026 brought 12 MQLs from 30 new leads, with €3,700.00 of marketing spend (€123.33 a lead)."
    )
    assert "MQLs rose by 4 against September 2026, from 8 to 12." in text["wins"]  # 8 before: a number
    assert "Paid search made all of it and more: its MQLs went from 4 to 9, while the rest went from 4 to 3." in text[
        "wins"]  # twice the leads, at 40 → 45 %: +5 of a +4
    assert "Customer acquisition cost (CAC) fell 40.0 % against September 2026, from €3,500.00 to €2,100.00." in text["wins"]
    assert ("The customers did most of it: 1 → 2, while the marketing and sales spend went from €3,500.00 to €4,200.00."
            in text["wins"])
    assert "Target missed for cost per lead: €123.33 against €120.00." in text["concerns"]
    assert "Target met for MQLs: 12 against 10." in text["wins"]
    assert "Against October 2025, a year earlier: MQLs up by 9 (3 then), cost per lead up 23.3 % (€100.00 then)." in text[
        "summary"]
    assert len([t for t in text["wins"] if " rose " in t or " fell " in t]) == 3  # the three largest moves


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Against October 2025, a year earlier: MQLs up by 9 (3 then), cost per lead up 23.3 % (€100.00 then)."),
    ("es", "Frente a octubre de 2025, un año antes: MQL, 9 más (3 entonces); costo por lead, al alza un 23,3 % "
           "(100,00 € entonces)."),
])  # fmt: skip
def test_the_year_before_is_one_sentence_naming_the_month_once_with_both_figures_linked(language, expected):
    draft = draft_in(language, documents())  # the concise draft: MQLs 3 → 12, cost per lead €100.00 → €123.33
    summary = draft.sections["summary"]
    years = [line for line in summary if line.key.startswith("year_")]
    assert [line.text.replace("\xa0", " ") for line in years] == [expected]
    year = years[0]
    assert len(summary) <= 3  # one of the summary's three sentences, however many KPIs it names
    assert len(year.figures) == 4  # each KPI's change and its value then
    assert [(figure.kpi, figure.month) for figure in year.figures if not figure.derived] == [
        ("mqls", OCT_LAST_YEAR), ("cpl", OCT_LAST_YEAR)]
    for figure in year.figures:  # every number a link to its figure, as in any sentence
        assert f'href="{figure.href}"' in year.html and f">{html.escape(figure.shown)}</a>" in year.html
    assert year.changes == [("mqls", OCT_LAST_YEAR), ("cpl", OCT_LAST_YEAR)]  # the concise draft's bookkeeping


def test_one_kpi_moved_against_the_year_before_is_said_alone():
    docs = documents()
    docs[OCT_LAST_YEAR] = document(OCT_LAST_YEAR, {  # cost per lead €123.33 then too: held steady
        "paid_search": channel(spend=1110, leads=9, mqls=3, sessions=900),
    }, working_days=22)  # fmt: skip
    years = [line for line in draft_in("en", docs, full=True).sections["summary"] if line.key.startswith("year_")]
    assert [line.text for line in years] == ["Against October 2025, a year earlier: MQLs up by 9 (3 then)."]
    assert years[0].changes == [("mqls", OCT_LAST_YEAR)]


def test_the_html_links_every_number_and_shows_where_each_sentence_comes_from():
    draft = draft_in("en", documents())
    first = draft.sections["summary"][0]
    links = re.findall(r'<a class="figure" href="([^"]+)" title="([^"]+)">([^<]+)</a>', first.html)
    assert [shown for _h, _t, shown in links] == ["12", "30", "€3,700.00", "€123.33"]
    assert links[0][0] == "/scorecard/?month=2026-10#kpi-mqls" and links[0][1] == "MQLs, October 2026: 12"
    assert "MQLs, October 2026: 12" in first.why


def test_words_in_a_sentence_are_escaped_never_markup():
    docs = documents()
    for doc in docs.values():
        doc["breakdowns"]["channel"]["<b>x</b>"] = doc["breakdowns"]["channel"].pop("paid_search")
    draft = draft_in("en", docs)
    assert all("<b>" not in line.html for line in draft.lines())


def test_a_client_with_one_month_of_figures_gets_a_draft_that_says_so():
    draft = draft_in("en", {OCT: documents()[OCT]})
    assert draft.first_month
    text = draft.text("summary")
    assert "first month with figures" in text and "no earlier month to compare" in text
    assert not any(line.key.startswith(("kpi_", "driver_", "headline_", "year_")) for line in draft.lines())
    assert draft.sections["next_steps"][0].key == "no_trend_yet"


def test_concerns_from_the_checks_come_first_with_their_figures():
    docs = documents()
    with translation.override("en"):
        check = Line.of_text("check_spend_gap", "No spend imported for 3 days.", [])
        draft = month_draft(inputs(docs), concerns=[check])
    assert draft.sections["concerns"][0] is check


@pytest.mark.parametrize("one_month", [False, True])
def test_a_spanish_draft_has_no_english_left(one_month):
    docs = {OCT: documents()[OCT]} if one_month else documents()
    quarter = [
        MonthFigures(dt.date(2026, 10, 1), 22, 22, docs[OCT]["kpis"], {"mqls": 100, "marketing_spend": 9000}),
        MonthFigures(dt.date(2026, 11, 1), 21, 0, None, {"mqls": 100, "marketing_spend": 9000}),
        MonthFigures(dt.date(2026, 12, 1), 21, 0, None, {"mqls": 100, "marketing_spend": 9000}),
    ]
    draft = draft_in("es", docs, targets={"mqls": 100}, quarter=quarter)
    keys = {line.key for line in draft.lines()}
    assert keys
    english = re.compile(r"\b(the|of|from|rose|fell|against|working|days|target|month|spend|quarter|with|new)\b")
    for line in draft.lines():
        assert not english.search(line.text), line.text
        assert not english.search(line.why.replace("MQLs", "")), line.why
    assert "Octubre de 2026" in draft.text("summary")  # a sentence starts with a capital


def test_every_declared_sentence_has_its_spanish():
    for sentence in SENTENCES.values():
        with translation.override("en"):
            english = str(sentence.text)
        with translation.override("es"):
            spanish = str(sentence.text)
        assert spanish != english, sentence.key
        assert sorted(re.findall(r"%\((\w+)\)s", spanish)) == sorted(re.findall(r"%\((\w+)\)s", english)), sentence.key


def test_the_figures_a_driver_was_worked_out_from_are_written_as_the_report_writes_numbers():
    """A mix or conversion driver says what it divided ("Meta Ads: €9,027.94 / €26,163.00 ad spend"),
    never the stored floats ("9027.939999999999 / 26163.000000000004") or an ungrouped 16009."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000.1 + 0.2, leads=10, mqls=4, sessions=10000),
            "paid_social": channel(spend=2000.1 + 0.2, leads=10, mqls=4, sessions=16009),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000.1 + 0.2, leads=30, mqls=4, sessions=10500),
            "paid_social": channel(spend=2000.1 + 0.2, leads=10, mqls=4, sessions=16009),
        }, working_days=22),
    }  # fmt: skip
    for language in ("en", "es"):
        draft = draft_in(language, docs)
        worked_out = [line.why for line in draft.lines() if " / " in line.why]
        assert worked_out, "no driver sentence divides anything"
        for why in worked_out:
            numbers = re.sub(r"\b20\d\d\b", "", why).replace("\xa0", " ")  # the months' years aside
            assert not re.search(r"\d{4}|\d[.,]\d{3}\d", numbers), why


def test_a_month_without_spend_is_not_written_as_free_leads():
    docs = documents()
    for doc in docs.values():
        for figures in doc["breakdowns"]["channel"].values():
            figures["marketing_spend"], figures["cpl"] = 0, 0.0
        doc["kpis"].update(marketing_spend=0, sales_spend=0, cpl=0.0, cost_per_mql=0.0, cac=0.0)
    summary = draft_in("en", docs).sections["summary"][0]
    assert summary.text == "October 2026 brought 12 MQLs from 30 new leads; no marketing spend is recorded for the month."
    assert "€0.00" not in summary.html
    spanish = draft_in("es", docs).sections["summary"][0].text
    assert spanish == (
        "Octubre de 2026 trajo 12 MQL a partir de 30 leads nuevos; no hay inversión en marketing registrada en el mes."
    )


def test_a_conversion_under_one_percent_is_written_with_two_decimals_so_its_change_shows():
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=21, mqls=4, sessions=17918),
            "paid_social": channel(spend=2000, leads=10, mqls=4, sessions=16009),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=12, mqls=4, sessions=16009),
            "paid_social": channel(spend=2000, leads=10, mqls=4, sessions=16009),
        }, working_days=22),
    }  # fmt: skip
    lines = [line.text for line in draft_in("en", docs).lines() if "of its sessions" in line.text]
    assert lines and all("0.07 %" in text and "0.12 %" in text for text in lines), lines


def test_a_member_with_more_mqls_than_new_leads_is_not_said_to_convert_over_100_percent():
    """A month's MQLs include leads created earlier, so a channel can have 12 MQLs from 4 new leads:
    "300.0 % of its new leads converted" is not a thing a client can read. The driver says its
    count moved instead (draft and the report's "What changed" share these lines)."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=2, sessions=1000),
            "paid_social": channel(spend=1000, leads=10, mqls=4, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=4, mqls=12, sessions=1000),
            "paid_social": channel(spend=1000, leads=10, mqls=4, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    for language in ("en", "es"):
        texts = [line.text for line in draft_in(language, docs).lines()]
        rates = [t for t in texts if "converted" in t or "conversión" in t]
        over = [t for t in rates if re.search(r"\b[1-9]\d{2,}[.,]\d\s?%", t.replace("\xa0", " "))]
        assert not over, over
    english = [line.text for line in draft_in("en", docs).lines()]
    assert any("its MQLs went from 2 to 12" in t for t in english), english


def test_fewer_working_days_say_which_figure_they_held_back():
    """The same leads per working day in a month with two working days fewer: the calendar explains the
    fall, and the sentence names the figure it held back, not a bare number ("held it back by 3")."""
    docs = documents()
    docs[SEP]["kpis"]["working_days"] = 22
    docs[OCT] = document(OCT, {
        "paid_search": channel(spend=1000, leads=9, mqls=4, sessions=1000, customers=1),
        "paid_social": channel(spend=2000, leads=9, mqls=4, sessions=800),
    }, working_days=20, sales=500)  # fmt: skip
    english = [line.text for lines in draft_in("en", docs, full=True).sections.values() for line in lines]
    said = [text for text in english if "working days against" in text]
    assert said and all("held new leads back by" in text or "change in new leads" in text
                        or "held MQLs back by" in text or "change in MQLs" in text for text in said), english
    spanish = [line.text for lines in draft_in("es", docs, full=True).sections.values() for line in lines]
    # "lo que explica 6 MQL de la diferencia", not "6 del cambio en MQL" (6 of what, read as Spanish)
    said = re.compile(r"(explica [\d.,]+ (leads nuevos|MQL) de la diferencia|restó [\d.,]+ (leads nuevos|MQL))\.$")
    assert [t for t in spanish if "días laborables frente a" in t and said.search(t)], spanish


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_working_days_are_said_in_the_move_they_explain_not_in_a_place_of_their_own(language):
    """October with four working days fewer: the calendar sentence took one of the wins' three places,
    crowding a move out. Folded into the move's own sentence, the three places say two moves and what
    drove the first."""
    docs = documents()
    docs[OCT]["kpis"]["working_days"] = 18
    draft = draft_in(language, docs)
    wins = draft.sections["wins"]
    folded = [line for line in wins if "18" in line.text and "22" in line.text]
    assert len(folded) == 1 and folded[0].changes == [("mqls", SEP)], [line.text for line in wins]
    assert folded[0].text.startswith(("MQLs rose by 4 against September 2026, from 8 to 12: October 2026 had 18 "
                                      "working days against 22", "MQL: 4 más que en septiembre de 2026, de 8 a 12; "
                                      "octubre de 2026 tuvo 18 días laborables frente a 22"))
    assert len([line for line in wins if line.changes]) == 2, [line.text for line in wins]  # MQLs and new leads
    assert not [line for line in draft.lines() if line.key.startswith("driver_calendar")]


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "The marketing and sales spend did most of it: €3,500.00 → €4,200.00, while the customers held at 1."),
    ("es", "La inversión en marketing y ventas explica la mayor parte: 3 500,00 € → 4 200,00 €, mientras el volumen de "
           "clientes se mantuvo en 1."),
])
def test_a_cost_whose_results_did_not_move_says_they_held_not_that_they_went_from_1_to_1(language, expected):
    """CAC's spend is marketing and sales spend: "the spend" beside the summary's marketing spend read
    as two different figures for one thing."""
    docs = documents()
    docs[OCT]["breakdowns"]["channel"]["paid_search"]["customers"] = 1
    docs[OCT]["kpis"]["customers"] = 1
    docs[OCT]["kpis"]["cac"] = (docs[OCT]["kpis"]["marketing_spend"] + 500) / 1
    with translation.override(language):
        w = Writer(month=OCT, documents=docs, currency="EUR", names={})
        explained = budget_line(w, "cac", SEP, OCT)
    assert explained.key == "driver_budget_flat_sales"
    assert explained.text.replace("\xa0", " ") == expected


def _cost_per_mql_docs(*, search_after: float) -> dict[dt.date, dict[str, Any]]:
    """Paid search's cost per MQL comes down (€2,000 → search_after), paid social's stays at €100."""
    return {
        SEP: document(SEP, {
            "paid_search": channel(spend=4000, leads=20, mqls=2, sessions=1000),
            "paid_social": channel(spend=1000, leads=40, mqls=10, sessions=2000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=search_after * 2, leads=20, mqls=2, sessions=1000),
            "paid_social": channel(spend=1000, leads=40, mqls=10, sessions=2000),
        }, working_days=22),
    }  # fmt: skip


def test_budget_is_not_sent_towards_a_channel_still_dearer_than_the_month_as_a_whole():
    """Wayne's November draft told its client to move budget towards Paid search "whose cost per MQL came
    down to €2,177.42", with the month's cost per MQL at €769.50: its cheapest way to an MQL was elsewhere.
    A channel whose cost came down is worth more budget only when it is now at or under the month's own."""
    dearer = draft_in("en", _cost_per_mql_docs(search_after=1500), full=True)  # €1,500 an MQL against €333.33 overall
    text = [line.text for line in dearer.lines()]
    assert "Cost per MQL fell 20.0 % against September 2026, from €416.67 to €333.33." in text
    assert "Most of the change came from Paid search: its cost per MQL went from €2,000.00 to €1,500.00." in text
    assert not [t for t in text if "moving budget" in t]
    cheaper = draft_in("en", _cost_per_mql_docs(search_after=50), full=True)  # €5 a lead against €18.33 overall
    assert "Consider moving budget towards Paid search, whose cost per lead came down to €5.00." in [
        line.text for line in cheaper.lines()]


@pytest.mark.parametrize("language, mix, step", [
    ("en", "Most of the change came from the mix: Paid search brought 80.0 % of the new leads, against 50.0 %.",
     "Watch cost per lead next month: the shift in the mix above moved it the wrong way, not one channel or "
     "campaign getting worse."),
    ("es", "La mayor parte del cambio vino del reparto del total de leads nuevos: la parte de la búsqueda de pago fue "
     "del 80,0 %, frente al 50,0 %.",
     "A vigilar el próximo mes: costo por lead, que empeoró por el cambio de reparto de arriba, no porque un canal "
     "o una campaña empeorara."),
])
def test_a_cost_the_mix_explains_is_watched_for_the_mix_not_said_to_have_no_channel_to_blame(language, mix, step):
    """Every demo client's draft named a channel behind a concern ("Most of the change came from the mix: Paid
    search brought 50.0 % of the customers…") and then, under Next steps, said the same figure moved "without one
    channel or campaign to blame": a client reads the two as contradicting each other."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=0, sessions=1000),
            "paid_social": channel(spend=100, leads=10, mqls=0, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=2000, leads=20, mqls=0, sessions=1000),
            "paid_social": channel(spend=50, leads=5, mqls=0, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    draft = draft_in(language, docs)
    text = [line.text.replace("\xa0", " ") for line in draft.lines()]
    assert mix in text, text
    assert step in [line.text.replace("\xa0", " ") for line in draft.sections["next_steps"]]
    assert not [t for t in text if "to blame" in t or "lo explique" in t]


@pytest.mark.parametrize("language, said", [
    ("en", "Paid search made all of it and more: its MQLs went from 10 to 26, while the rest went from 45 to 35."),
    ("es", "Todo vino de la búsqueda de pago, y más: sus MQL pasaron de 10 a 26, mientras el resto pasó de 45 a 35."),
])
def test_a_member_that_moved_more_than_the_whole_is_not_said_to_have_done_most_of_it(language, said):
    """Acme's November: MQLs 55 → 61, and "Direct did most of it: its MQLs went from 10 to 26" — 16 more
    where the month had 6 more: the other channels lost 10, which "most of it" hid."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=20, mqls=10, sessions=1000),
            "paid_social": channel(spend=1000, leads=90, mqls=45, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=52, mqls=26, sessions=1000),
            "paid_social": channel(spend=1000, leads=70, mqls=35, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    text = [line.text.replace("\xa0", " ") for line in draft_in(language, docs, full=True).lines()]
    assert said in text, "\n".join(text)
    assert not [t for t in text if "did most of it: its MQLs" in t or "La mayor parte vino de la búsqueda de pago: sus MQL" in t]


@pytest.mark.parametrize("language, said, changed", [
    ("en", "Paid search did the largest part of it: its sessions went from 1,000 to 1,400.",
     "Sessions +33.3 % against September 2026: the largest part from Paid search, 1,000 → 1,400."),
    ("es", "La parte más grande vino de la búsqueda de pago: sus sesiones pasaron de 1 000 a 1 400.",
     "Sesiones +33,3 % frente a septiembre de 2026: la parte más grande, de la búsqueda de pago, 1 000 → 1 400."),
])
def test_a_member_with_under_half_of_the_change_did_the_largest_part_not_most_of_it(language, said, changed):
    """Acme's November: sessions 5,054 → 6,627 (+1,573) and "Paid search did most of it: its sessions went from
    1,329 to 1,769" — 440 of 1,573, under a third: a reader who subtracts finds "most" untrue."""
    from kpis.report_drivers import COMPACT

    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=5, sessions=1000),
            "paid_social": channel(spend=1000, leads=10, mqls=5, sessions=1000),
            "email": channel(spend=1000, leads=10, mqls=5, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=10, mqls=5, sessions=1400),
            "paid_social": channel(spend=1000, leads=10, mqls=5, sessions=1300),
            "email": channel(spend=1000, leads=10, mqls=5, sessions=1300),
        }, working_days=22),
    }  # fmt: skip
    draft = draft_in(language, docs)
    text = [line.text.replace("\xa0", " ") for line in draft.lines()]
    assert said in text, "\n".join(text)
    explained = next(line for line in draft.lines() if line.key.startswith("driver_volume"))
    with translation.override(language):
        from kpis.draft_writer import line as sentence_line

        compact = sentence_line(COMPACT[explained.key], **{
            **explained.slots, "kpi": {"en": "Sessions", "es": "Sesiones"}[language],
            "change": {"en": "+33.3 %", "es": "+33,3 %"}[language],
            "compare": {"en": "September 2026", "es": "septiembre de 2026"}[language]})
    assert compact.text.replace("\xa0", " ") == changed


@pytest.mark.parametrize("language, said", [
    ("en", "Paid search made all of it and more: 40.0 % of its sessions converted, against 20.0 % before, its new "
           "leads going from 20 to 40."),
    ("es", "Todo vino de la búsqueda de pago, y más, donde la conversión de sus sesiones fue del 40,0 %, frente al "
           "20,0 % antes: sus leads nuevos pasaron de 20 a 40."),
])
def test_a_member_whose_conversion_moved_more_than_the_whole_is_not_said_to_have_done_most_of_it(language, said):
    """Acme's November: new leads 155 → 170 and "Organic search did most of it: 3.0 % of its sessions
    converted, against 1.9 % before" — its leads went from 21 to 40, more than the month's +15."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=20, mqls=5, sessions=100),
            "paid_social": channel(spend=1000, leads=80, mqls=5, sessions=400),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=40, mqls=5, sessions=100),
            "paid_social": channel(spend=1000, leads=70, mqls=5, sessions=400),
        }, working_days=22),
    }  # fmt: skip
    text = [line.text.replace("\xa0", " ") for line in draft_in(language, docs, full=True).lines()]
    assert said in text, "\n".join(text)


@pytest.mark.parametrize("language, said", [
    ("en", "Against September 2026, little change in cost per lead: €147.60 (-1.6 %)."),
    ("es", "Frente a septiembre de 2026: costo por lead, casi sin cambios, en 147,60 € (-1,6 %)."),
])
def test_a_move_too_small_for_news_that_its_tile_shows_is_little_change_not_steady(language, said):
    """Cost per lead 150.00 € → 147.60 €: under the draft's 2 % (not news), but its tile reads -1.6 % in
    colour; "held steady at €147.60" beside it read as a contradiction to a client."""
    docs = documents()
    docs[OCT] = document(OCT, {  # 3,000 € for 20 leads in September; 2,952 € in October: -1.6 %
        "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000, customers=1),
        "paid_social": channel(spend=1952, leads=10, mqls=4, sessions=800),
    }, working_days=22, sales=500)  # fmt: skip
    summary = [re.sub("[\xa0\u202f]", " ", line.text) for line in draft_in(language, docs, full=True).sections["summary"]]
    assert said in summary
    assert not any("lead held steady" in text or "lead, estable" in text for text in summary)  # MQLs 8 → 8 did
    same = docs[SEP]  # the same figure both months: its tile reads "no change", the draft "held steady"
    docs[OCT] = document(OCT, same["breakdowns"]["channel"], working_days=22, sales=500)
    summary = [line.text for line in draft_in("en", docs, full=True).sections["summary"]]
    assert any("cost per lead held steady" in text for text in summary)
