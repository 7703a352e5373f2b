"""The month check "the criteria qualify none of the leads" (tracking.mql_stage_skipped) links to
the criteria: agency staff, who may not change them, follow it to the criteria to read (not a 404)
with the sentence that tells them to ask an agency admin; admins still land in the editor."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client as HttpClient

from kpis.checks.tracking import CRITERIA
from tests.clients.criteria.test_criteria_editor import FORM
from tests.conftest import host_of

ASK = {
    "en": "If a month's check says they qualify none of the leads, ask them to review them.",
    "es": "Si una comprobación del mes dice que no cualifican a ninguno de los leads, pídeles que los revisen.",
}

NONE_YET = {
    "en": "No criteria yet: every lead stays unqualified until an agency admin saves a first version.",
    "es": "Aún no hay criterios: ningún lead se cualifica hasta que un administrador de la agencia guarde una primera versión.",
}


def signed(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_follow_the_checks_link_to_the_criteria_to_read(admin_user, staff_a, tenant_a, language) -> None:
    host = host_of(tenant_a)
    staff_a.language = language
    staff_a.save()
    http = signed(staff_a)
    none_yet = unescape(http.get(CRITERIA, HTTP_HOST=host, follow=True).content.decode())
    assert NONE_YET[language] in none_yet  # not "until you save a first version": staff cannot
    assert signed(admin_user).post("/criteria/new/", FORM, HTTP_HOST=host).status_code == 302  # version 1
    followed = http.get(CRITERIA, HTTP_HOST=host, follow=True)
    assert followed.status_code == 200 and followed.redirect_chain == [("/criteria/", 302)]
    page = unescape(followed.content.decode())
    assert ASK[language] in page and "/criteria/1/" in page
    assert 'href="/criteria/new/"' not in page  # no button that would only send them back here
    version = unescape(http.get("/criteria/1/", HTTP_HOST=host).content.decode())
    assert "Tighter fit" in version and ("Employees at least 50" in version or "Empleados al menos 50" in version)


def test_staff_cannot_save_criteria_and_admins_still_edit(admin_user, staff_a, client_user_a, tenant_a) -> None:
    host = host_of(tenant_a)
    assert signed(staff_a).post(CRITERIA, FORM, HTTP_HOST=host).status_code == 404
    assert signed(staff_a).post("/criteria/builder/", FORM, HTTP_HOST=host).status_code == 404
    editor = signed(admin_user).get(CRITERIA, HTTP_HOST=host)
    assert editor.status_code == 200 and 'name="threshold"' in editor.content.decode()
    listing = signed(admin_user).get("/criteria/", HTTP_HOST=host).content.decode()
    assert 'href="/criteria/new/"' in listing and ASK["en"] not in listing
    assert signed(client_user_a).get("/criteria/", HTTP_HOST=host).status_code == 404
    assert signed(client_user_a).get(CRITERIA, HTTP_HOST=host).status_code == 404
