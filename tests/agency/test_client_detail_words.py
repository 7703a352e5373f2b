"""The console's client page names what a new client was set up with and who can be assigned in words:
the client's language (said, with the agency's default when it has none of its own), and each staff
member by their name (else email), not by their login name ("sam")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest

from agency.forms import ClientForm
from agency.models import AgencyBrand, Client, User
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_client_page_says_its_language_and_names_staff_to_assign(admin_user: User, tenant_a: Client) -> None:
    AgencyBrand.objects.create(name="Agencia Norte", default_language="es")
    UserFactory(username="nadia", first_name="Nadia", last_name="Pérez")
    UserFactory(username="omar", first_name="", last_name="", email="omar@agency.example")
    console = signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="en")
    Client.objects.filter(pk=tenant_a.pk).update(language="")
    page = unescape(console.get("/clients/alpha/").content.decode())
    assert "<dt>Language</dt><dd>Spanish (the agency's default)" in page
    assert ">Nadia Pérez</option>" in page and ">omar@agency.example</option>" in page
    assert ">nadia</option>" not in page and ">omar</option>" not in page
    Client.objects.filter(pk=tenant_a.pk).update(language="en")
    page = unescape(console.get("/clients/alpha/").content.decode())
    assert "<dt>Language</dt><dd>English · " in page
    spanish = unescape(signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="es").get("/clients/alpha/").content.decode())
    assert "<dt>Idioma</dt><dd>Inglés · " in spanish and "Cambiar el idioma" in spanish


def test_a_currency_typed_in_lowercase_is_the_code_meant(tenants) -> None:
    """"mxn" was refused ("Use a three-letter ISO currency code"): it is MXN; "pesos" is still refused."""
    base = {"name": "Clínica Sol", "slug": "clinicasol", "timezone": "America/Mexico_City", "gross_margin": "0.7",
            "horizon_months": "60", "language": "es"}
    form = ClientForm(data={**base, "currency": " mxn "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["currency"] == "MXN"
    assert not ClientForm(data={**base, "currency": "pesos"}).is_valid()


def test_the_add_client_form_says_what_the_time_zone_and_currency_decide(admin_user, tenants) -> None:
    """The walk's costliest snag: a client given another zone than its files refused its leads. The form says it."""
    page = unescape(signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="en").get("/clients/new/").content.decode())
    assert "the times of its files without an offset are read in it" in page
    assert "Its three-letter code (EUR, USD, MXN)" in page
    spanish = unescape(signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="es").get("/clients/new/").content.decode())
    assert "las horas de sus archivos sin desfase se leen en ella" in spanish


def test_the_time_zone_breaks_after_its_slash_only(admin_user, tenant_a) -> None:
    Client.objects.filter(pk=tenant_a.pk).update(timezone="America/Mexico_City")
    page = signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="en").get("/clients/alpha/").content.decode()
    assert '<span class="zone">America/<wbr>Mexico_City</span>' in page


def test_an_admin_changes_the_gross_margin_and_horizon_and_every_month_is_computed_again(
    admin_user, staff_a, tenant_a, monkeypatch
) -> None:
    """Typed wrong when the client was added (0.7 and 60 left as they were), they could not be changed."""
    asked: list[set[str]] = []
    monkeypatch.setattr("kpis.receivers.months_recompute_request", lambda *, client, months: asked.append(months))
    monkeypatch.setattr("kpis.receivers.snapshot_months_list", lambda: [dt.date(2026, 2, 1), dt.date(2026, 3, 1)])
    console = signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="en")
    page = unescape(console.get("/clients/alpha/").content.decode())
    assert "Change the gross margin or the LTV horizon" in page
    saved = console.post("/clients/alpha/economics/", {"gross_margin": "0,65", "horizon_months": "48"}, follow=True)
    assert "every month of the client is being computed again" in saved.content.decode()
    tenant_a.refresh_from_db()
    assert (tenant_a.gross_margin, tenant_a.horizon_months) == (Decimal("0.65"), 48)
    assert asked == [{"2026-02", "2026-03"}]
    refused = console.post("/clients/alpha/economics/", {"gross_margin": "65", "horizon_months": "0"}, follow=True)
    body = refused.content.decode()
    assert "The gross margin is a fraction between 0 and 1." in body and "at least 1" in body
    tenant_a.refresh_from_db()
    assert tenant_a.gross_margin == Decimal("0.65") and len(asked) == 1  # nothing changed, nothing recomputed
    console.post("/clients/alpha/economics/", {"gross_margin": "0.65", "horizon_months": "48"})
    assert len(asked) == 1  # the same values: no recompute
    staff = signed_in(staff_a, HTTP_ACCEPT_LANGUAGE="en")
    assert staff.post("/clients/alpha/economics/", {"gross_margin": "0.5", "horizon_months": "12"}).status_code in (403, 404)
    assert "Change the gross margin" not in staff.get("/clients/alpha/").content.decode()


def test_the_margin_edit_shows_the_margin_and_its_hint_in_the_pages_number_format(admin_user, tenant_a) -> None:
    """As the Add client form: "0,65" on a Spanish page (the edit reads "0,65" and "0.65" alike)."""
    tenant_a.gross_margin = Decimal("0.6500")
    tenant_a.save(update_fields=["gross_margin"])
    page = unescape(signed_in(admin_user, HTTP_ACCEPT_LANGUAGE="es").get("/clients/alpha/").content.decode())
    assert 'name="gross_margin" inputmode="decimal" value="0,65"' in page
    assert "Una fracción de los ingresos: 0,65 es un margen del 65 %" in page and "0.65" not in page


def test_adding_a_client_says_what_comes_next(admin_user: User, tenant_a: Client, monkeypatch) -> None:
    """The walk stopped on the new client's console page: "Client … is ready." and nothing said that its
    portal's home page lists the set-up steps, its data first. (The schema's creation is not the point:
    the service returns an existing client.)"""
    from agency.views import console

    monkeypatch.setattr(console.services, "client_create", lambda **fields: tenant_a)
    form = {"name": "Cafés Oaxaca", "slug": "cafes-oaxaca", "timezone": "America/Mexico_City", "currency": "MXN",
            "gross_margin": "0.7", "horizon_months": "60", "language": "es-mx"}
    for language, words in (
        ("en", "is ready. Next: Open portal, where its home page lists the steps to set it up (its data first)."),
        ("es", "está listo. Ahora: Abrir portal; su página de inicio enumera los pasos para ponerlo en marcha"),
    ):
        page = signed_in(admin_user, HTTP_ACCEPT_LANGUAGE=language).post("/clients/new/", form, follow=True)
        assert words in unescape(page.content.decode())


def test_adding_a_client_from_a_template_says_to_copy_first(admin_user: User, tenant_a: Client, monkeypatch) -> None:
    """The walk of 2026-12-07 (newclient14): started from Acme's set-up, the new client landed on the
    copy page under "Next: Open portal", a button that page does not have. It now says to choose what
    to copy first, and where Open portal is then."""
    from agency.views import console

    monkeypatch.setattr(console.services, "client_create", lambda **fields: tenant_a)
    form = {"name": "Stark Logistics", "slug": "stark-logistics", "timezone": "Europe/Madrid", "currency": "EUR",
            "gross_margin": "0.7", "horizon_months": "60", "language": "en", "start_from": "alpha"}
    for language, words in (
        ("en", "is ready. Next: choose what to copy into it below and copy it; its page then has Open portal"),
        ("es", "está listo. Ahora: elige abajo qué copiarle y cópialo; su página tendrá entonces Abrir portal"),
    ):
        page = signed_in(admin_user, HTTP_ACCEPT_LANGUAGE=language).post("/clients/new/", form, follow=True)
        html = unescape(page.content.decode())
        assert page.redirect_chain[-1][0] == "/clients/alpha/template/?to=alpha", page.redirect_chain
        assert words in html and "Next: Open portal, where" not in html and "Ahora: Abrir portal;" not in html
