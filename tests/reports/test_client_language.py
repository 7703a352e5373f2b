"""Each client in its language: a Spanish client invited by English-speaking staff receives a
Spanish invitation, and its users (who never chose a language) a Spanish report email and PDF and
Spanish pages — checked like the pages are (tests/agency/test_spanish_everywhere.py), against
English phrases the portal writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
from django.core import mail
from django.core.cache import cache
from django_tenants.utils import schema_context

from agency.models import AgencyBrand
from agency.services_users import client_user_invite
from clients.models import OutboxEmail
from reports.services import month_approve
from tests.agency.test_spanish_everywhere import ENGLISH, visible_text
from tests.browser.conftest import ARTIFACTS
from tests.reports.conftest import MARCH, browser_for, late_spend

# English an email or the PDF would show if it were not translated.
EMAIL_ENGLISH = (
    *ENGLISH,
    "You have been invited",
    "Choose your password",
    "Then sign in",
    "If the button does not work",
    "your marketing report",
    "Key figures",
    "Changes are against",
    "In brackets",
    "previous month",
    "See the whole report",
    "The full report is attached",
    "Stop these monthly emails",
    "Cost per lead",
    "Marketing report",
    "Previous month",
    "Executive summary",
)


def english_in(text: str) -> list[str]:
    return [phrase for phrase in EMAIL_ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]


@pytest.fixture
def spanish_client(march, staff_a, client_user_a):
    march.language = "es"
    march.save()
    staff_a.language = "en"  # the staff member who invites writes in English
    staff_a.save()
    client_user_a.language = ""  # never chose: the client's language
    client_user_a.save()
    AgencyBrand.objects.create(name="Agencia Norte", sender_name="Equipo Norte")
    yield march
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)  # the cached brand outlives the test's rollback


def test_a_spanish_client_is_invited_in_spanish_by_english_speaking_staff(spanish_client, staff_a) -> None:
    user = client_user_invite(client=spanish_client, email="cfo@alpha.example", invited_by=staff_a)
    assert user.language == "es" and not user.invitation_refused
    (message,) = mail.outbox
    assert message.subject == "Te invitamos al portal de marketing de Alpha Analytics"
    assert message.from_email.startswith("Equipo Norte <")
    html = message.alternatives[0][0]
    assert "/accounts/reset/" in message.body and "Elige tu contraseña" in html
    assert english_in(message.body) == [] and english_in(visible_text(html)) == []
    with schema_context("alpha"):  # through the client's outbox
        assert OutboxEmail.objects.get(kind="invitation").state == "sent"


def test_a_spanish_client_user_gets_the_report_email_and_pdf_in_spanish(spanish_client, staff_a) -> None:
    month_approve(client=spanish_client, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind="report_approved").payload
    assert payload["subject"] == "Alpha Analytics: tu informe de marketing de marzo de 2026"  # prose, "de … de"
    # The button opens the report (summary, charts, commentary), not the close page's KPI table.
    assert "/scorecard/?month=2026-03" in payload["body"] and "/scorecard/?month=2026-03" in payload["html"]
    assert "/reports/2026-03/" not in payload["body"]
    assert english_in(payload["body"]) == [] and english_in(visible_text(payload["html"])) == []
    (pdf,) = [a for a in payload["attachments"] if a["mimetype"] == "application/pdf"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf["path"], ARTIFACTS / "report-spanish-client.pdf")  # looked at as images (pdftoppm)
    document = pypdfium2.PdfDocument(Path(pdf["path"]))
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Costo por lead" in text
    assert english_in(text) == [], english_in(text)


def test_a_client_user_who_never_chose_sees_the_pages_in_the_client_language(spanish_client, client_user_a) -> None:
    page = browser_for(client_user_a, spanish_client, language="en").get("/reports/2026-03/", follow=True)
    assert page["Content-Language"] == "es"


def test_a_client_users_password_reset_goes_through_the_outbox_in_spanish(spanish_client, client_user_a) -> None:
    from django.test import Client as HttpClient

    from tests.conftest import host_of

    HttpClient(HTTP_HOST=host_of(spanish_client)).post("/accounts/password/reset/", {"email": client_user_a.email})
    (message,) = mail.outbox
    assert message.subject == "Restablece la contraseña del portal" and english_in(message.body) == []
    with schema_context("alpha"):
        assert OutboxEmail.objects.get(kind="password_reset").state == "sent"


def test_the_agencys_defaults_prefill_the_add_client_form(admin_user) -> None:
    from django.test import Client as HttpClient

    from tests.conftest import host_of

    AgencyBrand.objects.create(
        name="Agencia Norte", default_timezone="Europe/Madrid", default_currency="EUR", default_language="es"
    )
    try:
        http = HttpClient(HTTP_HOST=host_of(None))
        http.force_login(admin_user)
        form = http.get("/clients/new/").content.decode()
    finally:
        cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    assert '<option value="Europe/Madrid" selected>' in form
    assert 'name="currency" value="EUR"' in form
    assert '<option value="es" selected>' in form


def test_times_at_a_clients_address_are_in_its_zone_and_named(march, staff_a) -> None:
    """Alpha is in Madrid: an approval at 09:12 UTC on 6 April reads 11:12 CEST on Monthly reports."""
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 4, 6, 9, 12, tzinfo=dt.UTC), tick=False):
        month_approve(client=march, month=MARCH, user=staff_a)
    page = browser_for(staff_a, march, language="en").get("/reports/").content.decode()
    assert "11:12" in page and "CEST" in page


def test_staff_writing_the_commentary_are_told_the_client_reads_it_in_spanish(spanish_client, staff_a) -> None:
    """The commentary and a revision's reason go out as typed: English-speaking staff closing a
    Spanish client's month are told, in their own language, which language to write in."""
    page = browser_for(staff_a, spanish_client, language="en").get("/reports/2026-03/").content.decode()
    assert page.count("data-written-in") == 1  # the commentary; no revision waits
    assert "This client reads its reports in Spanish" in page
    month_approve(client=spanish_client, month=MARCH, user=staff_a)
    late_spend(spanish_client)
    page = browser_for(staff_a, spanish_client, language="en").get("/reports/2026-03/").content.decode()
    assert page.count("This client reads its reports in Spanish") == 2  # and the revision's reason


def test_staff_of_an_english_client_are_told_english(march, staff_a) -> None:
    page = browser_for(staff_a, march, language="es").get("/reports/2026-03/").content.decode()
    assert "Este cliente lee sus informes en inglés" in page
