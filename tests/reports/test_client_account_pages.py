"""What a client user read on the pages around their report, walked in English and Spanish: the
account pages (emails, password) had no links in the bar (on a phone "Menu" opened an empty menu),
the email preferences said nothing of what the email is or where it goes, "Sign out everywhere"
spoke of "every client's address" to someone who has one, Monthly reports said no report was
approved without saying where the readable figures were, and the data panel read "Contratos:
ninguna todavía" (a feminine "none" for a masculine noun)."""

from __future__ import annotations

import datetime as dt
import re
from html import escape

import pytest
from django_tenants.utils import schema_context

from clients.models import Lead
from reports.services import month_approve, month_open
from tests.conftest import signed_in
from tests.reports.conftest import MARCH, march  # noqa: F401 -- alpha's closed March

pytestmark = pytest.mark.django_db


def _as(user, tenant, language: str):
    user.language = language
    user.save()
    return signed_in(user, tenant, HTTP_ACCEPT_LANGUAGE=language)


def _bar(page: str) -> str:
    return re.search(r'<nav aria-label="[^"]+" id="main-nav">(.*?)</nav>', page, flags=re.S).group(1)


@pytest.mark.parametrize(("language", "home", "report"), [("en", "Home", "Report"), ("es", "Inicio", "Informe")])
def test_a_client_users_account_pages_keep_the_portals_links(client_user_a, tenant_a, language, home, report) -> None:
    http = _as(client_user_a, tenant_a, language)
    for url in ("/accounts/email-preferences/", "/accounts/password/change/", "/accounts/password/change/done/"):
        bar = _bar(http.get(url).content.decode())
        assert f'<a href="/">{home}</a>' in bar and f'<a href="/scorecard/">{report}</a>' in bar, (url, bar)
        assert "/imports/" not in bar  # the client's own links, not staff's


def test_staff_at_the_console_keep_the_consoles_links_and_a_visitor_gets_none(staff_a, tenant_a) -> None:
    bar = _bar(signed_in(staff_a, None, HTTP_ACCEPT_LANGUAGE="en").get("/accounts/email-preferences/").content.decode())
    assert "/board/" in bar and "/scorecard/" not in bar
    visitor = signed_in(None, tenant_a, HTTP_ACCEPT_LANGUAGE="en").get("/accounts/password/reset/").content.decode()
    assert _bar(visitor).strip() == ""
    preferences = signed_in(staff_a, None, HTTP_ACCEPT_LANGUAGE="en").get("/accounts/email-preferences/").content.decode()
    assert "data-monthly-email-hint" not in preferences and "aria-describedby" not in preferences


def test_the_email_preferences_say_what_the_email_is_and_where_it_goes(client_user_a, tenant_a) -> None:
    page = _as(client_user_a, tenant_a, "en").get("/accounts/email-preferences/").content.decode()
    assert (f"Each month your agency approves, its report is emailed to {client_user_a.email}, with the PDF "
            "attached.") in page
    assert 'aria-describedby="monthly-email-hint"' in page
    page = _as(client_user_a, tenant_a, "es").get("/accounts/email-preferences/").content.decode()
    assert f"Cada mes que tu agencia aprueba, el informe del mes se envía a {client_user_a.email}, con el PDF adjunto." in page


def test_sign_out_everywhere_speaks_to_a_client_user_of_their_browsers_only(client_user_a, tenant_a, staff_a) -> None:
    english = _as(client_user_a, tenant_a, "en").get("/accounts/password/change/").content.decode()
    assert "Ends your sessions in every browser, this one included." in english and "client's address" not in english
    spanish = _as(client_user_a, tenant_a, "es").get("/accounts/password/change/").content.decode()
    assert "Cierra tus sesiones en todos los navegadores, también en este." in spanish
    assert "dirección de cada cliente" not in spanish
    staff = signed_in(staff_a, None, HTTP_ACCEPT_LANGUAGE="en").get("/accounts/password/change/").content.decode()
    assert "on every client's address" in staff  # staff do move between clients' addresses


def test_monthly_reports_say_where_the_readable_figures_are_before_the_first_approval(
    march, client_user_a, staff_a  # noqa: F811
) -> None:
    listing = _as(client_user_a, march, "es").get("/reports/").content.decode()
    assert "Tu agencia aún no ha aprobado ningún informe mensual" in listing
    assert '<a href="/scorecard/?month=2026-03">Ver las cifras de marzo de 2026</a>' in listing
    listing = _as(client_user_a, march, "en").get("/reports/").content.decode()
    assert "Meanwhile, the figures of March 2026 are on the Report page" in listing
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    listing = _as(client_user_a, march, "en").get("/reports/").content.decode()
    assert "data-unreviewed" not in listing and '<a href="/scorecard/?month=2026-03">March 2026</a>' in listing


def test_a_kind_with_no_rows_reads_in_spanish_whatever_its_gender(client_user_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="one", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))  # data, but no contract
    panel = _as(client_user_a, tenant_a, "es").get("/panels/data/").content.decode()
    row = re.search(r"<td>Contratos</td>.*?</tr>", panel, flags=re.S).group(0)
    assert "todavía no hay" in row and "ninguna" not in row


def test_a_client_user_without_data_is_not_called_this_client(client_user_a, tenant_a) -> None:
    """"No data has been imported for this client yet" spoke of the reader as "this client" (the agency's word)."""
    english = _as(client_user_a, tenant_a, "en").get("/panels/data/").content.decode()
    assert "Your agency has not added any of your data yet" in english and "this client" not in english
    spanish = _as(client_user_a, tenant_a, "es").get("/panels/data/").content.decode()
    assert "Tu agencia aún no ha añadido tus datos: aquí aparecerán tus campañas" in spanish and "este cliente" not in spanish


@pytest.mark.parametrize(("language", "client_words", "staff_words"), [
    ("en", ("Data", "Records", "Period"), ("Kind", "Rows", "Days")),
    ("es", ("Datos", "Registros", "Periodo"), ("Tipo", "Filas", "Días")),
])  # fmt: skip
def test_the_data_panel_speaks_of_records_to_a_client_and_of_rows_to_staff(
    client_user_a, staff_a, tenant_a, language, client_words, staff_words
) -> None:
    """A client's home page headed its data "Kind · Rows · Days" (*Tipo · Filas · Días*): the import's words
    for a file's lines. A client reads what its data is, how many records, over which period; staff keep theirs."""
    with schema_context("alpha"):
        Lead.objects.create(id="one", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    for user, words in ((client_user_a, client_words), (staff_a, staff_words)):
        panel = _as(user, tenant_a, language).get("/panels/data/").content.decode()
        headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', panel)
        assert tuple(headers) == words, (user, headers)


@pytest.mark.parametrize(("language", "heading"), [("en", "Have you read it?"), ("es", "¿Ya lo leíste?")])
def test_the_card_with_mark_as_read_is_headed_by_its_question(march, client_user_a, staff_a, language, heading) -> None:  # noqa: F811
    """The approved month's page headed its card holding only "Mark as read" *Read and questions* (*Lectura y
    preguntas*), above a card of its own named *Questions*."""
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    page = _as(client_user_a, march, language).get("/reports/2026-03/").content.decode()
    card = page[page.index('aria-labelledby="ack-title"'):]
    assert f'<h2 id="ack-title">{escape(heading)}</h2>' in card[: card.index("</section>")]
    assert "Read and questions" not in page and "Lectura y preguntas" not in page
