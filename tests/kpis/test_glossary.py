"""The glossary in docs/ says what every figure of the report means, in English and Spanish, in the
words the pages use: generated from the catalogue (``manage.py kpi_glossary``), and this fails when
the catalogue changed and the files were not written again. Readers of the docs never see the
contract the figures come from, so the docs must say it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from kpis.catalogue import declarations
from kpis.glossary import LANGUAGES, glossary_markdown


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_glossary_files_are_the_catalogues_words(language) -> None:
    written = (Path(settings.BASE_DIR) / LANGUAGES[language]).read_text(encoding="utf-8")
    assert written == glossary_markdown(language=language), f"run: manage.py kpi_glossary ({LANGUAGES[language]})"


def test_every_figure_is_in_the_glossary_with_its_definition_in_each_language() -> None:
    english, spanish = glossary_markdown(language="en"), glossary_markdown(language="es")
    for figure in declarations():
        assert f"(`{figure.key}`)" in english and f"(`{figure.key}`)" in spanish, figure.key
    assert "| Cost per lead (`cpl`) | Marketing spend ÷ new leads. |" in english
    assert "| Costo por lead (`cpl`) | Inversión en marketing ÷ leads nuevos. |" in spanish
    assert "a fall" in english.split("(`cpl`)")[1].split("\n")[0]  # a cost falling is good news
    assert "una bajada" in spanish.split("(`cpl`)")[1].split("\n")[0]


def test_the_report_links_its_glossary_page_for_the_client_in_its_language(client_user_a, staff_a, tenant_a) -> None:
    import datetime as dt

    from django.test import Client as HttpClient

    from kpis.services import snapshot_compute
    from tests.conftest import host_of

    snapshot_compute(client=tenant_a, months=[dt.date(2026, 10, 1)])
    staff = HttpClient(HTTP_HOST=host_of(tenant_a))
    staff.force_login(staff_a)
    assert 'href="/glossary/"' in staff.get("/scorecard/?month=2026-10").content.decode()
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(client_user_a)
    english = http.get("/glossary/").content.decode()
    assert "What each figure means" in english and 'id="kpi-cpl"' in english
    assert "Marketing spend ÷ new leads." in english and "No new leads this month." in english
    # The client's page speaks of its data, not of "a client" whose files the agency loads.
    assert "no spend recorded up to the month (its costs)" in english and "a client without" not in english
    assert "files" not in english
    client_user_a.language = "es"
    client_user_a.save()
    spanish = http.get("/glossary/").content.decode()
    assert "Qué significa cada cifra" in spanish and "Inversión en marketing ÷ leads nuevos." in spanish
    assert "una bajada" in spanish and "Good news" not in spanish
    assert "ninguna inversión registrada hasta ese mes" in spanish and "un cliente sin" not in spanish
    assert "archivos" not in spanish


def test_the_glossary_is_for_people_of_the_client_only(tenant_a, tenant_b, client_user_a) -> None:
    from django.test import Client as HttpClient

    from tests.conftest import host_of

    anonymous = HttpClient(HTTP_HOST=host_of(tenant_a))
    assert anonymous.get("/glossary/").status_code == 302  # to sign in
    other = HttpClient(HTTP_HOST=host_of(tenant_b))
    other.force_login(client_user_a)
    assert other.get("/glossary/").status_code in {403, 404}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_glossary_says_missing_data_in_its_readers_words(client_user_a, staff_a, tenant_a, language) -> None:
    """A client read "Data not loaded makes a figure unknown…" and "only when its data is not loaded" on its
    own glossary: loading is the agency's work. A client reads its data "not recorded" (as the reasons beside
    its figures say); staff keep "not loaded" and are told where the missing data is imported."""
    from html import unescape

    from django.test import Client as HttpClient

    from tests.conftest import host_of

    words = {
        "en": {"client": ("A figure is unknown, never 0, when its data is not recorded:",
                          "only when its data is not recorded"),
               "staff": ("Data not loaded makes a figure unknown, never 0:", "only when its data is not loaded",
                         "Import what is missing, or connect its platform, on the Imports page.")},
        "es": {"client": ("Una cifra es desconocida, nunca 0, cuando sus datos no están registrados:",
                          "solo cuando sus datos no están registrados"),
               "staff": ("Los datos no cargados hacen que una cifra sea desconocida, nunca 0:",
                         "solo cuando sus datos no están cargados",
                         "Importa lo que falta, o conecta su plataforma, en la página Importaciones.")},
    }[language]
    pages = {}
    for reader, user in (("client", client_user_a), ("staff", staff_a)):
        user.language = language
        user.save()
        http = HttpClient(HTTP_HOST=host_of(tenant_a))
        http.force_login(user)
        pages[reader] = unescape(http.get("/glossary/").content.decode())
    for said in words["client"]:
        assert said in pages["client"] and said not in pages["staff"], said
    for said in words["staff"]:
        assert said in pages["staff"] and said not in pages["client"], said
    loaded = {"en": "loaded", "es": "cargad"}[language]
    assert loaded not in pages["client"]


def test_a_landing_page_figures_dash_is_explained_in_the_glossary_as_the_report_explains_it(client_user_a, tenant_a) -> None:
    """Acme's report read "Active landing pages —: The traffic data of this month names no landing page, so
    its landing page figures are unknown." while its glossary said that figure reads "—" "only when its data
    is not recorded": its traffic data is recorded. The glossary gives the report's reason."""
    from django.test import Client as HttpClient

    from tests.conftest import host_of

    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(client_user_a)
    for language, reason in (("en", "The traffic data of this month names no landing page, so its landing page "
                                     "figures are unknown."),
                             ("es", "Los datos de tráfico de este mes no indican ninguna landing page, así que sus "
                                    "cifras de landing pages son desconocidas.")):
        client_user_a.language = language
        client_user_a.save()
        body = http.get("/glossary/").content.decode()
        for key in ("active_landing_pages", "landing_page_conversion_rate"):
            row = body.split(f'id="kpi-{key}"')[1].split("</tr>")[0]
            assert reason in row, (language, key, row)
