"""Validators shared by models and forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agency.mail import LINE_BREAKS


def single_line(value: str) -> None:
    """A name that reaches an email's headers (a client's name in a subject, the sender's name)
    holds no line break: one there fails every email that carries it (issue #24)."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(_("Write it on one line."), code="single_line")
