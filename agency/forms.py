from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agency.models import AgencyBrand, Client, User
from agency.timezones import TimeZoneField
from agency.validators import single_line


def margin_help() -> str:
    """The gross margin's hint, its example in the active language's number format ("0,65" on a
    Spanish page): the Add client form and the client page's margin edit say it alike."""
    return gettext("A fraction of revenue: %(example)s is a 65 %% margin (used by ROMI and the lifetime values).") % {
        "example": number_format(Decimal("0.65"))}


def margin_too_large() -> str:
    """"55" typed for 55 %: the error says what to type instead of "less than or equal to 1" (its
    "%" doubled: Django formats a field's error message with the validator's values)."""
    return (gettext("Type the margin as a fraction between 0 and 1: %(example)s for 55 %%.")
            % {"example": number_format(Decimal("0.55"))}).replace("%", "%%")


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[single_line])
    slug = forms.CharField(
        label=_("Slug"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens; the client's address will be <slug>.<portal host>."),
        # Written from the name as it is typed ("Ferretería Solís" → ferreteria-solis) until edited by hand.
        widget=forms.TextInput(attrs={"data-slug-from": "id_name"}),
    )
    timezone = TimeZoneField(
        label=_("Time zone"), initial="UTC",
        help_text=_("The client's days and months are counted in it, and the times of its files without an offset "
                    "are read in it: choose the zone its CRM and ad accounts report in."))
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="USD",
        help_text=_("Its three-letter code (EUR, USD, MXN): every amount of its reports is in it; spend in another "
                    "currency is converted at the day's reference rate."))
    # Typed and shown in the page's number format: "0,65" on a Spanish page (localize: Django reads
    # the decimal comma there, and a "0.65" too, Spanish pages using no thousands separator).
    gross_margin = forms.DecimalField(
        label=_("Gross margin"),
        min_value=0,
        max_value=1,
        initial=Decimal("0.7"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    horizon_months = forms.IntegerField(label=_("LTV horizon (months)"), min_value=1, max_value=1200, initial=60)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        initial="en",
        required=False,  # not sent: the agency's default language
        help_text=_("Of the client's emails, PDF reports and invitations, and of its users' pages until they choose one."),
    )
    domain = forms.CharField(label=_("Custom domain (optional)"), max_length=253, required=False)
    manager = forms.ModelChoiceField(
        label=_("Account manager (optional)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
        help_text=_("The agency's person for this client: named on its home page, and theirs under the close board's "
                    "“Only my clients”. More people can be added on the client's page."),
    )

    start_from = forms.ChoiceField(
        label=_("Start from another client's set-up (optional)"),
        required=False,
        help_text=_("Next, you choose what to copy from it: criteria, personas, mappings, summary, targets, holidays, "
                    "colour."),
    )

    def clean_currency(self) -> str:
        """"mxn" or " eur " is the code meant: written as ISO writes it (the service checks the three letters)."""
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def __init__(self, *args: Any, clients: Any = (), user: User | None = None, **kwargs: Any) -> None:
        """The agency's defaults (time zone, currency, language: the Brand page) prefill the form;
        ``clients``: those the user may start from; ``user``: who adds it, its manager unless changed
        when they are staff (a client added by an admin had nobody assigned, and its home said so)."""
        super().__init__(*args, **kwargs)
        self.fields["gross_margin"].help_text = margin_help()
        self.fields["gross_margin"].error_messages["max_value"] = margin_too_large()
        self.fields["manager"].queryset = User.objects.filter(role=User.Role.STAFF, is_active=True).order_by("username")
        self.fields["manager"].label_from_instance = lambda person: person.display_name
        if user is not None and user.role == User.Role.STAFF:
            self.fields["manager"].initial = user.pk
        self.fields["start_from"].choices = [("", _("None: start from nothing")), *((c.slug, c.name) for c in clients)]
        brand = AgencyBrand.current()
        if brand is not None:
            self.fields["timezone"].initial = brand.default_timezone
            self.fields["timezone"].keep(brand.default_timezone)
            self.fields["currency"].initial = brand.default_currency
            self.fields["language"].initial = brand.default_language


class ClientTimezoneForm(forms.Form):
    """A client's time zone, changed through agency.services.client_timezone_set (what follows it:
    the help text, and docs/scorecards.md)."""

    timezone = TimeZoneField(
        label=_("Time zone"),
        help_text=_(
            "The client's days and months are counted in this zone: a lead created at 23:30 on the last day of a "
            "month may belong to the next month in another zone. Changing it computes every month of the client "
            "again in the new zone (within a few minutes); an approved month whose figures change then waits for "
            "staff to approve it as a revision, and the client keeps seeing the approved figures until then. The "
            "connected platforms' nightly syncs move to the new zone's night, and file timestamps without an offset "
            "are read in the new zone from then on; rows already imported keep their moment in time."
        ),
    )


    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].keep(self.initial.get("timezone"))  # a stored legacy name stays shown


class DomainForm(forms.Form):
    domain = forms.CharField(label=_("Custom domain"), max_length=253)


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[(User.Role.STAFF, User.Role.STAFF.label), (User.Role.ADMIN, User.Role.ADMIN.label)]
    )


class AssignStaffForm(forms.Form):
    """Offers only the staff not yet assigned to ``client``: choosing someone already on the team
    did nothing and made the menu look as if nobody was."""

    user = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none(), empty_label=_("Choose a staff member"))

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assigned = User.objects.filter(memberships__client=client).values("pk")
        self.fields["user"].queryset = User.objects.filter(role=User.Role.STAFF).exclude(pk__in=assigned).order_by("username")
        # The person as the team list names them (full name, else email), not by the login name.
        self.fields["user"].label_from_instance = lambda user: user.display_name


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email of the client user"))


def apply_errors(form: forms.Form, error: Exception) -> None:
    """Put a service's ValidationError on the form's fields (or the form, for unknown keys)."""
    for field, messages in getattr(error, "message_dict", {"__all__": getattr(error, "messages", [str(error)])}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
