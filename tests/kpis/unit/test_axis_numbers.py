"""A chart's axis writes a whole number of thousands without ".0": Umbrella's spend axis read
"0 €, 5,0k €, 10k €, 15k €, 20k €" in its PDF, as if 5,000 were measured more closely than 10,000."""

from __future__ import annotations

from django.utils import translation

from kpis.formatting import axis_format, compact


def test_whole_thousands_and_millions_read_without_a_decimal() -> None:
    with translation.override("en"):
        assert [compact(v) for v in (0, 2500, 5000, 7500, 10_000)] == ["0", "2.5k", "5k", "7.5k", "10k"]
        assert compact(4960) == "5k" and compact(1240) == "1.2k"
        assert [compact(v) for v in (1_000_000, 1_500_000, 12_000_000)] == ["1M", "1.5M", "12M"]


def test_a_spanish_money_axis_reads_5k_euros() -> None:
    with translation.override("es"):
        money = axis_format("marketing_spend", "EUR")
        assert [money(v) for v in (0, 5000, 10_000, 2500)] == ["0\xa0€", "5k\xa0€", "10k\xa0€", "2,5k\xa0€"]


def test_a_negative_amount_on_a_money_axis_puts_its_sign_where_the_tiles_do() -> None:
    """A revenue uplift's axis read "€-500k": the sign goes before the symbol, as clients.words.money writes
    the tiles' "-€500.00"; where the symbol follows the amount (Spain's Spanish), before the number."""
    with translation.override("en"):
        money = axis_format("revenue_uplift", "EUR")
        assert [money(v) for v in (-500_000, -2500, -250, 0, 60_000)] == ["-€500k", "-€2.5k", "-€250", "€0", "€60k"]
    with translation.override("es-mx"):
        assert axis_format("revenue_uplift", "MXN")(-500_000) == "-$500k"
        assert axis_format("revenue_uplift", "USD")(-1_500_000) == "-US$1.5M"
    with translation.override("es"):
        assert axis_format("revenue_uplift", "EUR")(-500_000) == "-500k\xa0€"
        assert axis_format("revenue_uplift", "CHF")(-500_000) == "-500k\xa0CHF"
