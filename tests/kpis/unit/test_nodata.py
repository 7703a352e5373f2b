"""kpis.nodata without a database: when a traffic, email, SAL, sales-ready or revenue figure of a
document is no fact."""

from __future__ import annotations

import datetime as dt

from kpis.nodata import (
    document_facts,
    landing_pages_unnamed,
    never_sent,
    revenue_figure_unknown,
    revenue_unpriced,
    source_loaded,
    summary_revenue_unknown,
)

MARCH = dt.date(2026, 3, 1)


def doc(**kpis) -> dict:
    return {"kpis": kpis, "breakdowns": {}}


def test_a_month_showing_sessions_reads_no_rows():
    def unread():
        raise AssertionError("read")

    assert source_loaded("traffic", doc(sessions=5), month=MARCH, row_months=unread)


def test_no_row_in_the_month_is_not_loaded_and_rows_of_0_sessions_are():
    assert not source_loaded("traffic", doc(sessions=0), month=MARCH, row_months={"traffic": {dt.date(2026, 2, 1)}})
    assert source_loaded("traffic", doc(sessions=0), month=MARCH, row_months={"traffic": {MARCH}})
    assert source_loaded("email", doc(emails_sent=0), month=MARCH, row_months=None)  # not read: loaded


def test_a_frozen_answer_wins_over_the_rows():
    frozen = {**doc(sessions=0), "report": {"sources_loaded": {"traffic": False}}}
    assert not source_loaded("traffic", frozen, month=MARCH, row_months={"traffic": {MARCH}})


def test_revenue_unknown_by_the_verdicts_condition():
    unpriced = doc(customers=10, revenue=0, marketing_revenue=0, romi=-1)
    assert revenue_unpriced(unpriced) and revenue_figure_unknown("romi", unpriced) and revenue_figure_unknown("revenue", unpriced)
    partly = doc(customers=3, revenue=3000, marketing_revenue=0, romi=-1)
    assert revenue_figure_unknown("romi", partly) and not revenue_figure_unknown("revenue", partly)
    assert not revenue_figure_unknown("romi", doc(customers=0, revenue=0, marketing_revenue=0, romi=-1))
    assert not revenue_figure_unknown("romi", doc(customers=2, revenue=900, marketing_revenue=900, romi=0.5))


def test_the_portfolio_judges_by_no_deal_value_on_any_customer():
    assert summary_revenue_unknown("romi", customers=10, revenue=0)
    assert not summary_revenue_unknown("romi", customers=10, revenue=5)
    assert not summary_revenue_unknown("cpl", customers=10, revenue=0)


def test_landing_pages_unnamed_only_with_sessions_and_no_landing_page_member():
    assert landing_pages_unnamed(doc(sessions=10))
    assert not landing_pages_unnamed({"kpis": {"sessions": 10}, "breakdowns": {"landing_page": {"/a": {}}}})
    assert not landing_pages_unnamed(doc(sessions=0))


def test_never_sent_until_a_month_up_to_this_one_shows_one():
    assert never_sent("sal_dates", doc(sals=0), month=MARCH, row_months={"sal_dates": set()})
    assert not never_sent("sal_dates", doc(sals=0), month=MARCH, row_months={"sal_dates": {dt.date(2026, 1, 1)}})
    assert never_sent("sal_dates", doc(sals=0), month=MARCH, row_months={"sal_dates": {dt.date(2026, 4, 1)}})
    assert not never_sent("sal_dates", doc(sals=2), month=MARCH, row_months={})


def test_document_facts_nulls_only_what_is_no_fact_and_keeps_the_stored_document():
    stored = doc(sessions=0, organic_share=None, new_leads=4, customers=2, revenue=0, marketing_revenue=0, romi=-1,
                 emails_sent=10, sals=0, sales_ready_leads=1)
    shown = document_facts(stored, month=MARCH, row_months={"traffic": set(), "email": {MARCH}, "sal_dates": {MARCH}})
    assert shown["kpis"]["sessions"] is None and shown["kpis"]["romi"] is None and shown["kpis"]["revenue"] is None
    assert shown["kpis"]["new_leads"] == 4 and shown["kpis"]["emails_sent"] == 10 and shown["kpis"]["sals"] == 0
    assert stored["kpis"]["sessions"] == 0 and stored["kpis"]["romi"] == -1
