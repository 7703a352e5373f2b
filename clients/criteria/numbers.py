"""Numbers typed in the rule rows (criteria and personas) as the user's language writes them.

A user in Spain writes a thousand "1.000" and two and a half "2,5"; an English or Mexican one "1,000"
and "2.5" (the separators come from the language's format module, agency/formats).
Read with Python's ``float``, "1.000" was 1 — a rule "employees at least 1.000" matched every company
of two people. So a number is read with the separators of the active language, and what could be
read two ways ("1,000" on a Spanish page: a thousand as English writes it, or one with three
decimals) is refused with a message rather than guessed. Numbers are shown back the same way.
Lists of numbers (``in``, ``between``) are separated by a semicolon, or a comma and a space.
"""

from __future__ import annotations

import math
import re

from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SPACES = re.compile(r"[\s\u00a0\u202f]")


class NumberUnclear(ValueError):
    """Text that is not a number in the active language, or could be read as two numbers; ``str()``
    says which and how to write it."""


def separators(language: str | None = None) -> tuple[str, str]:
    """(thousands, decimal) separators of ``language`` (default: the active one), from its format
    module (agency/formats): Spain writes 1.234,5, Mexico and English 1,234.5."""
    language = language or get_language() or "en"
    decimal = str(get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True))
    group = str(get_format("THOUSAND_SEPARATOR", lang=language, use_l10n=True))
    if group not in {".", ","} or group == decimal:  # a space or none: the other of the two marks
        group = "," if decimal == "." else "."
    return group, decimal


def number_read(text: str, *, language: str | None = None) -> int | float:
    """``text`` as a number written the ``language``'s way; :class:`NumberUnclear` otherwise."""
    group, decimal = separators(language)
    typed = str(text).strip()
    # A space may group thousands ("1 000", as Spanish prints them), nothing else: "10 20" is two numbers.
    if SPACES.search(typed) and not re.fullmatch(rf"[-+]?\d{{1,3}}(?:{SPACES.pattern}\d{{3}})+(?:{re.escape(decimal)}\d+)?",
                                                 typed):
        raise NumberUnclear(_("“%(value)s” is not a number.") % {"value": text})
    raw = SPACES.sub("", typed)
    sign = "-" if raw.startswith("-") else ""
    digits = raw[1:] if raw[:1] in {"-", "+"} else raw
    whole, has_decimal, fraction = digits.partition(decimal)
    grouped = re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", whole) is not None
    plain = re.fullmatch(r"\d+", whole) is not None
    if not (plain or grouped) or (has_decimal and not re.fullmatch(r"\d+", fraction)):
        if re.fullmatch(r"[\d.,]+", digits) and (digits.count(".") + digits.count(",")):
            raise NumberUnclear(_("“%(value)s” is not a number as this page writes them: a thousand is %(thousand)s "
                                  "and two and a half %(half)s.") % {"value": text, **examples(language)})
        raise NumberUnclear(_("“%(value)s” is not a number.") % {"value": text})
    if has_decimal and not grouped and len(fraction) == 3 and len(whole) <= 3 and whole != "0":
        # "1,000" on a Spanish page (or "1.000" on an English one): the other language's thousand?
        raise NumberUnclear(_("“%(value)s” can be read two ways: write a thousand as 1000 or %(thousand)s, and a "
                              "number with decimals with fewer than three of them, as %(half)s.")
                            % {"value": text, **examples(language)})
    number = float(sign + whole.replace(group, "") + ("." + fraction if has_decimal else ""))
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def examples(language: str | None = None) -> dict[str, str]:
    """A thousand and two and a half as ``language`` writes them, for messages and hints."""
    return {"thousand": number_typed(1000, language=language), "half": number_typed(2.5, language=language)}


def number_typed(value: int | float, *, language: str | None = None) -> str:
    """A stored number as the ``language`` writes it (read back by :func:`number_read` as the same number)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "inf", "nan": refused by the validator, shown back as they came
    group, decimal = separators(language)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    sign = "-" if value < 0 else ""
    text = repr(abs(value)) if isinstance(value, float) else str(abs(value))
    if "e" in text.lower():  # very large or small floats: plain digits
        text = f"{abs(value):f}".rstrip("0").rstrip(".")
    whole, _dot, fraction = text.partition(".")
    grouped = f"{int(whole):,}".replace(",", group)
    return sign + grouped + (decimal + fraction if fraction else "")


def numbers_split(text: str, *, language: str | None = None) -> list[str]:
    """The members of a list of numbers: separated by ";", or by a comma followed by a space."""
    if ";" in text:
        parts = text.split(";")
    else:
        parts = re.split(r",\s+", text)
        group, _decimal = separators(language)
        if group == "," and len(parts) == 1 and "," in text and not re.fullmatch(r"\d{1,3}(,\d{3})+", text.strip()):
            parts = text.split(",")  # "50,1000" on an English page: a list, as it always was
    return [part.strip() for part in parts if part.strip()]
