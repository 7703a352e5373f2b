"""A "—" names the cause that is true for the month, never one its figures contradict (review:
CLTV said "No account pays a retainer at the end of this month." beside an MRR of €157k, when
what made it undefined was a month in which no account stopped paying)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import translation

from kpis.catalogue import KPI_KEYS, NO_ACCOUNTS, NO_ACCOUNTS_BEFORE, NO_CHURN, NO_CUSTOMERS, kpi, null_reason
from kpis.models import Snapshot
from kpis.scorecard import Scorecard, lifetime_value_panel, tiles
from kpis.snapshot import kpi_values


def month(**inputs: Any) -> dict[str, Any]:
    """Every KPI over a month's inputs through the catalogue's formulas (inputs not named are 0)."""
    given: defaultdict[str, Any] = defaultdict(int, marketing_revenue_before=None, gross_margin=0.6)
    given.update(inputs)
    return kpi_values(given)


RETAINERS_NOBODY_LEFT = {  # MRR €157k over 40 accounts, all of them paying a month before too
    "mrr": 157_000.0, "mrr_start": 157_000.0, "accounts": 40, "accounts_start": 40, "churned_accounts": 0,
    "customers": 3, "marketing_spend": 9_000.0, "sales_spend": 3_000.0,
}


def test_cltv_with_mrr_and_no_churn_names_the_zero_churn_not_missing_accounts() -> None:
    values = month(**RETAINERS_NOBODY_LEFT)
    assert values["mrr"] == 157_000.0 and values["cltv"] is None and values["ltv_to_cac"] is None
    for key in ("cltv", "ltv_to_cac"):
        reason = null_reason(kpi(key), values)
        assert reason == str(NO_CHURN.text)
        assert "No account pays a retainer" not in reason and "No customers" not in reason
    with translation.override("es"):
        reason = null_reason(kpi("cltv"), values)
        assert reason == "Ninguna cuenta dejó de pagar este mes: con una tasa de abandono de cero, el valor de vida no tiene fin."


def test_a_first_month_of_retainers_says_no_account_paid_the_month_before() -> None:
    values = month(mrr=10_000.0, accounts=4, accounts_start=0, churned_accounts=0, customers=2, marketing_spend=500.0)
    assert values["customer_churn_rate"] is None and values["cltv"] is None
    assert null_reason(kpi("cltv"), values) == str(NO_ACCOUNTS_BEFORE)


def test_ltv_to_cac_without_customers_names_only_the_customers() -> None:
    values = month(mrr=8_000.0, mrr_start=10_000.0, accounts=4, accounts_start=5, churned_accounts=1,
                   customers=0, marketing_spend=500.0)
    assert values["cltv"] is not None and values["ltv_to_cac"] is None
    assert null_reason(kpi("ltv_to_cac"), values) == str(NO_CUSTOMERS)


def test_no_retainers_at_all_names_the_accounts_of_both_month_ends() -> None:
    values = month(customers=2, marketing_spend=500.0)
    assert null_reason(kpi("cltv"), values) == f"{NO_ACCOUNTS} {NO_ACCOUNTS_BEFORE}"


def test_paid_and_traffic_reasons_follow_what_the_month_gives() -> None:
    values = month(sessions=1_200, sessions_with_bounces=0, bounced_sessions=None, mobile_sessions=300,
                   clicks=50, platform_conversions=None, clicks_with_conversions=0, conversions_with_clicks=0)
    assert null_reason(kpi("bounce_rate"), values) == "This month's traffic data does not give bounced sessions."
    assert null_reason(kpi("click_conversion_rate"), values) == str(kpi("platform_conversions").null_reasons[0])
    assert null_reason(kpi("bounce_rate"), month(sessions=0, bounced_sessions=None)) == "No sessions this month."


def test_without_the_months_figures_every_possible_reason_is_given() -> None:
    assert null_reason(kpi("cltv")) == f"{NO_CHURN} {NO_ACCOUNTS} {NO_ACCOUNTS_BEFORE}"


def test_the_scorecard_and_its_lifetime_value_panel_explain_from_the_snapshot() -> None:
    snapshot = Snapshot(month=dt.date(2026, 3, 1), document={"kpis": month(**RETAINERS_NOBODY_LEFT), "breakdowns": {}})
    card = Scorecard(month=dt.date(2026, 3, 1), compare_to=dt.date(2026, 2, 1), snapshot=snapshot, history={})
    shown = {t["key"]: t for g in tiles(card, currency="EUR", benchmarks={}) for t in g["tiles"]}
    assert shown["cltv"]["shown"] == "—" and shown["cltv"]["reason"] == str(NO_CHURN)
    assert shown["ltv_to_cac"]["reason"] == str(NO_CHURN)
    side = dict(lifetime_value_panel(card, currency="EUR")["side_by_side"])
    assert side[kpi("cltv").label] == {"text": "—", "reason": str(NO_CHURN)}


def test_a_tables_dashes_are_explained_under_it_once_each() -> None:
    from kpis.templatetags.dashes import dash_reasons

    rows = [{"cells": [{"text": "—", "reason": "No clicks."}, {"text": "4", "reason": ""}]},
            {"cells": [{"text": "—", "reason": "No clicks."}, {"text": "—", "reason": "No conversions."}]}]
    assert dash_reasons(rows) == ["No clicks.", "No conversions."]
    assert dash_reasons(rows, [{"text": "—", "reason": "No retainer."}]) == ["No clicks.", "No conversions.", "No retainer."]
    assert dash_reasons([]) == []


def _compared(inputs: dict[str, Any]) -> Scorecard:
    """March against a February of ``inputs``: the changes' "nothing to compare" hovers give February's reasons."""
    february = Snapshot(month=dt.date(2026, 2, 1), document={"kpis": month(**inputs), "breakdowns": {}})
    march = Snapshot(month=dt.date(2026, 3, 1), document={"kpis": month(**RETAINERS_NOBODY_LEFT), "breakdowns": {}})
    return Scorecard(month=dt.date(2026, 3, 1), compare_to=dt.date(2026, 2, 1), snapshot=march,
                     history={dt.date(2026, 2, 1): february, dt.date(2026, 3, 1): march})


def test_the_comparison_months_reason_names_that_month_never_this_month() -> None:
    """A hover read "In October 2026: No customers this month." on the report of November: the reasons of
    the comparison month name it ("No customers in February 2026.")."""
    card = _compared({"mrr": 1_000.0, "mrr_start": 1_000.0, "accounts": 2, "accounts_start": 2})
    assert card.compared_why("cost_per_customer") == "No customers in February 2026."
    assert card.compared_why("cpl") == "No new leads in February 2026."
    with translation.override("es"):
        assert card.compared_why("cost_per_customer") == "No hubo clientes nuevos en febrero de 2026."
    for language, this_month in (("en", "this month"), ("es", "este mes")):
        with translation.override(language):
            said = {key: card.compared_why(key) for key in KPI_KEYS}
        assert any(said.values())
        assert not {key: why for key, why in said.items() if this_month in why}, language


def test_a_comparison_month_reason_without_a_month_of_its_own_is_said_after_the_month() -> None:
    card = _compared({"mqls": 10, "mqls_prev": 0})
    # Its reason names the month before February: February is named first.
    assert card.compared_why("lead_velocity_rate") == "In February 2026: No MQLs in January 2026."
    assert null_reason(kpi("cltv"), month="February 2026") == (
        "No account stopped paying in February 2026: with a churn rate of zero, lifetime value has no end. "
        "No account paid a retainer at the end of February 2026. In February 2026: No account paid a retainer at the end "
        "of the previous month.")


def _rows(*reasons: str) -> list[dict[str, Any]]:
    """A table's rows, each with a "—" of ``reason`` (none when "") beside a figure."""
    return [{"cells": [{"text": "—" if r else "4", "reason": r}, {"text": "7", "reason": ""}]} for r in reasons]


def test_a_tables_dashes_say_how_many_of_its_rows_they_are_about() -> None:
    """Under a table, "— Sin sesiones en esta fila." spoke of one row where three had none: the note
    counts the rows a row's reason holds for ("for 2 channels"), says "any channel" of all, "this channel"
    only in a table of one — of its rows as what they are, never "rows"."""
    from kpis.reasons import ROW_FIGURE_REASONS, ROW_REASONS, row_words
    from kpis.templatetags.dashes import dash_reasons

    channel, device = {"this": row_words("channel").this}, {"this": row_words("device").this}
    sessions, leads = ROW_REASONS["sessions"] % channel, ROW_REASONS["new_leads"] % channel
    assert dash_reasons(_rows(sessions, "", sessions)) == ["No sessions for 2 channels."]
    assert dash_reasons(_rows(sessions, "")) == ["No sessions for 1 channel."]
    assert dash_reasons(_rows(sessions, sessions)) == ["No sessions for any channel."]
    assert dash_reasons(_rows(sessions)) == ["No sessions for this channel."]  # a table of one row: that row
    # A cell joining two reasons: each counted over the rows on its own.
    assert dash_reasons(_rows(f"{sessions} {leads}", sessions, "")) == [
        "No sessions for 2 channels.", "No new leads for 1 channel."]
    bounce = ROW_FIGURE_REASONS["bounce_rate"] % device
    assert dash_reasons(_rows(bounce, "", bounce)) == [
        "The traffic data of 2 devices does not give bounced sessions, so their bounce rate is unknown."]
    assert dash_reasons(_rows(bounce, bounce)) == [
        "The traffic data of these devices does not give bounced sessions, so their bounce rate is unknown."]
    with translation.override("es"):
        sessions = ROW_REASONS["sessions"] % channel
        assert dash_reasons(_rows(sessions, "", sessions)) == ["Sin sesiones en 2 canales."]
        assert dash_reasons(_rows(sessions, "")) == ["Sin sesiones en 1 canal."]
        assert dash_reasons(_rows(sessions, sessions, sessions)) == ["Sin sesiones en ningún canal."]
        campaign = ROW_REASONS["marketing_spend"] % {"this": row_words("campaign").this}
        assert dash_reasons(_rows(campaign, "", campaign)) == ["Sin inversión en marketing para 2 campañas."]


def test_growth_needed_per_working_day_shows_no_change_but_the_working_days_it_comes_from() -> None:
    """"Growth needed per working day 4.8 % +4.8 pp" in green: a ratio of two months' working days has no
    change worth reading, and is no good or bad news; the tile names the two months' working days instead."""
    from kpis.formatting import change_shown

    november = Snapshot(month=dt.date(2026, 11, 1), document={"kpis": month(
        new_leads=100, new_leads_prev=90, working_days=21, working_days_prev=22), "breakdowns": {}})
    october = Snapshot(month=dt.date(2026, 10, 1), document={"kpis": month(
        new_leads=90, new_leads_prev=80, working_days=22, working_days_prev=22), "breakdowns": {}})
    card = Scorecard(month=dt.date(2026, 11, 1), compare_to=dt.date(2026, 10, 1), snapshot=november,
                     history={dt.date(2026, 10, 1): october, dt.date(2026, 11, 1): november})
    shown = {t["key"]: t for g in tiles(card, currency="EUR", benchmarks={}) for t in g["tiles"]}
    growth = shown["growth_needed_per_working_day"]
    assert growth["shown"] == "4.8 %" and growth["change"] is None
    assert growth["note"] == "Working days: 21 in November 2026, 22 in October 2026."
    assert kpi("growth_needed_per_working_day").better == "neutral"
    assert change_shown("growth_needed_per_working_day", 0.048, None, first=True) is None  # not "first full month"
    with translation.override("es"):
        shown = {t["key"]: t for g in tiles(card, currency="EUR", benchmarks={}) for t in g["tiles"]}
        assert shown["growth_needed_per_working_day"]["note"] == (
            "Días laborables: 21 en noviembre de 2026, 22 en octubre de 2026.")
    assert shown["leads_per_working_day"]["change"] is not None  # its neighbours keep theirs


def test_a_roas_without_ad_spend_says_so_not_that_the_value_is_missing() -> None:
    """Conversion value credited in a month without ad spend (a campaign stopped, its conversions still
    reported): ROAS is undefined because it divides by no spend. It read the general "what it divides by is
    zero or missing"; a value that is missing says that instead."""
    values = month(ad_spend=0, spend_with_value=0, impressions=800, clicks=12, conversion_value=450.0)
    assert values["roas"] is None
    assert null_reason(kpi("roas"), values) == "No ad platform spend this month."
    assert null_reason(kpi("roas"), values, month="October 2026") == "No ad platform spend in October 2026."
    with translation.override("es"):
        assert null_reason(kpi("roas"), values) == "Sin inversión en plataformas de anuncios este mes."
    no_value = month(ad_spend=300.0, spend_with_value=None, conversion_value=None)
    assert null_reason(kpi("roas"), no_value) == "No conversion value this month, or the ad platforms do not report it."
