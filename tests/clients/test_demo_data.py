"""The demo data generator: every kind, through the importers, seeded, with the marker."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from clients.models import Activity, Campaign, Contract, EmailRow, Lead, Spend, TrafficRow

NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def counts():
    return {model.__name__: model.objects.count() for model in (Campaign, Spend, Lead, Activity, TrafficRow, EmailRow, Contract)}


def test_demo_data_fills_every_kind_through_the_importers(tenant_a, clock, capsys):
    call_command(
        "generate_demo_data", "alpha", "--months", "14", "--leads-per-month", "60", "--seed", "3", "--marker", "ZQX-marker"
    )
    out = capsys.readouterr().out
    assert "leads:" in out and "contracts:" in out
    connection.set_tenant(tenant_a)
    first = counts()
    assert all(first.values()), first
    assert Lead.objects.filter(customer_at__isnull=False, deal_value__isnull=False).exists()
    assert Lead.objects.filter(lost_at__isnull=False).exists()
    assert Lead.objects.filter(created_at__gte=NOW).count() == 0  # nothing in the future
    assert Contract.objects.filter(renewal_of__isnull=False).exists()
    assert Contract.objects.filter(kind="project").exists()
    # The marker is in the client's data where a leak would show it.
    assert Campaign.objects.filter(name__contains="ZQX-marker").count() == Campaign.objects.count()
    assert Lead.objects.filter(challenge__contains="ZQX-marker").count() == 1
    assert Activity.objects.filter(detail__contains="ZQX-marker").count() == 1
    # Seeded: the same command again finds every row unchanged.
    connection.set_schema_to_public()
    call_command(
        "generate_demo_data", "alpha", "--months", "14", "--leads-per-month", "60", "--seed", "3", "--marker", "ZQX-marker"
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if " rows, " in line]
    assert len(lines) == 7 and all(re.search(r": \d+ rows, 0 inserted, 0 updated", line) for line in lines), lines
    connection.set_tenant(tenant_a)
    assert counts() == first


def test_the_demo_data_of_one_client_stays_there(tenant_a, tenant_b, clock):
    call_command("generate_demo_data", "beta", "--months", "2", "--leads-per-month", "10", "--marker", "BETA-ONLY")
    connection.set_tenant(tenant_a)
    assert not Campaign.objects.filter(name__contains="BETA-ONLY").exists()
    connection.set_tenant(tenant_b)
    assert Campaign.objects.filter(name__contains="BETA-ONLY").exists()


SPANISH_PERSONAS = {"Responsable de finanzas", "Responsable de operaciones", "Fundador"}


def test_a_spanish_speaking_clients_demo_is_written_in_spanish(tenant_a, tenant_b, clock):
    """Globex (Mexico, Spanish) had buyer personas "Finance lead", "Founder", campaigns "Trade show" and leads
    of "health" with interests in "reporting": its portal in Spanish showed the generator's English. The same
    draws, in Spanish words; an English-speaking client keeps its English."""
    from clients.models import CriteriaVersion, Persona

    tenant_a.language = "es-mx"
    tenant_a.save(update_fields=["language"])
    call_command("generate_demo_data", "alpha", "--months", "2", "--leads-per-month", "40")
    call_command("generate_demo_data", "beta", "--months", "2", "--leads-per-month", "40")
    connection.set_tenant(tenant_a)
    assert set(Persona.objects.values_list("name", flat=True)) == SPANISH_PERSONAS
    names = set(Campaign.objects.values_list("name", flat=True))
    assert {"Búsqueda de marca", "Boletín mensual", "Feria comercial", "Captación de leads en LinkedIn"} <= names
    assert not names & {"Brand search", "Monthly newsletter", "Trade show", "Nurture track", "Programmatic display"}
    assert list(Campaign.objects.filter(nurture=True).values_list("name", flat=True)) == ["Nutrición de leads"]
    verticals = set(Lead.objects.values_list("vertical", flat=True))
    assert "salud" in verticals and not verticals & {"health", "retail", "manufacturing", "education"}
    assert not Lead.objects.filter(challenge__in=("attribution", "budget", "churn")).exists()
    assert Lead.objects.filter(mql_at__isnull=False).exists()  # the criteria read the Spanish verticals
    assert CriteriaVersion.objects.get().change_note == "Datos de demostración"
    spanish_leads = Lead.objects.count()
    connection.set_tenant(tenant_b)
    assert set(Persona.objects.values_list("name", flat=True)) == {"Finance lead", "Operations lead", "Founder"}
    assert "Brand search" in set(Campaign.objects.values_list("name", flat=True))
    assert Lead.objects.filter(vertical="health").exists() and CriteriaVersion.objects.get().change_note == "Demo data"
    assert Lead.objects.count() == spanish_leads  # the same draws: only the words differ


def test_the_month_in_progress_has_spent_only_its_days_so_far(tmp_path) -> None:
    """Acme's December, 6 days in, read "on pace for €197,727": the demo had booked the whole month's
    spend on the 1st. The month in progress now carries the share of the month gone, the months before
    their whole spend."""
    import csv

    from clients.demo import write_demo_files

    def spend_by_month(now: dt.datetime, folder: str) -> dict[str, float]:
        files = write_demo_files(tmp_path / folder, months=2, leads_per_month=20, seed=5, marker="", end=now.date(), now=now)
        with files.path("spend").open(encoding="utf-8") as handle:
            totals: dict[str, float] = {}
            for row in csv.DictReader(handle):
                totals[row["date"][:7]] = totals.get(row["date"][:7], 0.0) + float(row["amount"])
        return totals

    whole = spend_by_month(dt.datetime(2026, 12, 31, 23, 59), "whole")
    early = spend_by_month(dt.datetime(2026, 12, 7, 0, 0), "early")
    assert early["2026-11"] == pytest.approx(whole["2026-11"], abs=0.01)  # a month over: all of it
    # 6 days of 31 (the draws differ after November's leads, so a share of the month, not exact)
    assert 0.12 < early["2026-12"] / early["2026-11"] < 0.28
    assert 0.8 < whole["2026-12"] / whole["2026-11"] < 1.3
