"""The criteria editor: the builder, validation errors, backtest without saving, saving a version."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client as HttpClient
from django.utils import translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from clients.criteria.forms import criteria_diff
from clients.models import CriteriaVersion, Lead
from tests.conftest import host_of

FORM = {
    "group-r": "all",
    "rule-r.0-field": "employees",
    "rule-r.0-op": "gte",
    "rule-r.0-value": "50",
    "group-r.1": "any",
    "rule-r.1.0-field": "vertical",
    "rule-r.1.0-op": "in",
    "rule-r.1.0-value": "saas, fintech",
    "points-0-kind": "action",
    "points-0-action": "webinar_signup",
    "points-0-points": "20",
    "points-1-kind": "rule",
    "points-1-field": "interests",
    "points-1-op": "contains",
    "points-1-value": "seo",
    "points-1-points": "15",
    "threshold": "20",
    "sales_ready": ["demo_request"],
    "effective_from": "2026-01-01",
    "change_note": "Tighter fit",
}


FORM_CRITERIA = {"fit": {"all": [{"field": "employees", "op": "gte", "value": 10}]}, "threshold": 10, "points": []}


def admin_http(admin_user) -> HttpClient:
    http = HttpClient()
    http.force_login(admin_user)
    return http


def test_the_builder_adds_and_removes_rows_keeping_what_was_typed(admin_user, tenant_a) -> None:
    http = admin_http(admin_user)
    page = http.post("/criteria/builder/", {**FORM, "operation": "add-rule:r.1"}, HTTP_HOST=host_of(tenant_a))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'name="rule-r.1.1-field"' in body and 'value="saas, fintech"' in body
    removed = http.post("/criteria/builder/", {**FORM, "operation": "remove:r.1"}, HTTP_HOST=host_of(tenant_a))
    assert 'name="rule-r.1.0-field"' not in removed.content.decode()


def test_invalid_rules_show_the_problem_and_save_nothing(admin_user, tenant_a) -> None:
    http = admin_http(admin_user)
    response = http.post("/criteria/new/", {**FORM, "rule-r.0-op": "contains"}, HTTP_HOST=host_of(tenant_a))
    assert response.status_code == 422
    assert "Fit rules › rule 1, the condition: " in response.content.decode()  # where, in words
    with schema_context("alpha"):
        assert not CriteriaVersion.objects.exists()


def test_a_rule_error_names_the_condition_and_field_in_words_in_both_languages(admin_user, tenant_a) -> None:
    """Not "“gte” does not apply to vertical (a text field)": the menus' words, and what to choose instead."""
    http = admin_http(admin_user)
    bad = {**FORM, "rule-r.1.0-op": "gte", "rule-r.1.0-value": "saas", "rule-r.0-op": "in", "rule-r.0-value": "many"}
    body = http.post("/criteria/new/", bad, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "“at least” does not apply to Industry: choose “is”, “is not”, “is one of”, “is none of” or “is known”." in body
    assert "“is one of” takes one or more numbers" in body
    assert "gte" not in re.sub(r'value="[^"]*"', "", body.split("<main", 1)[1])  # only the menus' values
    admin_user.language = "es"
    admin_user.save()
    spanish = http.post("/criteria/new/", bad, HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "«al menos» no se aplica a Sector" in spanish, re.findall(r"no se aplica[^<]*", spanish)
    assert "«es uno de» pide uno o más números" in spanish, re.findall(r"pide[^<]*", spanish)


def test_backtest_compares_current_and_draft_without_saving(admin_user, tenant_a) -> None:
    now = dt.datetime.now(dt.UTC).replace(day=1) - dt.timedelta(days=20)
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"b{i}", created_at=now, employees=100, vertical="saas", sql_at=now if i % 2 else None) for i in range(4)]
        )
    http = admin_http(admin_user)
    response = http.post("/criteria/backtest/", {**FORM, "threshold": "0"}, HTTP_HOST=host_of(tenant_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "MQLs with the draft" in body and ">4<" in body and "50.0 %" in body
    # months named as people say them, in the page's language, never as codes ("2026-03")
    assert f'<td class="month">{date_format(now, "F Y")}</td>' in body and not re.search(r"<td[^>]*>\d{4}-\d{2}</td>", body)
    with schema_context("alpha"):
        assert not CriteriaVersion.objects.exists()
        assert not Lead.objects.filter(mql_at__isnull=False).exists()


def test_saving_creates_a_version_with_author_and_a_readable_change(admin_user, tenant_a) -> None:
    http = admin_http(admin_user)
    response = http.post("/criteria/new/", FORM, HTTP_HOST=host_of(tenant_a))
    assert response.status_code == 302
    with schema_context("alpha"):
        version = CriteriaVersion.objects.get()
    assert version.author_name == admin_user.display_name and version.change_note == "Tighter fit"
    assert version.criteria["fit"] == {
        "all": [
            {"field": "employees", "op": "gte", "value": 50},
            {"any": [{"field": "vertical", "op": "in", "value": ["saas", "fintech"]}]},
        ]
    }
    assert version.criteria["points"][1] == {"field": "interests", "op": "contains", "value": "seo", "points": 15}
    second = http.post("/criteria/new/", {**FORM, "threshold": "35", "change_note": "Higher bar"}, HTTP_HOST=host_of(tenant_a))
    assert second.status_code == 302
    detail = http.get("/criteria/2/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Threshold: 20 → 35" in detail and "<code>" not in detail.split("The rules")[0]
    first = http.get("/criteria/1/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "The first version." in first and "first version</code>" not in first
    spanish = http.get("/criteria/2/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Umbral: 20 → 35" in spanish and "threshold:" not in spanish
    listing = http.get("/criteria/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Higher bar" in listing and "Tighter fit" in listing


def test_the_builder_names_fields_conditions_and_actions_in_words(admin_user, tenant_a) -> None:
    """The menus read "Industry", "at least", "Demo request", in Spanish too; the values sent stay the keys."""
    http = admin_http(admin_user)
    body = http.post("/criteria/builder/", {**FORM, "operation": "add-points"}, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert '<option value="vertical" >Industry</option>' in body or '<option value="vertical">Industry</option>' in body
    assert '<option value="gte" selected>at least</option>' in body
    assert ">webinar_signup<" not in body and "Webinar sign-up" in body
    admin_user.language = "es"
    admin_user.save()
    spanish = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Solicitud de demo" in spanish or "demostración" in spanish


def test_a_backtest_of_no_mql_says_why(admin_user, tenant_a) -> None:
    """The rules score at most 35 (15 + 20, each once) and the threshold is 40: said, with numbers."""
    now = dt.datetime.now(dt.UTC).replace(day=1) - dt.timedelta(days=20)
    with schema_context("alpha"):
        Lead.objects.create(id="z1", created_at=now, employees=100, vertical="saas")
    http = admin_http(admin_user)
    form = {**FORM, "threshold": "40", "sales_ready": []}
    body = http.post("/criteria/backtest/", form, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "its rules can score at most 35 points (each rule and action once), and the threshold is 40" in body
    reachable = http.post("/criteria/backtest/", {**form, "threshold": "30"}, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "at most" not in reachable and "none both fits and reaches 30 points" in reachable


def test_a_first_version_takes_effect_from_the_first_month_with_leads(admin_user, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="old", created_at=dt.datetime(2025, 11, 20, 23, 30, tzinfo=dt.UTC))  # 21 Nov in Madrid
    page = admin_http(admin_user).get("/criteria/new/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'name="effective_from" value="2025-11-01"' in page


def test_the_backtest_names_its_cohort_share_apart_from_the_reports_mql_to_sql_rate(admin_user, tenant_a) -> None:
    """The backtest follows the same leads (of a month's MQLs, the share that became SQL); the report's
    "MQL → SQL rate" divides the month's SQLs by its MQLs. Each column says which, in both languages,
    and the "—" of a month without MQLs says why."""
    now = dt.datetime.now(dt.UTC).replace(day=1) - dt.timedelta(days=20)
    with schema_context("alpha"):
        Lead.objects.bulk_create(
            [Lead(id=f"c{i}", created_at=now, employees=100, vertical="saas", sql_at=now if i < 1 else None)
             for i in range(4)]
        )
    http = admin_http(admin_user)
    body = http.post("/criteria/backtest/", {**FORM, "threshold": "0"}, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Backtest: the MQLs the rules find per month, and of those same leads, the share that became SQL" in body
    assert body.count('data-measure="cohort"') == 2
    assert "Of these MQLs, share that became SQL, now" in body
    assert "Of these MQLs, share that became SQL, with the draft" in body and "25.0 %" in body
    assert "MQL→SQL" not in body
    assert "It is not the report's “MQL → SQL rate”, which divides the month's SQLs by the month's MQLs" in body
    assert "— A month with no MQLs has no share." in body  # the months before these leads
    admin_user.language = "es"
    admin_user.save()
    spanish = http.post("/criteria/backtest/", {**FORM, "threshold": "0"}, HTTP_HOST=host_of(tenant_a),
                        HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Prueba: los MQL que encuentran las reglas cada mes y, de esos mismos leads, la parte que pasó a SQL" in spanish
    assert "De estos MQL, parte que pasó a SQL, ahora" in spanish
    assert "De estos MQL, parte que pasó a SQL, con el borrador" in spanish
    assert "No es la «Tasa MQL → SQL» del informe, que divide los SQL del mes entre los MQL del mes" in spanish
    assert "— Un mes sin MQL no tiene parte." in spanish
    assert "(leads distintos, así que puede superar el 100 %)." in spanish and "%%" not in spanish + body
    assert "share" not in spanish and "Backtest" not in spanish


def test_what_changed_between_versions_is_said_in_words_in_both_languages() -> None:
    before = {
        "fit": {"field": "employees", "op": "gte", "value": 10},
        "threshold": 30,
        "points": [{"action": "demo_request", "points": 20}],
        "sales_ready_actions": ["demo_request"],
    }
    after = {
        "fit": {"field": "employees", "op": "gte", "value": 50},
        "threshold": 30,
        "points": [{"field": "employees", "op": "gte", "value": 250, "points": 25}],
        "sales_ready_actions": [],
    }
    with translation.override("es"):
        changes = criteria_diff(before, after)
    assert changes[0] == "Reglas de encaje: Empleados al menos 10 → Empleados al menos 50"
    assert changes[1] == "Acciones de lead listo para ventas: Solicitud de demo → ninguna"
    assert "Regla de puntuación quitada: Solicitud de demo: 20 puntos" in changes
    assert "Regla de puntuación añadida: Empleados al menos 250: 25 puntos" in changes
    assert not any("{" in change for change in changes)  # no JSON


def test_a_spanish_admin_writes_a_thousand_with_a_dot_and_sees_it_back_so(admin_user, tenant_a) -> None:
    http = admin_http(admin_user)
    spanish = {**FORM, "rule-r.0-value": "1.000", "points-1-kind": "rule", "points-1-field": "income",
               "points-1-op": "between", "points-1-value": "20.000; 45.000,5", "threshold": "12,5"}
    response = http.post("/criteria/new/", spanish, HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    with schema_context("alpha"):
        criteria = CriteriaVersion.objects.get().criteria
    assert criteria["fit"]["all"][0] == {"field": "employees", "op": "gte", "value": 1000}  # not 1
    assert criteria["points"][1]["value"] == [20000, 45000.5] and criteria["threshold"] == 12.5
    page = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'name="rule-r.0-value" value="1.000"' in page and 'value="20.000; 45.000,5"' in page
    assert 'name="threshold" value="12,5"' in page
    assert "Los números, como los escribes (1.000 · 2,5)" in page  # the hint, in the page's own format
    english = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'name="rule-r.0-value" value="1,000"' in english and 'name="threshold" value="12.5"' in english


def test_a_number_that_could_be_read_two_ways_is_refused_with_how_to_write_it(admin_user, tenant_a) -> None:
    http = admin_http(admin_user)
    response = http.post("/criteria/new/", {**FORM, "rule-r.0-value": "1,000"}, HTTP_HOST=host_of(tenant_a),
                         HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 422
    body = response.content.decode()
    assert "Empleados: «1,000» se puede leer de dos maneras" in body
    assert "pide un número" not in body  # not a second, confusing line for the same value
    with schema_context("alpha"):
        assert not CriteriaVersion.objects.exists()


def test_a_later_version_takes_effect_from_the_first_month_not_yet_approved(admin_user, tenant_a, monkeypatch) -> None:
    """A new client's criteria fixed while its first month is in review: offered from today, the new
    version left that month (and the report about to be approved) judged by the old rules, while the
    backtest had shown the new MQLs. It is offered from the first month the close has not approved
    (never before a version already saved, which would cut it short)."""
    from clients.criteria import selectors
    from clients.criteria.services import criteria_version_create

    with schema_context("alpha"):
        Lead.objects.create(id="old", created_at=dt.datetime(2025, 11, 20, 12, tzinfo=dt.UTC))
    criteria_version_create(criteria={**FORM_CRITERIA}, effective_from="2025-11-01", author=admin_user, client=tenant_a)
    http = admin_http(admin_user)
    page = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'name="effective_from" value="2025-11-01"' in page  # nothing approved: the whole history
    monkeypatch.setattr(selectors, "approved_months_among", lambda months: [dt.date(2026, 9, 1), dt.date(2026, 10, 1)])
    page = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'name="effective_from" value="2026-11-01"' in page  # the month after the last approved one
    assert "Los leads creados desde esta fecha se juzgan con esta versión" in page
