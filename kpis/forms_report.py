"""A client's report settings, edited at the console: its summary's KPIs, its own logo and colour."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agency.branding import logo_validate
from agency.models import Client, agency_language
from agency.widgets import ChooseFileInput
from kpis.catalogue import grouped_choices, kpi
from kpis.report import HEADLINE_MAX, HEADLINE_MIN, headline_defaults


class ReportSettingsForm(forms.ModelForm):
    """Staff choose 6–8 KPIs for a client's executive summary (none: the catalogue's defaults),
    and may give the client its own accent colour and logo (white label on its hosts)."""

    headline_kpis = forms.MultipleChoiceField(
        label=_("Summary KPIs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose 6 to 8, in the order of the list; none keeps the defaults."),
    )
    clear_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Client
        fields = ["headline_kpis", "industry", "language", "brand_accent", "brand_logo"]
        widgets = {"brand_accent": forms.TextInput(attrs={"placeholder": "#1f5fbf", "pattern": "#[0-9a-fA-F]{6}"})}
        help_texts = {
            "brand_accent": _("The client's own accent colour, as #rrggbb; empty uses the agency's."),
            "brand_logo": _("PNG, JPEG or WebP, at most 512 KB."),
            "industry": _("Benchmark bands of this industry are shown; empty shows the general ones."),
            "language": _(
                "Of the client's emails, PDF reports and invitations, and of its users' pages until they choose one; "
                "empty: the agency's default language."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["headline_kpis"].choices = grouped_choices()
        # Say what "the defaults" are: nobody should have to guess which eight an empty choice gives.
        defaults = ", ".join(str(kpi(key).label) for key in headline_defaults())
        self.fields["headline_kpis"].help_text = format_lazy(
            "{} {}", self.fields["headline_kpis"].help_text, _("The defaults: %(kpis)s.") % {"kpis": defaults}
        )
        self.fields["brand_logo"].widget = ChooseFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        # The empty language says what it gives (Django's "---------" said nothing).
        blank = {"en": _("Agency default (English)"), "es": _("Agency default (Spanish)"),
                 "es-mx": _("Agency default (Spanish, Mexico)")}
        self.fields["language"].choices = [("", blank.get(agency_language(), blank["en"])),
                                           *self.fields["language"].choices[1:]]

    def clean_headline_kpis(self) -> list[str]:
        chosen = self.cleaned_data["headline_kpis"]
        if chosen and not HEADLINE_MIN <= len(chosen) <= HEADLINE_MAX:
            raise forms.ValidationError(
                _("Choose between %(low)s and %(high)s KPIs (you chose %(count)s), or none for the defaults."),
                params={"low": HEADLINE_MIN, "high": HEADLINE_MAX, "count": len(chosen)},
            )
        return chosen

    def clean_brand_logo(self) -> Any:
        logo = self.cleaned_data.get("brand_logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, re-encoded: decodable, without metadata
            return logo_validate(logo)
        return logo

    def save(self, commit: bool = True) -> Client:
        client = super().save(commit=False)
        if self.cleaned_data.get("clear_logo"):
            client.brand_logo = ""
        if commit:
            client.save()
        return client
