"""A persona breakdown names each persona as the client named it ("Finance lead"), never by its
import code ("cfo"): the drill-down page, its CSV and the PDF's drill-downs."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.models import Lead, Persona
from kpis.breakdowns_shown import drilldown_tables
from kpis.models import Snapshot
from kpis.selectors_scorecard import persona_names
from kpis.services import snapshot_compute
from tests.conftest import host_of

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def personas(in_tenant_a):
    Persona.objects.bulk_create([Persona(code="cfo", name="Finance lead"), Persona(code="ops", name="Operations lead")])
    at = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create(
        [Lead(id=f"c{i}", created_at=at, persona="cfo") for i in range(3)] + [Lead(id="o1", created_at=at, persona="ops")]
    )
    snapshot_compute(client=in_tenant_a, months=[MARCH])
    yield in_tenant_a
    connection.set_schema_to_public()


def test_the_persona_drilldown_page_and_csv_name_the_personas(client_user_a, personas) -> None:
    connection.set_schema_to_public()
    http = HttpClient()
    http.force_login(client_user_a)
    host = host_of(personas)
    html = unescape(http.get("/scorecard/breakdowns/persona/?month=2026-03", HTTP_HOST=host).content.decode())
    assert '<th scope="row">Finance lead</th>' in html and '<th scope="row">Operations lead</th>' in html
    assert '<th scope="row">cfo</th>' not in html
    csv = http.get("/scorecard/breakdowns/persona/export.csv?month=2026-03", HTTP_HOST=host).content.decode()
    assert "Finance lead" in csv and "\ncfo," not in csv


def test_the_pdf_drilldowns_name_the_personas(personas) -> None:
    snapshot = Snapshot.objects.get(month=MARCH)
    tables = {t["dimension"]: t for t in drilldown_tables(snapshot, currency="EUR", names={}, persona_names=persona_names())}
    assert {row["member"] for row in tables["persona"]["rows"]} == {"Finance lead", "Operations lead"}
