"""CRM leads that name no campaign: which figures are then not facts (kpis.unmatched), and the readers
that must not compare or split them (drivers, the version diff). Plain documents, no database."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from kpis.explain import kpi_drivers, month_drivers
from kpis.unmatched import crm_leads_unlinked, figure_unmatched, kpi_matched, unmatched_figures
from reports.diff import figures_diff


def month(*, leads: int, by_campaign: dict[str, int], platform_mqls: int = 0, spend: float = 300.0) -> dict[str, Any]:
    """A month of one campaign ``g1`` on Google Ads: ``leads`` new leads, ``by_campaign`` of them naming one."""
    paid = by_campaign.get("g1", 0)
    campaign = {
        name: {"marketing_spend": spend if name == "g1" else 0.0, "new_leads": count, "cpl": spend / count if count else None,
               "mqls": 0, "customers": 0, "revenue": 0.0, "roi": -1.0 if name == "g1" else None}
        for name, count in by_campaign.items()
    }  # fmt: skip
    return {
        "kpis": {
            "new_leads": leads, "mqls": leads // 2, "customers": 0, "sessions": 1000, "working_days": 21,
            "marketing_spend": spend, "cpl": spend / leads if leads else None, "ad_spend": spend,
            "conversion_value": 600.0, "roas": 2.0, "platform_conversions": 10.0, "cost_per_conversion": spend / 10,
            "paid_leads": paid, "paid_lead_match_rate": paid / 10,
        },
        "breakdowns": {
            "channel": {"paid_search": {"new_leads": leads, "mqls": leads // 2, "sessions": 1000, "marketing_spend": spend,
                                        "cpl": spend / leads if leads else None}},
            "campaign": campaign,
            "platform": {"google_ads": {"ad_spend": spend, "conversion_value": 600.0, "roas": 2.0,
                                        "platform_conversions": 10.0, "paid_leads": paid, "mqls": platform_mqls,
                                        "cpl": spend / paid if paid else None, "paid_lead_match_rate": paid / 10}},
        },
    }  # fmt: skip


LINKED = month(leads=12, by_campaign={"g1": 12})
UNLINKED = month(leads=8, by_campaign={"g1": 0})


def test_a_month_whose_leads_name_no_campaign_is_unlinked_and_one_with_a_linked_lead_is_not() -> None:
    assert crm_leads_unlinked(UNLINKED) == 8
    assert crm_leads_unlinked(LINKED) is None
    assert crm_leads_unlinked(month(leads=0, by_campaign={})) is None  # no lead: 0 paid leads is a fact
    assert crm_leads_unlinked(None) is None
    no_ads = {**UNLINKED, "breakdowns": {**UNLINKED["breakdowns"], "platform": {}}}
    assert crm_leads_unlinked(no_ads) is None  # nothing to match them to: 0 paid leads is a fact


def test_the_counts_of_crm_leads_by_campaign_are_unmatched_and_the_ad_platforms_own_figures_are_not() -> None:
    assert kpi_matched(UNLINKED, "paid_leads") is None and kpi_matched(UNLINKED, "paid_lead_match_rate") is None
    assert kpi_matched(UNLINKED, "new_leads") == 8 and kpi_matched(UNLINKED, "ad_spend") == 300.0  # the CRM's own count
    assert kpi_matched(LINKED, "paid_leads") == 12
    google = UNLINKED["breakdowns"]["platform"]["google_ads"]
    assert [k for k in google if figure_unmatched(UNLINKED, k, figures=google, place="platform")] == [
        "paid_leads", "mqls", "cpl", "paid_lead_match_rate"]
    search = UNLINKED["breakdowns"]["campaign"]["g1"]
    assert [k for k in search if figure_unmatched(UNLINKED, k, figures=search, place="campaign")] == [
        "new_leads", "cpl", "mqls", "customers", "revenue", "roi"]
    assert not figure_unmatched(UNLINKED, "new_leads", figures=UNLINKED["breakdowns"]["channel"]["paid_search"],
                                place="channel")  # leads by channel are known


def test_a_platforms_mqls_of_older_leads_that_named_a_campaign_are_a_fact_kept() -> None:
    document = month(leads=8, by_campaign={"g1": 0}, platform_mqls=3)
    google = document["breakdowns"]["platform"]["google_ads"]
    assert not figure_unmatched(document, "mqls", figures=google, place="platform")
    assert figure_unmatched(document, "paid_leads", figures=google, place="platform")


def test_the_machine_export_note_names_every_unmatched_figure() -> None:
    assert unmatched_figures(LINKED) is None
    assert unmatched_figures(UNLINKED) == {
        "kpis": ["paid_leads", "paid_lead_match_rate"],
        "platform": {"google_ads": ["paid_leads", "cpl", "mqls", "paid_lead_match_rate"]},
        "campaign": {"g1": ["new_leads", "cpl", "mqls", "customers", "revenue", "roi"]},
    }


def test_drivers_never_split_leads_by_campaign_or_platform_when_either_month_names_none() -> None:
    """"Search's new leads fell from 12 to 0" would be false: the 8 leads of the second month came
    from somewhere nobody recorded. Leads by channel still explain the move; the ad platforms' own
    figures (ROAS) still split by platform and campaign."""
    for before, after in ((LINKED, UNLINKED), (UNLINKED, LINKED)):
        for key in ("new_leads", "mqls", "cpl"):
            dimensions = {d.dimension for d in kpi_drivers(before, after, key)}
            assert "campaign" not in dimensions and "platform" not in dimensions, (key, dimensions)
        assert "channel" in {d.dimension for d in kpi_drivers(before, after, "new_leads")}
    both_linked = month(leads=10, by_campaign={"g1": 10})
    assert "campaign" in {d.dimension for d in kpi_drivers(LINKED, both_linked, "new_leads")}  # known both months
    assert "new_leads" in month_drivers(LINKED, UNLINKED)  # the move is still explained, by channel


def test_the_version_diff_says_paid_leads_became_unmatched_never_that_they_fell_to_0() -> None:
    for language, dash in (("en", "Paid leads 12 → —"), ("es", "Leads de pago 12 → —")):
        with translation.override(language):
            lines = {line["key"]: line["text"] for line in figures_diff(LINKED, UNLINKED, currency="EUR")}
        assert lines["paid_leads"] == dash, lines
        assert not any(text.endswith(" → 0") or "→ 0,0" in text for text in lines.values()), lines


def test_one_unlinked_lead_reads_as_the_only_one_not_as_1() -> None:
    """"The CRM's 1 new lead" / "El 1 lead nuevo" read as a form letter: one lead is "the only one"."""
    from kpis.report import match_line

    for language, one, many in (("en", "The CRM's only new lead", "The CRM's 3 new leads"),
                                ("es", "El único lead nuevo del CRM", "Los 3 leads nuevos del CRM")):  # fmt: skip
        with translation.override(language):
            assert match_line("Google Ads", {}, unlinked=1).startswith(one)
            assert match_line("Google Ads", {}, unlinked=3).startswith(many)
