"""The upload form of the web importer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agency.widgets import ChooseFilesInput
from clients.importing import KINDS

KIND_LABELS = {
    "campaigns": _("Campaigns"), "spend": _("Spend"), "leads": _("Leads"), "activities": _("Activities"),
    "traffic": _("Daily traffic"), "email": _("Daily email results"), "contracts": _("Contracts"),
    # A platform's own export (clients.sources), recognized from its header: import jobs queued
    # with this kind (the core's own path) are still labelled by it.
    "source": _("A platform export (Google Ads, Meta, LinkedIn, GA4, Mailchimp, HubSpot)"),
}


class FilesField(forms.FileField):
    """One or several files, cleaned one by one (Django's own recipe for ``<input multiple>``)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            return [super().clean(None, initial)]  # "This field is required."
        return [super(FilesField, self).clean(item, initial) for item in files]


class ImportUploadForm(forms.Form):
    file = FilesField(
        label=_("Files"),
        help_text=_("One file or several at once (the seven files of a new client, say): reports exported from "
                    "Google Ads, Meta Ads, LinkedIn, GA4, Mailchimp or HubSpot, files a saved mapping reads, or "
                    "files in the portal's own format (CSV, or the platform's TSV)."),
        widget=ChooseFilesInput(attrs={"accept": ".csv,.tsv,.txt,text/csv,text/plain,text/tab-separated-values",
                                       "multiple": True}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of data"), required=False,
        # One way for a platform export or a saved mapping's file: detection (the default). Naming
        # a kind is only for a file in the portal's own format.
        choices=[("", _("Detect it from the file")), *((kind, KIND_LABELS[kind]) for kind in KINDS)],
        help_text=_("Leave it to detection, or name the kind of a file in the portal's own format."),
    )

    def clean_file(self) -> list[Any]:
        """Refuse a file above PORTAL_UPLOAD_MAX_MB, more than PORTAL_UPLOAD_MAX_FILES files or more than
        PORTAL_UPLOAD_MAX_TOTAL_MB in all, with a message that says the limit (not a 413 page)."""
        files = self.cleaned_data["file"]
        limit = settings.PORTAL_UPLOAD_MAX_BYTES
        for uploaded in files:
            if uploaded.size > limit:
                message = (_("%(name)s is %(size)s MB; files up to %(limit)s MB can be uploaded. Split it into smaller "
                             "files.") if len(files) > 1 else
                           _("This file is %(size)s MB; files up to %(limit)s MB can be uploaded. Split it into smaller "
                             "files."))
                raise forms.ValidationError(message, code="too_large", params={
                    "name": uploaded.name, "size": f"{uploaded.size / 1048576:.1f}", "limit": limit // 1048576})
        if len(files) > settings.PORTAL_UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                _("You chose %(count)s files; up to %(limit)s can be uploaded at once. Upload the rest afterwards."),
                code="too_many", params={"count": len(files), "limit": settings.PORTAL_UPLOAD_MAX_FILES})
        total = sum(uploaded.size for uploaded in files)
        if total > settings.PORTAL_UPLOAD_MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _("These files add up to %(size)s MB; up to %(limit)s MB can be uploaded at once. Upload them in two "
                  "goes."), code="too_large_total",
                params={"size": f"{total / 1048576:.1f}", "limit": settings.PORTAL_UPLOAD_MAX_TOTAL_BYTES // 1048576})
        return files

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("kind") and len(cleaned.get("file") or []) > 1:
            self.add_error("kind", _("With several files, leave it to detection: each file is recognized by its "
                                     "header. Name a kind only when you upload one file."))
        return cleaned
