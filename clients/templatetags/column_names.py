"""A canonical column's name in a narrow table head: it may wrap after an underscore, never inside a word;
an email address in a preview cell may wrap after its @ ("ann@" / "example.com"), never inside a word."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def wrap_at_underscores(name: Any) -> SafeString:
    return mark_safe(conditional_escape(str(name)).replace("_", "_<wbr>"))  # noqa: S308 - escaped just before


@register.filter
def wrap_at_signs(value: Any) -> Any:
    """A text with an @ (an email address) may wrap after it; anything else (a date, a number) is left as it
    is, for the template to write it the reader's language's way."""
    if not isinstance(value, str) or "@" not in value:
        return value
    return mark_safe(conditional_escape(value).replace("@", "@<wbr>"))  # noqa: S308 - escaped just before
