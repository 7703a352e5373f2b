"""Staff screens for personas and contracts: add, edit, cancel early, renew; errors on the fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.criteria.services import personas_set
from clients.models import Contract, Lead, Persona
from tests.conftest import host_of, signed_in


def staff_http(user) -> HttpClient:
    return signed_in(user)  # each request names its host


def test_staff_add_and_edit_a_persona_and_leads_take_it(staff_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), employees=900)
    http, host = staff_http(staff_a), host_of(tenant_a)
    bad = http.post(
        "/personas/new/", {"code": "ops", "name": "Ops", "match": '{"field": "shoe", "op": "eq", "value": 1}'}, HTTP_HOST=host
    )
    assert bad.status_code == 422 and "unknown field" in bad.content.decode()
    ok = http.post(
        "/personas/new/",
        {"code": "ops", "name": "Ops", "match": '{"field": "employees", "op": "gte", "value": 500}'},
        HTTP_HOST=host,
    )
    assert ok.status_code == 302
    with schema_context("alpha"):
        assert Lead.objects.get(id="big").persona == "ops"
    http.post(
        "/personas/ops/",
        {"code": "ops", "name": "Operations", "match": '{"field": "employees", "op": "gte", "value": 1000}'},
        HTTP_HOST=host,
    )
    with schema_context("alpha"):
        assert Persona.objects.get(code="ops").name == "Operations"
        assert Lead.objects.get(id="big").persona == ""


def test_contract_rules_are_field_errors(staff_a, tenant_a) -> None:
    response = staff_http(staff_a).post(
        "/contracts/new/",
        {"id": "c1", "account": "acme", "kind": "retainer", "start_date": "2026-01-31"},
        HTTP_HOST=host_of(tenant_a),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "A retainer needs a term of at least one month." in body and "A retainer needs a monthly fee." in body
    with schema_context("alpha"):
        assert not Contract.objects.exists()


def test_cancel_early_and_renew(staff_a, tenant_a) -> None:
    http, host = staff_http(staff_a), host_of(tenant_a)
    created = http.post(
        "/contracts/new/",
        {
            "id": "c1",
            "account": "acme",
            "kind": "retainer",
            "start_date": "2026-01-31",
            "term_months": "6",
            "monthly_fee": "2500",
            "segment": "smb",
        },
        HTTP_HOST=host,
    )
    assert created.status_code == 302
    renew_page = http.get("/contracts/c1/renew/", HTTP_HOST=host).content.decode()
    assert 'value="2026-07-31"' in renew_page  # the term end, same day clamped: Jan 31 + 6 months
    renewed = http.post(
        "/contracts/c1/renew/",
        {
            "id": "c2",
            "account": "acme",
            "kind": "retainer",
            "start_date": "2026-07-31",
            "term_months": "12",
            "monthly_fee": "3000",
            "renewal_of": "c1",
        },
        HTTP_HOST=host,
    )
    assert renewed.status_code == 302
    too_early = http.post("/contracts/c2/cancel/", {"cancelled_on": "2026-07-01"}, HTTP_HOST=host)
    assert too_early.status_code == 422
    assert http.post("/contracts/c2/cancel/", {"cancelled_on": "2026-10-15"}, HTTP_HOST=host).status_code == 302
    with schema_context("alpha"):
        c2 = Contract.objects.get(id="c2")
    assert (c2.renewal_of_id, c2.cancelled_on, c2.monthly_fee) == ("c1", dt.date(2026, 10, 15), Decimal("3000.00"))
    listing = http.get("/contracts/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<td>Pymes (smb)</td>" in listing and "<td>Sin segmento</td>" in listing  # c2 names none, not a bare "—"


def test_client_users_cannot_reach_the_screens(client_user_a, tenant_a) -> None:
    http = staff_http(client_user_a)
    for path in ("/personas/", "/contracts/", "/contracts/new/", "/personas/new/"):
        assert http.get(path, HTTP_HOST=host_of(tenant_a)).status_code == 404


def test_the_personas_page_says_what_a_persona_is_for_and_that_leads_files_need_it_first(staff_a, tenant_a) -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    page = http.get("/personas/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Aún no hay perfiles de comprador." in page
    assert "el informe desglosa los leads por perfil de comprador" in page
    assert "se rechaza: añade antes el perfil de comprador" in page


def test_staff_reorder_personas_and_the_first_match_decides_a_leads_persona(staff_a, tenant_a) -> None:
    """kpis.md: a lead takes the first persona, in priority order, whose match it meets."""
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), employees=5000)
    personas_set(client=tenant_a, personas=[  # judged again now the lead is there
        {"code": "any-size", "name": "Any company", "match": {"field": "employees", "op": "gte", "value": 1}},
        {"code": "enterprise", "name": "Enterprise", "match": {"field": "employees", "op": "gte", "value": 1000}},
    ])
    with schema_context("alpha"):
        assert Lead.objects.get(id="big").persona == "any-size"
    http, host = staff_http(staff_a), host_of(tenant_a)
    page = http.get("/personas/", HTTP_HOST=host).content.decode()
    assert 'aria-label="Move Enterprise up"' in page and 'aria-label="Move Any company up"' in page
    assert page.index('aria-label="Move Any company up"') < page.index('aria-label="Move Enterprise up"')

    moved = http.post("/personas/move/enterprise/", {"direction": "up"}, HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="es")
    assert moved.status_code == 302 and moved["Location"].endswith("/personas/#persona-enterprise")
    with schema_context("alpha"):
        assert list(Persona.objects.order_by("priority").values_list("code", flat=True)) == ["enterprise", "any-size"]
        assert Lead.objects.get(id="big").persona == "enterprise"  # judged again: the first match now wins
    page = http.get("/personas/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert page.index('aria-label="Subir Enterprise"') < page.index('aria-label="Subir Any company"')
    assert "«Enterprise» se movió hacia arriba" in page
    # Already first: nothing moves; an unknown direction is refused.
    assert http.post("/personas/move/enterprise/", {"direction": "up"}, HTTP_HOST=host).status_code == 302
    assert http.post("/personas/move/enterprise/", {"direction": "sideways"}, HTTP_HOST=host).status_code == 400
    with schema_context("alpha"):
        assert list(Persona.objects.order_by("priority").values_list("code", flat=True)) == ["enterprise", "any-size"]


def test_the_contract_form_speaks_spanish_and_says_what_each_kind_needs(staff_a, tenant_a) -> None:
    page = staff_http(staff_a).get("/contracts/new/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    for label in ("Cuenta", "Tipo", "Fecha de inicio", "Segmento", "Plazo (meses)", "Cuota mensual",
                  "Importe del proyecto", "Fecha de fin", "Cancelado el"):
        assert f">{label}</label>" in page, label
    for english in ("Account", "Kind", "Start date", "Term months", "Monthly fee", "Cancelled on"):
        assert f">{english}</label>" not in page, english
    assert "Una iguala necesita un plazo y una cuota mensual; un proyecto, un importe y una fecha de fin." in page
