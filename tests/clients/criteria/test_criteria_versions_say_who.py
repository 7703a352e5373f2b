"""The criteria's versions say who saved each one as the close names people (the full name, else the
email: ``User.display_name``), never the login name; a version without a person or a note says why
in words ("set up on the command line", "no note written"), never a bare "—"; the login names
stored before are rewritten by the migration clients 0012. And a JSON pasted in the editor's
Advanced box without ticking "Use the JSON" is refused with the reason, not silently dropped."""

from __future__ import annotations

import html
import importlib
import json
import re
from types import SimpleNamespace

from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.criteria.services import criteria_version_create
from clients.models import CriteriaVersion
from tests.clients.criteria.test_criteria_editor import FORM
from tests.conftest import host_of

CRITERIA = {"fit": {"field": "employees", "op": "gte", "value": 10}, "threshold": 0, "points": [],
            "sales_ready_actions": []}


def _http(user, language: str = "en") -> HttpClient:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(user)
    return http


def _versions_table(http: HttpClient, tenant) -> str:
    body = http.get("/criteria/", HTTP_HOST=host_of(tenant)).content.decode()
    return body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_the_editor_stores_the_authors_full_name_not_the_login(admin_user, tenant_a) -> None:
    admin_user.first_name, admin_user.last_name = "Alex", "Rivera"
    admin_user.save()
    response = _http(admin_user).post("/criteria/new/", {**FORM, "change_note": ""}, HTTP_HOST=host_of(tenant_a))
    assert response.status_code == 302
    with schema_context("alpha"):
        version = CriteriaVersion.objects.get()
    assert (version.author_name, version.saved_via) == ("Alex Rivera", "editor")
    table = _versions_table(_http(admin_user), tenant_a)
    assert "Alex Rivera" in table and admin_user.username not in table
    assert "no note written" in table and "—" not in table
    detail = _http(admin_user).get("/criteria/1/", HTTP_HOST=host_of(tenant_a)).content.decode().split("<main", 1)[1]
    assert "Alex Rivera" in detail and "no note written" in detail and "<dd>—</dd>" not in detail


def test_someone_without_a_name_is_named_by_their_email(admin_user, tenant_a) -> None:
    criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", author=admin_user, client=tenant_a)
    with schema_context("alpha"):
        assert CriteriaVersion.objects.get().author_name == admin_user.email


def test_a_version_without_a_person_says_how_it_came_in_in_both_languages(admin_user, tenant_a, tmp_path) -> None:
    path = tmp_path / "criteria.json"
    path.write_text(json.dumps(CRITERIA))
    call_command("set_criteria", "alpha", str(path), "--effective-from", "2026-01-01")
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=2, effective_from="2026-02-01", criteria=CRITERIA)  # before saved_via
    table = _versions_table(_http(admin_user), tenant_a)
    assert "set up on the command line: nobody signed in" in table
    assert "not recorded: saved outside the editor" in table
    assert not re.search(r"<td[^>]*>—</td>", table)
    spanish = _versions_table(_http(admin_user, "es"), tenant_a)
    assert "configurada desde la línea de comandos" in spanish and "no se escribió ninguna nota" in spanish


def test_login_names_stored_before_are_rewritten_by_the_migration(admin_user, tenant_a) -> None:
    admin_user.first_name, admin_user.last_name = "Alex", "Rivera"
    admin_user.save()
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from="2026-01-01", criteria=CRITERIA, author=admin_user,
                                       author_name=admin_user.username, change_note="First")
        CriteriaVersion.objects.create(version=2, effective_from="2026-02-01", criteria=CRITERIA,
                                       change_note="Demo data")
        CriteriaVersion.objects.create(version=3, effective_from="2026-03-01", criteria=CRITERIA,
                                       author_name="Somebody else")
        migration = importlib.import_module("clients.migrations.0012_criteria_versions_say_who")
        migration.forwards(None, SimpleNamespace(connection=connection))
        rows = list(CriteriaVersion.objects.order_by("version").values_list("author_name", "saved_via"))
    assert rows == [("Alex Rivera", "editor"), ("", "demo"), ("Somebody else", "")]


def test_json_pasted_without_ticking_use_the_json_is_refused_not_dropped(admin_user, tenant_a) -> None:
    http = _http(admin_user)
    page = http.get("/criteria/new/", HTTP_HOST=host_of(tenant_a)).content.decode()
    shown = re.search(r'name="json_shown" value="([^"]*)"', page)
    assert shown is not None
    pasted = {**FORM, "json": json.dumps(CRITERIA), "json_shown": html.unescape(shown.group(1))}
    response = http.post("/criteria/new/", pasted, HTTP_HOST=host_of(tenant_a))
    body = response.content.decode()
    assert response.status_code == 422
    assert "“Use the JSON” is not ticked" in body and '<details class="card" open>' in body
    with schema_context("alpha"):
        assert not CriteriaVersion.objects.exists()
    ticked = http.post("/criteria/new/", {**pasted, "mode": "json"}, HTTP_HOST=host_of(tenant_a))
    assert ticked.status_code == 302
    untouched = http.post("/criteria/new/", {**FORM, "json_shown": FORM.get("json", "")}, HTTP_HOST=host_of(tenant_a))
    assert untouched.status_code == 302  # the rules above, as before, when the box was not touched
    with schema_context("alpha"):
        assert [v.criteria["threshold"] for v in CriteriaVersion.objects.order_by("version")] == [0, 20]


def test_a_first_version_replaced_from_its_own_date_says_it_only_judges_earlier_leads(admin_user, tenant_a) -> None:
    """Version 1 effective from 1 September, version 2 saved later for the same date: version 1 read
    "from the start – 31 August", beside its own date of 1 September; it now says what that means."""
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from="2025-09-01", criteria=CRITERIA, author_name="Alex Rivera")
        CriteriaVersion.objects.create(version=2, effective_from="2025-09-01", criteria=CRITERIA, author_name="Alex Rivera")
    table = _versions_table(_http(admin_user), tenant_a)
    first = table.split("<tr", 2)[2]  # newest first: version 1 is the second row
    assert "Only for leads from before Sep 1, 2025: version 2, saved later, applies from that date." in first
    assert "from the start" not in first
    spanish = _versions_table(_http(admin_user, "es"), tenant_a)
    assert "Solo para los leads anteriores al 1 sep 2025: la versión 2" in spanish
