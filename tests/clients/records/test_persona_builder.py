"""A persona's match rule on rows (field, condition, value) instead of JSON: round trips to the
spec's JSON, errors beside the row at fault in the user's language, the live count of leads in SQL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from clients.criteria.services import personas_set
from clients.models import Lead, Persona
from clients.records.forms import PersonaForm
from clients.records.persona_builder import match_count_words, match_shown_by_rows, match_tree, with_paths
from clients.records.selectors import persona_match_count
from clients.words import rules_sentence
from tests.conftest import host_of, signed_in

pytestmark = pytest.mark.django_db


def rows_post(match: dict, **extra: str) -> dict[str, str]:
    """What the page posts for ``match``: the criteria editor's field names."""
    tree = with_paths(match_tree(match))
    data: dict[str, str] = {}

    def walk(node: dict) -> None:
        if "children" in node:
            data[f"group-{node['path']}"] = node["kind"]
            for child in node["children"]:
                walk(child)
        else:
            for part in ("field", "op", "value"):
                data[f"rule-{node['path']}-{part}"] = node[part]

    walk(tree)
    return {"code": "cfo", "name": "Finance lead", **data, **extra}


RULES = [
    {"field": "employees", "op": "gte", "value": 250},
    {"all": [{"field": "employees", "op": "between", "value": [50, 1000]},
             {"field": "vertical", "op": "in", "value": ["saas", "fintech"]}]},
    {"any": [{"field": "interests", "op": "contains", "value": "seo"}, {"field": "age", "op": "exists"}]},
    {"all": [{"field": "channel", "op": "eq", "value": "paid_search"},
             {"any": [{"field": "company_revenue", "op": "gte", "value": 5000000},
                      {"field": "income", "op": "lt", "value": 2.5}]}]},
    {},
]


@pytest.mark.parametrize("rule", RULES)
def test_rows_round_trip_to_the_same_json(rule) -> None:
    form = PersonaForm(rows_post(rule))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["match"] == rule


def test_a_stored_rule_saved_unchanged_keeps_its_exact_json() -> None:
    wrapped = {"all": [{"field": "age", "op": "exists", "value": True}]}
    form = PersonaForm(rows_post(wrapped), stored_match=wrapped)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["match"] == wrapped  # not the bare rule the rows would make of it
    changed = PersonaForm(rows_post({"field": "age", "op": "gt", "value": 30}), stored_match=wrapped)
    assert changed.is_valid() and changed.cleaned_data["match"] == {"field": "age", "op": "gt", "value": 30}


def test_rules_the_rows_cannot_show_are_kept_as_json() -> None:
    for rule in ({"field": "age", "op": "exists", "value": False}, {"field": "vertical", "op": "in", "value": ["a, b", "c"]},
                 {"all": [{"any": []}]}):
        assert not match_shown_by_rows(rule), rule
        form = PersonaForm(stored_match=rule)
        assert form.json_mode() and form.tree["children"] == []
    assert all(match_shown_by_rows(rule) for rule in RULES)


def test_bad_rows_get_their_error_beside_them_in_spanish() -> None:
    data = {
        "code": "cfo", "name": "CFO", "group-r": "all",
        "rule-r.0-field": "", "rule-r.0-op": "", "rule-r.0-value": "",
        "rule-r.1-field": "vertical", "rule-r.1-op": "gte", "rule-r.1-value": "saas",
        "rule-r.2-field": "employees", "rule-r.2-op": "gte", "rule-r.2-value": "mucho",
        "rule-r.3-field": "employees", "rule-r.3-op": "between", "rule-r.3-value": "50",
        "rule-r.4-field": "vertical", "rule-r.4-op": "eq", "rule-r.4-value": "  ",
        "rule-r.5-field": "employees", "rule-r.5-op": "lte", "rule-r.5-value": "900",
    }
    with translation.override("es"):
        form = PersonaForm(data)
        assert not form.is_valid()
        errors = [str(child.get("error", "")) for child in form.tree["children"]]
        assert errors[0] == "Elige un campo."
        assert errors[1].startswith("«al menos» no se aplica a Sector")
        assert errors[2] == "Escribe un número, como 250 o 1.000."
        assert errors[3].startswith("Escribe dos números")
        assert errors[4] == "Escribe un valor."
        assert errors[5] == ""
        assert "5 filas de la regla" in form.non_field_errors()[0]
    assert [child["value"] for child in form.tree["children"]][2] == "mucho"  # nothing typed is lost


def test_the_page_adds_a_persona_from_rows_and_shows_a_bad_row_beside_it(staff_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), employees=900, vertical="saas")
    http, host = signed_in(staff_a, HTTP_ACCEPT_LANGUAGE="es"), host_of(tenant_a)
    page = http.get("/personas/new/", HTTP_HOST=host).content.decode()
    assert 'name="group-r"' in page and "Añadir regla" in page and "Avanzado: la regla en JSON" in page
    assert 'name="rule-r.0-field"' in page and 'name="rule-r.1-field"' not in page  # one row to fill in
    bad = rows_post({"all": [{"field": "employees", "op": "gte", "value": 500}, {"field": "vertical", "op": "eq", "value": "x"}]})
    bad["rule-r.1-op"] = "gt"
    response = http.post("/personas/new/", bad, HTTP_HOST=host)
    body = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id="rule-r\.1-error">«más de» no se aplica a Sector', body)
    assert 'value="500"' in body and 'value="Finance lead"' in body
    good = rows_post({"all": [{"field": "employees", "op": "gte", "value": 500},
                              {"field": "vertical", "op": "eq", "value": "saas"}]})
    assert http.post("/personas/new/", good, HTTP_HOST=host).status_code == 302
    with schema_context("alpha"):
        assert Persona.objects.get(code="cfo").match == {
            "all": [{"field": "employees", "op": "gte", "value": 500}, {"field": "vertical", "op": "eq", "value": "saas"}]
        }
        assert Lead.objects.get(id="big").persona == "cfo"
    listing = http.get("/personas/", HTTP_HOST=host).content.decode()
    assert '<th scope="col" class="num">Leads</th>' in listing and '<td class="num" data-label="Leads">1</td>' in listing
    edit = http.get("/personas/cfo/", HTTP_HOST=host).content.decode()
    assert "Esta regla la cumplen 1 de 1 lead del cliente." in edit


def test_a_rule_the_rows_cannot_show_says_so_and_survives_a_save(staff_a, tenant_a) -> None:
    rule = {"field": "age", "op": "exists", "value": False}
    with schema_context("alpha"):
        Lead.objects.create(id="aged", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), age=30)
    personas_set(personas=[{"code": "anon", "name": "Anonymous", "match": rule}], client=tenant_a)
    http, host = signed_in(staff_a, HTTP_ACCEPT_LANGUAGE="es"), host_of(tenant_a)
    page = http.get("/personas/anon/", HTTP_HOST=host).content.decode()
    assert 'id="rows-cannot-show"' in page and "«no se conoce»" in page
    assert "Ningún lead cumple esta regla." in page  # the count follows the JSON when the rows cannot show it
    assert re.search(r'<input type="checkbox" name="use_json"[^>]*checked', page)
    saved = http.post("/personas/anon/", {"code": "anon", "name": "Anónimos", "group-r": "all", "use_json": "on",
                                           "match": '{"field": "age", "op": "exists", "value": false}'}, HTTP_HOST=host)
    assert saved.status_code == 302, saved.content.decode()
    with schema_context("alpha"):
        assert Persona.objects.get(code="anon").match == rule


def test_the_count_is_sql_over_the_clients_leads_and_says_why_none(tenant_a) -> None:
    with schema_context("alpha"):
        for index, (employees, vertical) in enumerate([(900, "saas"), (40, "saas"), (600, "retail"), (None, "")]):
            Lead.objects.create(id=f"l{index}", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                                employees=employees, vertical=vertical, persona_given="cfo" if index == 3 else "")
        Persona.objects.create(code="big", name="Big", match={"field": "employees", "op": "gte", "value": 800}, priority=0)
        rule = {"any": [{"field": "employees", "op": "gte", "value": 500}, {"field": "vertical", "op": "eq", "value": "saas"}]}
        count = persona_match_count(match=rule, code="cfo")
        assert (count["leads"], count["matched"], count["taken"], count["given"]) == (4, 3, 2, 1)  # l0 is "big"'s first
        assert [r["leads"] for r in count["rows"]] == [2, 2]
        none = persona_match_count(match={"all": [{"field": "employees", "op": "gte", "value": 800},
                                                  {"field": "vertical", "op": "eq", "value": "retail"}]})
        assert none["matched"] == 0 and [r["leads"] for r in none["rows"]] == [1, 1]
        with translation.override("es"):
            words = match_count_words(none, {"all": []})
            assert words["headline"] == "Ningún lead cumple esta regla."
            assert "ninguno las cumple todas a la vez" in words["notes"][0]
            typo = match_count_words(persona_match_count(match={"field": "vertical", "op": "eq", "value": "SaaS"}), {})
            assert "«saas» no es «SaaS»" in typo["notes"][0] and typo["rows"][0]["leads"] == "0 leads"
            assert typo["rows"][0]["seen"] == "Valores en los leads: «saas»: 2; «retail»: 1."  # how it is written
            unknown = match_count_words(persona_match_count(match={"field": "age", "op": "exists"}), {})
            assert unknown["notes"] == ["Ningún lead cumple las filas con 0 abajo."]  # no spelling advice for "se conoce"
            Lead.objects.filter(id="l3").update(channel="paid_search")
            channel = persona_match_count(match={"field": "channel", "op": "eq", "value": "Paid search"})
            assert match_count_words(channel, {})["rows"][0]["seen"] == (
                "Valores en los leads: «direct» (Directo): 3; «paid_search» (Búsqueda de pago): 1.")


def test_the_rows_buttons_and_the_live_count_keep_what_was_typed(staff_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="big", created_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC), employees=900)
    http, host = signed_in(staff_a), host_of(tenant_a)
    data = rows_post({"field": "employees", "op": "gte", "value": 500})
    added = http.post("/personas/new/rows/", {**data, "operation": "add-rule:r"}, HTTP_HOST=host).content.decode()
    assert 'name="rule-r.1-field"' in added and 'value="500"' in added and 'id="persona-count"' in added
    counted = http.post("/personas/new/rows/", data, HTTP_HOST=host).content.decode()
    assert counted.lstrip().startswith('<section id="persona-count"')
    assert "This rule matches 1 of the client&#x27;s 1 lead." in counted
    assert 'id="rule-r.0-error" hx-swap-oob="true" hidden' in counted  # a fixed row's old error is cleared
    json_typed = http.post("/personas/new/rows/", {**data, "use_json": "on", "match": "{"}, HTTP_HOST=host).content.decode()
    assert "The count appears once the JSON is a valid rule." in json_typed and "hx-swap-oob" not in json_typed


def test_a_bad_row_inside_a_group_gets_the_error_not_its_neighbours() -> None:
    data = {
        "code": "cfo", "name": "CFO", "group-r": "any",
        "rule-r.0-field": "employees", "rule-r.0-op": "gte", "rule-r.0-value": "250",
        "group-r.1": "all",
        "rule-r.1.0-field": "interests", "rule-r.1.0-op": "contains", "rule-r.1.0-value": "seo",
        "rule-r.1.1-field": "age", "rule-r.1.1-op": "between", "rule-r.1.1-value": "60, 30",
    }
    form = PersonaForm(data)
    assert not form.is_valid()
    group = form.tree["children"][1]
    assert [form.tree["children"][0].get("error"), group["children"][0].get("error")] == ["", ""]
    assert group["children"][1]["error"] == "Enter two numbers, the lower first, separated by a semicolon: 50; 1,000."
    data["rule-r.1.1-value"] = "30, 60"
    fixed = PersonaForm(data)
    assert fixed.is_valid() and fixed.cleaned_data["match"] == {"any": [
        {"field": "employees", "op": "gte", "value": 250},
        {"all": [{"field": "interests", "op": "contains", "value": "seo"}, {"field": "age", "op": "between", "value": [30, 60]}]},
    ]}


def test_is_known_reads_without_a_gender_in_spanish() -> None:
    """"Edad no es conocido" (Edad is feminine): the menu's "se conoce" instead."""
    with translation.override("es"):
        assert rules_sentence({"field": "age", "op": "exists", "value": False}) == "Edad no se conoce"
        assert rules_sentence({"field": "campaign", "op": "exists"}) == "Campaña se conoce"


@pytest.mark.parametrize(("language", "typed", "stored", "shown"), [
    ("es", "1.000", 1000, "1.000"),
    ("en", "1,000", 1000, "1,000"),
    ("es", "2,5", 2.5, "2,5"),
    ("en", "2.5", 2.5, "2.5"),
    ("es", "1.000.000", 1000000, "1.000.000"),
    ("en", "250", 250, "250"),
])
def test_a_persona_rows_number_is_read_and_shown_as_the_users_language_writes_it(
    language: str, typed: str, stored: float, shown: str
) -> None:
    with translation.override(language):
        form = PersonaForm({"code": "big", "name": "Big", "group-r": "all", "rule-r.0-field": "employees",
                            "rule-r.0-op": "gte", "rule-r.0-value": typed})
        assert form.is_valid(), form.tree
        assert form.cleaned_data["match"] == {"field": "employees", "op": "gte", "value": stored}
        assert match_tree(form.cleaned_data["match"])["children"][0]["value"] == shown
        assert match_shown_by_rows(form.cleaned_data["match"])  # shown and read back: the same rule


@pytest.mark.parametrize(("language", "typed", "error"), [
    ("es", "1,000", "«1,000» se puede leer de dos maneras"),
    ("en", "1.000", "“1.000” can be read two ways"),
    ("es", "1.5", "«1.5» no es un número tal como los escribe esta página"),
    ("en", "1,5", "“1,5” is not a number as this page writes them"),
])
def test_a_number_that_could_be_read_two_ways_is_a_field_error_not_a_guess(language: str, typed: str, error: str) -> None:
    with translation.override(language):
        form = PersonaForm({"code": "big", "name": "Big", "group-r": "all", "rule-r.0-field": "employees",
                            "rule-r.0-op": "gte", "rule-r.0-value": typed})
        assert not form.is_valid()
        assert form.tree["children"][0]["error"].startswith(error)


def test_a_list_of_numbers_in_spanish_is_separated_by_semicolons() -> None:
    with translation.override("es"):
        form = PersonaForm({"code": "mid", "name": "Mid", "group-r": "all", "rule-r.0-field": "income",
                            "rule-r.0-op": "between", "rule-r.0-value": "1.500,5; 20.000"})
        assert form.is_valid(), form.tree
        assert form.cleaned_data["match"]["value"] == [1500.5, 20000]
        assert match_tree(form.cleaned_data["match"])["children"][0]["value"] == "1.500,5; 20.000"


def test_a_mexican_user_writes_numbers_as_mexico_does() -> None:
    """es-MX writes 1,234.5 (its format module): a thousand with a comma, not Spain's dot."""
    with translation.override("es-mx"):
        form = PersonaForm({"code": "big", "name": "Big", "group-r": "all", "rule-r.0-field": "employees",
                            "rule-r.0-op": "gte", "rule-r.0-value": "1,000"})
        assert form.is_valid(), form.tree
        assert form.cleaned_data["match"]["value"] == 1000
        refused = PersonaForm({"code": "big", "name": "Big", "group-r": "all", "rule-r.0-field": "employees",
                               "rule-r.0-op": "gte", "rule-r.0-value": "1.000"})
        assert not refused.is_valid()
        assert refused.tree["children"][0]["error"].startswith("«1.000» se puede leer de dos maneras: escribe mil "
                                                                 "como 1000 o 1,000")


@pytest.mark.parametrize(("typed", "read"), [("1 000", 1000), ("1\u00a0000,5", 1000.5), ("10 20", None)])
def test_a_space_groups_thousands_as_spanish_prints_them_and_nothing_else(typed: str, read: float | None) -> None:
    with translation.override("es"):
        form = PersonaForm({"code": "big", "name": "Big", "group-r": "all", "rule-r.0-field": "employees",
                            "rule-r.0-op": "gte", "rule-r.0-value": typed})
        if read is None:  # two numbers, not 1020
            assert not form.is_valid() and form.tree["children"][0]["error"] == f"«{typed}» no es un número."
        else:
            assert form.is_valid() and form.cleaned_data["match"]["value"] == read
