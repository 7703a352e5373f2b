"""Staff's Monthly reports of a new client: the months that matter (in the close, or with anything
recorded), and the rest — years of months the first recompute computed with nothing in them — folded
behind one line that says how many and why, each still one click away; the month in progress says
so rather than "not in the close"."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django_tenants.utils import schema_context

from agency.months import Month
from clients.models import Lead
from kpis.services import snapshot_compute
from reports.models import MonthReport
from tests.reports.conftest import MARCH, browser_for

APRIL_10 = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)
# What a new client's first recompute leaves: three years of months, only March with leads and spend.
QUIET = [m.first_day for m in Month.range(Month.parse("2023-05"), Month.parse("2026-04")) if m.first_day != MARCH]


def _parts(page: str) -> tuple[str, str]:
    main = page.split("<main", 1)[1]
    listed, _sep, folded = main.partition("data-quiet-months")
    return listed, folded


def test_a_new_clients_months_with_nothing_recorded_are_folded_behind_one_line(march, staff_a) -> None:
    snapshot_compute(client=march, months=QUIET)
    with time_machine.travel(APRIL_10, tick=False):
        page = browser_for(staff_a, march, language="en").get("/reports/").content.decode()
    listed, folded = _parts(page)
    # listed: March alone (in review); April, in progress with nothing yet, is folded with the rest
    assert re.findall(r'href="/reports/(\d{4}-\d{2})/"', listed) == ["2026-03"]
    assert "In review" in listed and "Not in the close" not in listed
    # folded: the other 35 months, one line says how many and why, each still a link
    assert "35 more months with nothing recorded, not in the close" in folded
    assert "No lead, visit, ad spend, email, customer or revenue was recorded in these months" in folded
    assert len(re.findall(r'href="/reports/\d{4}-\d{2}/"', folded)) == 35
    assert "Month in progress" in folded  # April, said as such, not "not in the close"


def test_a_month_with_data_before_the_close_stays_listed_in_both_languages(march, staff_a) -> None:
    snapshot_compute(client=march, months=QUIET)
    with schema_context("alpha"):
        MonthReport.objects.all().delete()
    # January: a lead, imported with the client's past — not in the close, but it has something to show
    with schema_context("alpha"):
        Lead.objects.create(id="j1", created_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    snapshot_compute(client=march, months=[dt.date(2026, 1, 1)])
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):  # before March ends
        page = browser_for(staff_a, march, language="es").get("/reports/").content.decode()
    listed, folded = _parts(page)
    # March in progress (with leads), February in the close (it has just ended), January with its lead
    assert re.findall(r'href="/reports/(\d{4}-\d{2})/"', listed) == ["2026-03", "2026-02", "2026-01"]
    # February entered the close with nothing recorded in it: it waits for its data, not "En revisión"
    assert "Mes en curso" in listed and "Sin datos aún" in listed and "Anterior al primer informe de este cliente" in listed
    assert "En revisión" not in listed
    assert "33 meses más sin nada registrado, fuera del cierre" in folded


def test_nothing_is_folded_when_every_month_has_something(march, staff_a) -> None:
    with time_machine.travel(APRIL_10, tick=False):
        page = browser_for(staff_a, march, language="en").get("/reports/").content.decode()
    assert "data-quiet-months" not in page and 'href="/reports/2026-03/"' in page
