"""Nothing is lost in silence (sources.md): every column listed as used or ignored, renamed columns and
values outside a table recognized and mappable per client, HubSpot deal amounts, GA4 without device or in
Spanish, and the totals a person checks against the platform's screen."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from clients.mappings.saved import mapping_save, saved_mappings_as_engine, source_extension_save
from clients.models import Lead, Spend, TrafficRow
from clients.sources import Mapping, Rule, detect

D = Decimal


@pytest.fixture
def import_with_additions(import_a, in_tenant_a):
    """An import given the client's saved mappings (its additions to the built-in sources), as the screens do."""
    return lambda path, **kwargs: import_a(path, mappings=saved_mappings_as_engine(), **kwargs)


# --- known names, earlier and current, English and Spanish ------------------------------------------------------

def test_hubspot_today_reads_original_traffic_source_and_deal_amounts(import_a, fixture_path):
    outcome = import_a(fixture_path("hubspot_contacts_2026.csv"))
    assert outcome.ok, outcome.errors
    assert outcome.detection.source.slug == "hubspot_contacts"
    leads = {lead.id: lead for lead in Lead.objects.all()}
    assert {key: lead.channel for key, lead in leads.items()} == {
        "1001": "organic_search", "1002": "paid_social", "1003": "other", "1004": "offline", "1005": "referral",
        "1006": "other"}
    # Recent Deal Amount, else Total Revenue, for a contact with a customer date only.
    assert {key: lead.deal_value for key, lead in leads.items()} == {
        "1001": None, "1002": D("18000.50"), "1003": D("9500"), "1004": None, "1005": None, "1006": None}
    assert outcome.customers_without_deal == 1  # 1004: revenue 0 for it, said in the summary
    assert outcome.dropped == {"deal_value": 1}  # 1001's 4,000 is an open deal, not revenue
    assert outcome.totals["deal_value"] == D("27500.50")
    summary = outcome.as_dict()
    assert summary["customers_without_deal"] == 1
    assert summary["unmapped"] == {"channel": {"Social Video": 1}} and summary["unmapped_to"]["channel"] == "other"


def test_every_column_is_listed_as_used_or_ignored(fixture_path):
    detection = detect(fixture_path("hubspot_contacts_2026.csv"))
    uses = dict(detection.uses())
    assert uses["Original Traffic Source"] == ["channel"]
    assert uses["Recent Deal Amount"] == ["deal_value"] and uses["Total Revenue"] == ["deal_value"]
    assert uses["Record ID"] == ["id"] and uses["Became a Customer Date"] == ["customer_at"]
    assert detection.ignored == ["First Name", "Last Name", "Lifecycle Stage", "Lead Status",
                                 "Original Traffic Source Drill-Down 1", "Contact owner", "Became a Lead Date",
                                 "Became a Marketing Qualified Lead Date", "Associated Deal IDs"]
    ga4 = dict(detect(fixture_path("ga4_traffic.csv")).uses())
    assert ga4["Sessions"] == ["sessions", "bounced_sessions"] and ga4["Engaged sessions"] == ["−bounced_sessions"]
    assert ga4["Key events"] == [] and ga4["Engagement rate"] == []


def test_the_earlier_hubspot_layout_still_reads_original_source(import_a, fixture_path):
    outcome = import_a(fixture_path("hubspot_contacts.csv"))
    assert outcome.ok, outcome.errors
    assert Lead.objects.get(id="1001").channel == "organic_search"
    # No deal column at all: named as lacking, with what that leaves empty.
    [(target, names, reason)] = outcome.detection.lacking()
    assert target == "deal_value" and "Recent Deal Amount" in names and "revenue" in reason


def test_ga4_primary_channel_group_without_device_stores_no_device(import_a, fixture_path):
    outcome = import_a(fixture_path("ga4_traffic_primary.csv"))
    assert outcome.ok, outcome.errors
    assert outcome.skipped == {}  # without a device column no row is left out
    assert set(TrafficRow.objects.values_list("device", flat=True)) == {""}  # "not given", never a device
    by_channel = {(row.date, row.channel): (row.sessions, row.bounced_sessions) for row in TrafficRow.objects.all()}
    assert by_channel == {
        (dt.date(2026, 3, 1), "organic_search"): (1800, 700), (dt.date(2026, 3, 1), "paid_search"): (400, 150),
        (dt.date(2026, 3, 1), "other"): (50, 35),  # Unassigned + Cross-network
        (dt.date(2026, 3, 2), "direct"): (50, 30), (dt.date(2026, 3, 2), "organic_search"): (12, 6),
    }
    assert outcome.totals["sessions"] == 2312 and outcome.unmapped == {}
    [(target, _names, reason)] = outcome.detection.lacking()
    assert target == "device" and "mobile share" in reason


def test_ga4_in_spanish_with_the_primary_group_gives_the_english_figures(import_a, fixture_path):
    outcome = import_a(fixture_path("ga4_traffic_primary_es.csv"))
    assert outcome.ok, outcome.errors
    assert (outcome.detection.language, outcome.skipped) == ("es", {"device: smart tv": 1})
    spanish = sorted(TrafficRow.objects.values_list("date", "channel", "device", "sessions", "bounced_sessions"))
    TrafficRow.objects.all().delete()
    assert import_a(fixture_path("ga4_traffic.csv")).ok
    english = sorted(TrafficRow.objects.values_list("date", "channel", "device", "sessions", "bounced_sessions"))
    assert spanish == english and outcome.unmapped == {}


def test_a_custom_primary_channel_group_is_recognized_and_its_unknown_groups_counted(import_a, write_file):
    path = write_file("Session primary channel group (Our groups),Date,Sessions,Engaged sessions\n"
                      "Organic Search,20260301,10,5\nPartners,20260301,4,1\nPartners,20260302,6,3\n")
    outcome = import_a(path)
    assert outcome.ok, outcome.errors
    assert outcome.unmapped == {"channel": {"Partners": 2}}
    assert TrafficRow.objects.filter(channel="other").count() == 2


# --- a renamed column: recognized, listed as ignored, mappable --------------------------------------------------

RENAMED = ("Day,Campaign,Campaign ID,Currency code,Cost (account currency),Impr.\n"
           "2026-03-01,Brand Search,111,EUR,\"1,234.50\",100\n2026-03-02,Brand Search,111,EUR,10.00,8\n")


def test_a_renamed_column_is_recognized_listed_as_ignored_and_refused_until_mapped(import_a, write_file):
    outcome = import_a(write_file(RENAMED))
    assert outcome.detection.source.slug == "google_ads"
    assert outcome.detection.missing == (("amount", ("Cost", "Coste", "Costo")),)
    assert "Cost (account currency)" in outcome.detection.ignored
    assert not outcome.ok and "no column of the file gives amount" in outcome.errors[0].reason
    assert Spend.objects.count() == 0


def test_mapping_an_ignored_column_extends_the_source_for_this_client(in_tenant_a, import_with_additions, write_file):
    path = write_file(RENAMED)
    header = list(detect(path).header)
    source_extension_save(client=in_tenant_a, source="google_ads", header=header,
                          columns={"amount": "Cost (account currency)"}, values={})
    outcome = import_with_additions(path)
    assert outcome.ok, outcome.errors
    assert outcome.detection.extension is not None and outcome.detection.missing == ()
    assert sorted(Spend.objects.values_list("amount", flat=True)) == [D("10.00"), D("1234.50")]
    # The same client's later file in the usual layout still reads as before.
    assert detect(path, mappings=saved_mappings_as_engine()).source.slug == "google_ads"


def test_a_value_outside_the_table_is_mappable_for_this_client(in_tenant_a, import_with_additions, fixture_path):
    path = fixture_path("hubspot_contacts_2026.csv")
    first = import_with_additions(path)
    assert first.unmapped == {"channel": {"Social Video": 1}}
    source_extension_save(client=in_tenant_a, source="hubspot_contacts", header=first.detection.header,
                          columns={}, values={"channel": {"Social Video": "organic_social"}})
    again = import_with_additions(path)
    assert again.ok and again.unmapped == {}
    assert Lead.objects.get(id="1006").channel == "organic_social"
    assert Lead.objects.get(id="1002").channel == "paid_social"  # the source's own table still applies


def test_an_addition_outside_the_vocabulary_or_the_file_is_refused(in_tenant_a, fixture_path):
    header = detect(fixture_path("hubspot_contacts_2026.csv")).header
    with pytest.raises(ValidationError) as refused:
        source_extension_save(client=in_tenant_a, source="hubspot_contacts", header=header,
                              columns={"device": "No such column"}, values={"channel": {"Social Video": "tiktok"}})
    assert len(refused.value.messages) == 2


def test_a_mapping_saved_for_exactly_this_header_remaps_a_recognized_file(import_with_additions, fixture_path,
                                                                          in_tenant_a):
    path = fixture_path("hubspot_contacts_2026.csv")
    detection = detect(path)
    spec = detection.mapping.to_dict()
    spec["columns"]["channel"] = Rule(column="Original Traffic Source Drill-Down 1", values={"google": "paid_search"},
                                      other="other").to_dict()
    mapping_save(client=in_tenant_a, name="HubSpot by drill-down", spec=spec, header=list(detection.header))
    outcome = import_with_additions(path)
    assert outcome.ok, outcome.errors
    assert outcome.detection.source is None and outcome.detection.mapping.name == "HubSpot by drill-down"
    assert Lead.objects.get(id="1001").channel == "paid_search"


# --- the totals a person checks against the platform --------------------------------------------------------

def test_the_totals_of_a_file_in_another_currency(import_a, fixture_path, ecb_rates):
    outcome = import_a(fixture_path("meta_ads_en.csv"), dry_run=True)
    assert outcome.ok, outcome.errors
    assert outcome.spend_by_currency == {"USD": D("300.00")}  # the account-total row is not counted twice
    assert outcome.totals["amount"] == D(100) / D("1.07") + D(200) / D("1.09")  # converted, unrounded
    assert (outcome.first_day, outcome.last_day) == (dt.date(2026, 3, 1), dt.date(2026, 3, 2))
    assert Spend.objects.count() == 0


def test_an_extension_is_json_data():
    mapping = Mapping(kind="leads", columns={"channel": Rule(values={"x": "email"})}, extends="hubspot_contacts")
    assert Mapping.from_dict(mapping.to_dict()) == mapping and mapping.problems() == []


def test_import_source_says_what_was_ignored_lacking_or_unknown(tenant_a, fixture_path):
    out = io.StringIO()
    call_command("import_source", "alpha", str(fixture_path("hubspot_contacts_2026.csv")), stdout=out)
    lines = out.getvalue().splitlines()
    assert "ignored columns: First Name, Last Name, Lifecycle Stage, Lead Status, Original Traffic Source Drill-Down 1," \
           " Contact owner, Became a Lead Date, Became a Marketing Qualified Lead Date, Associated Deal IDs" in lines
    assert "channel values outside the table, imported as other: Social Video (1)" in lines
    assert "customers without a deal amount (revenue 0 for them): 1" in lines
    out = io.StringIO()
    call_command("import_source", "alpha", str(fixture_path("ga4_traffic_primary.csv")), stdout=out)
    assert any(line.startswith("not in the file: Device category / Categoría de dispositivo: traffic is stored without"
                               " a device") for line in out.getvalue().splitlines())


def test_additions_named_as_the_mapping_read_the_file_with_their_source(in_tenant_a, import_a, fixture_path):
    path = fixture_path("hubspot_contacts_2026.csv")
    stored = source_extension_save(client=in_tenant_a, source="hubspot_contacts", header=detect(path).header,
                                   columns={}, values={"channel": {"Social Video": "paid_social"}})
    extension = Mapping.from_dict({**stored.spec, "name": stored.name, "header": stored.header})
    outcome = import_a(path, mapping=extension)  # as a scheduled source or `import_source --mapping` would
    assert outcome.ok and outcome.detection.source.slug == "hubspot_contacts"
    assert Lead.objects.get(id="1006").channel == "paid_social" and Lead.objects.count() == 6


def test_hubspot_in_spanish_reads_fuente_de_trafico_original_and_deal_amounts(import_a, write_file):
    path = write_file(
        '"ID de registro","Correo","Fecha de creación","Fuente de tráfico original",'
        '"Fecha en que se convirtió en cliente","Importe del negocio más reciente","Ingresos totales"\n'
        '"7","a@example.com","2026-03-02 10:00","Búsqueda orgánica","2026-03-10 10:00","1.500,50",""\n'
        '"8","b@example.com","2026-03-03 10:00","Referencias de IA","2026-03-11 10:00","","2.000"\n'
        '"9","c@example.com","2026-03-04 10:00","Tráfico directo","","",""\n')
    outcome = import_a(path)
    assert outcome.ok, outcome.errors
    assert outcome.detection.language == "es" and outcome.detection.ignored == []
    leads = {lead.id: (lead.channel, lead.deal_value) for lead in Lead.objects.all()}
    assert leads == {"7": ("organic_search", D("1500.50")), "8": ("referral", D("2000")), "9": ("direct", None)}


def test_columns_read_beside_another_are_listed_as_used(fixture_path):
    meta = dict(detect(fixture_path("meta_ads_en.csv")).uses())
    assert meta["Results"] == ["conversions"] and meta["Result indicator"] == ["?conversions"]
    linkedin = dict(detect(fixture_path("linkedin_ads.csv")).uses())
    assert linkedin["Leads"] == ["+conversions"] and linkedin["Conversions"] == ["conversions"]


def test_mailchimp_without_deliveries_stores_them_as_not_given_and_says_so(import_a, write_file):
    """A Mailchimp export without Successful Deliveries: named as lacking with what it leaves empty, and
    its rows store no deliveries (not 0, which read as a deliverability of 0 %)."""
    from clients.models import EmailRow

    path = write_file(
        "Title,Subject,List,Send Date,Total Recipients,Unique Opens\n"
        'March Newsletter,News for March,Customers,"Mar 03, 2026 09:30 am","1,000",400\n'
    )
    outcome = import_a(path)
    assert outcome.ok, outcome.errors
    [(target, _names, reason)] = outcome.detection.lacking()
    assert target == "delivered" and "deliverability" in reason
    row = EmailRow.objects.get()
    assert (row.sent, row.delivered, row.unique_opens, row.unique_clicks) == (1000, None, 400, None)


def test_an_amount_that_reads_two_ways_is_refused_not_divided_by_a_thousand(import_a, write_file):
    """The walk of 2026-12-07 (walk15): a HubSpot export with Spanish headers and the account's
    English number format ("24,500") was read as Spanish numbers: every deal worth 24.5 €, the
    revenue and ROMI of the first report wrong (ROMI -100 %), nothing said. An amount with three
    digits after the file's decimal mark is not guessed: the line is refused with both readings."""
    path = write_file(
        '"ID de registro","Correo","Fecha de creación","Fuente de tráfico original",'
        '"Fecha en que se convirtió en cliente","Importe del negocio más reciente","Ingresos totales"\n'
        '"7","a@example.com","2026-03-02 10:00","Búsqueda orgánica","2026-03-10 10:00","24,500",""\n'
        '"8","b@example.com","2026-03-03 10:00","Tráfico directo","2026-03-11 10:00","","2.000"\n')
    outcome = import_a(path)
    assert not outcome.ok and Lead.objects.count() == 0
    [error] = outcome.errors
    assert (error.line, error.column, error.value) == (2, "Importe del negocio más reciente", "24,500")
    assert "24,5 " in error.reason and "24500" in error.reason, error.reason
