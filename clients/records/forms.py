"""Forms for the staff screens that edit personas and contracts one at a time."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agency.dates import date_range_message, date_range_validate, months_fit
from clients.criteria.forms import draft_from_post
from clients.criteria.rules import personas_problems
from clients.models import Contract
from clients.records.persona_builder import fine_rows, match_from_tree, match_shown_by_rows, match_tree, with_paths
from clients.records.public_holidays import COUNTRIES, region_choices
from clients.words import problem_words, vocab_label


class PersonaForm(forms.Form):
    """A persona: code, name, and its match rule as rows (field, operator, value) or, for a rule
    the rows cannot show, as the spec's JSON (the "advanced" view; also what a post naming no
    rows, like a script's, sends)."""

    code = forms.SlugField(
        label=_("Code"), max_length=50, help_text=_("Short, no spaces: the leads file's “persona” column names it.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    match = forms.CharField(
        label=_("Match rule as JSON"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_('Same syntax as the qualification rules, e.g. {"field": "employees", "op": "gte", "value": 250}'),
    )
    use_json = forms.BooleanField(label=_("Use the JSON instead of the rows"), required=False)

    def __init__(self, data: Any = None, *, stored_match: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.stored_match = stored_match
        # A stored rule the rows cannot show (``exists: false``…) is said in words, kept as JSON.
        self.rows_show_stored = stored_match is None or match_shown_by_rows(stored_match)
        self.rows_posted = data is not None and "group-r" in data
        if self.rows_posted:
            self.tree = draft_from_post(data)["fit"]
        else:
            self.tree = match_tree(stored_match if self.rows_show_stored else {})
            if stored_match is None and not self.is_bound:  # a new persona starts with a row to fill in
                self.tree["children"].append({"field": "", "op": "", "value": ""})
        self.row_faults = 0
        self.fine_rows: list[str] = []  # after match_to_count: the rows with nothing wrong now

    def json_mode(self) -> bool:
        if not self.is_bound:
            return not self.rows_show_stored
        return not self.rows_posted or self.data.get("use_json") in {"on", "true", "1", True}

    def _json_match(self, text: str) -> dict:
        try:
            match = json.loads(text.strip() or "{}")
        except (RecursionError, ValueError) as error:  # JSONDecodeError is a ValueError
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": error}) from None
        problems = personas_problems([{"code": "x", "name": "x", "match": match}])
        if problems:
            raise forms.ValidationError([problem_words(p.replace("[0].match", "match")) for p in problems])
        return match

    def clean_match(self) -> dict | None:
        return self._json_match(self.cleaned_data["match"]) if self.json_mode() else None

    def clean(self) -> dict:
        data = super().clean()
        if not self.json_mode():
            rule, self.row_faults, problems = match_from_tree(self.tree, stored=self.stored_match)
            if self.row_faults:
                self.add_error(
                    None,
                    ngettext(
                        "%(n)s row of the match rule needs fixing: its error is beside it.",
                        "%(n)s rows of the match rule need fixing: each error is beside its row.",
                        self.row_faults,
                    )
                    % {"n": self.row_faults},
                )
            for problem in problems:
                self.add_error(None, problem)
            if rule is not None:
                data["match"] = rule
        return data

    def match_to_count(self) -> dict | None:
        """The rule as typed so far, when it is whole and valid (the live count needs no code or name)."""
        if self.json_mode():
            try:
                return self._json_match(str(self.data.get("match", "")))
            except forms.ValidationError:
                return None
        marked = with_paths(copy.deepcopy(self.tree))
        match = match_from_tree(marked)[0]
        self.fine_rows = fine_rows(marked)
        return match


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "id",
            "account",
            "kind",
            "start_date",
            "segment",
            "term_months",
            "monthly_fee",
            "project_fee",
            "end_date",
            "cancelled_on",
            "renewal_of",
        ]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("start_date", "end_date", "cancelled_on")}
        # The model's field names ("Start date", "Term months") were shown as labels, in English on a
        # Spanish page: every field is named, and the kinds' needs said where the kind is chosen.
        labels = {
            "id": _("Contract id"),
            "account": _("Account"),
            "kind": _("Kind"),
            "start_date": _("Start date"),
            "segment": _("Segment"),
            "term_months": _("Term (months)"),
            "monthly_fee": _("Monthly fee"),
            "project_fee": _("Project fee"),
            "end_date": _("End date"),
            "cancelled_on": _("Cancelled on"),
            "renewal_of": _("Renews contract"),
        }
        help_texts = {
            "account": _("The customer account the contract is with."),
            "kind": _("A retainer needs a term and a monthly fee; a project needs a fee and an end date."),
            "segment": _("Free text, e.g. enterprise; contracts are broken down by it."),
            "cancelled_on": _("Only when the contract was cancelled early."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date", "cancelled_on"):
            self.fields[name].validators.append(date_range_validate)
        # The kinds in words, in the user's language (the model's choices are the raw vocabulary).
        self.fields["kind"].choices = [
            (value, vocab_label(value) if value else _("Choose a kind")) for value, _label in self.fields["kind"].choices
        ]
        self.fields["renewal_of"].empty_label = _("None: a new contract")

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == "retainer":
            if not data.get("term_months") or data["term_months"] < 1:
                self.add_error("term_months", _("A retainer needs a term of at least one month."))
            if data.get("monthly_fee") is None:
                self.add_error("monthly_fee", _("A retainer needs a monthly fee."))
        if kind == "project":
            if data.get("project_fee") is None:
                self.add_error("project_fee", _("A project needs a fee."))
            if data.get("end_date") is None:
                self.add_error("end_date", _("A project needs an end date."))
        for name in ("monthly_fee", "project_fee"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Fees are not negative."))
        term, start = data.get("term_months"), data.get("start_date")
        if term and start and not months_fit(start, term):
            self.add_error("term_months", date_range_message())
        if data.get("cancelled_on") and data.get("start_date") and data["cancelled_on"] < data["start_date"]:
            self.add_error("cancelled_on", _("A contract cannot be cancelled before it starts."))
        renewal_of = data.get("renewal_of")
        if renewal_of is not None and self.instance.pk and renewal_of.pk == self.instance.pk:
            self.add_error("renewal_of", _("A contract cannot renew itself."))
        return data


class CancelForm(forms.Form):
    cancelled_on = forms.DateField(
        label=_("Cancelled on"), widget=forms.DateInput(attrs={"type": "date"}), validators=[date_range_validate]
    )


class HolidaysForm(forms.Form):
    """The client's non-working days, one date a line (what ``set_holidays`` takes, on a screen)."""

    dates = forms.CharField(
        label=_("Non-working days"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "2026-12-25\n2027-01-01"}),
        help_text=_("One date a line, as YYYY-MM-DD (commas and spaces also separate them). They replace the "
                    "list; leads per working day leave them out. Empty: no holidays."),
    )

    def date_list(self) -> list[str]:
        return [value for value in re.split(r"[\s,;]+", self.cleaned_data.get("dates") or "") if value]


class PublicHolidaysForm(forms.Form):
    """A country's (and region's) public holidays for some years, added to the client's list."""

    country = forms.ChoiceField(label=_("Country"))
    region = forms.ChoiceField(label=_("Region (optional)"), required=False,
                               help_text=_("Its own holidays are added too (Madrid's 2 May, Catalonia's 11 September)."))
    first_year = forms.IntegerField(label=_("From the year"), min_value=2000, max_value=2099)
    last_year = forms.IntegerField(label=_("To the year"), min_value=2000, max_value=2099)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(code, label) for code, label in COUNTRIES.items()]
        self.fields["region"].choices = [("", _("None: the national holidays only")), *region_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        country, region = data.get("country"), data.get("region") or ""
        if country and region and not region.startswith(f"{country}-"):
            self.add_error("region", _("This region is not in %(country)s.") % {"country": COUNTRIES[country]})
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and not 0 <= last - first < 10:
            self.add_error("last_year", _("From 1 to 10 years, the last not before the first."))
        return data

    def region_code(self) -> str:
        return (self.cleaned_data.get("region") or "").partition("-")[2]
