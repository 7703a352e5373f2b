"""The upload form of the web importer."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agency.widgets import ChooseFileInput
from clients.importing import KINDS

KIND_LABELS = {
    "campaigns": _("Campaigns"), "spend": _("Spend"), "leads": _("Leads"), "activities": _("Activities"),
    "traffic": _("Daily traffic"), "email": _("Daily email results"), "contracts": _("Contracts"),
    # A platform's own export (clients.sources), recognized from its header: import jobs queued
    # with this kind (the core's own path) are still labelled by it.
    "source": _("A platform export (Google Ads, Meta, LinkedIn, GA4, Mailchimp, HubSpot)"),
}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A report exported from Google Ads, Meta Ads, LinkedIn, GA4, Mailchimp or HubSpot, a file a saved "
                    "mapping reads, or a file in the portal's own format (CSV, or the platform's TSV)."),
        widget=ChooseFileInput(attrs={"accept": ".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of data"), required=False,
        # One way for a platform export or a saved mapping's file: detection (the default). Naming
        # a kind is only for a file in the portal's own format.
        choices=[("", _("Detect it from the file")), *((kind, KIND_LABELS[kind]) for kind in KINDS)],
        help_text=_("Leave it to detection, or name the kind of a file in the portal's own format."),
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
