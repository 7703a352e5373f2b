"""Spanish (Mexico): Spanish words with Mexico's numbers and its peso sign.

A Mexican client read "44 080,81 MX$" (Spain's separators, a symbol after the amount), which
Mexico writes "$44,080.81". Django's es_MX catalogue also capitalises month names
("Noviembre de 2026"), which Spanish writes in lower case.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

from clients.words import money
from kpis.formatting import axis_format, format_value


@pytest.mark.parametrize(
    ("language", "currency", "shown"),
    [
        ("es-mx", "MXN", "$44,080.81"),
        ("es-mx", "USD", "US$44,080.81"),  # the dollar is not "$" where "$" is the peso
        ("es-mx", "EUR", "€44,080.81"),
        ("es", "MXN", "44\xa0080,81\xa0MX$"),  # Spain's Spanish as before
        ("es", "EUR", "44\xa0080,81\xa0€"),
        ("en", "MXN", "MX$44,080.81"),  # a symbol before the amount in English, not "44,080.81 MX$"
        ("en", "CAD", "CA$44,080.81"),
        ("en", "CHF", "44,080.81\xa0CHF"),  # an ISO code after it
        ("en", "EUR", "€44,080.81"),
    ],
)
def test_amounts_are_written_the_variants_way(language: str, currency: str, shown: str) -> None:
    with translation.override(language):
        assert money(44080.81, currency) == shown


def test_mexican_figures_and_axes_use_a_decimal_point() -> None:
    with translation.override("es-mx"):
        assert format_value("sessions", 16296, "MXN") == "16,296"
        assert format_value("early_cancel_rate", 1 / 6, "MXN") == "16.7 %"
        assert axis_format("cpl", "MXN")(60_000) == "$60k"


@pytest.mark.parametrize("language", ["es", "es-mx"])
def test_month_and_day_names_are_lower_case_in_both_spanish(language: str) -> None:
    with translation.override(language):
        assert date_format(dt.date(2026, 11, 1), "YEAR_MONTH_FORMAT") == "noviembre de 2026"
        assert date_format(dt.date(2026, 11, 1), "l j \\d\\e F") == "domingo 1 de noviembre"
        assert translation.gettext("New leads") == "Leads nuevos"  # the Spanish catalogue, not English


def test_the_variant_is_offered_with_its_name_in_spanish() -> None:
    with translation.override("es"):
        assert translation.gettext("Spanish (Mexico)") == "Español (México)"
