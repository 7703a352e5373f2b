"""The revision's email as its reader meets it: branded like the monthly email (the agency's bar,
logo and sender), in the reader's language, saying when and why the figures were revised, each
figure that changed, the commentary that goes out with them and the link to the report, with the
revised PDF attached and a plain-text part saying the same. It was plain text only (walk of 7 Dec 2026)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django_tenants.utils import schema_context

from agency.models import AgencyBrand, Client
from clients.models import OutboxEmail
from clients.outbox import outbox_send_due
from reports.services import commentary_save, month_approve
from tests.agency.test_spanish_everywhere import visible_text
from tests.browser.conftest import ARTIFACTS
from tests.reports.conftest import MARCH, late_spend
from tests.reports.test_client_language import english_in

pytestmark = pytest.mark.django_db

# English the revision's email would show if it were not translated.
REVISION_ENGLISH = ("revised figures", "were revised", "Why", "What changed", "was", "See the revised report", "attached")


def _revise(client, staff) -> None:
    """Approve March, let Google Ads restate it (cost per lead 215.72 → 219.40 EUR), approve the revision."""
    commentary_save(client=client, month=MARCH, section="summary", text="March closed **well**.", user=staff)
    month_approve(client=client, month=MARCH, user=staff)
    late_spend(client)
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC), tick=False):
        month_approve(client=client, month=MARCH, user=staff, reason="late Google Ads spend", notify=True)


def _sent():
    with schema_context("alpha"):
        OutboxEmail.objects.filter(kind="report_approved").delete()  # the revision's alone
    assert outbox_send_due(client=Client.objects.get(schema_name="alpha")) == 1
    (message,) = mail.outbox
    return message


def _keep(html: str, name: str) -> None:
    """The HTML beside the screenshots, to be looked at in a browser at 600 and 390 px."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_text(html)


def _inline_ids(message) -> set[str]:
    return {part["Content-ID"].strip("<>") for part in message.message().walk() if part["Content-ID"]}


def test_the_revision_email_is_branded_html_saying_why_and_what_changed_in_english(march, staff_a, client_user_a) -> None:
    client_user_a.language = "en"
    client_user_a.save()
    _revise(march, staff_a)
    message = _sent()
    html = message.alternatives[0][0]
    _keep(html, "revision-email-en.html")
    text = visible_text(html)
    assert message.subject == "Alpha Analytics: revised figures for March 2026"
    assert "Alpha Analytics: revised figures for March 2026" in text
    assert "The figures for March 2026 were revised on Dec 4, 2026." in text
    # The reason as staff typed it ("late Google Ads spend"), quoted in a sentence saying whose words they are
    assert "Your agency's note on this revision: “Late Google Ads spend.”" in text
    # each figure that changed: its name, the revised value and the approved one under it
    change = re.search(r"<tr data-change>.*?Cost per lead.*?</tr>", html, re.S)
    assert change and "€219.40" in change.group(0) and "was €215.72" in change.group(0)
    assert "March closed <strong>well</strong>." in html  # the commentary that goes out with the revision
    assert 'href="http://alpha.' in html and "/reports/2026-03/" in html and "See the revised report" in text
    assert "The revised report is attached as a PDF." in text
    assert "data-preview>Your agency&#x27;s note on this revision: “Late Google Ads spend.” · " in html  # the inbox's
    assert "background:" in html and "Marketing portal" in text  # the agency's bar
    # Every inline image the HTML names is attached: no logo, no cid.
    assert set(re.findall(r'src="cid:([^"]+)"', html)) == _inline_ids(message) == set()
    # the plain-text part says the same
    assert "Cost per lead €215.72 → €219.40" in message.body
    assert "Your agency's note on this revision: “Late Google Ads spend.”" in message.body
    assert "March closed well." in message.body and "/reports/2026-03/" in message.body
    assert [name for name, _content, _type in message.attachments] == ["alpha-report-2026-03.pdf"]


def test_the_revision_email_of_a_client_with_a_logo_carries_it_inline(march, staff_a, client_user_a) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (120, 40), "#0f766e").save(png, format="PNG")
    client = Client.objects.get(pk=march.pk)
    client.brand_logo.save("logo.png", ContentFile(png.getvalue()), save=True)
    march.refresh_from_db()
    _revise(march, staff_a)
    message = _sent()
    html = message.alternatives[0][0]
    assert set(re.findall(r'src="cid:([^"]+)"', html)) == _inline_ids(message) == {"brand-logo"}


def test_a_spanish_reader_gets_the_revision_email_in_spanish(march, staff_a, client_user_a) -> None:
    march.language = "es"
    march.save()
    client_user_a.language = ""  # never chose: the client's language
    client_user_a.save()
    AgencyBrand.objects.create(name="Agencia Norte", sender_name="Equipo Norte")
    try:
        _revise(march, staff_a)
        message = _sent()
    finally:
        cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    html = message.alternatives[0][0]
    _keep(html, "revision-email-es.html")
    text = visible_text(html)
    assert message.subject == "Alpha Analytics: cifras revisadas de marzo de 2026"
    assert message.from_email.startswith("Equipo Norte <") and "Agencia Norte" in text
    assert "Las cifras de marzo de 2026 se revisaron el 4 dic 2026." in text
    # A reason typed in English, in a Spanish sentence that attributes it (the full stop after the quote)
    assert "Nota de tu agencia sobre esta revisión: «Late Google Ads spend»." in text and "Qué cambió" in text
    assert "antes: 215,72\xa0€" in text and "Ver el informe revisado" in text
    assert "El informe revisado va adjunto en PDF." in text
    # No English left but the reason and commentary staff wrote (checked like the monthly email).
    written = text.replace("Late Google Ads spend", "").replace("March closed well.", "")
    body = message.body.replace("Late Google Ads spend", "").replace("March closed well.", "")
    assert english_in(written) == [] and english_in(body) == []
    for phrase in REVISION_ENGLISH:
        assert not re.search(rf"(?<![\w-]){phrase}(?![\w-])", written), phrase
    assert [name for name, _content, _type in message.attachments] == ["alpha-informe-2026-03.pdf"]


@pytest.mark.parametrize("language", ["en", "es", "es-mx"])
def test_the_revision_emails_date_is_written_as_the_report_page_writes_it(march, staff_a, client_user_a, language) -> None:
    """One date form for a client, in each language and locale: the email's "revised on …" is the
    report page's "Revised …" word for word (both Django's DATE_FORMAT of the reader's language,
    agency/formats: "Dec 4, 2026" in English, "4 dic 2026" in Spanish), never a form of its own."""
    from tests.reports.conftest import browser_for

    client_user_a.language = language
    client_user_a.save()
    _revise(march, staff_a)
    text = visible_text(_sent().alternatives[0][0])
    page = browser_for(client_user_a, march, language=language).get("/reports/2026-03/").content.decode()
    # the date, whatever follows it on the page (the reason, or a line of its own)
    shown = re.search(r"(?:Revised|Revisado(?: el)?) ([A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [a-z]{3} \d{4})", page)
    assert shown, re.findall(r"(?:Revised|Revisado)[^<]{0,60}", page)
    # Mexico's Spanish writes its months in lower case too (locale/es overrides Django's es_MX "Diciembre")
    assert shown.group(1) == {"en": "Dec 4, 2026", "es": "4 dic 2026", "es-mx": "4 dic 2026"}[language]
    said = "The figures for March 2026 were revised on {}." if language == "en" else "se revisaron el {}."
    assert said.format(shown.group(1)) in text, (shown.group(1), text[:400])
