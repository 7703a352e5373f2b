"""A select's empty choice says what it means, in the page's language: Django's "---------" said
nothing (a client's language left to the agency's, a contract that renews none, a new client that
starts from no other's set-up, a staff member still to choose)."""

from __future__ import annotations

from html import unescape

import pytest

from agency.models import AgencyBrand, Client, User
from tests.conftest import host_of, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORDS = {
    "en": {
        "report": '<option value="" selected>Agency default (Spanish)</option>',
        "detail": '<option value="" selected>Choose a staff member</option>',
        "add": '<option value="" selected>None: start from nothing</option>',
        "contract": ('<option value="" selected>Choose a kind</option>',
                     '<option value="" selected>None: a new contract</option>'),
    },
    "es": {
        "report": '<option value="" selected>Predeterminado de la agencia (español)</option>',
        "detail": '<option value="" selected>Elige a un miembro del equipo</option>',
        "add": '<option value="" selected>Ninguno: empezar de cero</option>',
        "contract": ('<option value="" selected>Elige un tipo</option>',
                     '<option value="" selected>Ninguno: es un contrato nuevo</option>'),
    },
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_empty_choice_says_what_it_means(admin_user: User, tenant_a: Client, language: str) -> None:
    AgencyBrand.objects.create(name="Agencia Norte", default_language="es")
    UserFactory(username="nadia")  # a staff member not yet on alpha's team: the assign select shows
    admin_user.language = language
    admin_user.save()
    console = signed_in(admin_user)
    pages = {
        "report": console.get("/clients/alpha/report/").content.decode(),
        "detail": console.get("/clients/alpha/").content.decode(),
        "add": console.get("/clients/new/").content.decode(),
        "contract": signed_in(admin_user, tenant_a).get("/contracts/new/", HTTP_HOST=host_of(tenant_a)).content.decode(),
    }
    for name, page in pages.items():
        page = unescape(page)
        assert "---------" not in page, name
        expected = WORDS[language][name]
        for option in (expected,) if isinstance(expected, str) else expected:
            assert option in page, (name, option)
