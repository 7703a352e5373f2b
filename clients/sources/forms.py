"""Forms of the sources screens: scheduled sources (a CSV at a URL) and saved mappings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.importing import KINDS
from clients.imports.forms import KIND_LABELS


class ScheduledSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Address of the CSV file"), max_length=2000,
        help_text=_("A link that downloads the CSV, such as a Google Sheets “Publish to the web” link in CSV format. "
                    "It is fetched once a day."),
        widget=forms.URLInput(attrs={"placeholder": "https://docs.google.com/spreadsheets/d/e/…/pub?output=csv"}),
    )
    how = forms.ChoiceField(label=_("How to read it"), required=False)
    active = forms.BooleanField(label=_("Fetch it every day"), required=False, initial=True)

    def __init__(self, *args: object, mappings: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Detect from its header (a built-in source or a saved mapping)"))]
        choices += [(f"kind:{kind}", _("Portal's own format: %(kind)s") % {"kind": KIND_LABELS[kind]}) for kind in KINDS]
        choices += [(f"mapping:{m.pk}", _("Saved mapping: %(name)s") % {"name": m.name}) for m in mappings or []]
        self.fields["how"].choices = choices

    def how_parts(self) -> tuple[str, int | None]:
        how = self.cleaned_data.get("how") or ""
        if how.startswith("kind:"):
            return how[5:], None
        if how.startswith("mapping:"):
            return "", int(how[8:])
        return "", None
