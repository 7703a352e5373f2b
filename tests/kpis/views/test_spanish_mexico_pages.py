"""A Mexican client (Spanish, Mexico) reads Spanish words with Mexico's numbers, on the page and in
the PDF: "$12,345.60", not Spain's "12 345,60 MX$"."""

from __future__ import annotations

import datetime as dt

import pypdfium2

from tests.kpis.views.test_scorecard import get, snapshots  # noqa: F401 (the fixture)


def _mexican(client) -> None:
    client.currency, client.language = "MXN", "es-mx"
    client.save()


def test_a_client_user_of_a_mexican_client_reads_spanish_with_mexicos_numbers(client_user_a, snapshots) -> None:  # noqa: F811
    _mexican(snapshots)
    assert client_user_a.language == ""  # the client's language, not one of the user's own
    body = get(client_user_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert 'lang="es-mx"' in body and "Costo por lead" in body
    assert "$12,345.60" in body and "$1,543.20" in body
    assert "MX$" not in body and "12\xa0345,60" not in body


def test_the_mexican_pdf_is_spanish_with_mexicos_numbers(client_user_a, snapshots) -> None:  # noqa: F811
    from kpis.services import report_pdf_build

    _mexican(snapshots)
    pdf = report_pdf_build(client=snapshots, month=dt.date(2026, 3, 1), language="es-mx")
    document = pypdfium2.PdfDocument(pdf)
    text = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in document)
    assert "marzo de 2026" in text and "Costo por lead" in text
    assert "$12,345.60" in text and "12 345,60" not in text


def test_the_pdfs_drawn_ahead_are_the_clients_language_english_and_spanish(snapshots) -> None:  # noqa: F811
    """Not every variant for every client: Mexico's is drawn ahead only for a Mexican client."""
    from kpis.tasks import report_pdfs_build

    assert report_pdfs_build(client=snapshots, months=[dt.date(2026, 3, 1)]) == 2
    _mexican(snapshots)
    assert report_pdfs_build(client=snapshots, months=[dt.date(2026, 3, 1)]) == 3


def test_staff_reading_a_mexican_client_in_spanish_read_one_money_format_the_clients(staff_a, snapshots) -> None:  # noqa: F811
    """Staff reading in Spain's Spanish saw a Mexican client's tiles in "37 445,85 MX$" beside its
    commentary's "$37,445.85" (written in the client's language): two ways of writing one amount on one
    page. About a client, Spanish is the client's variant of it: every amount as the commentary, the
    draft, the email and the PDF write it. The language menu still names the reader's choice."""
    _mexican(snapshots)
    staff_a.language = "es"
    staff_a.save()
    for path in ("/scorecard/?month=2026-03", "/reports/2026-03/"):
        body = get(staff_a, path, snapshots).content.decode()
        assert "$12,345.60" in body, path
        assert "MX$" not in body and "12\xa0345,60" not in body, path
        assert 'lang="es-mx"' in body and '<option value="es" lang="es" selected>' in body, path


def test_staff_reading_a_mexican_client_in_english_keep_english_with_the_peso_named(staff_a, snapshots) -> None:  # noqa: F811
    """Another language is not a variant: English words, and "MX$", which tells an English reader the
    dollar sign is a peso."""
    _mexican(snapshots)
    staff_a.language = "en"
    staff_a.save()
    body = get(staff_a, "/scorecard/?month=2026-03", snapshots).content.decode()
    assert "MX$12,345.60" in body and 'lang="en"' in body


def test_a_spanish_reader_is_written_to_about_a_mexican_client_in_its_variant(staff_a, snapshots) -> None:  # noqa: F811
    from agency.selectors import client_variant, language_for

    staff_a.language = "es"
    assert language_for(user=staff_a, client=snapshots) == "es"  # a client of Spain's Spanish, or none set
    _mexican(snapshots)
    assert language_for(user=staff_a, client=snapshots) == "es-mx"
    assert language_for(user=staff_a, client=None) == "es"  # about no client: the reader's own
    assert client_variant("en", snapshots) == "en"
