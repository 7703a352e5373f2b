"""The connect form of a platform: its account id and credential fields (clients.connectors)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.connectors.base import Connector
from clients.connectors.vault import Credentials


class ConnectForm(forms.Form):
    """Built from the connector's declaration; secrets are password fields never rendered back."""

    def __init__(self, *args: Any, connector: Connector, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connector = connector
        self.fields["account_id"] = forms.CharField(label=connector.account_label, max_length=200,
                                                    help_text=connector.account_help)
        for spec in connector.credential_fields:
            widget = (forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}) if spec.multiline
                      else forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False))
            self.fields[spec.name] = forms.CharField(label=spec.label, help_text=spec.help, widget=widget,
                                                     max_length=20_000, strip=True)
        if connector.slug == "ga4":
            self.fields["landing_page"] = forms.BooleanField(
                label=_("Read landing pages too"), required=False,
                help_text=_("One row per day, channel, device and landing page: more rows, and the landing page "
                            "breakdown on the report."))

    def share_offer(self) -> None:
        """The account feeds another client already (clients.connectors.sync.AccountShared): the box that
        connects it here too, deliberately (the warning above it names the client)."""
        self.fields["share"] = forms.BooleanField(
            label=_("Connect it to this client too"), required=False,
            help_text=_("Its data then counts for both clients: tick only if that is meant."))

    def clean_service_account(self) -> dict[str, Any]:
        text = self.cleaned_data.get("service_account") or ""
        try:
            data = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not a JSON key file: paste the whole file Google downloaded.")) from None
        if not isinstance(data, dict) or not data.get("private_key") or not data.get("client_email"):
            raise forms.ValidationError(_("A service account key file has “client_email” and “private_key”."))
        return data

    def credentials(self) -> Credentials:
        data = self.cleaned_data
        return Credentials(access_token=data.get("access_token", ""), api_key=data.get("api_key", ""),
                           service_account=data.get("service_account") or {})

    def options(self) -> dict[str, Any]:
        return {"landing_page": True} if self.cleaned_data.get("landing_page") else {}


class PlatformAppForm(forms.Form):
    """The agency's app on one ad platform; a secret left empty keeps the saved one (never shown back)."""

    client_id = forms.CharField(label=_("Client ID"), max_length=300)
    client_secret = forms.CharField(label=_("Client secret"), max_length=300, required=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
                                    help_text=_("Leave empty to keep the saved one."))

    def __init__(self, *args: Any, platform: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform
        saved = (kwargs.get("initial") or {})
        if saved.get("client_secret"):
            self.fields["client_secret"].help_text = _("Saved: %(mask)s. Leave empty to keep it.") % {
                "mask": saved["client_secret"]}
        else:
            self.fields["client_secret"].required = True
            self.fields["client_secret"].help_text = ""
        if platform == "google_ads":
            self.fields["developer_token"] = forms.CharField(
                label=_("Developer token"), max_length=300, required=not saved.get("developer_token"),
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
                help_text=(_("Saved: %(mask)s. Leave empty to keep it.") % {"mask": saved["developer_token"]}
                           if saved.get("developer_token") else _("Google Ads › Tools › API Center (a manager account).")))
            self.fields["login_customer_id"] = forms.RegexField(
                label=_("Manager account ID (optional)"), regex=r"^\d{3}-?\d{3}-?\d{4}$", required=False,
                help_text=_("Sent as login-customer-id when the clients' accounts are reached through the agency's "
                            "manager account (123-456-7890)."))
