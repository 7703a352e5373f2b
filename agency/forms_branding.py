"""The agency's white label form (a client's own logo and colour: kpis.forms_report)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from agency.branding import logo_validate
from agency.models import AgencyBrand
from agency.timezones import TimeZoneField
from agency.widgets import ChooseFileInput


class ColourInput(forms.TextInput):
    """A colour swatch with its hex beside it (static/js/portal.js keeps it up to date as one picks):
    a swatch alone says nothing to whom cannot tell two blues apart, nor in a screenshot."""

    input_type = "color"

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        attrs = dict(attrs or {})
        input_id = attrs.get("id") or f"id_{name}"
        attrs.update({"id": input_id, "data-colour-hex": f"{input_id}_hex"})
        return format_html(
            '<span class="colour-pick">{}<output id="{}" for="{}" class="colour-hex">{}</output></span>',
            super().render(name, value, attrs, renderer),
            f"{input_id}_hex",
            input_id,
            value or "",
        )


class AgencyBrandForm(forms.ModelForm):
    """The agency's white label: name, email sender name, colours and logo."""

    class Meta:
        model = AgencyBrand
        fields = [
            "name",
            "sender_name",
            "accent",
            "bar_colour",
            "logo",
            "default_timezone",
            "default_currency",
            "default_language",
        ]
        widgets = {"accent": ColourInput(), "bar_colour": ColourInput()}
        help_texts = {
            "logo": _("PNG, JPEG or WebP, at most 512 KB."),
            "sender_name": _("Empty: the agency name."),
            "default_timezone": _("New clients start with these; each client can differ."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = ChooseFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        self.fields["logo"].required = False
        self.fields["default_timezone"] = TimeZoneField(
            label=capfirst(_("default time zone")), help_text=self.fields["default_timezone"].help_text
        )
        self.fields["default_timezone"].keep(self.instance.default_timezone)
        for name in ("default_timezone", "default_currency", "default_language"):
            self.fields[name].required = False  # not sent: kept as they are

    def _kept(self, name: str) -> str:
        return self.cleaned_data.get(name) or getattr(self.instance, name)

    def clean_default_timezone(self) -> str:
        return self._kept("default_timezone")

    def clean_default_language(self) -> str:
        return self._kept("default_language")

    def clean_default_currency(self) -> str:
        value = self._kept("default_currency").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise forms.ValidationError(_("Three letters, e.g. EUR."))
        return value

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            return logo_validate(logo)  # re-encoded: decodable, without metadata
        return logo
