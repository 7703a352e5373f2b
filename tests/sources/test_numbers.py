"""Counts and amounts read without a regular expression (the common shapes) must read exactly as
the patterns do: the same values, the same refusals (sources.md "Reading a file")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clients.sources.numbers import ValueProblem, money, number, whole


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1234", ".", Decimal("1234")), ("0012", ".", Decimal("12")), ("1,234", ".", Decimal("1234")),
    ("1,234,567.89", ".", Decimal("1234567.89")), ("2,500.00", ".", Decimal("2500.00")), ("12.5", ".", Decimal("12.5")),
    ("1.234", ",", Decimal("1234")), ("1.234,5", ",", Decimal("1234.5")), ("1,234", ",", Decimal("1.234")),
    ("-12", ".", Decimal("-12")), (".5", ".", Decimal("0.5")), ("27.78%", ".", Decimal("0.2778")),
    ("\u0661\u0662", ".", Decimal("12")),  # other scripts' digits: as the patterns read them
    ("--", ".", None), ("", ".", None),
])
def test_numbers_in_their_common_shapes(text: str, decimal: str, expected: Decimal | None) -> None:
    assert number(text, decimal=decimal) == expected


@pytest.mark.parametrize(("text", "decimal"), [
    ("1,23", "."), ("1234,567", "."), ("12.", "."), ("12.50", ","), ("1.2.3", ","), ("1,,234", "."), ("²", "."),
])
def test_separators_that_do_not_group_by_three_are_refused(text: str, decimal: str) -> None:
    with pytest.raises(ValueProblem):
        number(text, decimal=decimal)


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("425", ".", 425), ("4,343", ".", 4343), ("1.234", ",", 1234), ("007", ".", 7), ("1,234.00", ".", 1234), ("--", ".", None),
])
def test_counts(text: str, decimal: str, expected: int | None) -> None:
    assert whole(text, decimal=decimal) == expected


@pytest.mark.parametrize(("text", "decimal"), [("1,5", ","), ("1.5", "."), ("4,34", "."), ("²", ".")])
def test_counts_refused(text: str, decimal: str) -> None:
    with pytest.raises(ValueProblem):
        whole(text, decimal=decimal)


@pytest.mark.parametrize(("text", "decimal"), [("24,500", ","), ("1,500", ","), ("-24,500", ","), ("24.500", "."),
                                               ("24,500 €", ",")])
def test_an_amount_with_three_decimals_that_could_be_thousands_is_refused(text: str, decimal: str) -> None:
    """An amount has cents, not thousandths: "24,500" in a Spanish file is 24 500 written the English way
    far more often than 24.5 €; it reads both ways, so it is refused (sources.md "Reading a file")."""
    with pytest.raises(ValueProblem):
        money(text, decimal=decimal)


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("24,50", ",", Decimal("24.50")), ("2.000", ",", Decimal("2000")), ("24.500,00", ",", Decimal("24500.00")),
    ("24500", ",", Decimal("24500")), ("1234,500", ",", Decimal("1234.500")), ("24,500", ".", Decimal("24500")),
    ("", ",", None),
])
def test_amounts_that_read_one_way_are_read(text: str, decimal: str, expected: Decimal | None) -> None:
    assert money(text, decimal=decimal) == expected
