"""The monthly report email as its reader meets it: the inbox's preview line under the subject
carries the month's first figures (not the agency's name and the subject again), in the
recipient's language."""

from __future__ import annotations

import datetime as dt
import re

from django_tenants.utils import schema_context

from clients.models import Lead, OutboxEmail
from kpis.services import snapshot_compute
from reports.services import month_approve
from tests.reports.conftest import MARCH

FEBRUARY = dt.date(2026, 2, 1)


def _preview(html: str) -> str:
    found = re.search(r"<div[^>]*data-preview[^>]*>(.*?)</div>", html, re.S)
    assert found, "no preview line"
    return re.sub(r"&#\d+;", "", found.group(1)).strip()


def _payload() -> dict:
    with schema_context("alpha"):
        return OutboxEmail.objects.get(kind="report_approved").payload


def test_the_preview_line_carries_the_first_figures_before_anything_else(march, client_user_a, staff_a) -> None:
    client_user_a.language = "en"
    client_user_a.save()
    month_approve(client=march, month=MARCH, user=staff_a)
    html = _payload()["html"]
    assert _preview(html).startswith("New leads: 8")
    # First in the body: before the coloured header with the agency's name.
    assert html.index("data-preview") < html.index("<table")


def test_the_preview_line_is_in_spanish_for_a_spanish_reader(march, staff_a) -> None:
    month_approve(client=march, month=MARCH, user=staff_a)  # march's user reads Spanish
    preview = _preview(_payload()["html"])
    assert preview.startswith("Leads nuevos: 8") and "MQL" in preview
    assert "New leads" not in preview


def test_the_text_part_says_what_its_brackets_hold(march, client_user_a, staff_a) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="f1", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    snapshot_compute(client=march, months=[FEBRUARY, MARCH])
    month_approve(client=march, month=MARCH, user=staff_a)  # Spanish
    lines = _payload()["body"].splitlines()
    assert lines.index("Entre paréntesis: el cambio frente a febrero de 2026.") > lines.index("Cifras clave")


def test_pp_is_spelled_out_when_a_change_is_in_points(db) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from reports.emails import points_in

    romi = {"label": "ROMI", "shown": "422.1 %", "reason": "", "change": {"text": "-185.0 pp"}}
    leads = {"label": "New leads", "shown": "169", "reason": "", "change": {"text": "+12.7 %"}}
    assert points_in([leads, romi]) and not points_in([leads, {**romi, "change": None}])
    context = {"summary": [leads, romi], "points": True, "brand": {"accent": "#123456"}, "month": MARCH,
               "against": "febrero de 2026"}
    with translation.override("es"):
        assert "pp: puntos porcentuales." in render_to_string("reports/email/approved.txt", context)
        assert "pp: puntos porcentuales." in render_to_string("reports/email/approved.html", context)
    with translation.override("en"):
        body = render_to_string("reports/email/approved.txt", {**context, "points": False})
        assert "percentage points" not in body


def test_a_month_approved_by_the_operators_command_reads_approved_by_your_agency(march, client_user_a, staff_a) -> None:
    """close_month --approve has no person to name: the client reads "by your agency", as every page of
    theirs names it (a person's approval names the person there), never "close_month" nor "the agency";
    staff, who are the agency, read "by the agency"."""
    from tests.reports.conftest import browser_for

    month_approve(client=march, month=MARCH, user=None)  # close_month --approve: no user
    for language, words in (("es", "por tu agencia"), ("en", "by your agency")):
        client_user_a.language = language
        client_user_a.save()
        page = browser_for(client_user_a, march, language=language).get("/reports/2026-03/", follow=True).content.decode()
        assert words in page and "close_month" not in page and "the agency" not in page and "la agencia" not in page
        version = browser_for(client_user_a, march, language=language).get("/reports/2026-03/versions/1/", follow=True)
        assert words in version.content.decode() and "close_month" not in version.content.decode()
    for language, words in (("es", "por la agencia"), ("en", "by the agency")):
        page = browser_for(staff_a, march, language=language).get("/reports/2026-03/", follow=True).content.decode()
        assert words in page and "tu agencia" not in page and "your agency" not in page


def _noted(label: str, note: str) -> dict:
    from kpis.charts import SeriesChart

    chart = SeriesChart(title=label, labels=[], values=[], note=note)
    return {"label": label, "shown": "8", "reason": "", "change": None, "chart": chart, "no_chart": False}


def test_each_key_figure_says_its_own_data_start_when_the_sources_start_apart(db) -> None:
    """Leads from February, contracts from January (kpis.datastart): the email says each figure's
    own start under it, not the first chart's note for all of them."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from kpis.report import summary_note

    leads = _noted("New leads", "Data from February 2026: 2 months so far.")
    mrr = _noted("MRR", "Data from January 2026: 3 months so far.")
    context = {"summary": [leads, mrr], "history_note": summary_note([leads, mrr]), "brand": {"accent": "#123"}, "month": MARCH}
    with translation.override("en"):
        html = render_to_string("reports/email/approved.html", context)
        body = render_to_string("reports/email/approved.txt", context)
    assert 'id="history-note"' not in html
    assert html.index("Data from February 2026") < html.index("MRR") < html.index("Data from January 2026")
    assert "New leads: 8. Data from February 2026: 2 months so far." in body
    assert "MRR: 8. Data from January 2026: 3 months so far." in body
    assert ".." not in body and ".." not in html  # the note is a sentence: no full stop added after it


def test_a_data_start_every_key_figure_shares_is_said_once(db) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from kpis.report import summary_note

    note = "Datos desde enero de 2026: 3 meses hasta ahora."
    entries = [_noted("Leads nuevos", note), _noted("MRR", note)]
    context = {"summary": entries, "history_note": summary_note(entries), "brand": {"accent": "#123"}, "month": MARCH}
    with translation.override("es"):
        html = render_to_string("reports/email/approved.html", context)
        body = render_to_string("reports/email/approved.txt", context)
    assert html.count("Datos desde enero") == 1 and 'id="history-note"' in html
    assert body.count("Datos desde enero") == 1
    assert f"{note}\n" in body and f">{note}<" in html and ".." not in body  # said as written, not doubled


def test_the_key_figures_have_two_columns_and_no_empty_target(march, client_user_a, staff_a) -> None:
    """An empty fourth column squeezed the figures' names to a word a line on a phone; then three columns
    still left a figure's meaning ~110 px wide. Each figure is its name and its value, its meaning (and a
    target, when it has one) on a row of its own across the table."""

    month_approve(client=march, month=MARCH, user=staff_a)
    html = _payload()["html"]
    rows = re.findall(r"<tr data-key-figure>(.*?)</tr>", html, re.S)
    assert rows and all(row.count("<td") == 2 for row in rows)
    assert html.count('<td colspan="2"') == len(rows) and "data-target" not in html


def test_a_target_set_says_it_under_its_figure(march, client_user_a, staff_a) -> None:
    from portfolio.models import Target

    Target.objects.create(client=march, month=MARCH, kpi="new_leads", value=10)
    month_approve(client=march, month=MARCH, user=staff_a)
    html = _payload()["html"]
    rows = re.findall(r"<tr data-key-figure>(.*?)</tr>", html, re.S)
    assert all(row.count("<td") == 2 for row in rows)
    assert re.search(r"<span[^>]*data-target>Objetivo 10 — ", html) and html.count("data-target") == 1


def test_the_funnel_chart_keeps_its_width_where_a_mail_client_ignores_max_width(march, client_user_a, staff_a) -> None:
    """Outlook for Windows sizes an image by its width attribute and ignores CSS max-width: at
    width="100%" the 340 px funnel was stretched across the whole email, its words half as big again."""
    month_approve(client=march, month=MARCH, user=staff_a)
    (image,) = re.findall(r'<img src="cid:report-chart"[^>]*>', _payload()["html"])
    assert 'width="340"' in image and "max-width:340px" in image and "width:100%" in image  # a phone still shrinks it
