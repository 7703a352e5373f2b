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
