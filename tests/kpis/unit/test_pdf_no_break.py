"""A PDF paragraph never breaks a line inside a figure: "41 658,22 €" (Spanish groups thousands with a
no-break space) read "41" at a line's end and "658,22 €" on the next, and the catalogue's "can exceed
100 %" left "%" alone at the start of a line (Acme's MQL → SQL rate in the details)."""

from __future__ import annotations

import io

import pypdfium2
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from clients.words import money
from kpis.exports import _para, _styles


def _lines(text: str, width: float) -> list[str]:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=A4[0] - 20 * mm - width).build(
        [_para(text, _styles("#2255aa")["note"])])
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        return [line.replace("\xa0", " ").strip() for line in document[0].get_textpage().get_text_range().splitlines()]
    finally:
        document.close()


def test_an_amount_and_a_percentage_stay_on_one_line_wherever_the_line_ends() -> None:
    with translation.override("es"):
        amount = money(41658.22, "EUR")
    broken = []
    for words in range(1, 12):
        for text in (f"{'Este mes hay ' * words}{amount} de inversión en medios.",
                     f"{'the rate ' * words}so the rate can exceed 100 %. And +5.2 pp more."):
            lines = _lines(text, 60 * mm)
            broken += [(words, lines) for line in lines if line.startswith(("%", "658", "€", "pp"))]
            broken += [(words, lines) for line in lines if line.endswith((" 41", " 100", " +5.2"))]
    assert not broken, broken[:3]
