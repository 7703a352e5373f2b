"""Template filters that put the client's data in words (clients.words) and money with its currency."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from clients import words

register = template.Library()


@register.filter
def rule_words(rule: Any) -> str:
    return words.rule_sentence(rule) if isinstance(rule, dict) else str(rule)


@register.filter
def rules_words(rule: Any) -> str:
    return words.rules_sentence(rule)


@register.filter
def field_words(name: Any) -> str:
    """A lead field in words ("employees" → "Employees", "vertical" → "Industry")."""
    return words.field_label(str(name)) if name else ""


@register.filter
def op_words(op: Any) -> str:
    """A rule's condition in words ("gte" → "at least")."""
    return words.op_label(str(op)) if op else ""


@register.filter
def vocab(value: Any) -> str:
    return words.vocab_label(str(value)) if value else ""


@register.filter
def column_words(name: Any, kind: Any) -> str:
    """A portal column of ``kind`` by its name ("channel" → "Channel", "Canal")."""
    return words.column_name(str(kind or ""), str(name)) if name else ""


@register.filter
def value_words(value: Any) -> str:
    """A vocabulary value by its name ("other" → "Other", "paid_search" → "Paid search")."""
    return words.value_label(str(value)) if value else ""


@register.filter
def money(value: Any, currency: str) -> str:
    """An amount with its currency and separators ("€44,080.81"); empty stays empty."""
    if value in (None, ""):
        return ""
    return words.money(float(value), currency or "")


@register.filter
def amount(value: Any, currency: str) -> str:
    """An amount at its currency's minor unit, without a symbol, for a page that writes the ISO code
    beside it ("1,235 CLP", "44,080.81 EUR"); empty stays empty."""
    if value in (None, ""):
        return ""
    return words.amount_shown(float(value), currency or "")


@register.filter
def lead_figure(value: Any) -> str:
    """A lead's value as people read it: 9000000.0 → "9,000,000" ("9 000 000"), 120.0 → "120",
    a list joined; None → "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, Decimal):
        value = float(value)
    return words.number_words(value)


@register.filter
def share(value: Any) -> str:
    """A share of a whole as a percent ("33.3 %"), "0 %" for none and "< 0.1 %" for a sliver, never "0.0 %"."""
    if value in (None, ""):
        return "—"
    return words.share_shown(float(value))


@register.filter
def segment_words(value: Any) -> str:
    """A contract's segment in words with the code the files carry beside it ("Pymes (smb)"),
    "No segment" for none: the records list, where staff read what they import."""
    label = words.member_label("segment", str(value or ""))
    return f"{label} ({value})" if value and label.casefold() != str(value).casefold() else label
