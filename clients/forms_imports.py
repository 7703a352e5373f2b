"""The upload form of the web importer."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clients.importing import KINDS

KIND_LABELS = {
    "campaigns": _("Campaigns"), "spend": _("Spend"), "leads": _("Leads"), "activities": _("Activities"),
    "traffic": _("Daily traffic"), "email": _("Daily email results"), "contracts": _("Contracts"),
    # A platform's own export (clients.sources), recognized from its header.
    "source": _("A platform export (Google Ads, Meta, LinkedIn, GA4, Mailchimp, HubSpot)"),
}
UPLOAD_KINDS = (*KINDS, "source")


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"), choices=[(kind, KIND_LABELS[kind]) for kind in UPLOAD_KINDS])
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, the first line a header with the column names of this kind."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        """Refuse a file above PORTAL_UPLOAD_MAX_MB with a message that says the limit (not a 413 page)."""
        uploaded = self.cleaned_data["file"]
        limit = settings.PORTAL_UPLOAD_MAX_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s MB; files up to %(limit)s MB can be uploaded. Split it into smaller files."),
                code="too_large",
                params={"size": f"{uploaded.size / 1048576:.1f}", "limit": limit // 1048576},
            )
        return uploaded
