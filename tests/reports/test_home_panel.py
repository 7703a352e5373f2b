"""The client's home page names its latest approved report: a client user signing in came to read
it, and the home page used to show only row counts of the imported data."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tenants.utils import schema_context

from agency.months import Month
from clients.models import Lead
from kpis.services import snapshot_compute
from reports.models import MonthReport
from reports.services import month_approve, month_open
from tests.reports.conftest import MARCH, browser_for, late_spend

APRIL = dt.date(2026, 4, 1)


def test_a_client_user_is_told_no_report_is_approved_yet_then_offered_the_latest(march, client_user_a, staff_a) -> None:
    home = browser_for(client_user_a, march).get("/").content.decode()
    assert 'hx-get="/panels/report/"' in home and "Tu informe mensual" in home
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "Tu agencia aún no ha aprobado ningún informe mensual" in panel

    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "El informe de marzo de 2026, aprobado el" in panel
    assert 'href="/scorecard/?month=2026-03"' in panel and "Leer el informe" in panel
    assert 'href="/scorecard/export.pdf?month=2026-03"' in panel
    client_user_a.language = "en"
    client_user_a.save()
    english = browser_for(client_user_a, march, language="en").get("/panels/report/").content.decode()
    assert "The report of March 2026, approved on" in english and "Read the report" in english


def test_a_revised_report_is_said_revised_with_both_days(march, client_user_a, staff_a) -> None:
    """The panel said "approved on" the revision's day: a client read the month as approved late,
    not corrected after its approval."""
    month_open(client=march, month=MARCH)
    with time_machine.travel(dt.datetime(2026, 4, 3, 10, tzinfo=dt.UTC), tick=False):
        month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    late_spend(march)
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC), tick=False):
        month_approve(client=march, month=MARCH, user=staff_a, reason="late Google Ads spend", notify=False)
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "El informe de marzo de 2026, aprobado el 3 abr 2026 y revisado el 20 abr 2026." in panel, panel


def test_staff_see_the_month_waiting_for_review_entered_in_the_close_as_they_look(march, staff_a) -> None:
    """The panel does what Monthly reports does: the month that ended enters the close at once,
    so a new client's first month is named with its link the first time staff open the home."""
    ended = (Month.of(timezone.now().date()) - 1).first_day
    with schema_context("alpha"):  # the month that ended has a lead in it: there is something to review
        Lead.objects.create(id="ended", created_at=dt.datetime.combine(ended, dt.time(12), tzinfo=dt.UTC))
    snapshot_compute(client=march, months=[ended])
    english = browser_for(staff_a, march, language="en").get("/panels/report/").content.decode()
    assert f"Waiting for the agency: {date_format(ended, 'F Y')}" in english
    assert f'href="/reports/{Month.of(ended)}/"' in english
    assert "No month approved yet: the client sees its reports once you approve them." in english
    with schema_context("alpha"):
        MonthReport.objects.all().delete()
    month_open(client=march, month=MARCH)
    with translation.override("es"):
        spanish = browser_for(staff_a, march).get("/panels/report/").content.decode()
    assert "Pendiente de la agencia:" in spanish and "Aún no hay ningún mes aprobado" in spanish


def test_a_client_user_reads_no_jargon_and_no_bare_dash_before_the_first_report(march, client_user_a, staff_a) -> None:
    """Monthly reports told a client "a month enters the close when it ends" (the agency's word for
    its review); the data panel showed campaigns and personas with "—" for their days (they have none)."""
    reader = browser_for(client_user_a, march, language="en")
    client_user_a.language = "en"
    client_user_a.save()
    listing = reader.get("/reports/").content.decode()
    assert "Your agency has not approved a monthly report yet" in listing and "the close" not in listing
    staff = browser_for(staff_a, march, language="en").get("/reports/").content.decode()
    assert "Your agency has not approved" not in staff
    data = reader.get("/panels/data/").content.decode()
    assert '<td>Campaigns</td><td class="num">0</td><td><span class="hint">a list, without dates</span></td>' in data
    client_user_a.language = "es"
    client_user_a.save()
    data = browser_for(client_user_a, march).get("/panels/data/").content.decode()
    assert "una lista, sin fechas" in data


def test_a_client_opens_a_listed_month_on_its_report_with_its_questions_beside_it(march, client_user_a, staff_a) -> None:
    """Monthly reports sent a client to the close's page of the month (a table of every KPI), not to
    the report (summary, charts, what changed) the home page and the email open."""
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    listing = browser_for(client_user_a, march).get("/reports/").content.decode()
    assert '<a href="/scorecard/?month=2026-03">marzo de 2026</a>' in listing
    assert '<a href="/reports/2026-03/">Preguntas y versiones</a>' in listing
    assert 'class="data fits stack-table"' in listing  # four columns: a card per month on a phone
    staff = browser_for(staff_a, march).get("/reports/").content.decode()
    assert 'href="/reports/2026-03/">marzo de 2026</a>' in staff and "Preguntas y versiones" not in staff


def test_a_clients_month_page_puts_its_questions_and_versions_before_every_figure(march, client_user_a, staff_a) -> None:
    """Reached by "Questions and versions", the page opened on a table of some eighty figures and the
    question box came after them, 6,000 px down on a phone."""
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    page = browser_for(client_user_a, march).get("/reports/2026-03/").content.decode()
    assert page.index('id="questions-title"') < page.index('id="versions-title"') < page.index('id="figures-title"')


def test_before_any_approval_a_client_user_is_told_where_the_figures_they_may_read_are(
    march, client_user_a, staff_a, tenant_b
) -> None:
    """Before the close began (the demo's October for Acme), a client user could read a month's figures
    as computed while the home said only that no report was approved: it now names that month, links it,
    and says the agency has not reviewed it; the month's report says so above its figures."""
    with schema_context("beta"):
        Lead.objects.create(id="b1", created_at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC))
    snapshot_compute(client=tenant_b, months=[APRIL])  # another client's later month: never offered here
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "Tu agencia aún no ha aprobado ningún informe mensual" in panel
    assert ("Mientras tanto, las cifras de marzo de 2026 están en la página Informe, tal como se calculan a partir "
            "de tus datos: tu agencia aún no las ha revisado.") in panel
    assert '<a href="/scorecard/?month=2026-03">Ver las cifras de marzo de 2026</a>' in panel
    assert "2026-04" not in panel and "abril" not in panel
    # The link goes where the report opens by itself: the same months, no more.
    assert browser_for(client_user_a, march).get("/scorecard/").context["month"] == MARCH
    report = browser_for(client_user_a, march).get("/scorecard/?month=2026-03").content.decode()
    assert "Sin revisar por tu agencia: estas cifras se calculan a partir de tus datos tal como están" in report
    client_user_a.language = "en"
    client_user_a.save()
    english = browser_for(client_user_a, march, language="en").get("/panels/report/").content.decode()
    assert ("Meanwhile, the figures of March 2026 are on the Report page, as computed from your data: your agency has "
            "not reviewed them yet.") in english and "See the figures of March 2026" in english
    report = browser_for(client_user_a, march, language="en").get("/scorecard/?month=2026-03").content.decode()
    assert "Not reviewed by your agency: these figures are computed from your data as it stands" in report
    staff = browser_for(staff_a, march, language="en").get("/panels/report/").content.decode()
    assert "data-unreviewed" not in staff


def test_a_month_in_review_is_not_offered_and_an_approved_one_is_not_called_unreviewed(
    march, client_user_a, staff_a
) -> None:
    """March in the close: hidden from the client until approved, so the home offers nothing; approved,
    the home offers the report and the page carries no "not reviewed" note."""
    month_open(client=march, month=MARCH)
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "Tu agencia aún no ha aprobado" in panel and "data-unreviewed" not in panel and "2026-03" not in panel
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    panel = browser_for(client_user_a, march).get("/panels/report/").content.decode()
    assert "Leer el informe" in panel and "data-unreviewed" not in panel
    report = browser_for(client_user_a, march).get("/scorecard/?month=2026-03").content.decode()
    assert "Sin revisar por tu agencia" not in report and "data-unreviewed" not in report


def test_the_pdf_of_a_month_no_one_reviewed_says_so_as_its_page_does(march, client_user_a, staff_a) -> None:
    """A client user downloading the PDF of a month the close never held got what looked like an
    agency's report; it now says under "Computed …" that the agency has not reviewed it. Staff's PDF,
    and the client's once the month is approved, do not."""
    from tests.kpis.views.test_pdf_words import pdf_text

    client_user_a.language = "en"
    client_user_a.save()
    reader = browser_for(client_user_a, march, language="en")
    unreviewed = pdf_text(reader.get("/scorecard/export.pdf?month=2026-03").content)
    assert "Not reviewed by your agency" in unreviewed
    staff = pdf_text(browser_for(staff_a, march, language="en").get("/scorecard/export.pdf?month=2026-03").content)
    assert "Not reviewed by your agency" not in staff
    month_open(client=march, month=MARCH)
    month_approve(client=march, month=MARCH, user=staff_a, notify=False)
    approved = pdf_text(browser_for(client_user_a, march, language="en").get("/scorecard/export.pdf?month=2026-03").content)
    assert "Not reviewed by your agency" not in approved and "Computed" in approved


def test_staff_are_told_an_empty_month_waits_for_its_data_not_for_their_review(march, staff_a) -> None:
    """As the board and the month's page say: the month that ended with nothing recorded in it
    (alpha's data is March's) is waiting for data, even when an older database put it in review."""
    ended = (Month.of(timezone.now().date()) - 1).first_day
    english = browser_for(staff_a, march, language="en").get("/panels/report/").content.decode()
    assert f"Waiting for data: nothing is recorded in {date_format(ended, 'F Y')} yet." in english
    assert "Waiting for the agency" not in english and f'href="/reports/{Month.of(ended)}/"' in english
    with schema_context("alpha"):
        MonthReport.objects.filter(month=ended).update(state=MonthReport.State.IN_REVIEW)
    with translation.override("es"):
        spanish = browser_for(staff_a, march).get("/panels/report/").content.decode()
        month = date_format(ended, "YEAR_MONTH_FORMAT")
    assert f"Sin datos aún: todavía no hay nada registrado en {month}." in spanish
