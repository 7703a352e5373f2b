"""A demo client fed only from the platforms' own export files, written here in their layouts.

:func:`write_source_exports` writes, for a window of months, one export per built-in source as
the platform lays it out (layouts as docs/sources.md and the sources' declarations give them):

- ``google_ads_es.csv``: Google Ads campaign report **in Spanish** (title and date-range lines,
  ``Día``/``Campaña``/``Coste``, decimal comma, quoted numbers, ``Total: Cuenta`` rows);
- ``meta_ads_usd.csv``: Meta Ads Manager export **in US dollars** (``Amount spent (USD)``, the
  account-total row with an empty campaign name first), converted with the rates below;
- ``linkedin_ads.csv``: LinkedIn Campaign Manager report (preamble, blank line, ``M/D/YYYY``);
- ``ga4_traffic.csv``: GA4 traffic acquisition (``#`` preamble, ``YYYYMMDD``, a smart-tv row
  that is left out, a ``Grand total`` row);
- ``mailchimp.csv``: Mailchimp campaigns report (``Jun 09, 2026 09:30 pm``, rates as ``27.78%``);
- ``hubspot_contacts.csv``: HubSpot contacts export (every field quoted);
- ``eurofxref-hist.csv``: reference rates in the ECB's format (newest first, a trailing comma).

:func:`demo_sources_seed` loads the rates and imports every file through the import jobs of the
upload screen, so the client's import history shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from agency.months import Month
from clients.criteria.services import criteria_version_create, personas_set
from clients.demo import demo_personas, demo_word, month_list
from clients.imports.services import import_job_create_from_path, import_job_run
from clients.models import CriteriaVersion
from clients.sources.currencies import rates_import
from clients.storage import imports_dir

FILES = ("google_ads_es.csv", "meta_ads_usd.csv", "linkedin_ads.csv", "ga4_traffic.csv", "mailchimp.csv",
         "hubspot_contacts.csv")
# The demo's export-fed client is Spanish (Umbrella Outdoor, Madrid): its campaigns and emails are named in
# Spanish as its team would name them; the platforms' own words (columns, channels, stages) stay theirs.
GOOGLE_CAMPAIGNS = (("2101", "Búsqueda marca"), ("2102", "Búsqueda genérica"), ("2103", "Remarketing display"))
META_CAMPAIGNS = (("120210", "Captación con públicos similares"), ("120211", "Retargeting en carrusel"))
LINKEDIN_CAMPAIGNS = (("5501", "Contenido patrocinado para directores financieros"), ("5502", "Formulario de leads de TI"))
MAILCHIMP_TITLES = ("Boletín mensual", "Novedades del producto", "Invitación al webinar")
GA4_CHANNELS = (("Organic Search", 0.34), ("Paid Search", 0.18), ("Direct", 0.16), ("Organic Social", 0.08),
                ("Paid Social", 0.09), ("Email", 0.07), ("Referral", 0.05), ("Unassigned", 0.03))
HUBSPOT_SOURCES = (("Organic Search", 0.3), ("Paid Search", 0.22), ("Paid Social", 0.16), ("Email Marketing", 0.1),
                   ("Direct Traffic", 0.1), ("Referrals", 0.07), ("Offline Sources", 0.05))
INDUSTRIES = ("SaaS", "Fintech", "Comercio", "Salud", "Industria")  # a Spanish HubSpot account's industries
TARGET_INDUSTRIES = ("SaaS", "Fintech", "Salud")
# The qualification criteria of a client fed by export files: a contacts export carries no website
# activity, so a lead is scored on what HubSpot knows of its company, as such agencies do (an
# activity-scored criteria like clients.demo.CRITERIA would score none of these leads: no MQL in
# any month while SQLs and customers come in, which the checks rightly flag as
# tracking.mql_stage_skipped). A lead of a target industry with 150 employees or more is an MQL.
EXPORT_CRITERIA = {
    "fit": {"all": [{"field": "employees", "op": "between", "value": [20, 5000]}]},
    "threshold": 40,
    "points": [
        {"field": "vertical", "op": "in", "value": [name.lower() for name in TARGET_INDUSTRIES], "points": 25},
        {"field": "employees", "op": "gte", "value": 150, "points": 15},
        {"field": "company_revenue", "op": "gte", "value": 5_000_000, "points": 10},
    ],
}
USD_PER_EUR = 1.08


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _es(value: float) -> str:
    """A number as a Spanish Google Ads export writes it: 1.234,56."""
    return f"{value:,.2f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def write_source_exports(directory: Path, *, months: int, end: dt.date, seed: int, marker: str = "",
                         leads_per_month: int = 80) -> dict[str, Path]:
    """Write every source's export for the ``months`` months ending with ``end`` (inclusive); returns the paths."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    start = month_list(end, months)[0]
    days = _days(start, end)
    paths = {name: directory / name for name in (*FILES, "eurofxref-hist.csv")}
    suffix = f" {marker}" if marker else ""

    # Google Ads, Spanish: title, date range, header, rows, totals.
    with paths["google_ads_es.csv"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Informe de campañas"])
        out.writerow([f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"])
        out.writerow(["Día", "ID de campaña", "Campaña", "Código de moneda", "Coste", "Impr.", "Clics", "Conversiones",
                      "Valor de conv."])
        total = 0.0
        for day in days:
            for code, name in GOOGLE_CAMPAIGNS:
                cost = round(rng.uniform(20, 140) * (1.25 if day.weekday() < 5 else 0.7), 2)
                total += cost
                impressions = int(cost * rng.uniform(30, 60))
                clicks = int(impressions * 0.04)
                conversions = round(clicks * 0.06, 2)  # Google splits credit: fractional conversions
                out.writerow([day.isoformat(), code, f"{name}{suffix}", "EUR", _es(cost),
                              f"{impressions:,}".replace(",", "."), str(clicks), _es(conversions), _es(conversions * 95)])
        out.writerow(["Total: Cuenta", "", "", "EUR", _es(total), "", "", "", ""])
        out.writerow(["Total: Campañas", "", "", "EUR", _es(total), "", "", "", ""])

    # Meta Ads Manager, in US dollars; the account total first, with an empty campaign name.
    meta_rows, meta_total = [], 0.0
    for day in days:
        for code, name in META_CAMPAIGNS:
            spent = round(rng.uniform(15, 90), 2)
            meta_total += spent
            meta_rows.append([start.isoformat(), end.isoformat(), code, f"{name}{suffix}", day.isoformat(), f"{spent:.2f}",
                              str(int(spent * 80)), str(int(spent * 1.5)), str(int(spent * 0.12)), "actions:lead"])
    with paths["meta_ads_usd.csv"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Reporting starts", "Reporting ends", "Campaign ID", "Campaign name", "Day", "Amount spent (USD)",
                      "Impressions", "Link clicks", "Results", "Result indicator"])
        out.writerow([start.isoformat(), end.isoformat(), "", "", "", f"{meta_total:.2f}", "", "", "", ""])
        out.writerows(meta_rows)

    # LinkedIn Campaign Manager: preamble, a blank line, the header; M/D/YYYY.
    with paths["linkedin_ads.csv"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Campaign Performance Report (in UTC)"])
        out.writerow([f"Report Start: {start:%m/%d/%Y}, Report End: {end:%m/%d/%Y}"])
        out.writerow([])
        out.writerow(["Start Date (in UTC)", "Account Name", "Campaign Group Name", "Campaign Name", "Campaign ID",
                      "Currency", "Total Spent", "Impressions", "Clicks", "Leads"])
        for day in days:
            for code, name in LINKEDIN_CAMPAIGNS:
                spent = round(rng.uniform(25, 110), 2)
                out.writerow([f"{day.month}/{day.day}/{day.year}", "Umbrella Outdoor", "Siempre activas", f"{name}{suffix}", code,
                              "EUR", f"{spent:.2f}", str(int(spent * 40)), str(int(spent * 0.6)), str(int(spent * 0.03))])

    # GA4 traffic acquisition: '#' preamble, Date and Device category, a Grand total row.
    with paths["ga4_traffic.csv"].open("w", newline="", encoding="utf-8") as handle:
        handle.write("# ----------------------------------------\n"
                     "# Traffic acquisition: Session primary channel group (Default channel group)\n"
                     f"# Start date: {start:%Y%m%d}\n# End date: {end:%Y%m%d}\n# ----------------------------------------\n\n")
        out = csv.writer(handle)
        out.writerow(["Date", "Session primary channel group (Default channel group)", "Device category", "Sessions",
                      "Engaged sessions", "Engagement rate"])
        grand = engaged_total = 0
        for day in days:
            base = 520 * (1.2 if day.weekday() < 5 else 0.75) * (1 + 0.1 * math.sin(day.toordinal() / 9))
            for channel, share in GA4_CHANNELS:
                for device, device_share in (("desktop", 0.6), ("mobile", 0.34), ("tablet", 0.06)):
                    sessions = max(1, int(base * share * device_share * rng.uniform(0.8, 1.2)))
                    engaged = int(sessions * rng.uniform(0.45, 0.75))
                    grand, engaged_total = grand + sessions, engaged_total + engaged
                    out.writerow([f"{day:%Y%m%d}", channel, device, str(sessions), str(engaged), f"{engaged / sessions:.4f}"])
            out.writerow([f"{day:%Y%m%d}", "Direct", "smart tv", "2", "1", "0.5000"])  # left out, counted
        out.writerow(["Grand total", "", "", str(grand), str(engaged_total), f"{engaged_total / grand:.4f}"])

    # Mailchimp campaigns report: one send a week, alternating titles.
    with paths["mailchimp.csv"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Title", "Subject", "List", "Send Date", "Send Weekday", "Total Recipients", "Successful Deliveries",
                      "Soft Bounces", "Hard Bounces", "Unique Opens", "Open Rate", "Unique Clicks", "Click Rate",
                      "Unsubscribes"])
        for index, day in enumerate(d for d in days if d.weekday() == 1):
            title = f"{MAILCHIMP_TITLES[index % len(MAILCHIMP_TITLES)]}{suffix}"
            recipients = 4000 + index * 25
            delivered = recipients - rng.randint(20, 80)
            opens = int(delivered * rng.uniform(0.25, 0.4))
            clicks = int(opens * rng.uniform(0.1, 0.2))
            out.writerow([title, f"{title} #{index + 1}", "Clientes y prospectos",
                          f"{day:%b %d, %Y} 09:30 am", day.strftime("%A"), str(recipients), str(delivered),
                          "12", "8", str(opens), f"{opens / delivered:.2%}", str(clicks), f"{clicks / delivered:.2%}",
                          str(rng.randint(2, 15))])

    # HubSpot contacts export: every field quoted; dates YYYY-MM-DD HH:MM in the account's zone.
    with paths["hubspot_contacts.csv"].open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL)
        # Today's layout: Original Traffic Source (the renamed Original Source), the deal amounts.
        out.writerow(["Record ID", "First Name", "Last Name", "Email", "Create Date", "Lifecycle Stage",
                      "Original Traffic Source", "Became a Sales Qualified Lead Date", "Became an Opportunity Date",
                      "Became a Customer Date", "Industry", "Number of Employees", "Annual Revenue",
                      "Recent Deal Amount", "Total Revenue"])
        record = 90_000
        for first in month_list(end, months):
            month_end = Month.of(first).last_day
            last_day = min(end, month_end)
            # The month in progress has had only its days so far: 80 leads a month, 6 days into
            # December, are about 15, not 80 (the month-to-date pace would read five times the rate).
            count = leads_per_month if last_day == month_end else round(leads_per_month * last_day.day / month_end.day)
            for _n in range(count):
                record += 1
                created = dt.datetime.combine(first + dt.timedelta(days=rng.randint(0, (last_day - first).days)),
                                              dt.time(rng.randint(8, 19), rng.randint(0, 59)))
                employees = rng.choice((8, 25, 60, 150, 400, 1200))
                industry = rng.choice(INDUSTRIES)
                # Sales takes up mostly the leads marketing qualified (EXPORT_CRITERIA), a few others.
                qualified = industry in TARGET_INDUSTRIES and employees >= 150
                sql = opportunity = customer = ""
                stage = "lead"
                if rng.random() < (0.35 if qualified else 0.03):
                    sql_at = created + dt.timedelta(days=rng.randint(1, 6), hours=2)
                    sql, stage = f"{sql_at:%Y-%m-%d %H:%M}", "salesqualifiedlead"
                    if rng.random() < 0.45:
                        opp_at = sql_at + dt.timedelta(days=rng.randint(2, 10))
                        opportunity, stage = f"{opp_at:%Y-%m-%d %H:%M}", "opportunity"
                        if rng.random() < 0.4:
                            customer, stage = f"{opp_at + dt.timedelta(days=rng.randint(5, 20)):%Y-%m-%d %H:%M}", "customer"
                deal = f"{rng.randint(8, 60) * 500:,}" if customer else ""
                recent, total = (deal, "") if rng.random() < 0.8 else ("", deal)  # some only have Total Revenue
                out.writerow([str(record), "Alex", f"Demo{record}", f"lead{record}@umbrella-prospects.example",
                              f"{created:%Y-%m-%d %H:%M}", stage, _pick(rng, HUBSPOT_SOURCES), sql, opportunity,
                              customer, industry, str(employees), str(employees * 90_000), recent, total])

    # ECB reference rates: Date, then units per 1 EUR per currency, newest first, a trailing comma.
    with paths["eurofxref-hist.csv"].open("w", newline="", encoding="utf-8") as handle:
        handle.write("Date,USD,GBP,MXN,\n")
        for day in reversed(_days(start - dt.timedelta(days=10), end)):
            if day.weekday() >= 5:
                continue  # the ECB publishes on working days; weekends use Friday's (the 7-day rule)
            wobble = 0.02 * math.sin(day.toordinal() / 20)
            handle.write(f"{day.isoformat()},{USD_PER_EUR + wobble:.4f},{0.85 + wobble / 4:.4f},{19.6 + wobble * 10:.4f},\n")
    return paths


def demo_sources_seed(*, client: Any, months: int, seed: int, marker: str = "", leads_per_month: int = 80,
                      directory: Path | None = None) -> dict[str, Any]:
    """Load the demo rates, the criteria and personas, and import every export as an upload would."""
    import tempfile


    zone = ZoneInfo(client.timezone)
    end = timezone.now().astimezone(zone).date() - dt.timedelta(days=1)
    temporary = None
    if directory is None:
        temporary = tempfile.TemporaryDirectory(prefix=f"demo-sources-{client.schema_name}-")
        directory = Path(temporary.name)
    try:
        paths = write_source_exports(directory, months=months, end=end, seed=seed, marker=marker,
                                     leads_per_month=leads_per_month)
        rates_import(path=paths["eurofxref-hist.csv"])
        language = client.language or ""
        personas_set(personas=demo_personas(language), client=client)
        criteria_version_create(criteria=EXPORT_CRITERIA, effective_from=month_list(end, months)[0],
                                change_note=demo_word("Demo data", language),
                                client=client, saved_via=CriteriaVersion.SavedVia.DEMO)
        results = {}
        for name in FILES:
            target = imports_dir(client=client) / f"incoming-{name}"
            target.write_bytes(paths[name].read_bytes())
            job = import_job_create_from_path(client=client, path=target, filename=name)
            result = import_job_run(client=client, job_id=job.pk)
            if result is None or not result.ok:
                errors = "; ".join(map(str, (result.errors if result else [])[:5]))
                raise ValueError(f"{name}: the demo export was refused: {errors}")
            results[name] = result
        return results
    finally:
        if temporary is not None:
            temporary.cleanup()
