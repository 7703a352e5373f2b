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
    assert "| Coste por lead (`cpl`) | Inversión en marketing ÷ leads nuevos. |" in spanish
    assert "a fall" in english.split("(`cpl`)")[1].split("\n")[0]  # a cost falling is good news
    assert "una bajada" in spanish.split("(`cpl`)")[1].split("\n")[0]
