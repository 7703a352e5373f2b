"""Paid media end to end: spend rows with a platform, from the canonical file, the API and each
built-in ad export, to the snapshot's KPIs and its platform and campaign breakdowns (worked by hand)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.api.services import api_token_create
from clients.models import Campaign, Lead, TrafficRow
from clients.services import data_import
from clients.sources import rates_import, source_import
from kpis.models import Snapshot
from kpis.services import snapshot_compute
from tests.conftest import host_of

MARCH = dt.date(2026, 3, 1)
RATES = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "eurofxref-hist.csv"

SPEND = """id,date,category,amount,campaign,note,platform,impressions,clicks,conversions,conversion_value
s1,2026-03-02,media,100,g1,,google_ads,1000,50,5,400
s2,2026-03-03,media,50,g1,,google_ads,500,25,2.5,
s3,2026-03-02,media,60,li1,,linkedin_ads,2000,10,,
s4,2026-03-04,media,40,m1,,meta_ads,4000,40,4,
s5,2026-03-05,marketing,30,plain,,,,,,
s6,2026-03-05,media,20,,,other_ads,100,,,
"""


@pytest.fixture
def write(tmp_path):
    counter = {"n": 0}

    def write(text: str) -> Path:
        counter["n"] += 1
        path = tmp_path / f"file{counter['n']}.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def snapshot(tenant) -> dict:
    snapshot_compute(client=tenant, months=[MARCH])
    return Snapshot.objects.get(month=MARCH).document


@pytest.fixture
def campaigns(in_tenant_a):
    Campaign.objects.bulk_create([
        Campaign(id="g1", name="Search", channel="paid_search"),
        Campaign(id="m1", name="Meta", channel="paid_social"),
        Campaign(id="li1", name="LinkedIn", channel="paid_social"),
        Campaign(id="plain", name="Newsletter", channel="email"),
    ])
    at = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create(
        [Lead(id=f"g{i}", created_at=at, campaign_id="g1") for i in range(3)]
        + [Lead(id="li", created_at=at, campaign_id="li1")]
        + [Lead(id=f"p{i}", created_at=at, campaign_id="plain") for i in range(2)]
    )
    return in_tenant_a


def test_the_canonical_spend_file_gives_the_paid_media_kpis(campaigns, write) -> None:
    result = data_import(kind="spend", path_or_file=write(SPEND), client=campaigns)
    assert result.ok, result.errors
    document = snapshot(campaigns)
    k = document["kpis"]
    assert k["marketing_spend"] == pytest.approx(300.0)  # every category as before
    assert k["ad_spend"] == pytest.approx(270.0)  # the rows with a platform
    assert (k["impressions"], k["clicks"]) == (7600, 125)
    assert k["ctr"] == pytest.approx(125 / 7600)
    assert k["cpc"] == pytest.approx(250 / 125)  # s6 gives no clicks: its 20 stay out
    assert k["cpm"] == pytest.approx(270 / 7600 * 1000)
    assert k["platform_conversions"] == pytest.approx(11.5)
    assert k["cost_per_conversion"] == pytest.approx(190 / 11.5)
    assert k["click_conversion_rate"] == pytest.approx(11.5 / 115)
    assert k["conversion_value"] == pytest.approx(400.0) and k["roas"] == pytest.approx(4.0)
    assert k["paid_leads"] == 4  # g1's three and li1's one; the newsletter's two are not paid
    assert k["paid_lead_match_rate"] == pytest.approx(4 / 11.5)

    platforms = document["breakdowns"]["platform"]
    assert sorted(platforms) == ["google_ads", "linkedin_ads", "meta_ads", "other_ads"]
    google = platforms["google_ads"]
    assert google == pytest.approx({
        "ad_spend": 150.0, "impressions": 1500, "clicks": 75, "ctr": 0.05, "cpc": 2.0, "cpm": 100.0,
        "platform_conversions": 7.5, "cost_per_conversion": 20.0, "conversion_value": 400.0, "roas": 4.0,
        "paid_leads": 3, "cpl": 50.0, "mqls": 0, "paid_lead_match_rate": 0.4,
    })
    linkedin = platforms["linkedin_ads"]
    assert (linkedin["cpc"], linkedin["cpl"], linkedin["paid_leads"]) == (6.0, 60.0, 1)
    # LinkedIn's rows give no conversions: null, never 0 or infinite.
    assert linkedin["platform_conversions"] is None and linkedin["cost_per_conversion"] is None
    assert linkedin["paid_lead_match_rate"] is None and linkedin["roas"] is None
    assert platforms["meta_ads"]["paid_lead_match_rate"] == 0.0 and platforms["meta_ads"]["cpl"] is None
    assert platforms["other_ads"]["clicks"] is None and platforms["other_ads"]["cpm"] == pytest.approx(200.0)

    campaign = document["breakdowns"]["campaign"]
    assert campaign["g1"]["ctr"] == pytest.approx(0.05) and campaign["g1"]["cost_per_conversion"] == pytest.approx(20.0)
    assert campaign["g1"]["marketing_spend"] == pytest.approx(150.0) and campaign["g1"]["cpl"] == pytest.approx(50.0)
    assert campaign["plain"]["impressions"] is None and campaign["plain"]["ctr"] is None  # no ad rows


def test_without_ad_rows_the_delivery_figures_are_null_not_zero(campaigns, write) -> None:
    assert data_import(kind="spend", path_or_file=write("id,date,category,amount\nx,2026-03-02,media,10\n"),
                       client=campaigns).ok
    k = snapshot(campaigns)["kpis"]
    assert k["ad_spend"] == 0 and k["paid_leads"] == 0
    assert [k[key] for key in ("impressions", "clicks", "ctr", "cpc", "platform_conversions", "roas")] == [None] * 6


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("b,2026-03-02,media,10,,,google_ads,10,11,,", "clicks", "larger than impressions"),
        ("b,2026-03-02,media,10,,,google_ads,-1,,,", "impressions", "negative"),
        ("b,2026-03-02,media,10,,,bing,,,,", "platform", ""),
        ("b,2026-03-02,media,10,,,google_ads,,,-2,", "conversions", "negative"),
    ],
)
def test_bad_delivery_values_are_refused_by_column(campaigns, write, row, column, reason) -> None:
    header = SPEND.splitlines()[0]
    result = data_import(kind="spend", path_or_file=write(f"{header}\n{row}\n"), client=campaigns)
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(2, column)] and reason in result.errors[0].reason


def test_clicks_without_impressions_or_with_zero_impressions_are_fine(campaigns, write) -> None:
    header = SPEND.splitlines()[0]
    text = f"{header}\na,2026-03-02,media,10,,,google_ads,0,3,,\nb,2026-03-02,media,10,,,meta_ads,,3,,\n"
    assert data_import(kind="spend", path_or_file=write(text), client=campaigns).ok


# --- the API ------------------------------------------------------------------------------------


@pytest.fixture
def post(tenant_a):
    _token, secret = api_token_create(client=tenant_a, name="Ads sync")

    def post(body):
        http = HttpClient(HTTP_HOST=host_of(tenant_a))
        return http.post("/api/v1/spend", json.dumps(body), content_type="application/json",
                         HTTP_AUTHORIZATION=f"Bearer {secret}")

    return post


def test_the_api_takes_spend_rows_with_delivery(tenant_a, post) -> None:
    response = post({"spend": [
        {"id": "a1", "date": "2026-03-02", "category": "media", "amount": 100, "platform": "google_ads",
         "impressions": 1000, "clicks": 40, "conversions": 2.5, "conversion_value": 250.0},
    ]})
    assert response.status_code == 201, response.content
    connection.set_tenant(tenant_a)
    k = snapshot(tenant_a)["kpis"]
    assert (k["ad_spend"], k["clicks"], k["cost_per_conversion"], k["roas"]) == (100.0, 40, 40.0, 2.5)


@pytest.mark.parametrize(
    ("fields", "fault"),
    [
        ({"impressions": 10, "clicks": 11}, "clicks"),
        ({"impressions": -5}, "impressions"),
        ({"platform": "bing_ads"}, "platform"),
        ({"conversion_value": -1}, "conversion_value"),
    ],
)
def test_the_api_answers_400_with_the_field_at_fault(tenant_a, post, fields, fault) -> None:
    row = {"id": "a1", "date": "2026-03-02", "category": "media", "amount": 100, "platform": "google_ads", **fields}
    response = post(row)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [fault]
    good = {key: value for key, value in row.items() if key not in fields} | {"id": "ok"}
    batch = post({"spend": [good, row]})
    assert batch.status_code == 400 and list(batch.json()["errors"]) == ["1"]


# --- the built-in ad exports ------------------------------------------------------------------

GOOGLE = """Campaign report
"March 1, 2026 - March 2, 2026"
Day,Campaign,Campaign ID,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value
2026-03-01,Brand,111,EUR,"1,000.00","10,000",400,20.50,"2,050.00"
2026-03-02,Brand,111,EUR,500.00,"5,000",100,9.50,950.00
Total: Account,,,,"1,500.00","15,000",500,30.00,"3,000.00"
"""

META = """Reporting starts,Reporting ends,Campaign name,Campaign ID,Day,Amount spent (USD),Impressions,Link clicks,\
Results,Result indicator
2026-03-01,2026-03-02,,,,300.00,30000,300,,
2026-03-01,2026-03-02,Spring Leads,6001,2026-03-01,100.00,10000,100,5,actions:lead
2026-03-01,2026-03-02,Spring Leads,6001,2026-03-02,150.00,15000,150,7,actions:lead
2026-03-01,2026-03-02,Retargeting,6002,2026-03-02,50.00,5000,50,999,reach
"""

LINKEDIN = """Campaign Performance Report (in UTC)
"Report Start: 3/1/2026, 12:00 AM"
"Report End: 3/2/2026, 11:59 PM"

Start Date (in UTC),Account Name,Campaign Group Name,Campaign Name,Campaign ID,Currency,Total Spent,Impressions,\
Clicks,Leads,Conversions
3/1/2026,Alpha,Default Campaign Group,CFO Sponsored Content,9001,EUR,75.10,4000,20,2,0
3/2/2026,Alpha,Default Campaign Group,CFO Sponsored Content,9001,EUR,"1,024.90",5000,25,3,1
"""


def test_a_google_ads_export_fills_the_delivery(in_tenant_a, write) -> None:
    outcome = source_import(client=in_tenant_a, path=write(GOOGLE))
    assert outcome.ok, outcome.errors
    k = snapshot(in_tenant_a)["kpis"]
    assert (k["ad_spend"], k["impressions"], k["clicks"]) == (1500.0, 15000, 500)
    assert (k["ctr"], k["cpc"], k["cpm"]) == pytest.approx((500 / 15000, 3.0, 100.0))
    assert (k["platform_conversions"], k["cost_per_conversion"]) == pytest.approx((30.0, 50.0))
    assert (k["conversion_value"], k["roas"]) == pytest.approx((3000.0, 2.0))
    assert list(snapshot(in_tenant_a)["breakdowns"]["platform"]) == ["google_ads"]


def test_a_meta_export_in_dollars_counts_results_only_when_they_are_leads(in_tenant_a, write) -> None:
    assert rates_import(path=RATES).ok
    outcome = source_import(client=in_tenant_a, path=write(META))
    assert outcome.ok, outcome.errors
    k = snapshot(in_tenant_a)["kpis"]
    spend = [100 / 1.07, 150 / 1.09, 50 / 1.09]  # ECB: 1.07 USD per EUR on Feb 27 (for Sunday Mar 1), 1.09 on Mar 2
    assert k["ad_spend"] == pytest.approx(sum(spend))
    assert (k["impressions"], k["clicks"]) == (30000, 300)
    assert k["platform_conversions"] == pytest.approx(12)  # the "reach" results are no conversions
    assert k["cost_per_conversion"] == pytest.approx((spend[0] + spend[1]) / 12)
    assert k["conversion_value"] is None and k["roas"] is None  # Meta's export gives no value


def test_a_linkedin_export_adds_lead_gen_form_leads_to_its_conversions(in_tenant_a, write) -> None:
    outcome = source_import(client=in_tenant_a, path=write(LINKEDIN))
    assert outcome.ok, outcome.errors
    k = snapshot(in_tenant_a)["kpis"]
    assert (k["ad_spend"], k["impressions"], k["clicks"]) == (pytest.approx(1100.0), 9000, 45)
    assert k["platform_conversions"] == pytest.approx(6)  # (0 + 2) + (1 + 3)
    assert k["cost_per_conversion"] == pytest.approx(1100 / 6)


def test_a_linkedin_export_without_conversions_leaves_cost_per_conversion_null(in_tenant_a, write) -> None:
    lines = LINKEDIN.replace(",Leads,Conversions", "").replace(",2,0\n", "\n").replace(",3,1\n", "\n")
    outcome = source_import(client=in_tenant_a, path=write(lines))
    assert outcome.ok, outcome.errors
    k = snapshot(in_tenant_a)["kpis"]
    assert k["clicks"] == 45 and k["platform_conversions"] is None and k["cost_per_conversion"] is None


def test_a_linkedin_export_with_leads_but_no_conversions_column_counts_the_leads(in_tenant_a, write) -> None:
    lines = LINKEDIN.replace(",Leads,Conversions", ",Leads").replace(",2,0\n", ",2\n").replace(",3,1\n", ",3\n")
    assert source_import(client=in_tenant_a, path=write(lines)).ok
    assert snapshot(in_tenant_a)["kpis"]["platform_conversions"] == pytest.approx(5)


def test_a_conversion_value_in_a_currency_without_a_rate_refuses_the_row(in_tenant_a, write) -> None:
    outcome = source_import(client=in_tenant_a, path=write(GOOGLE.replace(",EUR,", ",MXN,")))
    assert not outcome.ok
    assert {(e.line, e.column) for e in outcome.errors} == {(4, "Currency code"), (5, "Currency code")}
    assert "no MXN→EUR rate" in outcome.errors[0].reason


def test_a_google_ads_conversion_value_is_converted_like_the_amount(in_tenant_a, write) -> None:
    assert rates_import(path=RATES).ok
    outcome = source_import(client=in_tenant_a, path=write(GOOGLE.replace(",EUR,", ",USD,")))
    assert outcome.ok, outcome.errors
    k = snapshot(in_tenant_a)["kpis"]
    assert k["conversion_value"] == pytest.approx(2050 / 1.07 + 950 / 1.09)
    assert k["roas"] == pytest.approx((2050 / 1.07 + 950 / 1.09) / (1000 / 1.07 + 500 / 1.09))  # each day's rate


# --- traffic inputs missing -------------------------------------------------------------------


def test_traffic_without_device_or_bounces_leaves_those_shares_null(in_tenant_a) -> None:
    day = dt.date(2026, 3, 2)
    TrafficRow.objects.bulk_create([
        TrafficRow(date=day, channel="organic_search", device="mobile", sessions=40, bounced_sessions=None),
        TrafficRow(date=day, channel="direct", device="desktop", sessions=60, bounced_sessions=None),
    ])
    k = snapshot(in_tenant_a)["kpis"]
    assert k["sessions"] == 100 and k["mobile_share"] == pytest.approx(0.4)
    assert k["bounce_rate"] is None and k["mobile_bounce_rate"] is None  # no row gives bounces: null, not 0 %
    TrafficRow.objects.create(date=day, channel="email", device="", sessions=100, bounced_sessions=50)
    k = snapshot(in_tenant_a)["kpis"]
    assert k["mobile_share"] is None and k["mobile_bounce_rate"] is None  # a row without a device
    assert k["bounce_rate"] == pytest.approx(50 / 100)  # over the rows that give bounces
