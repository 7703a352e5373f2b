"""The portfolio as the account manager walks it: "Only my clients" with no client assigned says so
(it said "No client matches." as if a search had missed), in both languages."""

from __future__ import annotations

import pytest

from tests.kpis.views.test_portfolio import page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "why", "nomatch"), [
    ("en", "No client is assigned to you: untick “Only my clients” to see every client.", "No client matches."),
    ("es", "No tienes ningún cliente asignado: desmarca «Solo mis clientes» para ver todos.", "Ningún cliente coincide."),
])
def test_only_my_clients_with_none_assigned_says_so(tenant_a, admin_user, language, why, nomatch) -> None:
    admin_user.language = language
    admin_user.save()
    body = page(admin_user, "/portfolio/?month=2026-03&mine=1", HTTP_ACCEPT_LANGUAGE=language)
    assert why in body and nomatch not in body
    searched = page(admin_user, "/portfolio/?month=2026-03&mine=1&q=zzz", HTTP_ACCEPT_LANGUAGE=language)
    assert nomatch in searched and why not in searched  # a search that finds nothing is still said so
