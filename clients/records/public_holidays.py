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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

# The regions' names in the page's language (the ``holidays`` package names a US state in English, a Spanish
# community in Spanish, whatever the reader's). Argentina's and Chile's provinces keep the package's names: the
# same in both languages. A region not named here shows the package's name.
REGION_NAMES: dict[str, dict[str, Promise]] = {
    "ES": {
        "AN": pgettext_lazy("region", "Andalusia"),
        "AR": pgettext_lazy("region", "Aragon"),
        "AS": pgettext_lazy("region", "Asturias"),
        "CB": pgettext_lazy("region", "Cantabria"),
        "CE": pgettext_lazy("region", "Ceuta"),
        "CL": pgettext_lazy("region", "Castile and León"),
        "CM": pgettext_lazy("region", "Castilla–La Mancha"),
        "CN": pgettext_lazy("region", "Canary Islands"),
        "CT": pgettext_lazy("region", "Catalonia"),
        "EX": pgettext_lazy("region", "Extremadura"),
        "GA": pgettext_lazy("region", "Galicia"),
        "IB": pgettext_lazy("region", "Balearic Islands"),
        "MC": pgettext_lazy("region", "Murcia"),
        "MD": pgettext_lazy("region", "Madrid"),
        "ML": pgettext_lazy("region", "Melilla"),
        "NC": pgettext_lazy("region", "Navarre"),
        "PV": pgettext_lazy("region", "Basque Country"),
        "RI": pgettext_lazy("region", "La Rioja"),
        "VC": pgettext_lazy("region", "Valencian Community"),
    },
    "US": {
        "AK": pgettext_lazy("region", "Alaska"),
        "AL": pgettext_lazy("region", "Alabama"),
        "AR": pgettext_lazy("region", "Arkansas"),
        "AS": pgettext_lazy("region", "American Samoa"),
        "AZ": pgettext_lazy("region", "Arizona"),
        "CA": pgettext_lazy("region", "California"),
        "CO": pgettext_lazy("region", "Colorado"),
        "CT": pgettext_lazy("region", "Connecticut"),
        "DC": pgettext_lazy("region", "District of Columbia"),
        "DE": pgettext_lazy("region", "Delaware"),
        "FL": pgettext_lazy("region", "Florida"),
        "GA": pgettext_lazy("region", "Georgia"),
        "GU": pgettext_lazy("region", "Guam"),
        "HI": pgettext_lazy("region", "Hawaii"),
        "IA": pgettext_lazy("region", "Iowa"),
        "ID": pgettext_lazy("region", "Idaho"),
        "IL": pgettext_lazy("region", "Illinois"),
        "IN": pgettext_lazy("region", "Indiana"),
        "KS": pgettext_lazy("region", "Kansas"),
        "KY": pgettext_lazy("region", "Kentucky"),
        "LA": pgettext_lazy("region", "Louisiana"),
        "MA": pgettext_lazy("region", "Massachusetts"),
        "MD": pgettext_lazy("region", "Maryland"),
        "ME": pgettext_lazy("region", "Maine"),
        "MI": pgettext_lazy("region", "Michigan"),
        "MN": pgettext_lazy("region", "Minnesota"),
        "MO": pgettext_lazy("region", "Missouri"),
        "MP": pgettext_lazy("region", "Northern Mariana Islands"),
        "MS": pgettext_lazy("region", "Mississippi"),
        "MT": pgettext_lazy("region", "Montana"),
        "NC": pgettext_lazy("region", "North Carolina"),
        "ND": pgettext_lazy("region", "North Dakota"),
        "NE": pgettext_lazy("region", "Nebraska"),
        "NH": pgettext_lazy("region", "New Hampshire"),
        "NJ": pgettext_lazy("region", "New Jersey"),
        "NM": pgettext_lazy("region", "New Mexico"),
        "NV": pgettext_lazy("region", "Nevada"),
        "NY": pgettext_lazy("region", "New York"),
        "OH": pgettext_lazy("region", "Ohio"),
        "OK": pgettext_lazy("region", "Oklahoma"),
        "OR": pgettext_lazy("region", "Oregon"),
        "PA": pgettext_lazy("region", "Pennsylvania"),
        "PR": pgettext_lazy("region", "Puerto Rico"),
        "RI": pgettext_lazy("region", "Rhode Island"),
        "SC": pgettext_lazy("region", "South Carolina"),
        "SD": pgettext_lazy("region", "South Dakota"),
        "TN": pgettext_lazy("region", "Tennessee"),
        "TX": pgettext_lazy("region", "Texas"),
        "UM": pgettext_lazy("region", "United States Minor Outlying Islands"),
        "UT": pgettext_lazy("region", "Utah"),
        "VA": pgettext_lazy("region", "Virginia"),
        "VI": pgettext_lazy("region", "United States Virgin Islands"),
        "VT": pgettext_lazy("region", "Vermont"),
        "WA": pgettext_lazy("region", "Washington"),
        "WI": pgettext_lazy("region", "Wisconsin"),
        "WV": pgettext_lazy("region", "West Virginia"),
        "WY": pgettext_lazy("region", "Wyoming"),
    },
    "GB": {
        "ENG": pgettext_lazy("region", "England"),
        "NIR": pgettext_lazy("region", "Northern Ireland"),
        "SCT": pgettext_lazy("region", "Scotland"),
        "WLS": pgettext_lazy("region", "Wales"),
    },
    "CA": {
        "AB": pgettext_lazy("region", "Alberta"),
        "BC": pgettext_lazy("region", "British Columbia"),
        "MB": pgettext_lazy("region", "Manitoba"),
        "NB": pgettext_lazy("region", "New Brunswick"),
        "NL": pgettext_lazy("region", "Newfoundland and Labrador"),
        "NS": pgettext_lazy("region", "Nova Scotia"),
        "NT": pgettext_lazy("region", "Northwest Territories"),
        "NU": pgettext_lazy("region", "Nunavut"),
        "ON": pgettext_lazy("region", "Ontario"),
        "PE": pgettext_lazy("region", "Prince Edward Island"),
        "QC": pgettext_lazy("region", "Quebec"),
        "SK": pgettext_lazy("region", "Saskatchewan"),
        "YT": pgettext_lazy("region", "Yukon"),
    },
    "AU": {
        "ACT": pgettext_lazy("region", "Australian Capital Territory"),
        "NSW": pgettext_lazy("region", "New South Wales"),
        "NT": pgettext_lazy("region", "Northern Territory"),
        "QLD": pgettext_lazy("region", "Queensland"),
        "SA": pgettext_lazy("region", "South Australia"),
        "TAS": pgettext_lazy("region", "Tasmania"),
        "VIC": pgettext_lazy("region", "Victoria"),
        "WA": pgettext_lazy("region", "Western Australia"),
        "NSW Western": pgettext_lazy("region", "Western Division of New South Wales"),
    },
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
    """A country's region codes and each one's name in the active language (REGION_NAMES), else the name
    the ``holidays`` package gives it (the first it lists)."""
    names: dict[str, str] = {}
    for name, code in getattr(holidays.country_holidays(country), "subdivisions_aliases", {}).items():
        names.setdefault(code, name)
    return names | {code: str(name) for code, name in REGION_NAMES.get(country, {}).items()}


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
