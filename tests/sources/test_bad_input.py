"""Bad source files: each refused with a message naming line, column and value, and nothing written."""

from __future__ import annotations

import pytest

from clients.models import Campaign, EmailRow, Lead, Spend, TrafficRow
from clients.sources import Mapping, Rule, source_import

GADS = "Campaign report\nMarch 2026\nDay,Campaign,Campaign ID,Currency code,Cost\n"
GADS_ES = "Informe de campañas\nDía;Campaña;ID de campaña;Coste\n"
META = "Reporting starts,Reporting ends,Campaign name,Campaign ID,Day,Amount spent (USD)\n"
GA4 = "# GA4\nSession default channel group,Date,Device category,Sessions,Engaged sessions\n"
MAILCHIMP = "Title,Send Date,Total Recipients,Successful Deliveries,Unique Opens,Unique Clicks,Unsubscribes\n"
HUBSPOT = '"Record ID","Email","Create Date","Original Source","Became a Sales Qualified Lead Date","Number of Employees"\n'
LINKEDIN = "Start Date (in UTC),Campaign Name,Campaign ID,Currency,Total Spent\n"


def nothing_written():
    return not (Spend.objects.exists() or Campaign.objects.exists() or TrafficRow.objects.exists()
                or EmailRow.objects.exists() or Lead.objects.exists())


CASES = {
    "no source recognizes it": (
        "Opportunity Name,Stage,Amount\nBig deal,Won,100\n", 1, "", "Opportunity Name,Stage,Amount",
        "no source recognizes this file's header; compared with: Google Ads campaign report; Meta Ads"),
    "google ads without the Day segment": (
        "Campaign report\nMarch 2026\nCampaign,Campaign ID,Cost\nBrand,1,10.00\n", 3, "Day", "",
        "add the Day segment (Segments › Time › Day)"),
    "meta without the Day breakdown": (
        "Reporting starts,Reporting ends,Campaign name,Amount spent (EUR)\n2026-03-01,2026-03-31,A,10.00\n", 1, "Day", "",
        "add the Day breakdown"),
    "ga4 without Date": (
        "Session default channel group,Device category,Sessions,Engaged sessions\nDirect,desktop,10,5\n", 1, "Date", "",
        "add the Date dimension"),
    "spanish google ads without Día": (
        "Campaña;ID de campaña;Coste\nMarca;1;10,00\n", 1, "Día", "", "no daily date"),
    "unknown currency": (GADS + "2026-03-02,Brand,1,XYZ,10.00\n", 4, "Currency code", "XYZ", "unknown currency “XYZ”"),
    "missing rate beyond 7 days": (META + "2026-03-01,2026-03-31,A,1,2026-02-20,10.00\n", 2, "Amount spent (USD)", "USD",
                                   "no USD→EUR rate on or before 2026-02-20"),
    "rate missing entirely": (GADS + "2026-03-02,Brand,1,SEK,10.00\n", 4, "Currency code", "SEK",
                              "no SEK→EUR rate on or before 2026-03-02"),
    "spanish file with english decimals": (GADS_ES + "2026-03-02;Marca;1;1.234,50\n2026-03-03;Marca;1;12.50\n", 4, "Coste",
                                           "12.50", "not a number as this file writes them (like 1.234,56)"),
    "english file with a decimal comma": (GADS + '2026-03-02,Brand,1,EUR,"12,5"\n', 4, "Cost", "12,5",
                                          "like 1,234.56"),
    "negative cost": (GADS + "2026-03-02,Brand,1,EUR,-5.00\n", 4, "amount", "-5.00", "negative"),
    "cost not given": (GADS + "2026-03-02,Brand,1,EUR, --\n", 4, "amount", "", "required value missing"),
    "google ads date not a date": (GADS + "03/02/2026,Brand,1,EUR,5.00\n", 4, "Day", "03/02/2026",
                                   "not a date in the form YYYY-MM-DD"),
    "linkedin date not M/D/YYYY": (LINKEDIN + "2026-03-01,A,9,EUR,1.00\n", 2, "Start Date (in UTC)", "2026-03-01",
                                   "not a date in the form MM/DD/YYYY"),
    "ga4 date not YYYYMMDD": (GA4 + "Direct,2026-03-01,desktop,10,5\n", 3, "Date", "2026-03-01", "YYYYMMDD"),
    "ga4 engaged above sessions": (GA4 + "Direct,20260301,desktop,10,15\n", 3, "Sessions", "10",
                                   "smaller than Engaged sessions (15)"),
    "ga4 sessions not whole": (GA4 + "Direct,20260301,desktop,10.5,5\n", 3, "Sessions", "10.5", "not a whole number"),
    "mailchimp negative unsubscribes": (MAILCHIMP + '"Launch","Mar 03, 2026 09:30 am",100,90,10,5,-1\n', 2,
                                        "unsubscribes", "-1", "negative"),
    "mailchimp delivered above sent": (MAILCHIMP + '"Launch","Mar 03, 2026 09:30 am",100,120,10,5,0\n', 2, "delivered",
                                       "120", "larger than sent (100)"),
    "mailchimp send date unreadable": (MAILCHIMP + '"Launch","yesterday",100,90,10,5,0\n', 2, "Send Date", "yesterday",
                                       "not a date"),
    "hubspot sql before created": (HUBSPOT + '"1","a@x.com","2026-03-05 10:00","Direct Traffic","2026-03-01 10:00","5"\n',
                                   2, "sql_at", "2026-03-01T10:00:00", "before created_at"),
    "hubspot duplicate record id": (HUBSPOT + '"1","a@x.com","2026-03-05 10:00","","",""\n'
                                    '"1","b@x.com","2026-03-06 10:00","","",""\n', 3, "id", "1", "duplicate key"),
    "hubspot create date unreadable": (HUBSPOT + '"1","a@x.com","5 March","","",""\n', 2, "Create Date", "5 March",
                                       "not a date"),
    "hubspot employees not whole": (HUBSPOT + '"1","a@x.com","2026-03-05 10:00","","","12.5"\n', 2, "Number of Employees",
                                    "12.5", "not a whole number"),
    "a line with too few values": (GADS + "2026-03-02,Brand,1,EUR,5.00\n2026-03-03,Brand\n2026-03-04,Brand,1,EUR,5.00\n",
                                   5, "", "2026-03-03,Brand", "2 values where the header has 5 columns"),
    "campaign name too long": (GADS + f"2026-03-02,{'x' * 250},,EUR,5.00\n", 4, "Campaign", "x" * 250,
                               "campaign: longer than 200 characters"),
    "an empty file": ("", 1, "", "", "no source recognizes"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_refused_and_nothing_written(case, import_a, write_file, ecb_rates):
    text, line, column, value, reason = CASES[case]
    outcome = import_a(write_file(text))
    assert not outcome.ok
    error = outcome.errors[0]
    assert (error.line, error.column, error.value) == (line, column, value), str(error)
    assert reason in error.reason, error.reason
    assert nothing_written()


def test_missing_usd_to_mxn_rate_names_both_currencies(tenant_a, import_a, write_file, ecb_rates):
    tenant_a.currency = "MXN"  # a client in pesos; the test's transaction restores it
    outcome = import_a(write_file(META + "2026-03-01,2026-03-31,A,1,2026-03-04,10.00\n"
                                         "2026-03-01,2026-03-31,A,1,2026-01-20,10.00\n"))
    # 2026-03-04 has no MXN rate (N/A) but 2026-03-03 has: within 7 days. 2026-01-20 has none.
    assert [str(error) for error in outcome.errors] == [
        "line 3, column Amount spent (USD), value 'USD': no USD→MXN rate on or before 2026-01-20"]
    assert nothing_written()


def test_truncated_utf16_file(import_a, write_file):
    data = "Día\tCampaña\tCoste\n2026-03-01\tMarca\t1,00\n".encode("utf-16-le")
    outcome = import_a(write_file(data[:-1], bom=b"\xff\xfe"))
    error = outcome.errors[0]
    assert (error.line, error.column) == (2, "")  # the last line lost half of its line end
    assert "truncated (UTF-16)" in error.reason
    assert nothing_written()


def test_bytes_no_encoding_explains(import_a, write_file):
    outcome = import_a(write_file(b"Day,Campaign,Cost\n2026-03-01,Caf\x81,1.00\n"))
    error = outcome.errors[0]
    assert error.line == 2 and "not Windows-1252 text" in error.reason and error.value.startswith("81")
    assert nothing_written()


def test_a_forced_source_that_does_not_fit(import_a, fixture_path):
    outcome = import_a(fixture_path("mailchimp.csv"), source="google_ads")
    assert "this is not a Google Ads campaign report" in outcome.errors[0].reason
    assert nothing_written()


def test_one_bad_line_rolls_back_the_new_campaigns(import_a, write_file):
    outcome = import_a(write_file(GADS + "2026-03-02,Brand,1,EUR,5.00\n2026-03-03,Other,2,EUR,oops\n"))
    assert [(e.line, e.column, e.value) for e in outcome.errors] == [(5, "Cost", "oops")]
    assert outcome.campaigns_created == [] and nothing_written()


def test_every_bad_line_is_reported(import_a, write_file):
    outcome = import_a(write_file(GADS + "2026-03-02,A,1,EUR,x\n2026-03-03,A,1,EUR,5.00\n2026-03-04,A,1,EUR,y\n"))
    assert [(e.line, e.value) for e in outcome.errors] == [(4, "x"), (6, "y")]


def test_a_mapping_leaving_a_required_column_unmapped(import_a, write_file):
    mapping = Mapping(kind="traffic", name="sheet", columns={"date": Rule(column="Fecha"),
                                                              "sessions": Rule(column="Visitas")})
    outcome = import_a(write_file("Fecha,Visitas\n2026-03-01,10\n"), mapping=mapping)
    # device is optional (formats.md): only channel is named.
    assert [e.reason for e in outcome.errors] == ["the required column “Channel” is not mapped"]
    assert nothing_written()


def test_a_mapping_column_missing_from_the_file(import_a, write_file):
    mapping = Mapping(kind="traffic", name="sheet", columns={
        "date": Rule(column="Fecha"), "sessions": Rule(column="Visitas"), "channel": Rule(value="direct"),
        "device": Rule(column="Dispositivo")})
    outcome = import_a(write_file("Fecha,Visitas\n2026-03-01,10\n"), mapping=mapping)
    assert [(e.line, e.column, e.value) for e in outcome.errors] == [(1, "Dispositivo", "")]
    assert "column missing from the file" in outcome.errors[0].reason


def test_source_import_in_the_other_client_is_not_seen(tenant_b, import_a, fixture_path):
    assert import_a(fixture_path("google_ads_en.csv")).ok
    from django_tenants.utils import tenant_context

    with tenant_context(tenant_b):
        assert not Spend.objects.exists()
    assert source_import  # the function every caller uses


def test_ga4_devices_outside_the_vocabulary_are_left_out_and_counted(import_a, write_file):
    outcome = import_a(write_file(GA4 + "Direct,20260301,smart tv,10,5\nDirect,20260301,Smart TV,3,1\n"
                                        "Direct,20260301,desktop,10,5\n"))
    assert outcome.ok and outcome.skipped == {"device: smart tv": 2} and outcome.skipped_total == 2
    assert TrafficRow.objects.get().sessions == 10
