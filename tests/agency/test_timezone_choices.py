"""The time zone menus (a new client, a client's report settings, the agency's defaults) offer the
canonical IANA zones by region with their UTC offset, never "Factory" or "localtime"; a legacy name
stored before stays shown and accepted; the agency's default is preselected. English and Spanish."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.core.cache import cache

from agency.models import AgencyBrand, Client, User
from agency.timezones import canonical_zones, offset_label
from tests.conftest import host_of, signed_in

JANUARY = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)


def test_only_canonical_zones_are_offered() -> None:
    zones = canonical_zones()
    assert {"UTC", "America/Mexico_City", "Europe/Madrid", "America/Argentina/Buenos_Aires"} <= zones
    for legacy in ("Factory", "localtime", "posixrules", "Etc/GMT+5", "US/Eastern", "Cuba", "GMT", "Mexico/General"):
        assert legacy not in zones, legacy
    assert 350 < len(zones) < 500


def test_the_label_shows_the_offset_with_a_true_minus() -> None:
    assert offset_label("America/Mexico_City", JANUARY) == "(UTC−06:00) America/Mexico_City"
    assert offset_label("Asia/Kolkata", JANUARY) == "(UTC+05:30) Asia/Kolkata"
    assert offset_label("Europe/Madrid", dt.datetime(2026, 7, 1, tzinfo=dt.UTC)) == "(UTC+02:00) Europe/Madrid"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "region"), [("en", 'label="America"'), ("es", 'label="América"')])
def test_the_new_client_form_groups_by_region_and_preselects_the_agency_default(tenants, staff_a, language, region) -> None:
    AgencyBrand.objects.create(default_timezone="America/Mexico_City")
    staff_a.language = language
    staff_a.save()
    page = unescape(signed_in(staff_a).get("/clients/new/", HTTP_HOST="localhost").content.decode())
    menu = page[page.index('name="timezone"') :]
    menu = menu[: menu.index("</select>")]
    assert "Factory" not in menu and "localtime" not in menu and "Etc/" not in menu
    assert f"<optgroup {region}>" in menu
    assert 'value="America/Mexico_City" selected>' in menu and "America/Mexico_City</option>" in menu
    assert "(UTC−0" in menu and "(UTC+00:00) UTC" in menu


@pytest.mark.django_db
def test_a_stored_legacy_zone_stays_shown_and_accepted(staff_a: User, tenant_a: Client) -> None:
    cache.clear()
    Client.objects.filter(pk=tenant_a.pk).update(timezone="US/Eastern")
    http = signed_in(staff_a)
    page = unescape(http.get("/clients/alpha/report/", HTTP_HOST=host_of(None)).content.decode())
    form = page[page.index('id="client-timezone"') :]
    assert '<option value="US/Eastern" selected>' in form
    assert "Factory" not in form
    response = http.post("/clients/alpha/report/", {"zone-timezone": "US/Eastern"}, HTTP_HOST=host_of(None))
    assert response.status_code == 302
    refused = http.post("/clients/alpha/report/", {"zone-timezone": "Factory"}, HTTP_HOST=host_of(None))
    assert refused.status_code == 422  # a field error, nothing changed
    assert Client.objects.get(pk=tenant_a.pk).timezone == "US/Eastern"
