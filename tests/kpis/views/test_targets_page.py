"""The targets page: every KPI's target of a month in one form, last month's and this month's figures
beside each, "copy last month's targets", the same targets through a later month, field errors and a
save of all or nothing (kpis.views_targets, kpis.services.targets_months_set)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kpis.catalogue import targetable
from kpis.services import target_set, targets_months_set
from portfolio.models import Target
from tests.conftest import march_with_leads, signed_in

pytestmark = pytest.mark.django_db
FEB, MARCH, APRIL, MAY, JUNE = (dt.date(2026, m, 1) for m in (2, 3, 4, 5, 6))
APRIL_10 = dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC)
march = march_with_leads


def _targets(client) -> dict[tuple[dt.date, str], float]:
    return {(t.month, t.kpi): t.value for t in Target.objects.filter(client=client)}


def test_every_kpi_is_on_the_page_with_last_and_this_months_figures(staff_a, march) -> None:
    target_set(client=march, month=APRIL, kpi="cpl", value=55.5, user=staff_a)
    with time_machine.travel(APRIL_10):
        html = signed_in(staff_a, march).get("/targets/?month=2026-04").content.decode()
    assert "Targets for April 2026" in html
    assert all(f'name="{k.key}"' in html for k in targetable()) and 'name="working_days"' not in html
    assert 'name="cpl" value="55.5"' in html  # the month's stored target, ready to change
    row = html[html.index('for="targets-new_leads"'):]
    row = row[: row.index("</tr>")]
    # March (last month) had three new leads; April (this month, to date) has none computed yet
    assert 'data-label="March 2026">3</td>' in row and 'data-label="April 2026 (to date)">—</td>' in row


def test_a_save_sets_every_typed_target_and_removes_the_emptied_ones(staff_a, march) -> None:
    target_set(client=march, month=APRIL, kpi="cpl", value=55, user=staff_a)
    target_set(client=march, month=APRIL, kpi="sessions", value=900, user=staff_a)
    http = signed_in(staff_a, march)
    response = http.post("/targets/", {"month": "2026-04", "through": "2026-04", "new_leads": "40",
                                        "bounce_rate": "0.4", "sessions": "900", "cpl": ""})
    assert response.status_code == 302 and response["Location"] == "/targets/?month=2026-04"
    assert _targets(march) == {(APRIL, "new_leads"): 40, (APRIL, "bounce_rate"): 0.4, (APRIL, "sessions"): 900}
    page = http.get(response["Location"]).content.decode()
    assert "Targets saved for April 2026: 2 set or changed, 1 removed, 1 unchanged." in page


def test_the_same_targets_go_through_the_end_of_the_quarter(staff_a, march) -> None:
    target_set(client=march, month=JUNE, kpi="cpl", value=70, user=staff_a)
    html = signed_in(staff_a, march).get("/targets/?month=2026-04").content.decode()
    assert '<option value="2026-06">Through June 2026, the end of the quarter (3 months)</option>' in html
    assert "Through December 2026, the end of the year (9 months)" in html
    response = signed_in(staff_a, march).post("/targets/", {"month": "2026-04", "through": "2026-06", "new_leads": "40"})
    assert response.status_code == 302
    # April, May and June get the same targets: June's own cost-per-lead target is replaced by none
    assert _targets(march) == {(APRIL, "new_leads"): 40, (MAY, "new_leads"): 40, (JUNE, "new_leads"): 40}


def test_a_bad_value_is_a_field_error_and_nothing_is_saved(staff_a, march) -> None:
    response = signed_in(staff_a, march).post("/targets/", {
        "month": "2026-04", "through": "2026-06", "new_leads": "40", "bounce_rate": "25", "sessions": "lots"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "2 targets need a fix: nothing was saved. They are marked below." in html
    assert "A rate is a fraction between 0 and 1: write 0.25 for 25 %." in html
    assert "Write a number, e.g. 120 or 0.25." in html
    assert 'aria-invalid="true" aria-describedby="targets-bounce_rate_error"' in html
    assert 'name="new_leads" value="40"' in html and 'name="sessions" value="lots"' in html  # what was typed stays
    assert not Target.objects.filter(client=march).exists()


def test_the_service_writes_all_or_nothing(staff_a, march) -> None:
    with pytest.raises(ValidationError) as refused:
        targets_months_set(client=march, months=[APRIL, MAY], values={"new_leads": 40, "cpl": -5}, user=staff_a)
    assert set(refused.value.message_dict) == {"cpl"}
    assert not Target.objects.filter(client=march).exists()


def test_an_unchanged_target_keeps_who_set_it(staff_a, admin_user, march) -> None:
    target_set(client=march, month=APRIL, kpi="new_leads", value=40, user=admin_user)
    saved = targets_months_set(client=march, months=[APRIL], values={"new_leads": 40.0, "cpl": 60}, user=staff_a)
    assert (saved.written, saved.removed, saved.kept) == (1, 0, 1)
    assert Target.objects.get(client=march, kpi="new_leads").set_by == admin_user.display_name


def test_last_months_targets_are_copied_into_the_form_to_check_and_save(staff_a, march) -> None:
    target_set(client=march, month=MARCH, kpi="new_leads", value=40, user=staff_a)
    target_set(client=march, month=MARCH, kpi="cost_per_mql", value=12.5, user=staff_a)
    html = signed_in(staff_a, march).get("/targets/?month=2026-04&copy=previous").content.decode()
    assert "Filled in from the targets of March 2026: check them, then save." in html
    assert 'name="new_leads" value="40"' in html and 'name="cost_per_mql" value="12.5"' in html
    assert not Target.objects.filter(client=march, month=APRIL).exists()  # nothing saved until they save
    empty = signed_in(staff_a, march).get("/targets/?month=2026-03&copy=previous").content.decode()
    assert "February 2026 has no targets to copy." in empty


def test_the_page_in_spanish_reads_numbers_as_typed_there(staff_a, march) -> None:
    target_set(client=march, month=APRIL, kpi="bounce_rate", value=0.4, user=staff_a)
    http = signed_in(staff_a, march, HTTP_ACCEPT_LANGUAGE="es")
    html = http.get("/targets/?month=2026-04").content.decode()
    assert "Objetivos de abril de 2026" in html and 'name="bounce_rate" value="0,4"' in html
    for english in ("Targets for", "Apply to", "Save the targets", "Copy the targets of", "(to date)"):
        assert english not in html, english
    response = http.post("/targets/", {"month": "2026-04", "through": "2026-04", "bounce_rate": "0,35"})
    assert response.status_code == 302 and _targets(march) == {(APRIL, "bounce_rate"): 0.35}


def test_the_scorecard_staff_tools_link_the_page(staff_a, march) -> None:
    html = signed_in(staff_a, march).get("/scorecard/?month=2026-03").content.decode()
    assert '<a href="/targets/?month=2026-03" data-targets-page>' in html
