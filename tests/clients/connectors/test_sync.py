"""Syncing HubSpot, GA4 and Mailchimp from the fake platforms: paging, retries, expired tokens, resuming."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import translation
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors import fake_server
from clients.connectors import ga4 as ga4_module
from clients.connectors import hubspot as hubspot_module
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.registry import PLATFORMS
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.transport import ConnectorError
from clients.connectors.vault import Credentials
from clients.models import Campaign, Connection, EmailRow, Lead, SyncRun, TrafficRow
from tests.clients.connectors.conftest import HUBSPOT_TOKEN, MAILCHIMP_KEY, NOW, connect_hubspot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_of_100(monkeypatch) -> None:
    """HubSpot pages of 100 (the API allows up to 200): the paging tests count pages."""
    monkeypatch.setattr(hubspot_module, "PAGE", 100)


def _connection(client: Client, platform: str) -> Connection:
    with tenant_context(client):
        return Connection.objects.get(platform=platform)


def test_connecting_tests_the_credentials_and_says_what_it_found(tenant_a: Client, hubspot: FakePlatforms) -> None:
    hubspot.hubspot_contacts = hubspot.hubspot_contacts[:124]
    connection, summary = connection_connect(client=tenant_a, platform="hubspot", account_id="4242",
                                             credentials=Credentials(access_token=HUBSPOT_TOKEN))
    assert summary == "connected: 124 contacts, portal 4242"
    assert connection.account_label == "portal 4242"
    assert HUBSPOT_TOKEN not in connection.secrets  # encrypted at rest


def test_credentials_refused_on_connect_store_nothing(tenant_a: Client, hubspot: FakePlatforms) -> None:
    with pytest.raises(ConnectorError, match="HubSpot refused the credentials"):
        connection_connect(client=tenant_a, platform="hubspot", account_id="4242",
                           credentials=Credentials(access_token="pat-eu1-wrong-token-0000"))
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()


def test_hubspot_backfill_pages_to_the_end_in_batches(tenant_a: Client, hubspot: FakePlatforms, monkeypatch) -> None:
    monkeypatch.setattr(PLATFORMS["hubspot"], "batch_rows", 60)
    connect_hubspot(tenant_a)
    asked = hubspot.data_requests["hubspot"]
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert outcome.ok, outcome.message
    assert outcome.rows == 250 and outcome.rows_by_kind == {"leads": 250}
    assert hubspot.data_requests["hubspot"] - asked == 3  # 100 + 100 + 50
    with tenant_context(tenant_a):
        assert Lead.objects.count() == 250
        run = SyncRun.objects.get()
        assert run.trigger == SyncRun.Trigger.BACKFILL and run.ok and run.batches == 5
        assert run.window_from == dt.date(2025, 10, 1)
    connection = _connection(tenant_a, "hubspot")
    assert connection.state == Connection.State.CONNECTED and connection.run == {}
    assert connection.cursor["through"] == NOW.isoformat()
    assert connection.next_run_at > NOW


def test_hubspot_maps_stages_sources_and_deal_amounts_as_the_export(tenant_a: Client, hubspot: FakePlatforms) -> None:
    contact = hubspot.hubspot_contacts[0]
    contact["properties"].update({
        "createdate": "2026-03-04T08:30:00.000Z", "hs_analytics_source": "PAID_SOCIAL", "industry": "COMPUTER_SOFTWARE",
        "hs_v2_date_entered_salesqualifiedlead": "2026-03-05T10:00:00.000Z",
        "hs_v2_date_entered_opportunity": None, "hs_lifecyclestage_opportunity_date": "2026-03-06T10:00:00.000Z",
        "hs_v2_date_entered_customer": None,
    })
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    with tenant_context(tenant_a):
        lead = Lead.objects.get(id=contact["id"])
    assert lead.channel == "paid_social"
    assert lead.created_at == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)
    assert lead.sql_at == dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    assert lead.opportunity_at == dt.datetime(2026, 3, 6, 10, tzinfo=dt.UTC)  # the older stage property
    assert lead.vertical == "computer software"


def test_past_ten_thousand_results_a_new_search_starts_at_the_last_modification(
    tenant_a: Client, hubspot: FakePlatforms, monkeypatch
) -> None:
    monkeypatch.setattr(hubspot_module, "SEARCH_CAP", 100)
    monkeypatch.setattr("clients.connectors.fake_server.SEARCH_CAP", 100)
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    with tenant_context(tenant_a):
        assert Lead.objects.count() == 250


def test_a_429_with_retry_after_is_waited_out(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 429, retry_after="1", after=1)
    asked = len(hubspot.log)
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert outcome.ok and outcome.rows == 250
    searches = [(at, status) for at, _platform, path, status in hubspot.log[asked:] if path.endswith("/search")]
    refused = next(i for i, (_at, status) in enumerate(searches) if status == 429)
    assert searches[refused + 1][0] - searches[refused][0] >= 0.95  # Retry-After: 1 second
    assert searches[refused + 1][1] == 200


def test_a_500_then_success(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 500, times=2)
    asked = len(hubspot.log)
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert outcome.ok and outcome.rows == 250
    assert [status for _t, _p, path, status in hubspot.log[asked:] if path.endswith("/search")][:3] == [500, 500, 200]


def test_errors_that_persist_fail_the_sync_with_the_reason_in_words(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 503, times=10)
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert not outcome.ok
    connection = _connection(tenant_a, "hubspot")
    assert connection.state == Connection.State.FAILING
    assert connection.reason == "HubSpot was unavailable: its servers answered with an error on every attempt."
    assert connection.failing_since == NOW


def test_an_expired_token_needs_reauthorisation_and_writes_nothing(tenant_a: Client, hubspot: FakePlatforms) -> None:
    connect_hubspot(tenant_a)
    hubspot.expired.add("hubspot")
    outcome = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert not outcome.ok
    connection = _connection(tenant_a, "hubspot")
    assert connection.state == Connection.State.REAUTH
    assert "expired 2 hour(s) ago" in connection.reason_words["said"]
    assert connection.reason_words["kind"] == "credentials"
    with tenant_context(tenant_a):
        assert not Lead.objects.exists()


def test_a_sync_stopped_half_way_resumes_after_its_last_batch(
    tenant_a: Client, hubspot: FakePlatforms, monkeypatch, settings
) -> None:
    monkeypatch.setattr(PLATFORMS["hubspot"], "batch_rows", 50)
    settings.PORTAL_CONNECTOR_RETRIES = 2
    connect_hubspot(tenant_a)
    hubspot.fail("hubspot", 500, times=5, after=2)  # the third page keeps failing
    first = connection_sync(client=tenant_a, platform="hubspot", now=NOW)
    assert not first.ok
    with tenant_context(tenant_a):
        assert Lead.objects.count() == 150  # three batches of 50 committed; the fourth was never complete
    connection = _connection(tenant_a, "hubspot")
    assert connection.run["position"] == {"since": connection.run["position"]["since"], "after": "100", "skip": 50}
    hubspot.faults.clear()
    asked = len(hubspot.log)
    second = connection_sync(client=tenant_a, platform="hubspot", now=NOW + dt.timedelta(hours=1))
    assert second.ok and second.rows == 100  # only what was missing
    resumed = [path for _t, _p, path, _status in hubspot.log[asked:] if path.endswith("/search")]
    assert len(resumed) == 2  # the second page (its last 50 contacts) and the third
    with tenant_context(tenant_a):
        assert Lead.objects.count() == 250
        before = list(Lead.objects.order_by("id").values_list("id", "created_at", "channel", "sql_at", "customer_at"))
        runs = list(SyncRun.objects.values_list("ok", flat=True))
    assert runs == [True]  # the resumed run is the same run, finished
    again = connection_sync(client=tenant_a, platform="hubspot", first_day=dt.date(2025, 10, 1),
                            last_day=dt.date(2026, 11, 2), now=NOW + dt.timedelta(hours=2))
    assert again.ok and again.months == set()  # everything read again, nothing changed
    with tenant_context(tenant_a):
        assert list(Lead.objects.order_by("id").values_list("id", "created_at", "channel", "sql_at", "customer_at")) == before


def test_daily_sync_reads_what_changed_since_the_last_one_with_an_hour_of_overlap(
    tenant_a: Client, hubspot: FakePlatforms
) -> None:
    connect_hubspot(tenant_a)
    assert connection_sync(client=tenant_a, platform="hubspot", now=NOW).ok
    asked = len(hubspot.log)
    later = connection_sync(client=tenant_a, platform="hubspot", now=NOW + dt.timedelta(days=1))
    assert later.ok
    with tenant_context(tenant_a):
        run = SyncRun.objects.order_by("-started_at").first()
    assert run.trigger == SyncRun.Trigger.DAILY
    assert run.window_from == (NOW - dt.timedelta(hours=1)).astimezone(dt.UTC).date()
    assert len([p for _t, _pl, p, _s in hubspot.log[asked:] if p.endswith("/search")]) == 1


def test_ga4_pages_by_offset_and_sums_channel_groups_of_a_day(
    tenant_a: Client, platforms: FakePlatforms, ga4: dict, monkeypatch
) -> None:
    monkeypatch.setattr(ga4_module, "PAGE", 100)
    monkeypatch.setattr(PLATFORMS["ga4"], "batch_rows", 150)
    _connection_obj, summary = connection_connect(client=tenant_a, platform="ga4", account_id="123456",
                                                  credentials=Credentials(service_account=ga4))
    assert summary.startswith("connected: ") and summary.endswith("sessions in the last 28 days, property 123456")
    asked = platforms.data_requests["ga4"]
    outcome = connection_sync(client=tenant_a, platform="ga4", now=NOW)
    assert outcome.ok, outcome.message
    assert outcome.rows == 40 * 8 * 3
    assert platforms.data_requests["ga4"] - asked == 10  # 960 rows, 100 a page
    expected = sum(row[4] for row in platforms.ga4_rows)
    with tenant_context(tenant_a):
        assert TrafficRow.objects.aggregate(total=Sum("sessions"))["total"] == expected
        # "Unassigned" and nothing else lands on other: 7 named groups + other = 8 channels a day and device.
        assert TrafficRow.objects.filter(date=dt.date(2026, 9, 1)).count() == 8 * 3


def test_ga4_with_a_bad_service_account_key_needs_reauthorisation(tenant_a: Client, platforms: FakePlatforms, ga4: dict) -> None:
    forged = dict(ga4, client_email="someone-else@fake-project.iam.gserviceaccount.com")
    with pytest.raises(ConnectorError, match="GA4 refused the credentials") as refused:
        connection_connect(client=tenant_a, platform="ga4", account_id="123456",
                           credentials=Credentials(service_account=forged))
    assert "Invalid JWT Signature" in refused.value.said


def test_mailchimp_reports_become_email_rows_and_campaigns(tenant_a: Client, mailchimp: FakePlatforms) -> None:
    _connection_obj, summary = connection_connect(client=tenant_a, platform="mailchimp", account_id="alpha",
                                                  credentials=Credentials(api_key=MAILCHIMP_KEY))
    assert summary == "connected: 30 campaign reports, account Alpha News"
    outcome = connection_sync(client=tenant_a, platform="mailchimp", now=NOW)
    assert outcome.ok, outcome.message
    report = mailchimp.mailchimp_reports[0]
    with tenant_context(tenant_a):
        assert EmailRow.objects.count() == 30
        row = EmailRow.objects.get(campaign_id="Newsletter 0000")
        assert Campaign.objects.get(id="Newsletter 0000").channel == "email"
    bounces = report["bounces"]
    assert row.sent == report["emails_sent"]
    assert row.delivered == report["emails_sent"] - bounces["hard_bounces"] - bounces["soft_bounces"]
    assert row.unique_opens == report["opens"]["unique_opens"]


def test_a_mailchimp_key_without_its_data_centre_is_refused_in_words(tenant_a: Client, mailchimp: FakePlatforms) -> None:
    with pytest.raises(ConnectorError, match="ends in its data centre"):
        connection_connect(client=tenant_a, platform="mailchimp", account_id="alpha",
                           credentials=Credentials(api_key="0123456789abcdef"))


def test_a_ga4_key_is_checked_once_when_connected_not_at_every_sync(
    tenant_a: Client, platforms: FakePlatforms, ga4: dict, monkeypatch
) -> None:
    loads: list[bool] = []
    real = ga4_module.serialization.load_pem_private_key

    def load(data: bytes, password: None, unsafe_skip_rsa_key_validation: bool = False):
        loads.append(unsafe_skip_rsa_key_validation)
        return real(data, password=password, unsafe_skip_rsa_key_validation=unsafe_skip_rsa_key_validation)

    monkeypatch.setattr(ga4_module.serialization, "load_pem_private_key", load)
    connection_connect(client=tenant_a, platform="ga4", account_id="123456", credentials=Credentials(service_account=ga4))
    assert connection_sync(client=tenant_a, platform="ga4", now=NOW).ok
    assert loads == [False, True]  # validated by the connect's test; the sync signs with it as stored
    connection_connect(client=tenant_a, platform="ga4", account_id="123456", credentials=Credentials(service_account=ga4),
                       check=False)
    assert connection_sync(client=tenant_a, platform="ga4", now=NOW).ok
    assert loads[2:] == [False]  # a key stored without the test is checked when used


def test_the_connect_summary_groups_thousands_the_way_the_page_language_does(tenant_a: Client, hubspot: FakePlatforms) -> None:
    hubspot.hubspot_contacts = fake_server.make_contacts(
        1800, first=dt.datetime(2025, 10, 2, tzinfo=dt.UTC), last=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    with translation.override("es"):
        _connection, summary = connection_connect(client=tenant_a, platform="hubspot", account_id="4242",
                                                  credentials=Credentials(access_token=HUBSPOT_TOKEN))
    assert summary == "conectado: 1\xa0800 contactos, portal 4242"  # never "1,800": a decimal comma in Spanish


def test_ga4s_connect_check_counts_the_sessions_of_the_last_28_days(
    tenant_a: Client, platforms: FakePlatforms, ga4: dict
) -> None:
    today = dt.date.today()  # noqa: DTZ011 (GA4's "28daysAgo" is counted from the fake's today)
    platforms.ga4_rows = fake_server.make_ga4_rows(today - dt.timedelta(days=60), 60)
    first, last = ((today - dt.timedelta(days=n)).strftime("%Y%m%d") for n in (28, 1))
    recent = sum(row[4] for row in platforms.ga4_rows if first <= row[0] <= last)
    _connection, summary = connection_connect(client=tenant_a, platform="ga4", account_id="123456",
                                              credentials=Credentials(service_account=ga4))
    assert recent > 0 and summary == f"connected: {recent:,} sessions in the last 28 days, property 123456"


def test_the_fake_ga4_reads_relative_dates_as_ga4_does() -> None:
    today = dt.date(2026, 12, 6)
    assert fake_server._ga4_day("28daysAgo", today=today) == "20261108"
    assert fake_server._ga4_day("yesterday", today=today) == "20261205"
    assert fake_server._ga4_day("today", today=today) == "20261206"
    assert fake_server._ga4_day("2026-03-01", today=today) == "20260301"
