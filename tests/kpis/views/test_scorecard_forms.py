"""Staff forms on the scorecard: notes and targets with field errors, numbers typed in en and es."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from kpis.forms import TargetForm, number_parse
from kpis.models import Annotation
from portfolio.models import Target
from tests.conftest import host_of, march_with_leads

MARCH = dt.date(2026, 3, 1)
march = march_with_leads  # the fixture (alpha, three March leads, the snapshot) under the name these tests use


def post(user, path: str, data: dict, tenant):
    http = HttpClient()
    http.force_login(user)
    return http.post(path, data, HTTP_HOST=host_of(tenant))


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "0.25", "0.25"),
        ("en", "0,25", "0.25"),
        ("en", "1,234", "1234"),
        ("en", "1.234", "1.234"),
        ("en", "1,234.5", "1234.5"),
        ("en", "0.250", "0.250"),
        ("es", "0,25", "0.25"),
        ("es", "1.234", "1234"),
        ("es", "1.234,5", "1234.5"),
        ("es", "1 234,5", "1234.5"),
        ("es", "12\xa0345,60", "12345.60"),
        ("es", "0.250", "0.250"),
    ],
)
def test_numbers_are_read_as_people_type_them_in_each_language(language: str, typed: str, expected: str) -> None:
    with translation.override(language):
        assert number_parse(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["abc", "1,23,4", "1..2", "nan", ""])
def test_what_is_not_a_number_is_a_field_error(typed: str) -> None:
    form = TargetForm({"month": "2026-03", "kpi": "new_leads", "value": typed or "x"}, month=MARCH)
    assert not form.is_valid() and "value" in form.errors


def test_a_bad_target_redisplays_the_scorecard_with_the_error_beside_the_field(staff_a, march) -> None:
    response = post(staff_a, "/scorecard/targets/", {"month": "2026-03", "kpi": "bounce_rate", "value": "25"}, march)
    body = response.content.decode()
    assert response.status_code == 422
    assert '<details class="card staff-tools" open>' in body  # the form is shown, not hidden in a closed box
    assert "A rate is a fraction between 0 and 1: write 0.25 for 25 %." in body
    assert 'aria-invalid="true"' in body and 'aria-describedby="target-value_help target-value_error"' in body
    assert 'value="25"' in body and '<option value="bounce_rate" selected>' in body  # what was typed stays
    assert "March 2026" in body and not Target.objects.filter(client=march).exists()


@pytest.mark.parametrize(
    ("kpi", "typed", "message"),
    [
        ("new_leads", "2.5", "This KPI counts things: use a whole number, 0 or more."),
        ("new_leads", "-3", "This KPI counts things: use a whole number, 0 or more."),
        ("cpl", "-10", "Use an amount of 0 or more."),
        ("made_up", "1", "Choose a KPI of the report."),
        ("sessions", "twelve", "Write a number, e.g. 120 or 0.25."),
    ],
)
def test_each_kind_of_kpi_checks_its_target(staff_a, march, kpi: str, typed: str, message: str) -> None:
    response = post(staff_a, "/scorecard/targets/", {"month": "2026-03", "kpi": kpi, "value": typed}, march)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Target.objects.filter(client=march).exists()


def test_growth_rates_may_be_negative_or_above_one(staff_a, march) -> None:
    for kpi, typed in (("lead_velocity_rate", "1.5"), ("romi", "-0.2")):
        assert post(staff_a, "/scorecard/targets/", {"month": "2026-03", "kpi": kpi, "value": typed}, march).status_code == 302
    assert dict(Target.objects.filter(client=march).values_list("kpi", "value")) == {"lead_velocity_rate": 1.5, "romi": -0.2}


def test_spanish_staff_type_spanish_numbers_and_an_empty_value_removes_the_target(staff_a, march) -> None:
    staff_a.language = "es"
    staff_a.save()
    assert (
        post(staff_a, "/scorecard/targets/", {"month": "2026-03", "kpi": "sessions", "value": "1.500"}, march).status_code == 302
    )
    assert Target.objects.get(client=march, kpi="sessions").value == 1500.0
    assert post(staff_a, "/scorecard/targets/", {"month": "2026-03", "kpi": "sessions", "value": ""}, march).status_code == 302
    assert not Target.objects.filter(client=march).exists()


def test_a_note_needs_text_of_at_most_300_characters(staff_a, march) -> None:
    empty = post(staff_a, "/scorecard/notes/", {"month": "2026-03", "text": "   "}, march)
    assert empty.status_code == 422 and "Write what happened that month." in empty.content.decode()
    long = post(staff_a, "/scorecard/notes/", {"month": "2026-03", "text": "x" * 301}, march)
    assert long.status_code == 422 and "at most 300 characters" in long.content.decode()
    bad_month = post(staff_a, "/scorecard/notes/", {"month": "2026-13", "text": "Launch"}, march)
    assert bad_month.status_code == 422 and "Choose a month (YYYY-MM)." in bad_month.content.decode()
    with schema_context("alpha"):
        assert not Annotation.objects.exists()


def test_client_users_cannot_post_notes_or_targets(client_user_a, march) -> None:
    assert post(client_user_a, "/scorecard/notes/", {"month": "2026-03", "text": "Hi"}, march).status_code == 404
    assert post(client_user_a, "/scorecard/targets/", {"month": "2026-03", "kpi": "cpl", "value": "1"}, march).status_code == 404
    with schema_context("alpha"):
        assert not Annotation.objects.exists()
    assert not Target.objects.exists()


def test_targets_live_in_public_but_each_client_sees_only_its_own(client_user_a, staff_ab, march, tenant_b) -> None:
    Target.objects.create(client=tenant_b, month=MARCH, kpi="new_leads", value=777)
    http = HttpClient()
    http.force_login(client_user_a)
    body = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(march)).content.decode()
    assert "777" not in body and "Target " not in body
    assert post(staff_ab, "/scorecard/targets/", {"month": "2026-03", "kpi": "new_leads", "value": "2"}, march).status_code == 302
    assert set(Target.objects.values_list("client__slug", "value")) == {("beta", 777.0), ("alpha", 2.0)}
    body = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(march)).content.decode()
    assert "Target 2 — met" in body and "777" not in body


def test_the_blank_staff_forms_follow_the_month_and_the_language(staff_a, march) -> None:
    http = HttpClient()
    http.force_login(staff_a)
    english = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(march)).content.decode()
    assert '<label for="annotation-text">A note on March 2026</label>' in english
    staff_a.language = "es"
    staff_a.save()
    spanish = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(march)).content.decode()
    assert "Una nota sobre marzo de 2026" in spanish[spanish.index('<label for="annotation-text">') :][:80]
    assert 'name="csrfmiddlewaretoken"' in spanish  # the token is per user, outside the shared form HTML
