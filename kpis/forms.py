"""Staff forms around the scorecard: a note on a month and a target for a KPI, with field errors.

The forms validate what a person typed; the services (annotation_create, target_set) stay the
only writers. Both forms carry the month as a hidden ``YYYY-MM`` field so that a failed submit
re-renders the same month's scorecard with the errors beside the fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import flatatt
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agency.dates import month_parse
from agency.months import Month
from clients.criteria.numbers import number_typed
from kpis.catalogue import Unit, grouped_choices, kpi, targetable


class MonthField(forms.CharField):
    """A month written ``YYYY-MM``, cleaned to its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return str(Month.of(value)) if isinstance(value, dt.date) else value

    def clean(self, value: Any) -> dt.date:
        text = super().clean(value)
        month = month_parse(text)
        if month is None:
            raise forms.ValidationError(_("Choose a month (YYYY-MM)."), code="month")
        return month


def _plain(value: float) -> str:
    """A bound as people read it: 1,000,000,000,000 rather than 1e12 or 1000000000000.0."""
    return number_format(int(value) if float(value).is_integer() else value, force_grouping=True)


def number_parse(text: str) -> Decimal:
    """A number as people type it in English or Spanish: "1,234.5", "1.234,5", "0,25", "0.25".

    With both marks, the last one is the decimal mark. With one mark, it is the decimal mark
    unless it is followed by exactly three digits after a non-zero whole part ("1.234"); that
    ambiguous case follows the active language's decimal separator.
    """
    from django.utils.formats import get_format

    text = text.strip().replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace("%", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _mark, fraction = text.rpartition(decimal_mark)
        return Decimal(_ungroup(whole, group_mark) + "." + fraction)
    mark = "," if "," in text else "." if "." in text else None
    if mark is None:
        return Decimal(text)
    parts = text.split(mark)
    ambiguous = len(parts) == 2 and len(parts[1]) == 3 and parts[0].lstrip("+-") not in {"", "0"}
    if len(parts) == 2 and (not ambiguous or get_format("DECIMAL_SEPARATOR") == mark):
        return Decimal(parts[0] + "." + parts[1])
    return Decimal(_ungroup(text, mark))


def _ungroup(text: str, mark: str) -> str:
    """Remove group marks: "1.234.567" → "1234567"; groups after the first must have three digits."""
    head, *groups = text.split(mark)
    if any(len(group) != 3 for group in groups) or not head.lstrip("+-"):
        raise InvalidOperation(text)
    return head + "".join(groups)


class DescribedForm(forms.Form):
    """Ties each input to its help text and errors (aria-describedby, aria-invalid) for screen readers.

    The ids match templates/includes/form.html: ``<auto_id>_help`` and ``<auto_id>_error``.
    """

    def full_clean(self) -> None:
        super().full_clean()
        # A hidden field (the month) has no place to show its error: show it above the form.
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self._errors:
                self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield")).extend(self._errors[name])
        self.describe()

    def describe(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class AnnotationForm(DescribedForm):
    """A note on a month ("site redesign launched"), shown on the scorecard and its sparklines."""

    month = MonthField()
    text = forms.CharField(max_length=300, strip=True, widget=forms.TextInput(attrs={"maxlength": 300}))

    def __init__(self, *args: Any, month: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "annotation-%s")
        super().__init__(*args, **kwargs)
        if month is not None:
            self.fields["month"].initial = month
            self.fields["text"].label = _("A note on %(month)s") % {"month": date_format(month, "YEAR_MONTH_FORMAT")}
        else:
            self.fields["text"].label = _("Note")
        self.fields["text"].widget.attrs["placeholder"] = _("e.g. site redesign launched")
        self.fields["text"].error_messages["required"] = _("Write what happened that month.")


class QuickGroupedSelect(forms.Select):
    """A <select> of option groups written directly: Django's per-option templates took ~3.5 ms for
    the scorecard's 85 KPIs on every staff page view; this takes a small fraction of that."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        groups = []
        for title, options in self.choices:
            rows = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((key, mark_safe(" selected") if key == chosen else "", label) for key, label in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', title, rows))
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(groups)))  # noqa: S308


def _quarter() -> str:
    """0.25 as the page's language writes it: the target form's examples said "0,25" to Mexican staff,
    whose every figure on the page reads with a decimal point ("31.7 %")."""
    return number_typed(0.25)


class TargetForm(DescribedForm):
    """A target for one KPI in one month; an empty value removes the month's target."""

    month = MonthField()
    kpi = forms.ChoiceField(label=gettext_lazy("KPI"), widget=QuickGroupedSelect)
    value = forms.CharField(required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: Any, month: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "target-%s")
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = grouped_choices(only=targetable())
        self.fields["kpi"].error_messages["invalid_choice"] = _("Choose a KPI of the report.")
        if month is not None:
            self.fields["month"].initial = month
            self.fields["value"].label = _("Target for %(month)s (rates as fractions, %(quarter)s = 25 %%)") % {
                "month": date_format(month, "YEAR_MONTH_FORMAT"), "quarter": _quarter()
            }
        else:
            self.fields["value"].label = _("Target (rates as fractions, %(quarter)s = 25 %%)") % {"quarter": _quarter()}
        self.fields["value"].help_text = _("Leave it empty to remove the month's target for this KPI.")
        self.describe()

    def clean_value(self) -> float | None:
        return target_typed(self.cleaned_data.get("value", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kpi_key, value = data.get("kpi"), data.get("value")
        if kpi_key and value is not None:
            problem = target_problem(kpi_key, value)
            if problem:
                self.add_error("value", problem)
        return data


def target_problem(kpi_key: str, value: float) -> str:
    """What is wrong with ``value`` as a target of ``kpi_key`` in words, "" when nothing is.

    The catalogue's plausible range for the KPI's unit: a rate that is a share outside 0–1 is a
    typing mistake (25 instead of 0.25); growth, ROI and uplift are not limited. One rule for the
    scorecard's one-KPI form and the targets page's every-KPI form."""
    declared = kpi(kpi_key)
    low, high = declared.range
    if declared.whole and (value < 0 or value != int(value)):
        return _("This KPI counts things: use a whole number, 0 or more.")
    if declared.unit == Unit.RATE and (value < low or value > high):
        return _("A rate is a fraction between 0 and 1: write %(quarter)s for 25 %%.") % {"quarter": _quarter()}
    if declared.unit in {Unit.MONEY, Unit.HOURS} and value < low:
        return _("Use an amount of 0 or more.")
    if not low <= value <= high:
        return _("Use a value between %(low)s and %(high)s.") % {"low": _plain(low), "high": _plain(high)}
    return ""


def target_typed(text: str) -> float | None:
    """A target as typed: None when empty; ValidationError when it is no number."""
    if not text.strip():
        return None
    try:
        value = number_parse(text)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        raise forms.ValidationError(_("Write a number, e.g. 120 or %(quarter)s.") % {"quarter": _quarter()},
                                    code="number")
    return float(value)


TARGET_MONTHS_AHEAD = 11  # "apply to the following months": up to a year with the month itself


class TargetsForm(DescribedForm):
    """Every KPI's target for one month at once (the targets page), and how far the same targets
    go on: the month only, or through a later month (the end of the quarter, of the year).

    One field per KPI of the catalogue, named by its key; an empty field means no target for that
    KPI. The service (kpis.services.targets_months_set) writes them all or none."""

    month = MonthField()
    through = forms.ChoiceField(label=gettext_lazy("Apply to"))

    def __init__(self, *args: Any, month: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "targets-%s")
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = month
        self.fields["through"].choices = through_choices(month)
        self.fields["through"].initial = str(Month.of(month))
        self.fields["through"].help_text = _(
            "The following months get the same targets: what they had is replaced, and a KPI left empty "
            "here has no target in them either.")
        for declared in targetable():
            self.fields[declared.key] = forms.CharField(
                label=declared.label, required=False, max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )
        self.describe()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        values: dict[str, float | None] = {}
        for declared in targetable():
            if declared.key not in data:  # too long: the field said so
                continue
            try:
                value = target_typed(data[declared.key] or "")
            except forms.ValidationError as error:
                self.add_error(declared.key, error)
                continue
            problem = target_problem(declared.key, value) if value is not None else ""
            if problem:
                self.add_error(declared.key, problem)
            values[declared.key] = value
        data["values"] = values
        month, through = data.get("month"), month_parse(data.get("through") or "")
        if month is not None and through is not None:
            data["months"] = [m.first_day for m in Month.range(Month.of(month), Month.of(through))]
        return data


def through_choices(month: dt.date) -> list[tuple[str, str]]:
    """The month alone, then each later month up to TARGET_MONTHS_AHEAD, naming the end of a quarter
    or of the year where it is one ("March 2027, end of the quarter (4 months)")."""
    first = Month.of(month)
    choices = [(str(first), _("Only %(month)s") % {"month": date_format(first.first_day, "YEAR_MONTH_FORMAT")})]
    for ahead in range(1, TARGET_MONTHS_AHEAD + 1):
        last = first + ahead
        named = {"month": date_format(last.first_day, "YEAR_MONTH_FORMAT"), "count": ahead + 1}
        if last.month == 12:
            label = _("Through %(month)s, the end of the year (%(count)s months)") % named
        elif last.month % 3 == 0:
            label = _("Through %(month)s, the end of the quarter (%(count)s months)") % named
        else:
            label = _("Through %(month)s (%(count)s months)") % named
        choices.append((str(last), label))
    return choices
