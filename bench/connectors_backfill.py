"""Benchmark: the 13-month backfill of one client's HubSpot, GA4 and Mailchimp from the local fake APIs.

    PORTAL_DATA_DIR=$PWD/.local/bench .venv/bin/python bench/connectors_backfill.py [--contacts 20000]

The fake platforms (clients.connectors.fake_server) run in a child process with 20,000 HubSpot
contacts, GA4 8 channels × 3 devices × 400 days and 400 Mailchimp reports; this process connects
a fresh client ``bench-connect`` (EUR, Europe/Madrid) and runs the three backfills through
clients.connectors.sync, as the worker would. It reports the wall time of each sync and in all,
the requests made, the peak RSS and its growth during the syncs, and (a second, traced run into a
fresh client) Python's own peak allocations — which stay flat: pages are streamed and written in
batches, never the whole history in memory. The floor beside it: importing the same rows from
the platforms' export files (clients.sources.source_import), i.e. the importer without HTTP.
Figures are recorded in docs/performance.md ("Connectors").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import multiprocessing
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SLUG = "bench-connect"
NOW = dt.datetime(2026, 11, 3, 3, 0, tzinfo=dt.UTC)
FIRST = dt.datetime(2025, 10, 1, tzinfo=dt.UTC)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", shared=True, verbosity=0)


def dataset(contacts: int, end: dt.datetime = NOW):
    """The fake accounts: ``contacts`` contacts over the 13 months before ``end``, 400 days of GA4, 400 reports."""
    from clients.connectors import fake_server

    first = end - dt.timedelta(days=398)
    platforms = fake_server.FakePlatforms()
    platforms.hubspot_tokens["pat-bench-0000-0000"] = "4242"
    platforms.hubspot_contacts = fake_server.make_contacts(contacts, first=first, last=end - dt.timedelta(hours=2))
    account, public = fake_server.service_account()
    platforms.ga4_accounts[account["client_email"]] = public
    platforms.ga4_properties.add("123456")
    platforms.ga4_rows = fake_server.make_ga4_rows((end - dt.timedelta(days=400)).date(), 400)
    platforms.mailchimp_keys["bench0000000000000000000000000000-us21"] = "Bench"
    platforms.mailchimp_reports = fake_server.make_reports(400, first=first, last=end - dt.timedelta(hours=2))
    return platforms, account


def serve(contacts: int, port_queue, account_path: str) -> None:
    setup_django()
    from clients.connectors.fake_server import fake_server_start

    platforms, account = dataset(contacts)
    Path(account_path).write_text(json.dumps(account))
    server = fake_server_start(platforms)
    port_queue.put(server.server_address[1])
    while True:
        time.sleep(3600)


def fresh_client():
    from django.db import connection
    from django_tenants.utils import schema_context

    from agency.models import Client
    from agency.services import client_create
    from clients.connectors.sync import connection_disconnect

    client = Client.objects.filter(slug=SLUG).first() or client_create(
        slug=SLUG, name="Connectors benchmark", timezone="Europe/Madrid", currency="EUR")
    for platform in ("hubspot", "ga4", "mailchimp"):
        connection_disconnect(client=client, platform=platform)
    with schema_context(client.schema_name), connection.cursor() as cursor:
        cursor.execute("TRUNCATE clients_activity, clients_lead, clients_trafficrow, clients_emailrow, clients_campaign, "
                       "clients_syncrun CASCADE")
    return client


def backfill(client, account: dict) -> dict:
    from clients.connectors.sync import connection_connect, connection_sync
    from clients.connectors.vault import Credentials

    connection_connect(client=client, platform="hubspot", account_id="4242", credentials=Credentials(
        access_token="pat-bench-0000-0000"), check=False)  # noqa: S106 (the fake platforms' token)
    connection_connect(client=client, platform="ga4", account_id="123456", credentials=Credentials(
        service_account=account), check=False)
    connection_connect(client=client, platform="mailchimp", account_id="bench", credentials=Credentials(
        api_key="bench0000000000000000000000000000-us21"), check=False)
    times, rows = {}, {}
    for platform in ("hubspot", "ga4", "mailchimp"):
        started = time.perf_counter()
        outcome = connection_sync(client=client, platform=platform, now=NOW)
        times[platform] = round(time.perf_counter() - started, 2)
        assert outcome.ok, outcome.message
        rows[platform] = outcome.rows
    return {"times": times, "rows": rows}


def export_floor(client, platforms) -> float:
    """The same rows imported from export files (the importer alone, no HTTP)."""
    from clients.connectors.hubspot import SOURCES, parse_time
    from clients.sources import source_import

    zone = ZoneInfo(client.timezone)
    OUT.mkdir(parents=True, exist_ok=True)

    def local(text, fmt):
        moment = parse_time(text)
        return moment.astimezone(zone).strftime(fmt) if moment else ""

    files = {}
    path = OUT / "connect-hubspot.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Record ID", "Create Date", "Email", "Original Source", "Became a Sales Qualified Lead Date",
                         "Became an Opportunity Date", "Became a Customer Date", "Industry", "Number of Employees",
                         "Annual Revenue"])
        for c in platforms.hubspot_contacts:
            p = c["properties"]
            writer.writerow([c["id"], local(p["createdate"], "%Y-%m-%d %H:%M"), p["email"], SOURCES[p["hs_analytics_source"]],
                             local(p.get("hs_v2_date_entered_salesqualifiedlead"), "%Y-%m-%d %H:%M"),
                             local(p.get("hs_v2_date_entered_opportunity"), "%Y-%m-%d %H:%M"),
                             local(p.get("hs_v2_date_entered_customer"), "%Y-%m-%d %H:%M"),
                             (p.get("industry") or "").replace("_", " ").title(), p["numberofemployees"], p["annualrevenue"]])
    files["hubspot_contacts"] = path
    path = OUT / "connect-ga4.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Session default channel group", "Date", "Device category", "Sessions", "Engaged sessions"])
        for day, channel, device, _page, sessions, engaged in platforms.ga4_rows:
            writer.writerow([channel, day, device, sessions, engaged])
    files["ga4_traffic"] = path
    path = OUT / "connect-mailchimp.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Title", "Send Date", "Total Recipients", "Successful Deliveries", "Unique Opens", "Unique Clicks",
                         "Unsubscribes"])
        for r in platforms.mailchimp_reports:
            writer.writerow([r["campaign_title"], local(r["send_time"], "%Y-%m-%d %H:%M:%S"), r["emails_sent"],
                             r["emails_sent"] - sum(r["bounces"].values()), r["opens"]["unique_opens"],
                             r["clicks"]["unique_subscriber_clicks"], r["unsubscribed"]])
    files["mailchimp"] = path
    started = time.perf_counter()
    for source, path in files.items():
        outcome = source_import(client=client, path=path, source=source)
        assert outcome.ok, [str(e) for e in outcome.errors[:3]]
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    account_path = OUT / "connect-ga4-account.json"
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=serve, args=(args.contacts, queue, str(account_path)),
                                                         daemon=True)
    child.start()
    port = queue.get(timeout=300)
    setup_django()
    from django.conf import settings

    url = f"http://127.0.0.1:{port}"
    settings.PORTAL_CONNECTOR_URLS = {"hubspot": url, "ga4": url, "mailchimp": url}
    settings.PORTAL_OAUTH_URLS = {"ga4": url}
    account = json.loads(account_path.read_text())
    client = fresh_client()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    first = backfill(client, account)
    total = round(time.perf_counter() - started, 2)
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    client = fresh_client()
    tracemalloc.start()
    backfill(client, account)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    client = fresh_client()
    platforms, _account = dataset(args.contacts)
    floor = export_floor(client, platforms)
    child.terminate()
    result = {"contacts": args.contacts, "ga4_rows": len(platforms.ga4_rows), "reports": len(platforms.mailchimp_reports),
              "seconds": total, **first, "floor_seconds": floor, "peak_rss_mb": round(rss_peak / 1024, 1),
              "growth_mb": round((rss_peak - rss_before) / 1024, 1), "python_peak_mb": round(traced_peak / 1e6, 2),
              "load_average": round(os.getloadavg()[0], 1)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
