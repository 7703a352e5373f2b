"""The monthly close, state by state: open → in review → approved → (late data) → revised.

What the client sees at each step, what staff see, the emails queued, the public mirror the
console reads, and the refusals (a recompute under way, a second approval, a client user).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation
from django_tenants.utils import schema_context

from agency.redis_client import redis_client
from clients.models import Job, OutboxEmail
from clients.outbox import outbox_send_due
from kpis.recompute import _keys as recompute_keys
from portfolio.models import ClientMonthClose
from reports.models import Commentary, MonthReport, ReportVersion
from reports.services import (
    ApprovalRefused,
    commentary_save,
    month_approve,
    month_open,
    month_reviews_start,
)
from reports.tasks import dispatch_month_reviews, month_reviews_start_task
from reports.text import light_html
from tests.conftest import host_of
from tests.reports.conftest import MARCH, browser_for, late_spend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Service messages are matched in English; a request before may have left Spanish active."""
    with translation.override("en"):
        yield


def _state(tenant) -> str:
    with schema_context(tenant.schema_name):
        return MonthReport.objects.get(month=MARCH).state


def _mirror(tenant) -> ClientMonthClose:
    return ClientMonthClose.objects.get(client=tenant, month=MARCH)


# --- open → in review ------------------------------------------------------------------------


def test_beat_opens_the_ended_month_and_moves_it_to_review_after_the_settling_delay(march) -> None:
    # 1 April 00:30 in Madrid: March has ended; the default delay is 3 days.
    assert month_reviews_start(client=march, at=dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)) is None
    assert _state(march) == "open" and _mirror(march).state == "open"
    assert month_reviews_start(client=march, at=dt.datetime(2026, 4, 3, 21, 0, tzinfo=dt.UTC)) is None  # 3 April, Madrid
    at = dt.datetime(2026, 4, 3, 22, 30, tzinfo=dt.UTC)  # 4 April 00:30 in Madrid
    assert month_reviews_start(client=march, at=at) == MARCH
    assert _state(march) == "in_review"
    assert _mirror(march).state == "in_review" and _mirror(march).in_review_since == at


def test_the_delay_is_the_clients_setting(march) -> None:
    march.review_delay_days = 1
    march.save()
    assert month_reviews_start(client=march, at=dt.datetime(2026, 4, 1, 23, 0, tzinfo=dt.UTC)) == MARCH  # 2 April in Madrid


def test_the_dispatcher_passes_one_instant_down_and_the_task_never_reads_the_clock(march, monkeypatch) -> None:
    sent = []
    monkeypatch.setattr("agency.tasks.enqueue_for_client", lambda task, *, client, **kw: sent.append((client.slug, kw["at"])))
    assert dispatch_month_reviews.apply(kwargs={"at": "2026-04-10T08:00:00+00:00"}).get() == 2
    assert sorted(sent) == [("alpha", "2026-04-10T08:00:00+00:00"), ("beta", "2026-04-10T08:00:00+00:00")]
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):  # the clock says another year: ignored
        month_reviews_start_task.apply(
            kwargs={"client_slug": "alpha", "at": "2026-04-10T08:00:00+00:00"}, headers={"_schema_name": "alpha"}
        ).get()
    assert _state(march) == "in_review"


# --- what the client sees before approval: nothing of the month ---------------------------------


def test_a_month_in_the_close_is_a_draft_the_client_does_not_see(march, client_user_a, staff_a) -> None:
    client = browser_for(client_user_a, march)
    assert "marzo de 2026" in client.get("/scorecard/").content.decode().lower()  # before the close: as today
    month_open(client=march, month=MARCH)
    page = client.get("/scorecard/?month=2026-03").content.decode()
    assert "215,72" not in page
    assert client.get("/reports/2026-03/").status_code == 404
    assert client.get("/scorecard/export.csv?month=2026-03").status_code == 404
    assert client.get("/scorecard/export.pdf?month=2026-03").status_code == 404
    staff = browser_for(staff_a, march)
    assert "215,72" in staff.get("/reports/2026-03/").content.decode()
    assert "215,72" in staff.get("/scorecard/?month=2026-03").content.decode()


# --- commentary -------------------------------------------------------------------------------


def test_commentary_autosaves_keeps_every_save_and_never_lets_markup_through(march, staff_a, client_user_a) -> None:
    staff = browser_for(staff_a, march)
    url = "/reports/2026-03/commentary/"
    assert (
        "Guardado" in staff.post(url, {"section": "summary", "text": "Un **buen** mes"}, HTTP_HX_REQUEST="true").content.decode()
    )
    assert staff.post(url, {"section": "summary", "text": "Un **buen** mes"}).content.decode().startswith("Guardado a las")
    staff.post(url, {"section": "summary", "text": "Un **gran** mes <script>alert(1)</script>"})
    staff.post(url, {"section": "wins", "text": "- Más leads\n- CPL estable"})
    assert staff.post(url, {"section": "nope", "text": "x"}).status_code == 422
    with schema_context("alpha"):
        saves = list(Commentary.objects.filter(month=MARCH, section="summary").order_by("written_at"))
    assert [s.text for s in saves] == ["Un **buen** mes", "Un **gran** mes <script>alert(1)</script>"]
    assert saves[0].author_name == staff_a.display_name == "sam@agency.example"  # no name: the email, not the login
    page = staff.get("/reports/2026-03/").content.decode()
    assert "Un <strong>gran</strong> mes &lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "<ul><li>Más leads</li><li>CPL estable</li></ul>" in page
    # a client user cannot write, nor read the draft anywhere
    assert browser_for(client_user_a, march).post(url, {"section": "summary", "text": "hola"}).status_code == 404
    assert "gran" not in browser_for(client_user_a, march).get("/scorecard/?month=2026-03").content.decode()


def test_light_formatting_is_escaped_text_with_a_few_tags() -> None:
    assert light_html('**a** *b* <img src=x onerror=alert(1)> & "c"') == (
        "<p><strong>a</strong> <em>b</em> &lt;img src=x onerror=alert(1)&gt; &amp; &quot;c&quot;</p>"
    )
    assert light_html("uno\n\n- dos\n- tres") == "<p>uno</p><ul><li>dos</li><li>tres</li></ul>"
    assert light_html("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>"


# --- approval ---------------------------------------------------------------------------------


def test_approval_freezes_the_month_and_queues_the_report_with_its_pdf_exactly_once(march, staff_a, client_user_a) -> None:
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    commentary_save(client=march, month=MARCH, section="summary", text="Marzo cerró **bien**.", user=staff_a)
    response = browser_for(staff_a, march).post("/reports/2026-03/approve/")
    assert response.status_code == 302
    assert _state(march) == "approved" and _mirror(march).state == "approved"
    with schema_context("alpha"):
        version = ReportVersion.objects.get(month=MARCH)
        rows = list(OutboxEmail.objects.all())
    assert version.number == 1 and version.document["kpis"]["cpl"] == pytest.approx(215.72)
    assert version.commentary["summary"] == "Marzo cerró **bien**."
    assert [(r.kind, r.to, r.state) for r in rows] == [("report_approved", "ann@alpha.example", "pending")]
    assert mail.outbox == []  # written, not sent, inside the request's transaction
    assert outbox_send_due(client=march) == 1 and outbox_send_due(client=march) == 0
    (message,) = mail.outbox
    assert "Marzo cerró bien." in message.body and "Costo por lead: 215,72\xa0€" in message.body
    assert "<strong>bien</strong>" in message.alternatives[0][0]
    (attachment,) = [a for a in message.attachments if isinstance(a, tuple)]  # the funnel chart is inline
    assert attachment[0] == "alpha-informe-2026-03.pdf" and attachment[1].startswith(b"%PDF")  # her language
    html = message.alternatives[0][0]
    assert 'src="cid:report-chart"' in html and "Costo por lead" in html  # branded like the report
    # Every inline image the HTML names is attached: without a logo, no cid:brand-logo (a broken image
    # under the agency's bar in every monthly email of a client without one).
    inline = {part["Content-ID"].strip("<>") for part in message.message().walk() if part["Content-ID"]}
    assert set(re.findall(r'src="cid:([^"]+)"', html)) == inline == {"report-chart"}
    # A new client's first month: the email says from when its data runs (translated).
    assert "Datos desde marzo" in message.body and "1 mes hasta ahora." in html
    assert message.from_email.startswith("Marketing portal <")  # the agency's name (white label)
    # the client sees the month now, commentary at the top
    client = browser_for(client_user_a, march)
    page = client.get("/reports/2026-03/").content.decode()
    assert "215,72" in page and "Marzo cerró <strong>bien</strong>." in page
    scorecard = client.get("/scorecard/?month=2026-03").content.decode()
    assert "Marzo cerró <strong>bien</strong>." in scorecard and "215,72" in scorecard
    assert client.get("/scorecard/export.pdf?month=2026-03").status_code == 200



def test_the_approval_email_of_a_client_with_a_logo_carries_it_inline(march, staff_a, client_user_a) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    from agency.models import Client

    png = io.BytesIO()
    Image.new("RGB", (120, 40), "#0f766e").save(png, format="PNG")
    client = Client.objects.get(pk=march.pk)
    client.brand_logo.save("logo.png", ContentFile(png.getvalue()), save=True)
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    assert browser_for(staff_a, march).post("/reports/2026-03/approve/").status_code == 302
    assert outbox_send_due(client=march) == 1
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    inline = {part["Content-ID"].strip("<>") for part in message.message().walk() if part["Content-ID"]}
    assert set(re.findall(r'src="cid:([^"]+)"', html)) == inline == {"brand-logo", "report-chart"}

def test_a_second_approval_is_refused_and_sends_nothing(march, staff_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)
    with pytest.raises(ApprovalRefused, match="already approved"):
        month_approve(client=march, month=MARCH, user=staff_a)
    response = browser_for(staff_a, march).post("/reports/2026-03/approve/", follow=True)
    assert "ya están aprobadas" in response.content.decode()
    with schema_context("alpha"):
        assert ReportVersion.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_approval_waits_for_a_recompute_of_the_month(march, staff_a) -> None:
    with schema_context("alpha"):
        job = Job.objects.create(kind="recompute", params={"months": ["2026-03"]}, total=1)
    with pytest.raises(ApprovalRefused, match="being recomputed"):
        month_approve(client=march, month=MARCH, user=staff_a)
    page = browser_for(staff_a, march).post("/reports/2026-03/approve/", follow=True).content.decode()
    assert "se están recalculando" in page
    with schema_context("alpha"):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    month_approve(client=march, month=MARCH, user=staff_a)


def test_approval_waits_for_a_debounced_recompute_too(march, staff_a) -> None:
    """Data changes wait in kpis.recompute's Redis sets; a month there is about to change."""
    pending, taken, _scheduled = recompute_keys(march)
    redis_client().sadd(taken, "2026-03")
    try:
        with pytest.raises(ApprovalRefused):
            month_approve(client=march, month=MARCH, user=staff_a)
    finally:
        redis_client().delete(pending, taken)
    month_approve(client=march, month=MARCH, user=staff_a)


@override_settings(REPORT_APPROVERS="admins")
def test_the_agency_can_keep_approval_to_its_admins(march, staff_a, admin_user) -> None:
    with pytest.raises(ApprovalRefused):
        month_approve(client=march, month=MARCH, user=staff_a)
    assert "Solo los administradores" in browser_for(staff_a, march).get("/reports/2026-03/").content.decode()
    assert month_approve(client=march, month=MARCH, user=admin_user).number == 1


def test_client_users_cannot_approve(march, client_user_a) -> None:
    assert browser_for(client_user_a, march).post("/reports/2026-03/approve/").status_code == 404
    with pytest.raises(ApprovalRefused):
        month_approve(client=march, month=MARCH, user=client_user_a)


def test_a_failing_outbox_write_leaves_the_month_not_approved(march, staff_a, monkeypatch) -> None:
    """Atomicity: the version, the state and the queued emails commit together or not at all."""
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))

    def fail(**kwargs):
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr("reports.services.approval_emails", fail)
    with pytest.raises(RuntimeError):
        month_approve(client=march, month=MARCH, user=staff_a)
    assert _state(march) == "in_review" and _mirror(march).state == "in_review"
    with schema_context("alpha"):
        assert not ReportVersion.objects.exists() and not OutboxEmail.objects.exists()


def test_an_email_server_down_at_approval_sends_later_once(march, staff_a, monkeypatch) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", down)
    assert outbox_send_due(client=march) == 0
    with schema_context("alpha"):
        row = OutboxEmail.objects.get()
    assert row.state == "failed" and "smtp down" in row.last_error and row.next_attempt_at is not None
    monkeypatch.undo()
    assert outbox_send_due(client=march) == 0  # not due yet
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        assert outbox_send_due(client=march) == 1
        assert outbox_send_due(client=march) == 0
    assert len(mail.outbox) == 1


# --- restatements -------------------------------------------------------------------------------


def test_late_spend_after_approval_makes_a_revision_the_client_sees_only_once_approved(march, staff_a, client_user_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)
    outbox_send_due(client=march)
    late_spend(march)
    staff, client = browser_for(staff_a, march), browser_for(client_user_a, march)
    # staff: the new figures, "Revised figures available" and the diff; the console's row says so
    staff_page = staff.get("/reports/2026-03/").content.decode()
    assert "Cifras revisadas disponibles" in staff_page
    assert "Costo por lead 215,72\xa0€ → 219,40\xa0€" in staff_page
    assert "Cifras revisadas disponibles" in staff.get("/scorecard/?month=2026-03").content.decode()
    assert _mirror(march).revision_pending is True
    # the client: still the approved figures, everywhere
    assert "215,72" in client.get("/reports/2026-03/").content.decode()
    client_card = client.get("/scorecard/?month=2026-03").content.decode()
    assert "215,72" in client_card and "219,40" not in client_card
    csv_text = client.get("/scorecard/export.csv?month=2026-03").content.decode()
    assert "215,72" in csv_text and "219,4" not in csv_text
    # a revision needs a reason
    with translation.override("en"), pytest.raises(ApprovalRefused, match="why"):
        month_approve(client=march, month=MARCH, user=staff_a)
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC), tick=False):
        staff.post("/reports/2026-03/approve/", {"reason": "gasto tardío de Google Ads", "notify": "1"})
    assert _state(march) == "revised" and _mirror(march).revision_pending is False
    # the client now sees the revised figures and what changed, when and why
    page = client.get("/reports/2026-03/").content.decode()
    assert "219,40" in page
    # the reason as staff typed it, quoted in a sentence saying whose words they are, with its stop
    note = "Nota de tu agencia sobre esta revisión: «Gasto tardío de Google Ads»."
    assert "Revisado el 4 dic 2026" in page and page.count(note) == 2, page  # the revision, the versions
    assert "gasto tardío de Google Ads" not in page  # never bare, as typed
    assert "Costo por lead 215,72\xa0€ → 219,40\xa0€" in page
    card = client.get("/scorecard/?month=2026-03").content.decode()
    assert "219,40" in card and "Revisado el 4 dic 2026" in card and note in card
    # the history stays readable: version 1 as the client first saw it
    assert "215,72" in client.get("/reports/2026-03/versions/1/").content.decode()
    version = client.get("/reports/2026-03/versions/2/").content.decode()
    assert "219,40" in version and note in version
    # staff, who typed it, read it as what the client was told
    staff_page = staff.get("/reports/2026-03/").content.decode()
    assert "Motivo indicado al cliente: «Gasto tardío de Google Ads»." in staff_page and note not in staff_page
    # and the client was told by email, once
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 5, tzinfo=dt.UTC)):
        assert outbox_send_due(client=march) == 1
    revised = mail.outbox[-1]
    assert "revisadas" in revised.subject and "Costo por lead 215,72\xa0€ → 219,40\xa0€" in revised.body
    # the date in words, as the pages write dates, not 2026-12-04
    assert "se revisaron el 4 dic 2026." in revised.body and "2026-12-04" not in revised.body
    approved = next(m for m in mail.outbox if "revisadas" not in m.subject)
    assert revised.from_email == approved.from_email  # the agency's name, as the report's email


def test_a_revision_without_telling_the_client_queues_no_email(march, staff_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)
    late_spend(march)
    month_approve(client=march, month=MARCH, user=staff_a, reason="ajuste", notify=False)
    with schema_context("alpha"):
        assert list(OutboxEmail.objects.values_list("kind", flat=True)) == ["report_approved"]


# --- the console, the command line, the export --------------------------------------------------


def test_the_portfolio_lists_months_waiting_for_review_with_how_long(march, staff_a) -> None:
    from django.test import Client as HttpClient

    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    with time_machine.travel(dt.datetime(2026, 4, 12, tzinfo=dt.UTC)):
        page = http.get("/portfolio/").content.decode()
    assert "Cierre mensual: pendiente de la agencia" in page
    assert "Alpha Analytics" in page and "7 días" in page


def test_close_month_and_export_snapshot(march, client_user_a) -> None:
    out = io.StringIO()
    call_command("close_month", "alpha", month="2026-03", stdout=out)
    assert out.getvalue().strip() == "alpha 2026-03: in_review"
    call_command("close_month", "alpha", month="2026-03", approve=True, stdout=out)
    assert "approved version 1, 1 emails sent" in out.getvalue()
    with pytest.raises(CommandError, match="already approved"):
        call_command("close_month", "alpha", month="2026-03", approve=True, stdout=out)
    late_spend(march)
    with pytest.raises(CommandError, match="why"):
        call_command("close_month", "alpha", month="2026-03", approve=True, stdout=out)
    call_command("close_month", "alpha", month="2026-03", approve=True, reason="late Google Ads spend", stdout=out)
    exported = io.StringIO()
    call_command("export_snapshot", "alpha", month="2026-03", stdout=exported)
    document = json.loads(exported.getvalue())
    assert document["state"] == "revised" and document["revision_pending"] is False
    assert document["approved_at"] == document["revisions"][0]["approved_at"]
    assert [r["version"] for r in document["revisions"]] == [1, 2]
    assert document["revisions"][1]["reason"] == "late Google Ads spend"
    assert document["revisions"][1]["changes"]["cpl"] == [pytest.approx(215.72), pytest.approx(219.40)]
    assert document["kpis"]["cpl"] == pytest.approx(219.40)


def test_an_attachment_round_trips_through_the_outbox_row(march, staff_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        payload = OutboxEmail.objects.get().payload
    (pdf,) = [a for a in payload["attachments"] if a["mimetype"] == "application/pdf"]
    assert Path(pdf["path"]).read_bytes().startswith(b"%PDF")


def test_admins_set_the_settling_delay_in_the_console(march, admin_user, staff_a) -> None:
    from django.test import Client as HttpClient

    http = HttpClient(HTTP_HOST=host_of(None), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(admin_user)
    assert http.post("/clients/alpha/review-delay/", {"review_delay_days": "5"}).status_code == 302
    march.refresh_from_db()
    assert march.review_delay_days == 5
    assert (
        "Entre 0 y 28 días."
        in http.post("/clients/alpha/review-delay/", {"review_delay_days": "40"}, follow=True).content.decode()
    )
    march.refresh_from_db()
    assert march.review_delay_days == 5
    http.force_login(staff_a)
    assert http.post("/clients/alpha/review-delay/", {"review_delay_days": "1"}).status_code == 404


def test_staff_see_the_months_stuck_and_failed_emails_and_send_an_uncertain_one_again(
    march, staff_a, client_user_a, django_capture_on_commit_callbacks
) -> None:
    """An email whose worker died mid-send is shown (never re-sent by itself); "Send again" queues it once."""
    with schema_context("alpha"):
        OutboxEmail.objects.create(
            kind="report_approved", recipient_id=client_user_a.pk, to="ann@alpha.example", month=MARCH,
            payload={"subject": "s", "body": "b"}, state="sending", attempts=1,
            claimed_at=dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC),
        )  # fmt: skip
        OutboxEmail.objects.create(
            kind="report_question", recipient_id=staff_a.pk, to="sam@agency.example", month=MARCH,
            payload={"subject": "s", "body": "b"}, state="failed", attempts=12, last_error="SMTPDataError: 554 no",
        )  # fmt: skip
        OutboxEmail.objects.create(
            kind="report_answer", recipient_id=client_user_a.pk, to="ann@alpha.example", month=MARCH,
            payload={"subject": "s", "body": "b"}, state="sent", attempts=1,
        )  # fmt: skip
        stuck, given_up, _sent = OutboxEmail.objects.order_by("pk")
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=dt.UTC)):
        staff = browser_for(staff_a, march, language="en")
        page = staff.get("/reports/2026-03/").content.decode()
        assert "Emails that need a look" in page
        assert page.count('data-outbox-state="uncertain"') == 1 and page.count('data-outbox-state="given_up"') == 1
        assert "Outcome unknown" in page and "Refused by the mail server after 12 attempts." in page
        assert "SMTPDataError: 554 no" in page and "The answer to a question" not in page  # sent: nothing to see
        assert "Emails that need a look" not in browser_for(client_user_a, march).get("/reports/2026-03/").content.decode()
        assert outbox_send_due(client=march) == 0  # the drain marks it uncertain and sends nothing
        with schema_context("alpha"):
            assert OutboxEmail.objects.get(pk=stuck.pk).state == "uncertain"
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = staff.post(f"/reports/2026-03/emails/{stuck.pk}/resend/")
        assert response.status_code == 302 and len(callbacks) == 1  # the drain is scheduled after the commit
        assert outbox_send_due(client=march) == 1
        assert [m.to for m in mail.outbox] == [["ann@alpha.example"]]
        with schema_context("alpha"):
            assert OutboxEmail.objects.get(pk=stuck.pk).state == "sent"
        # once sent, "send again" changes nothing; a client user cannot press it
        assert staff.post(f"/reports/2026-03/emails/{stuck.pk}/resend/").status_code == 302
        assert browser_for(client_user_a, march).post(f"/reports/2026-03/emails/{given_up.pk}/resend/").status_code == 404
        assert outbox_send_due(client=march) == 0 and len(mail.outbox) == 1
        with schema_context("alpha"):
            assert OutboxEmail.objects.get(pk=given_up.pk).state == "failed"


def test_staff_opening_monthly_reports_find_the_month_that_ended_without_waiting_for_beat(march, staff_a, client_user_a) -> None:
    """A new client's first month: the hourly beat has not run yet, the month list has it already."""
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        page = browser_for(staff_a, march, language="en").get("/reports/").content.decode()
    assert "March 2026" in page and "In review" in page  # ten days after it ended: past the 3 settling days
    assert _state(march) == "in_review"
    # a client user's visit changes nothing, and they do not see the month before it is approved
    with schema_context("alpha"):
        MonthReport.objects.all().delete()
    with time_machine.travel(dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC), tick=False):
        assert "March 2026" not in browser_for(client_user_a, march, language="en").get("/reports/").content.decode()
    with schema_context("alpha"):
        assert not MonthReport.objects.exists()


def test_a_group_without_data_says_why_instead_of_a_column_of_dashes(march, staff_a) -> None:
    """March has no ad platform rows: the paid-media group is one sentence, not ten rows of "—"
    whose reason only a mouse could read (a phone has no hover); its media spend was loaded as totals,
    so the sentence says so and what staff can do (kpis.scorecard.paid_empty_reason)."""
    page = browser_for(staff_a, march, language="es").get("/reports/2026-03/").content.decode()
    paid = page[page.index('data-group="paid_media"') :]
    paid = paid[: paid.index("</section>")]
    assert "Este mes se han cargado 1\xa0725,76\xa0€ de inversión en medios como totales" in paid
    assert "conecta Google Ads, Meta o LinkedIn, o importa sus exportaciones" in paid
    assert 'href="/imports/">Importaciones</a>' in paid  # staff: where to connect or upload
    assert "Impresiones" not in paid and "—" not in paid
    assert "Costo por lead" in page  # the groups with data keep their table


def test_inviting_a_client_user_from_a_months_page_comes_back_to_it(march, staff_a, client_user_a) -> None:
    """The walk of 2026-12-07 (walk15): "Invite a client user" on November's page opened the console's
    client page, and after "Send invitation" the walk stayed there: back to the month took "Open portal"
    and "Review it". The console's form now brings the staff member back to the month they came from,
    whose Approve now names the person invited."""
    from django.test import Client as HttpClient

    from agency.views.auth import HANDOFF_PATHS
    from tests.conftest import host_of

    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    client_user_a.monthly_email = False  # nobody to email: the page offers to invite someone
    client_user_a.save()
    page = browser_for(staff_a, march).get("/reports/2026-03/").content.decode()
    link = re.search(r'href="http://localhost:8000(/clients/alpha/\?back=[^"#]+)#client-users"', page).group(1)
    console = HttpClient(HTTP_HOST=host_of(None))
    console.force_login(staff_a)
    form = console.get(link).content.decode()
    assert 'name="back" value="/reports/2026-03/"' in form
    response = console.post("/clients/alpha/invite/", {"email": "lu@alpha.example", "back": "/reports/2026-03/"})
    # A page that moves on by itself: the CSP's form-action 'self' would block a redirect to another host.
    assert response.status_code == 200
    moves_on = re.search(r'content="0;url=([^"]+)"', response.content.decode()).group(1)
    assert moves_on.startswith(f"http://{host_of(march)}:8000/accounts/handoff/start/")
    assert "Invitation sent to lu@alpha.example." in response.content.decode()
    assert list(console.session[HANDOFF_PATHS].values()) == ["/reports/2026-03/"]
    # Anything but a plain path of the portal is not followed: the console's page, as before.
    other = console.post("/clients/alpha/invite/", {"email": "mo@alpha.example", "back": "https://evil.example/"})
    assert other["Location"] == "/clients/alpha/"


def test_a_month_with_nobody_to_email_says_so_before_and_after_approving(march, staff_a, client_user_a) -> None:
    month_reviews_start(client=march, at=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    staff = browser_for(staff_a, march)
    assert "data-no-recipients" not in staff.get("/reports/2026-03/").content.decode()  # ann gets the email
    client_user_a.monthly_email = False
    client_user_a.save()
    page = staff.get("/reports/2026-03/").content.decode()
    assert "data-no-recipients" in page and "Nadie del cliente recibe todavía este correo" in page
    assert "/clients/alpha/?back=/reports/2026-03/#client-users" in page  # where to invite one, in the console
    response = staff.post("/reports/2026-03/approve/", follow=True)
    text = response.content.decode()
    assert "Nadie del cliente recibe el correo" in text and "va de camino por correo" not in text
    with schema_context("alpha"):
        assert OutboxEmail.objects.count() == 0


def test_a_client_user_invited_after_the_approval_can_be_sent_the_approved_report_once(march, staff_a, client_user_a) -> None:
    client_user_a.monthly_email = False
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)  # nobody to email yet
    staff = browser_for(staff_a, march)
    assert "data-unsent" not in staff.get("/reports/2026-03/").content.decode()
    client_user_a.monthly_email = True  # as if invited now
    client_user_a.save()
    page = staff.get("/reports/2026-03/").content.decode()
    assert "data-unsent" in page and "ann@alpha.example" in page and "Enviarles el informe aprobado" in page
    sent = staff.post("/reports/2026-03/send-new/", follow=True).content.decode()
    assert "El informe va de camino a 1 persona." in sent and "data-unsent" not in sent
    with schema_context("alpha"):
        rows = list(OutboxEmail.objects.values_list("kind", "to"))
    assert rows == [("report_approved", "ann@alpha.example")]
    again = staff.post("/reports/2026-03/send-new/", follow=True).content.decode()
    assert "ya tienen este informe" in again
    with schema_context("alpha"):
        assert OutboxEmail.objects.count() == 1  # never twice


def test_an_approved_month_nobody_was_emailed_says_where_to_invite_and_that_it_waits_here(
    march, staff_a, client_user_a
) -> None:
    """The walk of 2026-12-07 (newclient14): approved with nobody to email, the page said nothing
    more; the client user invited from the console then never had the report by email, as nothing
    sent staff back to "Not emailed yet". The approved page now says both."""
    client_user_a.monthly_email = False
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)
    staff = browser_for(staff_a, march)
    page = staff.get("/reports/2026-03/").content.decode()
    card = page.split("data-nobody-emailed", 1)[1].split("</section>", 1)[0]
    assert "Nadie del cliente ha recibido este informe por correo" in card
    assert "/clients/alpha/?back=/reports/2026-03/#client-users" in card and "Invitar a un usuario del cliente" in card
    assert "En cuanto invites a alguien, esta página te ofrece enviarle este informe aprobado." in card
    client_user_a.monthly_email = True  # as if invited now: the card that sends it takes over
    client_user_a.save()
    page = staff.get("/reports/2026-03/").content.decode()
    assert "data-unsent" in page and "data-nobody-emailed" not in page
    assert "data-nobody-emailed" not in browser_for(client_user_a, march).get("/reports/2026-03/").content.decode()


def test_the_approved_months_page_offers_its_pdf_to_the_client(march, client_user_a, staff_a) -> None:
    """A client reading "Report for March 2026" (Monthly reports → the month) had no way to the PDF
    from there: only the scorecard and the home page offered it (walk of 7 Dec 2026)."""
    staff = browser_for(staff_a, march)
    assert "data-month-pdf" not in staff.get("/reports/2026-03/").content.decode()  # not approved: nothing to download
    month_approve(client=march, month=MARCH, user=staff_a)
    page = browser_for(client_user_a, march).get("/reports/2026-03/").content.decode()
    link = re.search(r'<a href="([^"]+)" download data-month-pdf>([^<]+)</a>', page)
    assert link and link.group(2) == "Descargar PDF" and link.group(1) == "/reports/2026-03/report.pdf"
    pdf = browser_for(client_user_a, march).get(link.group(1))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_revision_email_attaches_the_revised_pdf(march, staff_a, client_user_a) -> None:
    """The revision's email listed what changed, in plain text with no file: the client's PDF was
    still the first email's, the superseded figures (walk of 7 Dec 2026)."""
    month_approve(client=march, month=MARCH, user=staff_a)
    late_spend(march)
    month_approve(client=march, month=MARCH, user=staff_a, reason="gasto tardío de Google Ads", notify=True)
    with schema_context("alpha"):
        first = OutboxEmail.objects.get(kind="report_approved").payload
        revised = OutboxEmail.objects.get(kind="report_revised").payload
    (pdf,) = [a for a in revised["attachments"] if a["mimetype"] == "application/pdf"]
    (old,) = [a for a in first["attachments"] if a["mimetype"] == "application/pdf"]
    assert pdf["name"] == "alpha-informe-2026-03.pdf" and pdf["path"] != old["path"]
    from tests.kpis.test_paid_media_report import _pdf_text

    text = _pdf_text(Path(pdf["path"]).read_bytes())
    assert "219,40" in text and "215,72" not in text  # the revised figures, not the first email's
    assert "El informe revisado va adjunto en PDF." in revised["body"]
    outbox_send_due(client=march)
    message = next(m for m in mail.outbox if "revisadas" in m.subject)
    assert [name for name, _content, _type in message.attachments] == ["alpha-informe-2026-03.pdf"]
