"""Money at its currency's own minor unit (ISO 4217): a Chilean agency's client read "1.234,56 CLP"
for a cost per lead, cents of a peso that has none; a yen amount read "¥1,234.56"."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from clients.words import minor_unit, money
from kpis.formatting import axis_format, format_value
from kpis.report import converted_line


@pytest.mark.parametrize(
    ("currency", "shown"),
    [
        ("CLP", "1,235\xa0CLP"),  # no centavos: a cost per lead of 1,234.56 pesos reads 1,235
        ("JPY", "¥1,235"),
        ("KRW", "1,235\xa0KRW"),
        ("COP", "1,234.56\xa0COP"),  # ISO 4217 gives the Colombian peso 2 decimals
        ("EUR", "€1,234.56"),
        ("KWD", "1,234.560\xa0KWD"),  # fils: three decimals
    ],
)
def test_an_amount_is_written_at_its_currencys_minor_unit(currency: str, shown: str) -> None:
    with translation.override("en"):
        assert money(1234.56, currency) == shown


def test_a_chilean_cost_per_lead_reads_in_whole_pesos_in_spanish_and_on_the_axis() -> None:
    with translation.override("es"):
        assert format_value("cpl", 1234.56, "CLP") == "1\xa0235\xa0CLP"
        assert format_value("cpl", None, "CLP") == "—"
    with translation.override("en"):
        assert axis_format("cpc", "JPY")(7.5) == "¥8"  # never "¥7.5" on a yen axis
        assert axis_format("cpc", "EUR")(7.5) == "€7.5"
        assert format_value("marketing_spend", -0.4, "JPY") == "¥0"  # rounds to nothing: no sign


def test_unknown_codes_have_two_decimals() -> None:
    assert minor_unit("XYZ") == 2 and minor_unit("") == 2 and minor_unit("CLF") == 4


def test_converted_amounts_and_the_import_pages_write_each_currency_at_its_minor_unit() -> None:
    with translation.override("en"):
        line = converted_line([("JPY", 123456.7, 760.12)], currency="EUR")
        assert "123,457\xa0JPY" in line
        text = Template("{% load clients_words %}{{ a|amount:'CLP' }} {{ a|amount:'USD' }} {{ none|amount:'CLP' }}").render(
            Context({"a": 1234.56, "none": None}))
        assert text == "1,235 1,234.56 "
