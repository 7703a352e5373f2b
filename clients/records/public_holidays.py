"""A country's public holidays, to fill a client's non-working days in one step.

Leads per working day leave the client's holidays out (kpis.md), and an agency with fifty clients in
Spain and Mexico would otherwise type each country's dozen dates (and each region's) for every
client and year. The dates and their names come from the ``holidays`` package (maintained by its
community, one module per country and region, names in Spanish and English). Pure: nothing here
writes; ``clients.records.services.holidays_add_public`` adds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays
from django.utils.translation import gettext_lazy as _

# The countries of the agencies' markets (Spanish- and English-speaking), in the menu's order.
COUNTRIES = {
    "ES": _("Spain"), "MX": _("Mexico"), "AR": _("Argentina"), "CL": _("Chile"), "CO": _("Colombia"),
    "PE": _("Peru"), "UY": _("Uruguay"), "US": _("United States"), "GB": _("United Kingdom"),
    "IE": _("Ireland"), "CA": _("Canada"), "AU": _("Australia"),
}
# A client's time zone suggests its country (the menu's default); other zones suggest none.
ZONE_COUNTRY = {
    "Europe/Madrid": "ES", "Atlantic/Canary": "ES", "Africa/Ceuta": "ES", "America/Mexico_City": "MX",
    "America/Monterrey": "MX", "America/Cancun": "MX", "America/Merida": "MX", "America/Chihuahua": "MX",
    "America/Tijuana": "MX", "America/Hermosillo": "MX", "America/Mazatlan": "MX", "America/Bogota": "CO",
    "America/Lima": "PE", "America/Santiago": "CL", "America/Montevideo": "UY", "America/Argentina/Buenos_Aires": "AR",
    "America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Los_Angeles": "US",
    "America/Phoenix": "US", "Europe/London": "GB", "Europe/Dublin": "IE", "America/Toronto": "CA",
    "America/Vancouver": "CA", "Australia/Sydney": "AU", "Australia/Melbourne": "AU",
}


class UnknownRegion(ValueError):
    """A region code the country does not have; ``codes`` are the ones it has."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        super().__init__(", ".join(codes))
        self.codes = codes


def country_regions(country: str) -> tuple[str, ...]:
    """The region codes a country's public holidays can be narrowed to (ISO 3166-2: MD is Madrid)."""
    return tuple(holidays.country_holidays(country).subdivisions)


def public_holidays(*, country: str, region: str = "", years: Iterable[int], language: str) -> list[tuple[dt.date, str]]:
    """The country's (and region's) public holidays of ``years``, each with its name in ``language``
    (Spanish or English where the country's module has it, else its own)."""
    region = region.strip().upper()
    if region and region not in country_regions(country):
        raise UnknownRegion(country_regions(country))
    calendar = holidays.country_holidays(country, subdiv=region or None, years=list(years))
    wanted = {"es": "es", "en": "en_US"}.get(language.split("-")[0], "")
    if wanted in calendar.supported_languages:
        calendar = holidays.country_holidays(country, subdiv=region or None, years=list(years), language=wanted)
    return sorted(calendar.items())


def region_names(country: str) -> dict[str, str]:
    """A country's region codes and the name the ``holidays`` package gives each (the first it lists)."""
    names: dict[str, str] = {}
    for name, code in getattr(holidays.country_holidays(country), "subdivisions_aliases", {}).items():
        names.setdefault(code, name)
    return names


def region_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The regions of the offered countries, grouped by country for a menu: ``("ES-MD", "Madrid (MD)")``."""
    groups = []
    for country, label in COUNTRIES.items():
        calendar = holidays.country_holidays(country)
        names = region_names(country)
        regions = [(f"{country}-{code}", f"{names[code]} ({code})" if code in names else code) for code in calendar.subdivisions]
        if regions:
            groups.append((str(label), sorted(regions, key=lambda choice: choice[1])))
    return groups
