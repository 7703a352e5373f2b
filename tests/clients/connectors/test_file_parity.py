"""The same month fed by the platforms' export files and by their APIs gives identical snapshots:
the connectors write through the file sources' layouts, tables and checks."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agency.models import Client
from clients.connectors.fake_server import FakePlatforms
from clients.connectors.hubspot import SOURCES, parse_time
from clients.connectors.sync import connection_connect, connection_sync
from clients.connectors.vault import Credentials
from clients.sources import source_import
from kpis.services import snapshot_compute
from tests.clients.connectors.conftest import MAILCHIMP_KEY, NOW, connect_hubspot

pytestmark = pytest.mark.django_db
MONTHS = [dt.date(2026, 9, 1), dt.date(2026, 10, 1)]


def _local(text: str | None, zone: ZoneInfo, fmt: str) -> str:
    moment = parse_time(text)
    return moment.astimezone(zone).strftime(fmt) if moment else ""


def _hubspot_export(path: Path, contacts: list[dict], zone: ZoneInfo) -> None:
    """A HubSpot contacts export as the CRM writes it (every field quoted, local times to the minute)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(["Record ID", "Create Date", "Email", "Original Source", "Became a Sales Qualified Lead Date",
                         "Became an Opportunity Date", "Became a Customer Date", "Industry", "Number of Employees",
                         "Annual Revenue", "Recent Deal Amount", "Total Revenue"])
        for contact in contacts:
            p = contact["properties"]
            writer.writerow([
                contact["id"], _local(p["createdate"], zone, "%Y-%m-%d %H:%M"), p["email"], SOURCES[p["hs_analytics_source"]],
                *(_local(p.get(name), zone, "%Y-%m-%d %H:%M") for name in (
                    "hs_v2_date_entered_salesqualifiedlead", "hs_v2_date_entered_opportunity", "hs_v2_date_entered_customer")),
                (p.get("industry") or "").replace("_", " ").title(), p["numberofemployees"], p["annualrevenue"],
                p.get("recent_deal_amount") or "", p.get("total_revenue") or "",
            ])


def _ga4_export(path: Path, rows: list[tuple]) -> None:
    totals: dict[tuple, list[int]] = {}
    for day, channel, device, _page, sessions, engaged in rows:
        entry = totals.setdefault((channel, day, device), [0, 0])
        entry[0] += sessions
        entry[1] += engaged
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("# ------------------------------\n# Traffic acquisition\n# ------------------------------\n")
        writer = csv.writer(handle)
        writer.writerow(["Session default channel group", "Date", "Device category", "Sessions", "Engaged sessions"])
        for (channel, day, device), (sessions, engaged) in sorted(totals.items()):
            writer.writerow([channel, day, device, sessions, engaged])


def _mailchimp_export(path: Path, reports: list[dict], zone: ZoneInfo) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Subject", "List", "Send Date", "Total Recipients", "Successful Deliveries",
                         "Unique Opens", "Unique Clicks", "Unsubscribes"])
        for report in reports:
            bounces = sum(report["bounces"].values())
            writer.writerow([report["campaign_title"], report["subject_line"], "News",
                             _local(report["send_time"], zone, "%b %d, %Y %I:%M %p").replace("AM", "am").replace("PM", "pm"),
                             report["emails_sent"], report["emails_sent"] - bounces, report["opens"]["unique_opens"],
                             report["clicks"]["unique_subscriber_clicks"], report["unsubscribed"]])


def test_files_and_apis_give_the_same_snapshots(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, ga4: dict, mailchimp: FakePlatforms, tmp_path: Path
) -> None:
    tenant_b.timezone, tenant_b.currency = tenant_a.timezone, tenant_a.currency  # twins but for how data came in
    tenant_b.save()
    zone = ZoneInfo(tenant_a.timezone)
    files = {"hubspot_contacts": tmp_path / "contacts.csv", "ga4_traffic": tmp_path / "ga4.csv",
             "mailchimp": tmp_path / "mailchimp.csv"}
    _hubspot_export(files["hubspot_contacts"], hubspot.hubspot_contacts, zone)
    _ga4_export(files["ga4_traffic"], hubspot.ga4_rows)
    _mailchimp_export(files["mailchimp"], hubspot.mailchimp_reports, zone)
    for source, path in files.items():
        outcome = source_import(client=tenant_a, path=path, source=source)
        assert outcome.ok, outcome.errors[:3]

    connect_hubspot(tenant_b)
    connection_connect(client=tenant_b, platform="ga4", account_id="123456", credentials=Credentials(service_account=ga4))
    connection_connect(client=tenant_b, platform="mailchimp", account_id="b", credentials=Credentials(api_key=MAILCHIMP_KEY))
    for platform in ("hubspot", "ga4", "mailchimp"):
        outcome = connection_sync(client=tenant_b, platform=platform, now=NOW)
        assert outcome.ok, outcome.message

    by_file = {s.month: s.document for s in snapshot_compute(client=tenant_a, months=MONTHS)}
    by_api = {s.month: s.document for s in snapshot_compute(client=tenant_b, months=MONTHS)}
    for month in MONTHS:
        file_doc, api_doc = dict(by_file[month]), dict(by_api[month])
        for volatile in ("computed_at", "client"):
            file_doc.pop(volatile, None)
            api_doc.pop(volatile, None)
        assert file_doc["kpis"]["new_leads"] > 0 and file_doc["kpis"]["sessions"] > 0
        assert file_doc == api_doc
