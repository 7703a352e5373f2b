"""Host names in narrow columns: a line may break before each dot ("stark" / ".localhost"),
never inside a label ("stark.localhos" / "t", or "stark-" / "industries", which reads as a
hyphenated word)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def host_breaks(host: Any) -> SafeString:
    """The host escaped, each label in a span that does not wrap (``code.host > span``), with a
    break opportunity (``<wbr>``) before each dot: what is copied is the host as it is."""
    first, *rest = str(host).split(".")
    labels = format_html_join("", "<wbr><span>.{}</span>", ((label,) for label in rest))
    return mark_safe(f"<span>{conditional_escape(first)}</span>{labels}")  # noqa: S308 - escaped just before
