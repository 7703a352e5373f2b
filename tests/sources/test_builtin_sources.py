"""Every built-in source's fixture imports to the expected canonical rows (layouts: fixtures/sources/README.md)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db.models import Sum

from clients.models import Campaign, EmailRow, Lead, Spend, TrafficRow
from clients.sources import SOURCES, Mapping, detect

D = Decimal
UTC = dt.UTC


def spend_rows():
    return sorted((s.id, s.date, s.category, s.campaign_id, s.amount, s.original_amount, s.currency)
                  for s in Spend.objects.all())


def campaigns():
    return sorted(Campaign.objects.values_list("id", "name", "channel", "social_network"))


@pytest.mark.parametrize(("name", "slug", "language", "encoding", "line", "delimiter"), [
    ("google_ads_en.csv", "google_ads", "en", "UTF-8", 3, ","),
    ("google_ads_es_utf16.csv", "google_ads", "es", "UTF-16", 3, "\t"),
    ("google_ads_es_1252.csv", "google_ads", "es", "Windows-1252", 2, ";"),
    ("meta_ads_en.csv", "meta_ads", "en", "UTF-8", 1, ","),
    ("meta_ads_es.csv", "meta_ads", "es", "UTF-8", 1, ","),
    ("linkedin_ads.csv", "linkedin_ads", "en", "UTF-8", 5, ","),
    ("ga4_traffic.csv", "ga4_traffic", "en", "UTF-8", 9, ","),
    ("ga4_traffic_es.csv", "ga4_traffic", "es", "UTF-8", 3, ";"),
    ("mailchimp.csv", "mailchimp", "en", "UTF-8", 1, ","),
    ("hubspot_contacts.csv", "hubspot_contacts", "en", "UTF-8", 1, ","),
])
def test_detection_from_the_header(fixture_path, name, slug, language, encoding, line, delimiter):
    detection = detect(fixture_path(name))
    assert (detection.source.slug, detection.language, detection.encoding, detection.header_line,
            detection.delimiter) == (slug, language, encoding, line, delimiter)
    assert detection.kind == SOURCES[slug].kind


def test_google_ads_english(import_a, fixture_path):
    outcome = import_a(fixture_path("google_ads_en.csv"))
    assert outcome.ok, outcome.errors
    assert (outcome.rows, len(outcome.days), outcome.first_day, outcome.last_day) == (5, 3, dt.date(2026, 3, 1),
                                                                                      dt.date(2026, 3, 3))
    assert outcome.campaigns_created == ["111", "222"]
    assert campaigns() == [("111", "Brand Search", "paid_search", ""), ("222", "Generic Search", "paid_search", "")]
    assert spend_rows() == [
        ("google_ads:2026-03-01:111", dt.date(2026, 3, 1), "media", "111", D("1234.50"), D("1234.50"), "EUR"),
        ("google_ads:2026-03-01:222", dt.date(2026, 3, 1), "media", "222", D("100"), D("100"), "EUR"),
        # Two lines of one campaign and day are summed (200.25 + 10.00).
        ("google_ads:2026-03-02:111", dt.date(2026, 3, 2), "media", "111", D("210.25"), D("210.25"), "EUR"),
        ("google_ads:2026-03-03:222", dt.date(2026, 3, 3), "media", "222", D("0"), D("0"), "EUR"),
    ]


def test_overlapping_export_changes_no_total(import_a, fixture_path):
    assert import_a(fixture_path("google_ads_en.csv")).ok
    before = Spend.objects.filter(date__lte=dt.date(2026, 3, 3)).aggregate(total=Sum("amount"))["total"]
    again = import_a(fixture_path("google_ads_en.csv"))
    assert again.ok and again.result.written == 0
    overlap = import_a(fixture_path("google_ads_en_overlap.csv"))
    assert overlap.ok, overlap.errors
    # March 2's Brand row changes only its conversions: the first export's two lines gave "--" and 0 (summed: 0),
    # the overlapping one gives "--" (not given). Its amount, and so every total of spend, stays.
    assert (overlap.result.inserted, overlap.result.updated, overlap.result.unchanged) == (1, 1, 1)
    assert Spend.objects.get(id="google_ads:2026-03-02:111").conversions is None
    assert Spend.objects.filter(date__lte=dt.date(2026, 3, 3)).aggregate(total=Sum("amount"))["total"] == before
    assert Spend.objects.aggregate(total=Sum("amount"))["total"] == D("1544.75") + D("1000")
    assert Campaign.objects.count() == 2


def test_google_ads_spanish_utf16_tabs(import_a, fixture_path):
    outcome = import_a(fixture_path("google_ads_es_utf16.csv"))
    assert outcome.ok, outcome.errors
    assert spend_rows() == [
        ("google_ads:2026-03-01:333", dt.date(2026, 3, 1), "media", "333", D("8651.95"), D("8651.95"), "EUR"),
        ("google_ads:2026-03-02:333", dt.date(2026, 3, 2), "media", "333", D("1000.05"), D("1000.05"), "EUR"),
        ("google_ads:2026-03-02:444", dt.date(2026, 3, 2), "media", "444", D("49.50"), D("49.50"), "EUR"),
    ]
    assert campaigns() == [("333", "Marca", "paid_search", ""), ("444", "Genérica", "paid_search", "")]


def test_google_ads_windows_1252_semicolons_in_the_clients_currency(import_a, fixture_path):
    outcome = import_a(fixture_path("google_ads_es_1252.csv"))
    assert outcome.ok, outcome.errors
    assert spend_rows() == [
        ("google_ads:2026-03-05:555", dt.date(2026, 3, 5), "media", "555", D("1234.56"), D("1234.56"), "EUR")]
    assert campaigns() == [("555", "Campaña Ñandú", "paid_search", "")]


def test_campaigns_matched_by_id_then_by_name(in_tenant_a, import_a, fixture_path):
    Campaign.objects.create(id="brand", name="  brand SEARCH ", channel="paid_search")
    Campaign.objects.create(id="222", name="Something else", channel="display")
    outcome = import_a(fixture_path("google_ads_en.csv"))
    assert outcome.ok and outcome.campaigns_created == []
    assert sorted(Spend.objects.values_list("campaign_id", flat=True).distinct()) == ["222", "brand"]
    assert Spend.objects.filter(id="google_ads:2026-03-02:brand").get().amount == D("210.25")


def test_meta_usd_for_a_eur_client_at_ecb_rates(import_a, fixture_path, ecb_rates):
    outcome = import_a(fixture_path("meta_ads_en.csv"))
    assert outcome.ok, outcome.errors
    assert outcome.rows == 3  # the account-total line (empty campaign name) is not a row
    assert campaigns() == [("6001", "Spring Leads", "paid_social", "facebook"),
                           ("6002", "Retargeting", "paid_social", "facebook")]
    rows = {s.id: s for s in Spend.objects.all()}
    # 2026-03-01 is a Sunday: Friday 2026-02-27's rate (1.0700 USD per EUR), within 7 days.
    first = rows["meta_ads:2026-03-01:6001"]
    assert (first.original_amount, first.currency, first.rate_date) == (D("100"), "USD", dt.date(2026, 2, 27))
    assert first.amount == (D(100) / D("1.07")).quantize(D("1e-8"))
    assert rows["meta_ads:2026-03-02:6001"].amount == (D(150) / D("1.09")).quantize(D("1e-8"))
    assert rows["meta_ads:2026-03-02:6002"].exchange_rate == (1 / D("1.09")).quantize(D("1e-12"))


def test_meta_spanish(import_a, fixture_path):
    outcome = import_a(fixture_path("meta_ads_es.csv"))
    assert outcome.ok, outcome.errors
    # No campaign ID column: the name is the new campaign's id; "11,52" + "0,48" summed.
    assert spend_rows() == [("meta_ads:2026-03-01:Campaña Primavera", dt.date(2026, 3, 1), "media", "Campaña Primavera",
                             D("12.00"), D("12.00"), "EUR")]


def test_linkedin(import_a, fixture_path):
    outcome = import_a(fixture_path("linkedin_ads.csv"))
    assert outcome.ok, outcome.errors
    assert campaigns() == [("9001", "CFO Sponsored Content", "paid_social", "linkedin")]
    assert [(row[0], row[4]) for row in spend_rows()] == [("linkedin_ads:2026-03-01:9001", D("75.10")),
                                                          ("linkedin_ads:2026-03-02:9001", D("1024.90"))]


def test_ga4_channels_devices_and_bounces(import_a, fixture_path):
    outcome = import_a(fixture_path("ga4_traffic.csv"))
    assert outcome.ok, outcome.errors
    assert outcome.skipped == {"device: smart tv": 1}
    rows = sorted(TrafficRow.objects.values_list("date", "channel", "device", "sessions", "bounced_sessions"))
    assert rows == [
        (dt.date(2026, 3, 1), "organic_search", "desktop", 1200, 400),
        (dt.date(2026, 3, 1), "organic_search", "mobile", 600, 300),
        # Unassigned (30, 10 engaged) and Cross-network (20, 5 engaged) both become "other": summed.
        (dt.date(2026, 3, 1), "other", "desktop", 50, 35),
        (dt.date(2026, 3, 1), "paid_search", "desktop", 400, 150),
        (dt.date(2026, 3, 2), "direct", "tablet", 50, 30),
    ]


def test_ga4_spanish_with_landing_pages(import_a, fixture_path):
    assert import_a(fixture_path("ga4_traffic_es.csv")).ok
    assert sorted(TrafficRow.objects.values_list("channel", "device", "sessions", "bounced_sessions", "landing_page")) == [
        ("organic_search", "desktop", 1500, 500, "/precios"), ("paid_social", "mobile", 250, 150, "/precios")]


def test_mailchimp(import_a, fixture_path):
    outcome = import_a(fixture_path("mailchimp.csv"))
    assert outcome.ok, outcome.errors
    assert campaigns() == [("March Newsletter", "March Newsletter", "email", ""),
                           ("Webinar invite", "Webinar invite", "email", "")]
    assert sorted(EmailRow.objects.values_list("date", "campaign_id", "sent", "delivered", "unique_opens",
                                               "unique_clicks", "unsubscribes")) == [
        (dt.date(2026, 3, 3), "March Newsletter", 1000, 980, 400, 50, 2),
        (dt.date(2026, 3, 10), "Webinar invite", 500, 490, 200, 30, 1),
    ]


def test_hubspot_contacts(import_a, fixture_path):
    outcome = import_a(fixture_path("hubspot_contacts.csv"))
    assert outcome.ok, outcome.errors
    leads = {lead.id: lead for lead in Lead.objects.all()}
    assert sorted(leads) == ["1001", "1002", "1003", "1004", "1005"]
    ann = leads["1001"]  # Madrid, CET (UTC+1) in early March
    assert (ann.created_at, ann.email, ann.channel, ann.vertical, ann.employees, ann.company_revenue) == (
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC), "ann@example.com", "organic_search", "saas", 250, D("5000000"))
    assert ann.sql_at == dt.datetime(2026, 3, 5, 8, tzinfo=UTC)
    assert ann.mql_at is None or ann.criteria_version is not None  # the MQL date is the criteria's, not HubSpot's
    bob = leads["1002"]
    assert (bob.channel, bob.employees, bob.company_revenue, bob.customer_at) == (
        "paid_social", 1200, D("12500000.50"), dt.datetime(2026, 3, 20, 16, tzinfo=UTC))
    assert [leads[key].channel for key in ("1003", "1004", "1005")] == ["other", "offline", "referral"]  # AI Referrals


def test_a_mapping_is_json_data(fixture_path):
    detection = detect(fixture_path("ga4_traffic.csv"))
    data = detection.mapping.to_dict()
    assert Mapping.from_dict(json.loads(json.dumps(data))) == detection.mapping
