"""The agency's white label form (a client's own logo and colour: kpis.forms_report)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agency.branding import logo_validate
from agency.models import AgencyBrand


class ColourInput(forms.TextInput):
    input_type = "color"


class AgencyBrandForm(forms.ModelForm):
    """The agency's white label: name, email sender name, colours and logo."""

    class Meta:
        model = AgencyBrand
        fields = ["name", "sender_name", "accent", "bar_colour", "logo"]
        widgets = {"accent": ColourInput(), "bar_colour": ColourInput()}
        help_texts = {"logo": _("PNG, JPEG or WebP, at most 512 KB."), "sender_name": _("Empty: the agency name.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        self.fields["logo"].required = False

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            return logo_validate(logo)  # re-encoded: decodable, without metadata
        return logo
