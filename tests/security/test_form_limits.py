"""Issue #24 point 1: every form field's length and range is checked before the database sees it.

The walk imports every module of the project's apps, finds every form class and checks each
field (as a form instance has it, so fields set in ``__init__`` count): a text field has a
``max_length``; a number field has a lower and an upper bound, or a ``max_digits``. A ModelForm's
field is also bounded by its model field (``max_length`` derived by Django, and the model's own
validators, which the form runs before saving). A new form without limits fails here by name.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core import validators

APPS = ("agency", "clients", "kpis", "portfolio", "reports")
NUMBERS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


def _project_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for app in APPS:
        package = importlib.import_module(app)
        for module_info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module_info.name or ".management" in module_info.name:
                continue
            module = importlib.import_module(module_info.name)
            for name, value in vars(module).items():
                if inspect.isclass(value) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                    found[f"{module.__name__}.{name}"] = value
    return [found[key] for key in sorted(found)]


def _instance_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    for attempt in ({}, {"request": None}):
        try:
            return form_class(**attempt).fields
        except Exception:  # noqa: S112 - a form that needs arguments: its declared fields are walked
            continue
    return form_class.base_fields


def _model_validators(form_class: type[forms.BaseForm], name: str) -> list:
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    if model is None:
        return []
    try:
        return list(model._meta.get_field(name).validators)
    except Exception:
        return []


def _unbounded(form_class: type[forms.BaseForm]) -> list[str]:
    problems = []
    for name, field in _instance_fields(form_class).items():
        kinds = [type(v) for v in field.validators + _model_validators(form_class, name)]
        if isinstance(field, forms.CharField) and field.max_length is None:
            problems.append(f"{name}: text without max_length")
        if isinstance(field, NUMBERS):
            digits = any(issubclass(k, validators.DecimalValidator) for k in kinds) and getattr(field, "max_digits", None)
            low = any(issubclass(k, validators.MinValueValidator) for k in kinds)
            high = any(issubclass(k, validators.MaxValueValidator) for k in kinds)
            if not digits and not (low and high):
                problems.append(f"{name}: number without both bounds")
    return problems


FORMS = _project_forms()


def test_the_walk_finds_the_projects_forms() -> None:
    names = {f"{form.__module__}.{form.__name__}" for form in FORMS}
    assert {"agency.forms.ClientForm", "kpis.forms.TargetForm", "clients.records.forms.ContractForm"} <= names
    assert len(FORMS) >= 15


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_field_is_bounded_before_the_database(form_class, db) -> None:
    assert _unbounded(form_class) == []
