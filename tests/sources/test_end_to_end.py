"""A client fed only by platform exports gets snapshots whose figures equal hand-computed ones.

Client A (EUR, Europe/Madrid): a Google Ads export from the Spanish interface (UTF-16, tabs),
a Meta export in USD converted at the ECB's rates, a GA4 export, a Mailchimp export and a
HubSpot contacts export, all through the ``import_rates`` and ``import_source`` commands.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from decimal import Decimal

from django.core.management import call_command

from kpis.services import snapshot_compute

D = Decimal


def close(actual: float | None, expected: float) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=1e-9)


def test_snapshot_of_a_client_fed_only_by_exports(tenant_a, fixture_path):
    call_command("import_rates", str(fixture_path("eurofxref-hist.csv")), stdout=io.StringIO())
    for name in ("google_ads_es_utf16.csv", "meta_ads_en.csv", "ga4_traffic.csv", "mailchimp.csv",
                 "hubspot_contacts.csv"):
        call_command("import_source", "alpha", str(fixture_path(name)), stdout=io.StringIO())
    [snapshot] = snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    kpis = snapshot.document["kpis"]

    # Spend: Google Ads 8651,95 + 1.000,05 + 49,50 EUR; Meta 100 USD on Sunday 1 March at Friday
    # 27 February's 1.07, then 150 + 50 USD on 2 March at 1.09.
    google = 8651.95 + 1000.05 + 49.50
    meta = float(D(100) / D("1.07") + D(200) / D("1.09"))
    assert close(kpis["media_spend"], google + meta)
    assert close(kpis["marketing_spend"], google + meta)

    # Traffic: GA4 without the smart-tv row; Unassigned + Cross-network summed as "other".
    sessions = 1200 + 600 + 400 + 30 + 20 + 50
    bounced = (1200 - 800) + (600 - 300) + (400 - 250) + (30 - 10) + (20 - 5) + (50 - 20)
    assert kpis["sessions"] == sessions
    assert close(kpis["bounce_rate"], bounced / sessions)
    assert close(kpis["mobile_bounce_rate"], 300 / 600)

    # Email: the two Mailchimp campaigns.
    assert (kpis["emails_sent"], kpis["emails_delivered"]) == (1500, 1470)
    assert close(kpis["deliverability_rate"], 1470 / 1500)
    assert close(kpis["open_rate"], 600 / 1470)
    assert close(kpis["click_through_rate"], 80 / 1470)
    assert close(kpis["email_unsubscribe_rate"], 3 / 1470)

    # Funnel: five HubSpot contacts created in March; two SQLs, one opportunity, one customer.
    assert (kpis["new_leads"], kpis["sqls"], kpis["opportunities"], kpis["customers"]) == (5, 2, 1, 1)
    assert close(kpis["cpl"], (google + meta) / 5)
    assert close(kpis["sql_to_customer_rate"], 1 / 2)
    assert close(kpis["traffic_to_lead"], 5 / sessions)

    # Re-importing every export changes no figure.
    for name in ("google_ads_es_utf16.csv", "meta_ads_en.csv", "ga4_traffic.csv", "mailchimp.csv",
                 "hubspot_contacts.csv"):
        call_command("import_source", "alpha", str(fixture_path(name)), stdout=io.StringIO())
    [again] = snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    assert again.document["kpis"] == kpis


def test_todays_layouts_give_the_hand_computed_figures(tenant_a, fixture_path):
    """The six exports as the platforms ship them in 2026: Google Ads with Impr./Clicks/Conversions, Meta in USD,
    LinkedIn, GA4 with the primary channel group from the Spanish interface, Mailchimp, and HubSpot with
    Original Traffic Source and deal amounts."""
    call_command("import_rates", str(fixture_path("eurofxref-hist.csv")), stdout=io.StringIO())
    names = ("google_ads_en.csv", "meta_ads_en.csv", "linkedin_ads.csv", "ga4_traffic_primary_es.csv", "mailchimp.csv",
             "hubspot_contacts_2026.csv")
    for name in names:
        call_command("import_source", "alpha", str(fixture_path(name)), stdout=io.StringIO())
    [snapshot] = snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    kpis = snapshot.document["kpis"]

    google = 1234.50 + 100.00 + 200.25 + 10.00 + 0.00
    meta = float(D(100) / D("1.07") + D(200) / D("1.09"))
    linkedin = 75.10 + 1024.90
    assert close(kpis["media_spend"], google + meta + linkedin)

    # GA4 in Spanish: the same figures as the English export (smart tv left out; Sin asignar + Entre redes → other).
    sessions = 1200 + 600 + 400 + 30 + 20 + 50
    bounced = (1200 - 800) + (600 - 300) + (400 - 250) + (30 - 10) + (20 - 5) + (50 - 20)
    assert kpis["sessions"] == sessions
    assert close(kpis["bounce_rate"], bounced / sessions)

    # HubSpot: six contacts; customers 1002 (Recent Deal Amount 18,000.50), 1003 (only Total Revenue 9,500) and
    # 1004 (neither: revenue 0 for it); 1001's deal amount is an open deal, not revenue.
    assert (kpis["new_leads"], kpis["sqls"], kpis["opportunities"], kpis["customers"]) == (6, 2, 1, 3)
    assert close(kpis["revenue"], 18000.50 + 9500)
    assert close(kpis["cpl"], (google + meta + linkedin) / 6)

    for name in names:  # again: nothing counted twice
        call_command("import_source", "alpha", str(fixture_path(name)), stdout=io.StringIO())
    [again] = snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    assert again.document["kpis"] == kpis


def test_a_ga4_export_without_device_leaves_the_device_kpis_empty(tenant_a, fixture_path):
    """GA4's primary channel group without Device category: sessions and bounce rate as the file says,
    mobile share and mobile bounce rate null (formats.md: device not given), never 0."""
    call_command("import_source", "alpha", str(fixture_path("ga4_traffic_primary.csv")), stdout=io.StringIO())
    [snapshot] = snapshot_compute(client=tenant_a, months=[dt.date(2026, 3, 1)])
    kpis = snapshot.document["kpis"]
    assert kpis["sessions"] == 1800 + 400 + 30 + 20 + 50 + 12
    assert close(kpis["bounce_rate"], (700 + 150 + 20 + 15 + 30 + 6) / 2312)
    assert kpis["mobile_share"] is None and kpis["mobile_bounce_rate"] is None
