"""The funnel's conversion notes read as phrases: "35.5 % of leads", "46,0 % de sesiones", an acronym as
it is ("20.0 % of SQLs"); a capital mid-phrase ("de Leads") read as a broken sentence. No traffic loaded:
the sessions bar says so, and the leads bar names no rate over them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from kpis.report import funnel_chart

FIGURES = {"sessions": 400, "new_leads": 100, "mqls": 40, "sqls": 10, "customers": 2}


def _card(*, no_traffic: bool = False, staff: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        month=dt.date(2026, 3, 1), snapshot=object(), kpi=FIGURES.get, staff=staff,
        not_fact=lambda month, key: "no traffic" if no_traffic and key == "sessions" else "",
    )


@pytest.mark.parametrize(("language", "notes"), [
    ("en", ["", "25.0 % of sessions", "40.0 % of leads", "25.0 % of MQLs", "20.0 % of SQLs"]),
    ("es", ["", "25,0 % de sesiones", "40,0 % de leads", "25,0 % de MQL", "20,0 % de SQL"]),
])
def test_the_notes_name_the_stage_before_in_lower_case_but_acronyms(language, notes):
    with translation.override(language):
        chart = funnel_chart(_card(), accent="#000")
    assert [bar.note for bar in chart.bars] == notes


@pytest.mark.parametrize(("language", "staff", "said"), [
    ("en", False, "no traffic data recorded"), ("es", False, "sin datos de tráfico registrados"),  # a client's words
    ("en", True, "no traffic data loaded"), ("es", True, "sin datos de tráfico cargados"),  # staff's
])  # fmt: skip
def test_without_traffic_the_sessions_bar_says_so_and_leads_have_no_rate(language, staff, said):
    with translation.override(language):
        chart = funnel_chart(_card(no_traffic=True, staff=staff), accent="#000")
    assert (chart.bars[0].text, chart.bars[0].note, chart.bars[1].note) == ("—", said, "")
