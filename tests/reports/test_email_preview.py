"""Staff read the monthly email before approving it: on the month's page, "Preview the email" opens
in the browser the email the client's readers would get if approved now — the approval's own
builder (reports.emails), in the client's language, the current commentary and figures, subject and
sender above it, images inline, the PDF a link that opens in the browser — and nothing is sent."""

from __future__ import annotations

import datetime as dt
import io
import re

import pypdfium2
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import override_settings
from django_tenants.utils import schema_context
from PIL import Image

from agency.models import AgencyBrand, Client, User
from clients.models import OutboxEmail
from kpis.services import snapshot_compute
from reports.models import MonthReport, ReportVersion
from reports.services import commentary_save, month_approve
from tests.agency.test_spanish_everywhere import ENGLISH, visible_text
from tests.factories import UserFactory
from tests.reports.conftest import MARCH, browser_for, late_spend
from tests.reports.test_client_language import english_in

URL = "/reports/2026-03/email-preview/"


@pytest.fixture
def in_review(march, staff_a, client_user_a):
    """March in review at a Spanish client, its commentary written; its staff read the portal in English."""
    march.language = "es"
    march.save()
    staff_a.language = "en"
    staff_a.save()
    client_user_a.language = ""  # the client's language
    client_user_a.save()
    AgencyBrand.objects.create(name="Agencia Norte", sender_name="Equipo Norte")
    with schema_context("alpha"):
        MonthReport.objects.create(month=MARCH, state=MonthReport.State.IN_REVIEW,
                                   in_review_since=dt.datetime(2026, 4, 4, tzinfo=dt.UTC))
    commentary_save(client=march, month=MARCH, section="summary", text="Un **gran** mes de leads", user=staff_a)
    yield march
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)


def _nothing_sent() -> None:
    assert mail.outbox == []
    with schema_context("alpha"):
        assert not OutboxEmail.objects.exists()
        assert not ReportVersion.objects.exists()
        assert MonthReport.objects.get(month=MARCH).state == "in_review"


def test_the_close_page_links_to_the_preview_of_the_email(in_review, staff_a) -> None:
    page = browser_for(staff_a, in_review, language="en").get("/reports/2026-03/").content.decode()
    assert f'href="{URL}"' in page and "Preview the email" in page


def test_staff_read_the_spanish_clients_email_in_spanish_under_an_english_banner(in_review, staff_a) -> None:
    response = browser_for(staff_a, in_review, language="en").get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # a page, not a download
    page = response.content.decode()
    assert "Preview — not sent." in page  # the viewer's language
    subject = re.search(r"data-preview-subject>([^<]*)<", page).group(1)
    assert subject == "Alpha Analytics: tu informe de marketing de marzo de 2026"
    assert "Equipo Norte" in re.search(r"data-preview-from>([^<]*)<", page).group(1)
    assert "ann@alpha.example" in page  # to whom it goes
    assert re.search(r'href="/reports/2026-03/email-preview/report.pdf"[^>]*>alpha-informe-2026-03.pdf<', page)
    html = re.search(r'srcdoc="([^"]*)"', page).group(1)
    email = html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    assert "Un <strong>gran</strong> mes de leads" in email  # the commentary as written now
    assert "215,72" in email  # the figures: cost per lead, in Spanish
    assert "cid:" not in email and 'src="data:image/png;base64,' in email  # the chart inline
    assert english_in(visible_text(email)) == []
    _nothing_sent()


def test_the_preview_is_the_email_approval_sends(in_review, staff_a) -> None:
    page = browser_for(staff_a, in_review, language="en").get(URL).content.decode()
    subject = re.search(r"data-preview-subject>([^<]*)<", page).group(1)
    month_approve(client=in_review, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get(kind="report_approved").payload
    assert payload["subject"] == subject
    assert "Un <strong>gran</strong> mes de leads" in payload["html"]
    # Approved, the month's email is sent: no preview of it any more.
    assert browser_for(staff_a, in_review, language="en").get(URL).status_code == 404


def test_the_attached_pdf_opens_in_the_browser(in_review, staff_a) -> None:
    response = browser_for(staff_a, in_review, language="en").get(URL + "report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="alpha-informe-2026-03.pdf"'
    document = pypdfium2.PdfDocument(response.content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    # The client's PDF as approving now makes it, not staff's: who approves it, in Spanish.
    assert re.search(r"Aprobado el .* por sam@agency\.example", text)
    assert "Costo por lead" in text and "Un gran mes de leads" in text
    assert english_in(text) == [], english_in(text)
    _nothing_sent()


def test_a_client_user_cannot_preview(in_review, client_user_a) -> None:
    reader = browser_for(client_user_a, in_review)
    assert reader.get(URL).status_code == 404
    assert reader.post(URL, {"reason": REASON}).status_code == 404
    assert reader.get(URL + "report.pdf").status_code == 404
    assert 'href="/reports/2026-03/email-preview/"' not in reader.get("/reports/").content.decode()
    _nothing_sent()


def test_staff_of_another_client_cannot_preview(in_review, tenant_b) -> None:
    other = UserFactory(username="bea-staff", role=User.Role.STAFF, clients=[tenant_b])
    browser = browser_for(other, in_review, language="en")
    assert browser.get(URL).status_code == 404
    assert browser.post(URL, {"reason": REASON}).status_code == 404
    assert browser.get(URL + "report.pdf").status_code == 404
    _nothing_sent()


def test_no_preview_of_a_month_without_figures(in_review, staff_a) -> None:
    assert browser_for(staff_a, in_review, language="en").get("/reports/2026-02/email-preview/").status_code == 404


def test_spanish_staff_preview_an_english_clients_email(march, staff_a, client_user_a) -> None:
    """The page around the email in the viewer's language; the email in the client's."""
    march.language = "en"
    march.save()
    staff_a.language = "es"
    staff_a.save()
    with schema_context("alpha"):
        MonthReport.objects.create(month=MARCH, state=MonthReport.State.IN_REVIEW)
    staff = browser_for(staff_a, march)
    assert "Vista previa del correo" in staff.get("/reports/2026-03/").content.decode()
    page = staff.get(URL).content.decode()
    assert "Vista previa — no enviado." in page
    assert re.search(r"data-preview-subject>([^<]*)<", page).group(1) == "Alpha Analytics: your marketing report for March 2026"
    assert re.search(r'href="/reports/2026-03/email-preview/report.pdf"[^>]*>alpha-report-2026-03.pdf<', page)
    around = re.sub(r'srcdoc="[^"]*"', "", page)  # the email itself is the client's English
    leftover = [phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", visible_text(around))]
    assert leftover == []
    assert "Subject" not in visible_text(around) and "Asunto" in around
    _nothing_sent()


def test_the_clients_logo_shows_in_the_preview_as_in_the_email(in_review, staff_a) -> None:
    png = io.BytesIO()
    Image.new("RGB", (120, 40), "#0f766e").save(png, format="PNG")
    client = Client.objects.get(pk=in_review.pk)
    client.brand_logo.save("logo.png", ContentFile(png.getvalue()), save=True)
    page = browser_for(staff_a, client, language="en").get(URL).content.decode()
    email = re.search(r'srcdoc="([^"]*)"', page).group(1).replace("&quot;", '"')
    # Both inline images of the email (logo, chart) in the page, none left as a cid: a browser cannot show.
    assert len(re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', email.replace("&lt;", "<"))) == 2
    assert "cid:" not in email
    _nothing_sent()


# --- a revision: approved and sent, the figures changed since -------------------------------------


@pytest.fixture
def revised(in_review, staff_a):
    """March approved and emailed; then Google Ads restated it (cost per lead 215.72 → 219.40 EUR)."""
    month_approve(client=in_review, month=MARCH, user=staff_a)
    late_spend(in_review)
    return in_review


REASON = "gasto tardío de Google Ads"


def _revision_untouched() -> None:
    """Only the first approval's email and version: the preview of the revision queued, approved nothing."""
    assert mail.outbox == []
    with schema_context("alpha"):
        assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["report_approved"]
        assert list(ReportVersion.objects.values_list("number", flat=True)) == [1]
        assert MonthReport.objects.get(month=MARCH).state == "approved"


def _email_of(page: str) -> str:
    html = re.search(r'srcdoc="([^"]*)"', page).group(1)
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


def test_the_revision_form_posts_its_reason_to_the_preview_of_its_email(revised, staff_a) -> None:
    """The reason as typed went to the preview in its URL (?reason=…): browser history and the servers'
    access logs kept it. "Preview the email" is a submit button of the revision's form, sent to the
    preview (its reason field with it, by POST); no URL of the page carries a reason."""
    with schema_context("alpha"):
        MonthReport.objects.filter(month=MARCH).update(restated_by=REASON)  # what the form is filled with
    page = browser_for(staff_a, revised, language="en").get("/reports/2026-03/").content.decode()
    card = page[page.index('id="pending-title"'):page.index('id="close-draft"')]
    form = re.search(r'<form method="post" action="/reports/2026-03/approve/" class="stack" id="revision-form">', card)
    assert form and re.search(r'<input id="reason" name="reason"[^>]* value="gasto tardío de Google Ads">', card)
    button = re.search(r"<button ([^>]*)data-email-preview-reason>Preview the email</button>", card)
    assert button and f'formaction="{URL}"' in button.group(1) and 'form="revision-form"' in button.group(1)
    assert "formnovalidate" in button.group(1)  # a preview before a reason is typed: "Not said yet"
    assert "reason=" not in page and "email_preview_reason.js" not in page


def test_the_preview_never_reads_a_reason_from_its_url(revised, staff_a) -> None:
    page = browser_for(staff_a, revised, language="en").get(URL, {"reason": REASON}).content.decode()
    assert "Not said yet" in re.search(r"data-preview-reason>([^<]*)<", page).group(1)
    assert REASON not in page
    _revision_untouched()


def test_staff_preview_the_revisions_email_in_the_clients_spanish(revised, staff_a) -> None:
    response = browser_for(staff_a, revised, language="en").post(URL, {"reason": REASON})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview — not sent." in page and "if you approve the revision now" in page
    assert re.search(r"data-preview-subject>([^<]*)<", page).group(1) == "Alpha Analytics: cifras revisadas de marzo de 2026"
    assert "Equipo Norte" in re.search(r"data-preview-from>([^<]*)<", page).group(1)
    assert "ann@alpha.example" in re.search(r"data-preview-to>([^<]*)<", page).group(1)
    assert REASON in re.search(r"data-preview-reason>([^<]*)<", page).group(1)
    assert re.search(r'href="/reports/2026-03/email-preview/report.pdf"[^>]*>alpha-informe-2026-03.pdf<', page)
    email = _email_of(page)
    assert "Nota de tu agencia sobre esta revisión: «Gasto tardío de Google Ads»." in email  # as typed, quoted
    assert "219,40" in email and "antes: 215,72" in email  # each changed figure, revised then approved
    assert "Un <strong>gran</strong> mes de leads" in email
    assert "El informe revisado va adjunto en PDF." in email
    assert english_in(visible_text(email)) == []
    _revision_untouched()


def test_the_revisions_preview_is_the_email_the_revision_sends(revised, staff_a) -> None:
    page = browser_for(staff_a, revised, language="en").post(URL, {"reason": REASON}).content.decode()
    month_approve(client=revised, month=MARCH, user=staff_a, reason=REASON, notify=True)
    with schema_context("alpha"):
        sent = OutboxEmail.objects.get(kind="report_revised").payload
    assert sent["subject"] == re.search(r"data-preview-subject>([^<]*)<", page).group(1)
    assert sent["from_email"] == re.search(r"data-preview-from>([^<]*)<", page).group(1).replace("&lt;", "<").replace("&gt;", ">")

    def same(html: str) -> str:  # the reader's own opt-out token and the images' form aside
        html = re.sub(r"/accounts/monthly-email/off/(\?t=[^\"<\s]*)?", "/accounts/monthly-email/off/", html)
        return re.sub(r'src="(cid:[^"]+|data:image/png;base64,[^"]+)"', 'src="image"', html)

    assert same(sent["html"]) == same(_email_of(page))
    # Revised, no revision waits: no preview any more.
    assert browser_for(staff_a, revised, language="en").get(URL).status_code == 404


def test_the_revisions_preview_pdf_is_the_revised_clients_pdf(revised, staff_a) -> None:
    response = browser_for(staff_a, revised, language="en").get(URL + "report.pdf")
    assert response.status_code == 200 and response["Content-Disposition"] == 'inline; filename="alpha-informe-2026-03.pdf"'
    document = pypdfium2.PdfDocument(response.content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    assert "219,40" in text and "215,72" not in text  # the revised figures, not the ones the client has
    # as the revised month's PDF reads (its line may wrap anywhere: "7 dic 2026" is shorter than the dates were)
    assert re.search(r"Revisado el\s+\d{1,2} [a-z]{3} \d{4}\s+por\s+sam@agency\.example", text), text[:600]
    _revision_untouched()


def test_a_revision_without_a_reason_yet_says_the_email_will_give_one(revised, staff_a) -> None:
    page = browser_for(staff_a, revised, language="en").get(URL).content.decode()
    assert "Not said yet" in re.search(r"data-preview-reason>([^<]*)<", page).group(1)
    assert "Nota de tu agencia" not in _email_of(page)
    _revision_untouched()


# --- who may approve, and where the link is not shown ---------------------------------------------


@override_settings(REPORT_APPROVERS="admins")
def test_staff_who_may_not_approve_preview_the_email_and_are_told_they_cannot_approve(in_review, staff_a) -> None:
    """Kept for them: they write the commentary the email carries. Neither page says "if you approve"."""
    close = browser_for(staff_a, in_review, language="en").get("/reports/2026-03/").content.decode()
    assert "Only the agency's admins approve reports." in close and f'href="{URL}"' in close
    assert "if you approve now" not in close and "when the month is approved" in close
    page = browser_for(staff_a, in_review, language="en").get(URL).content.decode()
    banner = re.search(r"data-preview-banner>(.*?)</p>", page, re.S).group(1)
    assert "if you approve" not in banner and "if the month is approved now" in banner
    assert "You cannot approve it: only the agency's admins approve reports." in banner
    _nothing_sent()


@override_settings(REPORT_APPROVERS="admins")
def test_staff_who_may_not_approve_a_revision_are_told_so_beside_its_preview(revised, staff_a) -> None:
    close = browser_for(staff_a, revised, language="en").get("/reports/2026-03/").content.decode()
    card = close[close.index('id="pending-title"'):close.index('id="close-draft"')]
    assert "Approve the revision" not in card
    assert "Only the agency's admins approve reports." in card and "data-email-preview-reason" in card
    # no revision form to send: a form of the reason the page proposes, by POST too
    form = re.search(r'<form method="post" action="([^"]*)"[^>]*data-email-preview-link>(.*?)</form>', card, re.S)
    assert form and form.group(1) == URL and 'name="reason" value=""' in form.group(2)
    page = browser_for(staff_a, revised, language="en").get(URL).content.decode()
    banner = re.search(r"data-preview-banner>(.*?)</p>", page, re.S).group(1)
    assert "if the revision is approved now" in banner and "You cannot approve it" in banner
    _revision_untouched()


def test_a_month_waiting_for_data_has_no_preview_link_and_no_preview(in_review, staff_a) -> None:
    """February in review with nothing recorded: the page offers no Approve, so no preview either."""
    february = dt.date(2026, 2, 1)
    with schema_context("alpha"):
        MonthReport.objects.create(month=february, state=MonthReport.State.IN_REVIEW)
    snapshot_compute(client=in_review, months=[february])
    browser = browser_for(staff_a, in_review, language="en")
    assert "data-email-preview-link" not in browser.get("/reports/2026-02/").content.decode()
    assert browser.get("/reports/2026-02/email-preview/").status_code == 404
    assert browser.get("/reports/2026-02/email-preview/report.pdf").status_code == 404


@override_settings(REPORT_APPROVERS="admins")
def test_spanish_staff_who_may_not_approve_read_the_revisions_preview_in_spanish(revised, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    page = browser_for(staff_a, revised).post(URL, {"reason": REASON}).content.decode()
    assert "El correo de la revisión de marzo de 2026" in page
    assert "Tú no puedes aprobarlo" in page and "Motivo" in page
    around = re.sub(r'srcdoc="[^"]*"', "", page)
    leftover = [phrase for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", visible_text(around))]
    assert leftover == []
    _revision_untouched()


def test_back_from_a_revisions_preview_the_reason_typed_is_still_in_the_form(revised, staff_a) -> None:
    """Following "← Back" lost the reason staff typed before opening the preview: the form came back
    with the reason the page had filled in (or empty)."""
    browser = browser_for(staff_a, revised, language="en")
    page = browser.post(URL, {"reason": REASON}).content.decode()
    back = re.search(r'<a href="([^"]*)" data-preview-back>', page).group(1)
    assert back == "/reports/2026-03/#pending-title"  # no reason in the URL: the session keeps it for the page
    close = browser.get(back.split("#")[0]).content.decode()
    assert re.search(r'<input id="reason"[^>]* value="gasto tardío de Google Ads">', close)
    assert "reason=" not in close
    # once: the page opened again later proposes its own reason (none here), not what was typed then
    again = browser.get("/reports/2026-03/").content.decode()
    assert not re.search(r'<input id="reason"[^>]* value=', again)
