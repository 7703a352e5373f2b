"""kpis.nodata's lead source without a database: which figures are built on leads, when a client has no
lead source up to a month's end (no lead, no CRM sync: "—" with the reason), and when its 0 stands."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from kpis.nodata import LEAD_FIGURES, document_facts, lead_figure_unknown, leads_loaded
from kpis.reasons import figure_not_fact

FEBRUARY, MARCH, APRIL = dt.date(2026, 2, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 1)


def doc(**kpis) -> dict:
    return {"kpis": kpis, "breakdowns": {}}


def unread():
    raise AssertionError("read")


def test_the_lead_figures_are_those_built_on_leads_and_nothing_else():
    for key in ("new_leads", "mqls", "sqls", "customers", "qualified_lead_rate", "lead_velocity_rate",
                "median_response_hours", "cpl", "cost_per_mql", "cac", "revenue", "roi", "romi", "traffic_to_lead",
                "paid_leads", "paid_lead_match_rate", "cac_payback_months", "ltv_to_cac", "database_size"):
        assert key in LEAD_FIGURES, key
    for key in ("working_days", "sessions", "marketing_spend", "ad_spend", "clicks", "ctr", "roas", "emails_sent",
                "mrr", "arpa", "cltv", "contract_ltv"):
        assert key not in LEAD_FIGURES, key


def test_a_month_showing_a_lead_reads_no_rows():
    assert leads_loaded(doc(new_leads=3), month=MARCH, row_months=unread)
    # No new lead this month, but leads before it (the database size counts them): a real 0, no query.
    assert leads_loaded(doc(new_leads=0, database_size=40), month=MARCH, row_months=unread)


def test_no_lead_source_up_to_the_month_is_not_loaded():
    none = doc(new_leads=0, database_size=0, mqls=0)
    assert not leads_loaded(none, month=MARCH, row_months={"leads": set()})
    assert not leads_loaded(none, month=MARCH, row_months={"leads": {APRIL}})  # leads start after March
    assert leads_loaded(none, month=MARCH, row_months={"leads": {FEBRUARY}})  # a source since February: a real 0
    assert leads_loaded(none, month=MARCH, row_months={"leads": {MARCH}})
    assert leads_loaded(none, month=MARCH, row_months=None)  # not read: taken as loaded
    assert leads_loaded(none, month=MARCH, row_months={"traffic": set()})  # a reader of the traffic only


def test_a_frozen_answer_wins_over_the_rows():
    frozen = {**doc(new_leads=0), "report": {"sources_loaded": {"traffic": True, "leads": False}}}
    assert not leads_loaded(frozen, month=MARCH, row_months={"leads": {FEBRUARY}})
    older = {**doc(new_leads=0), "report": {"sources_loaded": {"traffic": True}}}  # approved before leads were frozen
    assert not leads_loaded(older, month=MARCH, row_months={"leads": set()})


def test_only_lead_figures_are_unknown():
    none = doc(new_leads=0, sessions=300, marketing_spend=120.0, cpl=None)
    assert lead_figure_unknown("new_leads", none, month=MARCH, row_months={"leads": set()})
    assert lead_figure_unknown("cpl", none, month=MARCH, row_months={"leads": set()})
    assert not lead_figure_unknown("sessions", none, month=MARCH, row_months={"leads": set()})
    assert not lead_figure_unknown("marketing_spend", none, month=MARCH, row_months={"leads": set()})


def test_the_reason_in_the_readers_words():
    none = doc(new_leads=0, sessions=300)
    with translation.override("en"):
        client = figure_not_fact("new_leads", none, month=MARCH, row_months={"leads": set()})
        staff = figure_not_fact("mqls", none, month=MARCH, row_months={"leads": set()}, staff=True)
        named = figure_not_fact("customers", none, month=MARCH, row_months={"leads": set()}, named="March 2026")
        assert figure_not_fact("sessions", none, month=MARCH, row_months={"leads": set()}) == ""
    assert client == "No leads are recorded up to this month: its lead figures are unknown, not zero."
    assert staff.startswith("No leads loaded for this client up to this month") and "connect HubSpot" in staff
    assert named == "No leads are recorded up to March 2026: its lead figures are unknown, not zero."
    with translation.override("es"):
        spanish = figure_not_fact("new_leads", none, month=MARCH, row_months={"leads": set()})
    assert spanish == "No hay leads registrados hasta este mes: sus cifras de leads son desconocidas, no cero."


def test_the_lead_reason_comes_before_the_crms_missing_sal_dates():
    """With no CRM at all, "the CRM sends no sales-accepted date" would blame a CRM that is not there."""
    none = doc(new_leads=0, sals=0, sal_rate=None)
    with translation.override("en"):
        said = figure_not_fact("sals", none, month=MARCH, row_months={"leads": set(), "sal_dates": set()})
    assert said.startswith("No leads are recorded")


def test_a_sentence_reads_the_lead_figures_and_members_as_undefined():
    document = {
        "kpis": {"new_leads": 0, "mqls": 0, "customers": 0, "romi": -1.0, "marketing_spend": 120.0, "sessions": 300},
        "breakdowns": {"channel": {"paid_search": {"sessions": 300, "new_leads": 0, "cpl": None}}},
    }
    facts = document_facts(document, month=MARCH, row_months={"leads": set()})
    assert facts["kpis"] == {"new_leads": None, "mqls": None, "customers": None, "romi": None,
                             "marketing_spend": 120.0, "sessions": 300}
    assert facts["breakdowns"]["channel"]["paid_search"] == {"sessions": 300, "new_leads": None, "cpl": None}
    assert document["kpis"]["new_leads"] == 0  # the stored document keeps kpis.md's 0
    kept = document_facts(document, month=MARCH, row_months={"leads": {FEBRUARY}})
    assert kept["kpis"]["new_leads"] == 0 and kept["kpis"]["romi"] == -1.0
