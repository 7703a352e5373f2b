"""The demo client fed only from the platforms' export files: every file is recognized and imported
as an upload job (its import history), one in Spanish, one in US dollars converted at demo ECB rates."""

from __future__ import annotations

import time_machine
from django.db import connection

from clients.models import Campaign, EmailRow, Job, Lead, Spend, TrafficRow
from clients.sources.demo import FILES, demo_sources_seed, write_source_exports


def test_every_export_is_recognized_and_imported(tenant_a, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel("2026-04-15 10:00:00Z", tick=False):
        results = demo_sources_seed(client=tenant_a, months=2, seed=7, marker="DEMO-MARKER-X", leads_per_month=15,
                                    directory=tmp_path / "exports")
    assert set(results) == set(FILES)
    sources = {name: result.detection.source.slug for name, result in results.items()}
    assert sources == {"google_ads_es.csv": "google_ads", "meta_ads_usd.csv": "meta_ads", "linkedin_ads.csv": "linkedin_ads",
                       "ga4_traffic.csv": "ga4_traffic", "mailchimp.csv": "mailchimp",
                       "hubspot_contacts.csv": "hubspot_contacts"}
    assert results["google_ads_es.csv"].detection.language == "es"
    assert results["ga4_traffic.csv"].skipped_total > 0  # the smart-tv rows, left out and counted
    connection.set_tenant(tenant_a)
    assert Job.objects.filter(kind="import", status="done").count() == len(FILES)
    # March's 15 and April's first 14 days of 30 (the month in progress has had only its days so far)
    assert Lead.objects.count() == 15 + 7 and TrafficRow.objects.exists() and EmailRow.objects.exists()
    # Today's HubSpot layout: every customer has its deal amount (Recent Deal Amount, else Total Revenue).
    customers = Lead.objects.filter(customer_at__isnull=False)
    assert all(lead.deal_value and lead.deal_value > 0 for lead in customers)
    assert results["hubspot_contacts.csv"].customers_without_deal == 0 and results["ga4_traffic.csv"].unmapped == {}
    usd = Spend.objects.filter(currency="USD")
    assert usd.exists() and all(s.exchange_rate and s.rate_date and s.amount < s.original_amount for s in usd)
    assert Campaign.objects.filter(channel="paid_search", name__contains="DEMO-MARKER-X").count() == 3
    assert Campaign.objects.filter(channel="paid_social", social_network="linkedin").count() == 2


def test_the_exports_are_written_in_the_platforms_layouts(tmp_path) -> None:
    import datetime as dt

    paths = write_source_exports(tmp_path, months=1, end=dt.date(2026, 3, 31), seed=1, leads_per_month=5)
    google = paths["google_ads_es.csv"].read_text(encoding="utf-8").splitlines()
    assert google[0] == "Informe de campañas" and google[2].startswith("Día,ID de campaña,Campaña")
    assert google[-1].startswith("Total: Campañas")
    rates = paths["eurofxref-hist.csv"].read_text().splitlines()
    assert rates[0] == "Date,USD,GBP,MXN," and rates[1].startswith("2026-03-31,") and rates[1].endswith(",")
    meta_header = paths["meta_ads_usd.csv"].read_text().splitlines()[0]
    assert meta_header.endswith("Amount spent (USD),Impressions,Link clicks,Results,Result indicator")
    assert paths["hubspot_contacts.csv"].read_text().startswith('"Record ID","First Name"')


def test_the_export_fed_spanish_client_reads_spanish_names(tenant_a, settings, tmp_path) -> None:
    """Umbrella (Madrid, Spanish) had buyer personas "Finance lead", campaigns "Prospecting lookalike" and
    "CFO sponsored content", emails "Product update", leads of "health" and "manufacturing"."""
    from clients.models import CriteriaVersion, Persona

    settings.MEDIA_ROOT = tmp_path / "media"
    tenant_a.language = "es"
    tenant_a.save(update_fields=["language"])
    with time_machine.travel("2026-04-15 10:00:00Z", tick=False):
        demo_sources_seed(client=tenant_a, months=2, seed=7, leads_per_month=15, directory=tmp_path / "exports")
    connection.set_tenant(tenant_a)
    assert set(Persona.objects.values_list("name", flat=True)) == {"Responsable de finanzas", "Responsable de operaciones",
                                                                  "Fundador"}
    names = set(Campaign.objects.values_list("name", flat=True))
    assert {"Captación con públicos similares", "Contenido patrocinado para directores financieros",
            "Boletín mensual"} <= names, names
    assert not any(english in name for name in names for english in ("Prospecting", "sponsored", "newsletter", "update"))
    verticals = set(Lead.objects.values_list("vertical", flat=True))
    assert verticals <= {"saas", "fintech", "comercio", "salud", "industria"} and "salud" in verticals
    assert CriteriaVersion.objects.get().change_note == "Datos de demostración"
