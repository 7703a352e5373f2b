"""What a Spanish-speaking client reads in the generated sentences: a channel inside a sentence is a
common noun (lower case), a channel's name never governs a verb (whose number it would have to match:
"redes sociales de pago" is plural), no word agrees with a KPI's gender (la tasa, el costo), and the
funnel says "de leads", as the rest of the catalogue writes the word in running text."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import translation

from kpis.report import funnel_chart
from kpis.sentences import SENTENCES
from tests.kpis.unit.test_draft import OCT, SEP, channel, document, documents, draft_in


def _texts(language: str, docs) -> list[str]:
    # every sentence, before the concise draft's caps: how each is written
    return [line.text.replace("\xa0", " ") for line in draft_in(language, docs, full=True).lines()]


def test_a_channel_inside_a_spanish_sentence_is_written_in_lower_case_and_its_sources_keep_the_label() -> None:
    spanish = draft_in("es", documents())
    texts = [line.text for line in spanish.lines()]
    assert "Todo vino de la búsqueda de pago, y más: sus MQL pasaron de 4 a 9, mientras el resto pasó de 4 a 3." in texts
    assert not [t for t in texts if "Búsqueda de pago" in t]
    # Where a figure came from reads as a label ("MQL, Búsqueda de pago, octubre de 2026: 9"): its capital stays.
    assert any("Búsqueda de pago, octubre de 2026" in line.why for line in spanish.lines())
    assert "Paid search made all of it and more: its MQLs went from 4 to 9, while the rest went from 4 to 3." in _texts(
        "en", documents())  # English keeps it


def _conversion_docs():
    """Paid social converts 4 of 10 new leads in September and 3 of 10 in October: a conversion driver."""
    return {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=2000, leads=10, mqls=8, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=2000, leads=10, mqls=3, sessions=1000),
        }, working_days=22),
    }  # fmt: skip


def test_a_plural_channel_reads_without_a_singular_verb() -> None:
    """"Redes sociales de pago explica la mayor parte: convirtió…" made a plural name the subject of a singular verb."""
    texts = _texts("es", _conversion_docs())
    assert ("La mayor parte vino de las redes sociales de pago, donde la conversión de sus leads nuevos fue del 30,0 %, "
            "frente al 80,0 % antes.") in texts, texts
    assert "Revisar el rendimiento de las redes sociales de pago: su costo por MQL pasó de 250,00 € a 666,67 €." in texts, texts


def test_a_channel_in_a_spanish_sentence_has_its_article_and_de_el_contracts() -> None:
    """"Revisar búsqueda de pago", "sobre todo correo electrónico", "vino de referencias": a channel named
    as a common noun without its article read like a telegram; with it, "de el" is "del" as Spanish writes it."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "email": channel(spend=2000, leads=10, mqls=8, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "email": channel(spend=2000, leads=10, mqls=3, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    texts = _texts("es", docs)
    assert ("La mayor parte vino del correo electrónico, donde la conversión de sus leads nuevos fue del 30,0 %, "
            "frente al 80,0 % antes.") in texts, texts
    assert "Revisar el rendimiento del correo electrónico: su costo por MQL pasó de 250,00 € a 666,67 €." in texts, texts
    assert not [text for text in texts if re.search(r"\b(de|a) el\b", text)], texts
    english = _texts("en", docs)
    assert "Email did most of it: 30.0 % of its new leads converted, against 80.0 % before." in english, english


def test_no_spanish_sentence_makes_a_member_the_subject_of_its_verb() -> None:
    """A member is a channel (singular or plural), a platform or a campaign: a verb after it would have to
    agree with a number the sentence cannot know. Spanish puts it after a preposition or "sobre todo"."""
    with translation.override("es"):
        spanish = {key: str(s.text) for key, s in SENTENCES.items() if "%(member)s" in str(s.text)}
    assert len(spanish) >= 10
    loose = {key: text for key, text in spanish.items()
             if not re.search(r"\b(de|hacia|todo|con|Revisar) %\(member\)s", text)}
    assert not loose, loose


def test_no_spanish_sentence_agrees_with_the_gender_of_a_kpi_or_a_unit() -> None:
    """"cuyo %(kpi_lower)s" read "cuyo tasa de conversión": the KPI's and the unit's gender are unknown
    to the sentence (la tasa, el costo, las sesiones), so no article or relative agrees with them."""
    # "su"/"sus" mark no gender ("sus" only a plural: the counts, MQL, leads nuevos, sesiones)
    gendered = re.compile(r"\b(el|la|los|las|del|al|un|una|cuyo|cuya|cuyos|cuyas|este|esta) %\((kpi|kpi_lower|unit)\)s")
    with translation.override("es"):
        found = {key: str(s.text) for key, s in SENTENCES.items() if gendered.search(str(s.text))}
    assert not found, found


@pytest.mark.parametrize(("language", "notes"), [
    ("es", ["", "2,0 % de sesiones", "40,0 % de leads", "50,0 % de MQL", "50,0 % de SQL"]),
    ("en", ["", "2.0 % of sessions", "40.0 % of leads", "50.0 % of MQLs", "50.0 % of SQLs"]),
])
def test_the_funnel_says_of_leads_in_lower_case(language: str, notes: list[str]) -> None:
    values = {"sessions": 1000, "new_leads": 20, "mqls": 8, "sqls": 4, "customers": 2}
    card = SimpleNamespace(kpi=lambda key: values.get(key), month=dt.date(2026, 10, 1), snapshot=None, staff=False)
    with translation.override(language):
        chart = funnel_chart(card, accent="#1f5fbf")
    assert [bar.note.replace("\xa0", " ") for bar in chart.bars] == notes
    assert chart.bars[1].label in ("Leads",)  # the bar's own label keeps its capital


@pytest.mark.parametrize(("language", "expected"), [
    # its MQLs 1 → 9 in a month of 8 → 12: all of it and more, its count said
    ("es", "Todo vino de lo que no encajó en ningún perfil de comprador, y más, donde la conversión de sus leads nuevos "
           "fue del 90,0 %, frente al 10,0 % antes: sus MQL pasaron de 1 a 9."),
    # the month's rate first, as in Spanish ("1.5 % … against 2.4 % now" read as if 1.5 % were this month's)
    ("en", "What matched no buyer persona made all of it and more: 90.0 % of its new leads converted, against 10.0 % "
           "before, its MQLs going from 1 to 9."),
])
def test_leads_of_no_persona_are_named_in_words_not_as_a_tables_not_attributed(language: str, expected: str) -> None:
    """"La mayor parte vino de Sin atribuir" read as a table cell dropped into a sentence."""
    docs = documents()
    for month, mqls in ((SEP, 1), (OCT, 9)):
        docs[month]["breakdowns"] = {"persona": {"": {"mqls": mqls, "new_leads": 10}}}
    texts = _texts(language, docs)
    assert expected in texts, texts


def test_the_catch_up_step_says_what_to_plan_for_each_working_day() -> None:
    """"planificar 6,9 por día laborable": 6,9 of what? The figure now carries its KPI."""
    from kpis.pacing import MonthFigures

    docs = documents()
    targets = {"mqls": 100}
    quarter = [MonthFigures(dt.date(2026, 10, 1), 22, 22, docs[OCT]["kpis"], targets),
               MonthFigures(dt.date(2026, 11, 1), 21, 0, None, targets),
               MonthFigures(dt.date(2026, 12, 1), 21, 0, None, targets)]  # fmt: skip
    steps = [line.text for line in draft_in("es", docs, quarter=quarter).sections["next_steps"]]
    assert ("Para alcanzar el objetivo del trimestre, planificar 6,9 MQL por día laborable en los 42 días laborables "
            "que quedan.") in steps, steps


def test_a_member_whose_leads_qualify_less_is_reviewed_for_their_quality_not_its_landing_pages() -> None:
    """Globex's November (walk of 7 Dec 2026): MQLs fell because 16.7 % of paid social's new leads
    became MQLs against 56.5 %, and the next step said to review "the traffic it brings and the pages
    it lands on", which is what sessions converting less calls for, not leads qualifying less."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=0, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=0, leads=10, mqls=8, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=0, leads=10, mqls=4, sessions=1000),
            "paid_social": channel(spend=0, leads=10, mqls=3, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    english = _texts("en", docs)
    step = "Review the quality of what Paid social brings: 30.0 % of its new leads converted, against 80.0 % before."
    assert step in english, english
    assert not [text for text in english if "where it lands" in text], english
    spanish = _texts("es", docs)
    assert ("Revisar la calidad de lo que llega de las redes sociales de pago: la conversión de sus leads nuevos fue del "
            "30,0 %, frente al 80,0 % antes.") in spanish, spanish


def test_a_member_whose_sessions_convert_less_is_still_reviewed_for_its_traffic_and_landing_pages() -> None:
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=0, leads=30, mqls=0, sessions=1000),
            "paid_social": channel(spend=0, leads=40, mqls=0, sessions=1000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=0, leads=30, mqls=0, sessions=1000),
            "paid_social": channel(spend=0, leads=10, mqls=0, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    english = _texts("en", docs)
    assert [text for text in english if text.startswith("Review what Paid social brings to the site and where it lands")], english


def test_a_step_about_the_email_channel_does_not_read_as_check_your_email() -> None:
    """"Revisar el correo electrónico: sus sesiones pasaron…" (Wayne's November) reads first as "check your
    email": the step says what to look at about the channel."""
    docs = {
        SEP: document(SEP, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "email": channel(spend=100, leads=10, mqls=4, sessions=2000),
        }, working_days=22),
        OCT: document(OCT, {
            "paid_search": channel(spend=1000, leads=10, mqls=4, sessions=1000),
            "email": channel(spend=100, leads=10, mqls=4, sessions=1000),
        }, working_days=22),
    }  # fmt: skip
    texts = _texts("es", docs)
    steps = [t for t in texts if "correo electrónico" in t and t.startswith(("Revisar", "Analizar"))]
    assert "Analizar qué pasó con el correo electrónico: sus sesiones pasaron de 2 000 a 1 000." in steps, texts
    assert not [t for t in texts if t.startswith("Revisar el correo electrónico")], texts
