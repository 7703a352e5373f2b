"""A canonical column's name in a narrow table head: it may wrap after an underscore, never inside a word."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def wrap_at_underscores(name: Any) -> SafeString:
    return mark_safe(conditional_escape(str(name)).replace("_", "_<wbr>"))  # noqa: S308 - escaped just before
