"""A country's public holidays added to a client's non-working days in one step, instead of typing a
dozen dates per client and year: Spain's national and Madrid's own days, names in the reader's
language, the days already there kept, a region of another country refused beside its field, and the
months they touch recomputed as any change of holidays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import translation

from clients.models import Holiday
from clients.records.public_holidays import REGION_NAMES, UnknownRegion, public_holidays, region_choices, region_names
from tests.conftest import host_of


def test_spains_2026_holidays_with_madrids_own_in_spanish_and_english() -> None:
    spanish = dict(public_holidays(country="ES", region="MD", years=[2026], language="es"))
    assert spanish[dt.date(2026, 1, 6)] == "Epifanía del Señor"
    assert dt.date(2026, 5, 2) in spanish  # Madrid's own day
    assert dt.date(2026, 5, 2) not in dict(public_holidays(country="ES", years=[2026], language="es"))
    english = dict(public_holidays(country="MX", years=[2026], language="en"))
    assert english[dt.date(2026, 9, 16)] == "Independence Day"
    with pytest.raises(UnknownRegion) as error:
        public_holidays(country="ES", region="ZZ", years=[2026], language="es")
    assert "MD" in error.value.codes


def test_the_regions_menu_names_each_region_under_its_country() -> None:
    groups = dict(region_choices())
    assert ("ES-MD", "Madrid (MD)") in groups["Spain"]
    assert "Mexico" not in groups  # no regional holidays: no region to choose


def test_the_regions_are_named_in_the_readers_language() -> None:
    """The menu named the US states in English ("North Carolina") and Spain's communities in Spanish
    ("Cataluña") whatever the page's language."""
    with translation.override("es"):
        groups = dict(region_choices())
        assert ("US-NY", "Nueva York (NY)") in groups["Estados Unidos"]
        assert ("US-NC", "Carolina del Norte (NC)") in groups["Estados Unidos"]
        assert ("GB-WLS", "Gales (WLS)") in groups["Reino Unido"]
        assert ("ES-CT", "Cataluña (CT)") in groups["España"]
        assert region_names("US")["DC"] == "Distrito de Columbia"
    with translation.override("en"):
        groups = dict(region_choices())
        assert ("US-NY", "New York (NY)") in groups["United States"] and ("ES-CT", "Catalonia (CT)") in groups["Spain"]
    # Every region the menu offers in a country named here is named here (no English name left among Spanish ones).
    for country, names in REGION_NAMES.items():
        codes = {code.partition("-")[2] for code, _label in dict(region_choices())[str(dict(
            ES="Spain", US="United States", GB="United Kingdom", CA="Canada", AU="Australia")[country])]}
        assert codes - {"Barcelona"} <= set(names), country  # Barcelona: a city the package lists, unnamed


@pytest.fixture
def staff_http(staff_a, tenant_a):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    return http


def test_staff_add_spains_holidays_keeping_the_days_already_there(staff_http, tenant_a) -> None:
    tenant_a.timezone = "Europe/Madrid"
    tenant_a.save()
    page = staff_http.get("/holidays/").content.decode()
    assert 'value="ES" selected' in page  # the client's time zone suggests its country
    connection.set_tenant(tenant_a)
    Holiday.objects.create(date=dt.date(2026, 6, 24))  # a local day the agency typed
    connection.set_schema_to_public()

    answer = staff_http.post("/holidays/", {"action": "public", "country": "ES", "region": "ES-MD",
                                            "first_year": 2025, "last_year": 2026}, follow=True)
    assert answer.status_code == 200
    assert "public holidays of Spain (Madrid) for 2025–2026 added" in answer.content.decode()
    connection.set_tenant(tenant_a)
    days = set(Holiday.objects.values_list("date", flat=True))
    connection.set_schema_to_public()
    assert {dt.date(2026, 6, 24), dt.date(2025, 12, 25), dt.date(2026, 5, 2), dt.date(2025, 5, 2)} <= days
    assert dt.date(2026, 3, 19) not in days  # San José is not a national or Madrid's holiday in 2026

    again = staff_http.post("/holidays/", {"action": "public", "country": "ES", "region": "ES-MD",
                                           "first_year": 2025, "last_year": 2026}, follow=True)
    assert "0 public holidays of Spain (Madrid)" in again.content.decode()  # nothing twice
    connection.set_tenant(tenant_a)
    assert set(Holiday.objects.values_list("date", flat=True)) == days
    connection.set_schema_to_public()


def test_a_region_of_another_country_or_too_many_years_is_refused_beside_its_field(staff_http, tenant_a) -> None:
    refused = staff_http.post("/holidays/", {"action": "public", "country": "MX", "region": "ES-MD",
                                             "first_year": 2020, "last_year": 2035})
    body = refused.content.decode()
    assert refused.status_code == 422
    assert "This region is not in Mexico." in body and "From 1 to 10 years" in body
    connection.set_tenant(tenant_a)
    assert not Holiday.objects.exists()
    connection.set_schema_to_public()


def test_the_section_speaks_spanish(staff_a, tenant_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    page = http.get("/holidays/").content.decode()
    assert "Añadir los festivos oficiales de un país" in page and "España" in page and "Desde el año" in page
    assert "Carolina del Norte (NC)" in page and "Nueva York (NY)" in page and "Irlanda del Norte (NIR)" in page
    assert "North Carolina" not in page and "New York" not in page and "Northern Ireland" not in page
    answer = http.post("/holidays/", {"action": "public", "country": "ES", "region": "",
                                      "first_year": 2026, "last_year": 2026}, follow=True).content.decode()
    assert "festivos oficiales de España añadidos para 2026." in answer


def test_a_first_add_says_only_what_was_added_and_a_second_says_the_others_were_there(staff_a, tenant_a) -> None:
    """A new client's first add read "21 added (21 in those years; the others were already in the
    list)": there were no others. Said only when some were already there."""
    for language, first, again in (
        ("en", "public holidays of Mexico for 2026 added.</", "the others were already in the list"),
        ("es", "festivos oficiales de México añadidos para 2026.</", "los demás ya estaban en la lista"),
    ):
        connection.set_tenant(tenant_a)
        Holiday.objects.all().delete()
        connection.set_schema_to_public()
        http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
        http.force_login(staff_a)
        form = {"action": "public", "country": "MX", "region": "", "first_year": 2026, "last_year": 2026}
        page = http.post("/holidays/", form, follow=True).content.decode()
        assert first in page and again not in page
        assert again in http.post("/holidays/", form, follow=True).content.decode()
