"""Google Ads, Meta and LinkedIn synced from the fake platforms' server in their documented shapes:
spend rows with the ad delivery, in the client's currency through the ECB rates, manager
accounts, paging, Meta's asynchronous jobs, usage headers and throttling, OAuth refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client, ExchangeRate
from clients.connectors import linkedin_ads, meta_ads, transport
from clients.connectors.fake_ads import AdsFake
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.registry import connector_for
from clients.connectors.sync import connection_sync
from clients.connectors.transport import ConnectorError, Session
from clients.connectors.vault import Credentials
from clients.models import Connection, Spend
from tests.clients.connectors.ads_fixtures import LINKEDIN, MANAGER, META, SPAIN, STATES, connect
from tests.clients.connectors.conftest import NOW

pytestmark = pytest.mark.django_db


def _totals(platform: str) -> dict:
    return Spend.objects.filter(platform=platform).aggregate(
        amount=Sum("amount"), original=Sum("original_amount"), impressions=Sum("impressions"), clicks=Sum("clicks"),
        conversions=Sum("conversions"), value=Sum("conversion_value"))


def _expected(rows: list) -> dict:
    return {"cost": sum(r.cost for r in rows), "impressions": sum(r.impressions for r in rows),
            "clicks": sum(r.clicks for r in rows), "conversions": sum(r.conversions for r in rows),
            "value": sum(r.value for r in rows)}


def _paths(platforms: FakePlatforms, platform: str) -> list[tuple[str, int]]:
    return [(path, status) for _t, owner, path, status in platforms.log if owner == platform]


def test_a_manager_account_lists_its_clients_and_reads_one_with_login_customer_id(
    tenant_a: Client, ads: AdsFake, platforms: FakePlatforms
) -> None:
    credentials = Credentials(access_token=ads.token_issue("google_ads", 3600))
    with Session(connector=connector_for("google_ads"), credentials=credentials, account_id="") as session:
        accounts = connector_for("google_ads").accounts(session)
    assert [(a.id, a.name, a.currency, a.manager_id, a.is_manager) for a in accounts] == [
        (MANAGER, "Agency MCC", "", "", True), (SPAIN, "Alpha España", "EUR", MANAGER, False),
        (STATES, "Alpha USA", "USD", MANAGER, False)]
    # A client account read without its manager's id is refused by Google, in Google's words.
    with pytest.raises(ConnectorError, match="Google Ads refused access to this account's data") as refused:
        connect(tenant_a, ads, "google_ads", "111-222-3333")
    assert "login-customer-id" in refused.value.said
    connect(tenant_a, ads, "google_ads", "111-222-3333", manager=MANAGER)
    platforms.log.clear()
    outcome = connection_sync(client=tenant_a, platform="google_ads", now=NOW)
    assert outcome.ok, outcome.message
    rows = ads.rows[("google_ads", SPAIN)]
    expected = _expected(rows)
    with tenant_context(tenant_a):
        totals = _totals("google_ads")
        assert Spend.objects.filter(platform="google_ads").count() == len(rows) == 3 * 398
        assert totals["amount"] == expected["cost"]  # cost_micros ÷ 10⁶, EUR like the client
        assert (totals["impressions"], totals["clicks"]) == (expected["impressions"], expected["clicks"])
        assert totals["conversions"] == expected["conversions"] and totals["value"] == expected["value"]
        first = Spend.objects.get(id=f"google_ads:2025-10-01:{rows[0].campaign_id}")
        assert (first.category, first.campaign.name, first.currency) == ("media", rows[0].name, "EUR")
        assert Connection.objects.get().account_label == "Alpha España"
    # One searchStream a quarter (13 months and the current one: 5 quarters), every one answered.
    streams = [p for p in _paths(platforms, "google_ads") if p[0].endswith("googleAds:searchStream")]
    assert len(streams) == 5 and all(status == 200 for _path, status in streams)
    assert connection_sync(client=tenant_a, platform="google_ads", now=NOW + dt.timedelta(days=1)).ok
    with tenant_context(tenant_a):
        assert Spend.objects.filter(platform="google_ads").count() == len(rows)  # the 30 days re-read, nothing twice


def test_amounts_in_another_currency_are_converted_at_the_ecb_rate_of_the_day(tenant_a: Client, ads: AdsFake) -> None:
    rates = {row.day for row in ads.rows[("google_ads", STATES)]}
    ExchangeRate.objects.bulk_create([ExchangeRate(currency="USD", date=day, per_euro=Decimal("1.0800")) for day in rates],
                                     ignore_conflicts=True)
    per_euro = dict(ExchangeRate.objects.filter(currency="USD", date__in=rates).values_list("date", "per_euro"))
    connect(tenant_a, ads, "google_ads", STATES, manager=MANAGER)
    assert connection_sync(client=tenant_a, platform="google_ads", now=NOW).ok
    row = ads.rows[("google_ads", STATES)][5]
    with tenant_context(tenant_a):
        spend = Spend.objects.get(id=f"google_ads:{row.day}:{row.campaign_id}")
    assert (spend.currency, spend.original_amount) == ("USD", row.cost)
    assert spend.amount == pytest.approx(row.cost / per_euro[row.day], rel=Decimal("1e-9"))
    assert spend.conversion_value == pytest.approx(row.value / per_euro[row.day], rel=Decimal("1e-9"))


def test_meta_runs_a_long_range_as_an_async_job_polled_to_completion_and_follows_paging(
    tenant_a: Client, ads: AdsFake, platforms: FakePlatforms, monkeypatch
) -> None:
    monkeypatch.setattr(meta_ads, "PAGE", 100)
    connect(tenant_a, ads, "meta_ads", f"act_{META}")
    outcome = connection_sync(client=tenant_a, platform="meta_ads", now=NOW)
    assert outcome.ok, outcome.message
    paths = _paths(platforms, "meta_ads")
    jobs = [path for path, _s in paths if path.rstrip("0123456789").endswith("/v24.0/") and path != "/v24.0/"]
    # Four quarters as jobs, each polled until "Job Completed"; the last 30 days asked directly.
    assert len(set(jobs)) == 4 and len(jobs) == 4 * (ads.job_polls + 1)
    assert all(job["polls"] == ads.job_polls + 1 for job in ads.jobs.values())
    pages = [path for path, _s in paths if path.endswith("/insights") and not path.startswith("/v24.0/act_")]
    assert len(pages) == 4 * 3  # 92 days × 3 campaigns, pages of 100: paging.next followed twice a job
    rows = ads.rows[("meta_ads", META)]
    expected = _expected(rows)
    with tenant_context(tenant_a):
        totals = _totals("meta_ads")
        assert Spend.objects.filter(platform="meta_ads").count() == len(rows)
    assert totals["amount"] == expected["cost"] and totals["clicks"] == expected["clicks"]
    # leads and purchases once each, although Meta also lists their parts
    assert totals["conversions"] == expected["conversions"] and totals["value"] == expected["value"]
    # A daily sync (28 days) asks synchronously, and Meta's paging.next (on Meta's host) is read on the server's.
    platforms.log.clear()
    assert connection_sync(client=tenant_a, platform="meta_ads", now=NOW + dt.timedelta(days=1)).ok
    daily = _paths(platforms, "meta_ads")
    assert daily and all(path == f"/v24.0/act_{META}/insights" and status == 200 for path, status in daily)
    assert len(daily) == 1  # 28 days re-read × 3 campaigns: one page of 100


@pytest.mark.parametrize("status", [400, 429])
def test_meta_throttling_waits_what_its_usage_headers_ask(
    tenant_a: Client, ads: AdsFake, platforms: FakePlatforms, monkeypatch, settings, status: int
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(Session, "_sleep", lambda self, seconds: waits.append(seconds))
    settings.PORTAL_CONNECTOR_MAX_WAIT = 600
    connect(tenant_a, ads, "meta_ads", META)
    ads.fault_headers["meta_ads"] = {"X-Business-Use-Case-Usage": (
        f'{{"{META}": [{{"type": "ads_insights", "call_count": 100, "total_cputime": 40, "total_time": 40, '
        '"estimated_time_to_regain_access": 3}]}')}
    platforms.fail("meta_ads", status, after=1, body={"error": {
        "message": "(#80004) There have been too many calls to this ad-account.", "type": "OAuthException",
        "code": 80004, "error_subcode": 2446079}})
    assert connection_sync(client=tenant_a, platform="meta_ads", now=NOW).ok
    assert 180.0 in waits  # 3 minutes, as the header said
    assert [answer for _p, answer in _paths(platforms, "meta_ads")].count(status) == 1


def test_google_ads_429_waits_its_retry_delay(tenant_a: Client, ads: AdsFake, platforms: FakePlatforms, monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr(Session, "_sleep", lambda self, seconds: waits.append(seconds))
    connect(tenant_a, ads, "google_ads", SPAIN, manager=MANAGER)
    platforms.fail("google_ads", 429, after=1, body={"error": {"code": 429, "status": "RESOURCE_EXHAUSTED",
                                                               "message": "Resource has been exhausted", "details": [
        {"@type": "type.googleapis.com/google.ads.googleads.v22.errors.GoogleAdsFailure",
         "errors": [{"errorCode": {"quotaError": "RESOURCE_EXHAUSTED"}, "message": "Too many requests."}]},
        {"@type": "type.googleapis.com/google.ads.googleads.v22.errors.QuotaErrorDetails",
         "quotaErrorDetails": {"rateScope": "DEVELOPER", "retryDelay": "17s"}, "retryDelay": "17s"}]}})
    assert connection_sync(client=tenant_a, platform="google_ads", now=NOW).ok
    assert 17.0 in waits
    with tenant_context(tenant_a):
        assert Spend.objects.filter(platform="google_ads").count() == len(ads.rows[("google_ads", SPAIN)])


def test_linkedin_reads_campaign_names_page_by_page_and_adds_lead_form_leads(
    tenant_a: Client, ads: AdsFake, platforms: FakePlatforms, monkeypatch
) -> None:
    monkeypatch.setattr(linkedin_ads, "CAMPAIGN_PAGE", 2)
    connect(tenant_a, ads, "linkedin_ads", LINKEDIN)
    assert connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW).ok
    campaign_pages = [p for p, _s in _paths(platforms, "linkedin_ads") if p.endswith("/adCampaigns")]
    assert len(campaign_pages) == 2
    rows = ads.rows[("linkedin_ads", LINKEDIN)]
    expected = _expected(rows)
    with tenant_context(tenant_a):
        totals = _totals("linkedin_ads")
        spend = Spend.objects.select_related("campaign").get(id=f"linkedin_ads:{rows[-1].day}:{rows[-1].campaign_id}")
    assert spend.campaign.name == rows[-1].name and spend.date == rows[-1].day
    assert totals["amount"] == expected["cost"] and totals["conversions"] == expected["conversions"]


def test_an_expired_google_token_is_refreshed_and_stored(tenant_a: Client, ads: AdsFake, platforms: FakePlatforms) -> None:
    old = connect(tenant_a, ads, "google_ads", SPAIN, manager=MANAGER, expires_at=timezone.now() - dt.timedelta(minutes=1),
                  check=False)
    assert connection_sync(client=tenant_a, platform="google_ads", now=NOW).ok
    assert _paths(platforms, "google_ads")[0] == ("/token", 200)
    with tenant_context(tenant_a):
        connection = Connection.objects.get()
    assert connection.token_expires_at > timezone.now() + dt.timedelta(minutes=50)
    from clients.connectors.vault import unseal
    stored = unseal(connection.secrets, owner=tenant_a.schema_name)
    assert stored.access_token != old.access_token and stored.refresh_token == old.refresh_token


def test_a_revoked_consent_needs_reauthorisation_writes_nothing_and_emails_once(
    tenant_a: Client, ads: AdsFake, staff_a, platforms: FakePlatforms
) -> None:
    from clients.connectors.health import connection_failure_notify
    from clients.models import OutboxEmail

    connect(tenant_a, ads, "linkedin_ads", LINKEDIN, expires_at=timezone.now() - dt.timedelta(minutes=1), check=False)
    ads.revoke("linkedin_ads")
    outcome = connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW)
    assert not outcome.ok
    with tenant_context(tenant_a):
        connection = Connection.objects.get()
        assert not Spend.objects.exists()
    assert connection.state == Connection.State.REAUTH
    assert connection.reason.startswith("LinkedIn Ads refused to refresh the access token")
    assert connection_sync(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=1)).ok is False
    assert connection_failure_notify(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=1)) == 1
    assert connection_failure_notify(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=2)) == 0
    with tenant_context(tenant_a):
        email = OutboxEmail.objects.get(kind="connection_failing")
    assert "LinkedIn Ads" in email.payload["subject"] and email.to == staff_a.email


def test_an_ad_account_already_connected_to_another_client_is_refused(
    tenant_a: Client, tenant_b: Client, ads: AdsFake
) -> None:
    connect(tenant_a, ads, "meta_ads", META)
    with pytest.raises(ConnectorError, match="already connected to another client"):
        connect(tenant_b, ads, "meta_ads", f"act_{META}")
    with tenant_context(tenant_b):
        assert not Connection.objects.exists()


def test_no_request_reaches_another_host_from_a_paging_link(tenant_a: Client, ads: AdsFake, platforms: FakePlatforms) -> None:
    # paging.next names graph.facebook.com: only its path and query are used, on the configured host.
    connect(tenant_a, ads, "meta_ads", META)
    assert connection_sync(client=tenant_a, platform="meta_ads", first_day=dt.date(2026, 10, 1),
                           last_day=dt.date(2026, 10, 31), now=NOW).ok
    assert transport.api_base("meta_ads", "x").startswith("http://127.0.0.1:")
    assert len(_paths(platforms, "meta_ads")) > 1  # 93 records: one page of 500… plus the account check


def test_a_correction_inside_the_window_becomes_a_revision_with_the_platform_and_its_figures_named(
    tenant_a: Client, ads: AdsFake, staff_http
) -> None:
    import io

    from django.core.management import call_command

    from reports.models import MonthReport
    from reports.services import month_approve

    connect(tenant_a, ads, "google_ads", SPAIN, manager=MANAGER)
    connect(tenant_a, ads, "meta_ads", META)
    for platform in ("google_ads", "meta_ads"):
        assert connection_sync(client=tenant_a, platform=platform, now=NOW).ok
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())
    # Ads without leads in the CRM trip a monthly check: approved anyway, with its one-line reason.
    month_approve(client=tenant_a, month=dt.date(2026, 10, 1), user=None, checks_reason="ads only in this test")
    october = [row for row in ads.rows[("google_ads", SPAIN)] if row.day.month == 10 and row.day.year == 2026]
    before = sum(row.conversions for row in october)
    for row in october[-7:]:  # Google credits seven late conversions to the last days of October
        row.leads += 1
    later = NOW + dt.timedelta(days=1)
    for platform in ("google_ads", "meta_ads"):  # both re-read October; only Google's figures moved
        assert connection_sync(client=tenant_a, platform=platform, now=later).ok
    call_command("compute_snapshots", "alpha", "--month", "2026-10", stdout=io.StringIO())
    with tenant_context(tenant_a):
        report = MonthReport.objects.get(month=dt.date(2026, 10, 1))
    assert "Google Ads corrected spend of October 2026, sync of Nov 4, 2026" in report.restated_by
    page = staff_http.get("/reports/2026-10/").content.decode()
    assert f"Google Ads changed October 2026 after approval: conversions {before:,} → {before + 7:,}" in page
    assert "Meta Ads changed" not in page and "Meta Ads corrected" not in page
    assert 'value="Google Ads corrected spend of October 2026, sync of Nov 4, 2026"' in page  # the proposed reason
    from agency.models import User

    User.objects.filter(username="sam-staff").update(language="es")
    page = staff_http.get("/reports/2026-10/").content.decode()
    assert "Google Ads cambió octubre de 2026 después de la aprobación: conversiones" in page


def test_a_linkedin_token_without_refresh_is_warned_of_7_days_before_once(tenant_a: Client, ads: AdsFake, staff_a) -> None:
    from clients.connectors.health import connection_health, connection_token_warn
    from clients.connectors.sync import connection_connect
    from clients.models import OutboxEmail

    expires = NOW + dt.timedelta(days=60)
    connection_connect(client=tenant_a, platform="linkedin_ads", account_id=LINKEDIN, check=False, credentials=Credentials(
        access_token=ads.token_issue("linkedin_ads", 5184000), expires_at=expires))
    assert connection_token_warn(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=52)) == 0
    with tenant_context(tenant_a):
        health = connection_health(connection=Connection.objects.get(), now=NOW + dt.timedelta(days=54))
    assert health.token_warning and health.token_days == 6
    assert connection_token_warn(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=54)) == 1
    assert connection_token_warn(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=55)) == 0
    with tenant_context(tenant_a):
        email = OutboxEmail.objects.get(kind="connection_token")
    assert email.payload["subject"] == "LinkedIn Ads of Alpha Analytics must be connected again by Jan 2, 2027"
    assert email.to == staff_a.email


@pytest.mark.parametrize(("language", "subject", "expires"), [
    ("en", "LinkedIn Ads of Alpha Analytics must be connected again by Jan 2, 2027",
     "The LinkedIn Ads access of Alpha Analytics expires on Jan 2, 2027, 4 a.m. CET;"),
    ("es", "Hay que volver a conectar LinkedIn Ads de Alpha Analytics antes del 2 ene 2027",
     "El acceso a LinkedIn Ads de Alpha Analytics caduca el 2 ene 2027, 04:00 CET;"),
])
def test_the_token_expiry_email_names_the_zone_of_its_moment(
    language: str, subject: str, expires: str, tenant_a: Client, ads: AdsFake, staff_a
) -> None:
    """Alpha is in Madrid: a token expiring at 03:00 UTC reads 04:00 CET, its zone named as the pages name it."""
    from clients.connectors.health import connection_token_warn
    from clients.connectors.sync import connection_connect
    from clients.models import OutboxEmail

    assert tenant_a.timezone == "Europe/Madrid"
    staff_a.language = language
    staff_a.save(update_fields=["language"])
    connection_connect(client=tenant_a, platform="linkedin_ads", account_id=LINKEDIN, check=False, credentials=Credentials(
        access_token=ads.token_issue("linkedin_ads", 5184000), expires_at=NOW + dt.timedelta(days=60)))
    assert connection_token_warn(client=tenant_a, platform="linkedin_ads", now=NOW + dt.timedelta(days=54)) == 1
    with tenant_context(tenant_a):
        payload = OutboxEmail.objects.get(kind="connection_token").payload
    assert payload["subject"] == subject
    assert expires in payload["body"], payload["body"]


def test_a_token_revoked_during_a_backfill_is_refreshed_and_stored_although_quarters_are_read_ahead(
    tenant_a: Client, ads: AdsFake, platforms: FakePlatforms
) -> None:
    # The next quarter is requested on a helper thread while the current one is written: a refresh
    # there must still reach the connection's row (in the sync's own transaction), and no quarter be lost.
    old = connect(tenant_a, ads, "google_ads", SPAIN, manager=MANAGER, check=False)
    searches = []

    def revoke_on_the_third_quarter(platform: str, path: str) -> None:
        if path.endswith("googleAds:searchStream"):
            searches.append(path)
            if len(searches) == 3:
                ads.tokens.pop(old.access_token, None)

    platforms.on_request = revoke_on_the_third_quarter
    outcome = connection_sync(client=tenant_a, platform="google_ads", now=NOW)
    assert outcome.ok, outcome.message
    assert ("/token", 200) in _paths(platforms, "google_ads")
    with tenant_context(tenant_a):
        connection = Connection.objects.get()
        assert Spend.objects.filter(platform="google_ads").count() == len(ads.rows[("google_ads", SPAIN)])
    from clients.connectors.vault import unseal
    stored = unseal(connection.secrets, owner=tenant_a.schema_name)
    assert stored.access_token != old.access_token and stored.access_token in ads.tokens


def test_meta_checks_a_report_job_at_once_then_less_and_less_often(
    tenant_a: Client, ads: AdsFake, settings, monkeypatch
) -> None:
    settings.PORTAL_CONNECTOR_JOB_POLL = 0.01
    ads.job_polls = 4
    waits: list[float] = []
    monkeypatch.setattr(meta_ads.time, "sleep", waits.append)
    connect(tenant_a, ads, "meta_ads", f"act_{META}")
    assert connection_sync(client=tenant_a, platform="meta_ads", first_day=dt.date(2026, 7, 1),
                           last_day=dt.date(2026, 8, 31), now=NOW).ok
    assert waits == [0.01, 0.02, 0.04, 0.08]  # one job (62 days): four "Job Running" answers, the first check at once


def test_an_amount_with_three_decimals_from_an_api_is_read_not_refused(tenant_a: Client, ads: AdsFake) -> None:
    """An export's "24,500" reads two ways and is refused (numbers.money); an API's 12345000 cost micros,
    written by the portal as 12.345, is plain and is read as it is."""
    connect(tenant_a, ads, "google_ads", "111-222-3333", manager=MANAGER)
    row = ads.rows[("google_ads", SPAIN)][0]
    row.cost = Decimal("12.345")
    outcome = connection_sync(client=tenant_a, platform="google_ads", now=NOW)
    assert outcome.ok, outcome.message
    with tenant_context(tenant_a):
        assert Spend.objects.get(id=f"google_ads:{row.day}:{row.campaign_id}").amount == Decimal("12.345")
