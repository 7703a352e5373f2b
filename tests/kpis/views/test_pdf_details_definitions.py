"""The PDF's details table says what each figure means in plain words (MRR, ARPA, CLTV, "LTV : CAC"
are jargon; the page has them on hover, paper has none), as the summary tiles do."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from kpis.services import report_pdf_build
from tests.kpis.views.test_scorecard import _pdf_text, snapshots  # noqa: F401 -- the fixture

MARCH = dt.date(2026, 3, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdfs_details_say_what_each_figure_means_as_the_summary_does(snapshots) -> None:  # noqa: F811
    """On paper there is no hover: a details row (database size is no summary tile) carries the
    catalogue's plain-words definition under its name, in the reader's language."""
    connection.set_tenant(snapshots)
    english = _flat(_pdf_text(report_pdf_build(client=snapshots, month=MARCH, language="en")))
    details = english[english.index("Details") :]
    assert "Database size Leads at the end of the month, less those who unsubscribed." in details
    spanish = _flat(_pdf_text(report_pdf_build(client=snapshots, month=MARCH, language="es")))
    details = spanish[spanish.index("Detalles") :]
    assert "Leads al final del mes, sin contar los que se dieron de baja." in details
