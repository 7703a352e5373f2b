"""Provisioning a client: the service, the console form and the create_client command."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client as HttpClient
from django_tenants.utils import schema_exists

from agency import dns as portal_dns
from agency.models import Client, Domain, Membership
from agency.services import client_create
from agency.services_domains import domain_claim_verify


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    ("fields", "field_at_fault"),
    [
        ({"slug": "Bad Slug!"}, "slug"),
        ({"slug": "ab"}, "slug"),
        ({"slug": "public"}, "slug"),
        ({"slug": "alpha"}, "slug"),  # taken
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"currency": "euro"}, "currency"),
        ({"gross_margin": "1.5"}, "gross_margin"),
        ({"horizon_months": "0"}, "horizon_months"),
        ({"domain": "not a host"}, "domain"),
        ({"domain": "alpha.localhost"}, "domain"),  # under the portal's own host
    ],
)
def test_a_bad_client_gets_a_field_error_and_creates_nothing(tenants, fields, field_at_fault) -> None:
    before = (Client.objects.count(), Domain.objects.count(), _schemas())
    values = {"slug": "newco", "name": "New Co", **fields}
    with pytest.raises(ValidationError) as error:
        client_create(**values)
    assert field_at_fault in error.value.message_dict
    assert (Client.objects.count(), Domain.objects.count(), _schemas()) == before


def test_a_taken_custom_domain_is_refused(tenants) -> None:
    Domain.objects.create(domain="reports.alpha.example", tenant=tenants["alpha"], is_primary=False)
    with pytest.raises(ValidationError) as error:
        client_create(slug="newco", name="New Co", domain="reports.alpha.example")
    assert "domain" in error.value.message_dict
    assert not Client.objects.filter(slug="newco").exists()


@pytest.mark.django_db(transaction=True)
def test_create_client_command_provisions_schema_and_domains(tenants, clean_tenant_tables, monkeypatch) -> None:
    call_command(
        "create_client",
        "gamma-co",
        name="Gamma Co",
        timezone="Europe/Madrid",
        currency="EUR",
        gross_margin="0.65",
        horizon_months="48",
        domain="portal.gamma.example",
    )
    try:
        client = Client.objects.get(slug="gamma-co")
        assert client.schema_name == "gamma_co" and client.is_ready
        assert schema_exists("gamma_co")
        # The white-label domain is claimed, not routed, until its DNS TXT record is verified.
        assert set(client.domains.values_list("domain", flat=True)) == {"gamma-co.localhost"}
        claim = client.domain_claims.get()
        assert claim.domain == "portal.gamma.example" and claim.verified_at is None
        assert HttpClient().get("/accounts/login/", HTTP_HOST="portal.gamma.example").status_code == 404
        monkeypatch.setattr(portal_dns, "txt_records", lambda name: [claim.txt_value] if name == claim.txt_name else [])
        assert domain_claim_verify(claim=claim)
        assert HttpClient().get("/accounts/login/", HTTP_HOST="portal.gamma.example").status_code == 200
    finally:
        Client.objects.get(slug="gamma-co").delete(force_drop=True)


def test_create_client_command_reports_field_errors(tenants) -> None:
    with pytest.raises(CommandError, match="slug: A client with slug “alpha” already exists"):
        call_command("create_client", "alpha", name="Duplicate")


def test_console_form_shows_field_errors(tenants, staff_a) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    response = http.post(
        "/clients/new/",
        {"name": "X", "slug": "alpha", "timezone": "UTC", "currency": "USD", "gross_margin": "0.7", "horizon_months": "60"},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize(("language", "help_text", "error"), [
    ("en", "0.65 is a 65 % margin", "Type the margin as a fraction between 0 and 1: 0.55 for 55 %."),
    ("es", "0,65 es un margen del 65 %", "Escribe el margen como una fracción entre 0 y 1: 0,55 para un 55 %."),
])
def test_the_gross_margin_says_it_is_a_fraction_and_a_percentage_typed_is_told_so(tenants, staff_a, language, help_text, error):
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    assert help_text in http.get("/clients/new/", HTTP_HOST="localhost").content.decode()
    response = http.post(
        "/clients/new/",
        {"name": "X", "slug": "x-co", "timezone": "UTC", "currency": "MXN", "gross_margin": "55", "horizon_months": "60"},
        HTTP_HOST="localhost",
    )
    assert response.status_code == 422
    assert error in response.content.decode()


@pytest.mark.parametrize(("language", "typed", "shown"), [
    ("es", "0,65", "0,7"), ("es", "0.65", "0,7"), ("en", "0.65", "0.7"),
])
def test_the_gross_margin_is_typed_and_shown_in_the_pages_number_format(tenants, staff_a, language, typed, shown):
    """The walk of a new Spanish client: the hint said "0.65" on a Spanish page and "0,65", as a
    Spanish speaker types it, was refused ("Introduzca un número"). Both are read on a Spanish page."""
    from django.utils import translation

    from agency.forms import ClientForm

    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    page = http.get("/clients/new/", HTTP_HOST="localhost").content.decode()
    assert f'name="gross_margin" value="{shown}"' in page and 'inputmode="decimal"' in page
    with translation.override(language):
        form = ClientForm({"name": "X", "slug": "x-co", "timezone": "UTC", "currency": "MXN", "gross_margin": typed,
                           "horizon_months": "60"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["gross_margin"] == Decimal("0.65")


@pytest.mark.django_db(transaction=True)
def test_staff_who_adds_a_client_is_assigned_to_it(tenants, staff_a, clean_tenant_tables) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    response = http.post(
        "/clients/new/",
        {"name": "Delta", "slug": "delta", "timezone": "UTC", "currency": "USD", "gross_margin": "0.7", "horizon_months": "60"},
        HTTP_HOST="localhost",
    )
    try:
        assert response.status_code == 302
        assert Membership.objects.filter(user=staff_a, client__slug="delta").exists()
    finally:
        Client.objects.get(slug="delta").delete(force_drop=True)


@pytest.mark.django_db(transaction=True)
def test_an_admin_adding_a_client_names_its_account_manager(tenants, admin_user, staff_a, clean_tenant_tables) -> None:
    """The walk's new client, added by an admin, had nobody assigned: its home page said "No agency
    staff assigned yet" and it was in nobody's "Only my clients". The form offers the staff (by
    name), preselects the staff member who adds it, and assigns the one chosen."""
    from tests.factories import UserFactory

    UserFactory(username="nadia", first_name="Nadia", last_name="Pérez")
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    form = http.get("/clients/new/", HTTP_HOST="localhost").content.decode()
    assert "Responsable de la cuenta (opcional)" in form and '<option value="" selected>Nadie por ahora</option>' in form
    assert ">Nadia Pérez</option>" in form
    nadia = admin_user.__class__.objects.get(username="nadia")
    response = http.post(
        "/clients/new/",
        {"name": "Delta", "slug": "delta", "timezone": "UTC", "currency": "USD", "gross_margin": "0.7",
         "horizon_months": "60", "manager": str(nadia.pk)},
        HTTP_HOST="localhost",
    )
    try:
        assert response.status_code == 302
        assert list(Membership.objects.filter(client__slug="delta").values_list("user__username", flat=True)) == ["nadia"]
    finally:
        Client.objects.get(slug="delta").delete(force_drop=True)
    staff = HttpClient(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(staff_a)
    form = staff.get("/clients/new/", HTTP_HOST="localhost").content.decode()
    assert f'<option value="{staff_a.pk}" selected>' in form


def test_the_client_page_links_its_time_zone_to_where_it_is_changed(tenants, staff_a) -> None:
    """The zone is changed on the report settings page: the client page, where staff look for it, says where."""
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    page = http.get("/clients/alpha/", HTTP_HOST="localhost").content.decode()
    assert '<a href="/clients/alpha/report/#client-timezone">Cambiar la zona horaria</a>' in page
