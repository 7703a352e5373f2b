"""The approved month's PDF says when the agency approved it (and, for a revision, when it revised
it) on its first page, by "Computed …": it said when the figures were computed and not that anyone
had approved them (walk of 7 Dec 2026). In the reader's language."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdfium2
import pytest
import time_machine
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from reports.services import month_approve
from tests.browser.conftest import ARTIFACTS
from tests.reports.conftest import MARCH, browser_for, late_spend

pytestmark = pytest.mark.django_db

APPROVED = dt.datetime(2026, 4, 6, 10, tzinfo=dt.UTC)
REVISED = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)


def _first_page(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    return " ".join(document[0].get_textpage().get_text_range().split())  # the line under the title wraps


def _attached_pdf(kind: str, keep: str) -> bytes:
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind=kind).payload
    (pdf,) = [a for a in payload["attachments"] if a["mimetype"] == "application/pdf"]
    data = Path(pdf["path"]).read_bytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / keep).write_bytes(data)  # looked at as images (pdftoppm -r 60 -f 1 -l 1)
    return data


def _approve_then_revise(client, staff) -> None:
    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=client, month=MARCH, user=staff)
    late_spend(client)
    with time_machine.travel(REVISED, tick=False):
        month_approve(client=client, month=MARCH, user=staff, reason="late Google Ads spend", notify=True)


def test_the_approved_pdf_says_when_it_was_approved_in_english(march, staff_a, client_user_a) -> None:
    client_user_a.language = "en"
    client_user_a.save()
    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=march, month=MARCH, user=staff_a)
    text = _first_page(_attached_pdf("report_approved", "approval-dates-en.pdf"))
    assert "Computed" in text and "Approved on Apr 6, 2026" in text
    assert "Revised on" not in text


def test_the_revised_pdf_says_when_it_was_approved_and_revised_in_spanish(march, staff_a, client_user_a) -> None:
    _approve_then_revise(march, staff_a)
    first = _first_page(_attached_pdf("report_approved", "approval-dates-es.pdf"))
    assert "Calculado el" in first and "Aprobado el 6 abr 2026" in first and "Revisado el" not in first
    revised = _first_page(_attached_pdf("report_revised", "approval-dates-revised-es.pdf"))
    assert "Aprobado el 6 abr 2026" in revised and "Revisado el 4 dic 2026" in revised
    assert "Approved" not in revised and "Revised" not in revised
    # why it was revised, as staff typed it (in English), in a Spanish sentence saying whose words they are
    assert "Nota de tu agencia sobre esta revisión: «Late Google Ads spend»." in revised, revised


def test_the_clients_download_of_the_month_says_it_too(march, staff_a, client_user_a) -> None:
    _approve_then_revise(march, staff_a)
    response = browser_for(client_user_a, march).get("/scorecard/export.pdf?month=2026-03")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = _first_page(data)
    assert "Aprobado el 6 abr 2026" in text and "Revisado el 4 dic 2026" in text


def test_staff_download_from_the_approved_months_page_is_the_clients_pdf(march, staff_a, client_user_a) -> None:
    """Walk of 7 Dec 2026 (Spanish, a new client): the approved month's page offers "Descargar PDF"
    beside "Aprobado", said to be the email's PDF, but for staff it drew the figures as computed now —
    no approval date, and late data the client has not been shown. It is the client's PDF."""
    import re

    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=march, month=MARCH, user=staff_a)
    late_spend(march)  # not approved: the client still reads 215.72 EUR per lead
    http = browser_for(staff_a, march)
    page = http.get("/reports/2026-03/").content.decode()
    (href,) = re.findall(r'href="([^"]+)" download data-month-pdf', page)
    response = http.get(href)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    text = " ".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Aprobado el 6 abr 2026" in text
    assert "215,72" in text and "219,40" not in text


def _download(http, url: str) -> str:
    response = http.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return _first_page(data)


def test_staffs_scorecard_pdf_of_an_approved_month_says_when_and_by_whom(march, staff_a, client_user_a) -> None:
    """Staff's scorecard download (the figures as computed now) named no approval while the client's
    said it: staff printing the month for a meeting could not tell it had gone out. It says when and by
    whom, as the month's page does, and the client's PDF names the approver too."""
    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=march, month=MARCH, user=staff_a)
    who = staff_a.display_name
    staff = _download(browser_for(staff_a, march, language="en"), "/scorecard/export.pdf?month=2026-03")
    assert f"Approved on Apr 6, 2026 by {who}" in staff
    assert "changed after this approval" not in staff
    client = _download(browser_for(client_user_a, march), "/scorecard/export.pdf?month=2026-03")
    assert f"Aprobado el 6 abr 2026 por {who}" in client


def test_staffs_pdf_says_when_its_figures_changed_after_the_approval(march, staff_a) -> None:
    """Late data after approval: staff's PDF shows the figures as computed now, which the client has not
    been shown: it says they are not the approved ones."""
    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=march, month=MARCH, user=staff_a)
    http = browser_for(staff_a, march, language="en")
    _download(http, "/scorecard/export.pdf?month=2026-03")  # the file kept for this state
    late_spend(march)
    staff = _download(http, "/scorecard/export.pdf?month=2026-03")
    assert "Approved on Apr 6, 2026" in staff
    assert "The figures changed after this approval and are not approved yet." in staff


def test_a_month_approved_by_the_operators_command_names_your_agency_in_the_clients_pdf(march, staff_a,
                                                                                       client_user_a) -> None:
    """close_month --approve, no person: the client's PDF (the email's attachment, its download) said
    "Approved on … by the agency", a name the client's pages never use; it says "by your agency", where a
    person's approval names the person. Staff's download says "by the agency"."""
    with time_machine.travel(APPROVED, tick=False):
        month_approve(client=march, month=MARCH, user=None)
    emailed = _first_page(_attached_pdf("report_approved", "approval-command-es.pdf"))
    assert "Aprobado el 6 abr 2026 por tu agencia" in emailed and "close_month" not in emailed
    client_user_a.language = "en"
    client_user_a.save()
    client = _download(browser_for(client_user_a, march, language="en"), "/scorecard/export.pdf?month=2026-03")
    assert "Approved on Apr 6, 2026 by your agency" in client
    staff = _download(browser_for(staff_a, march, language="en"), "/scorecard/export.pdf?month=2026-03")
    assert "Approved on Apr 6, 2026 by the agency" in staff
