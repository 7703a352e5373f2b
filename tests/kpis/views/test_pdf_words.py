"""The worked example's report PDF in words a reader expects: arrows as arrows ("Tasa lead → MQL"),
in English and Spanish."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest
from django.test import Client as HttpClient

from tests.conftest import host_of

ARTIFACTS = Path(os.environ.get("PORTAL_ARTIFACTS", Path(__file__).resolve().parents[3] / "test-artifacts"))
ARROWED = {"en": ("Lead → MQL rate", "MQL → SQL rate"), "es": ("Tasa lead → MQL", "Tasa MQL → SQL")}


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    try:
        return " ".join(document[i].get_textpage().get_text_range() for i in range(len(document))).replace("\r\n", " ")
    finally:
        document.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_pdf_prints_its_arrows(client_user_a, example_snapshots, language) -> None:
    client_user_a.language = language
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    pdf = http.get("/scorecard/export.pdf?month=2025-11", HTTP_HOST=host_of(example_snapshots)).content
    text = pdf_text(pdf)
    for label in ARROWED[language]:
        assert label in text, label
    assert "->" not in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"report-words-{language}.pdf").write_bytes(pdf)  # pdftoppm -png -r 60 to look at it


def test_the_lifetime_value_table_continues_under_itself_and_keeps_words_whole(client_user_a, example_snapshots) -> None:
    """Eleven figures a segment do not fit A4 in one table: squeezed, "Grandes empresas" and
    "106 280,93 €" broke over lines. In two tables, each label and amount stays on one line."""
    client_user_a.language = "es"
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    pdf = http.get("/scorecard/export.pdf?month=2025-11", HTTP_HOST=host_of(example_snapshots)).content
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    text = "\n".join(pages)
    table = text[text.index("Valor de vida del contrato, explicado") : text.index("Desgloses")]
    lines = [line.strip() for line in table.splitlines()]
    for label in ("Grandes empresas", "Sector público", "Pymes", "Todos los contratos"):
        assert sum(line.startswith(label) for line in lines) == 2, label  # once in each of the two tables
    assert "Grandes empresas 106 280,93 € 147 787,45 € 77 000,00 €" in " ".join(lines).replace("\xa0", " ")
    assert "— No se conoce ningún proyecto al final de este mes." in table  # gov's dashes, under the table
