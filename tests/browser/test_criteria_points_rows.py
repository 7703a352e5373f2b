"""The criteria editor's points rows in a real browser, in Spanish at 390 px: an activity's row shows its
activity alone and an attribute's row its field, condition and value — not four controls of which
two read "—" — and switching a row's kind shows the other controls; what is saved is unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from django_tenants.utils import schema_context

from clients.models import CriteriaVersion
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_portal_shell import sign_in
from tests.browser.test_report import _no_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = {"fit": {}, "threshold": 30, "sales_ready_actions": [],
            "points": [{"action": "webinar_signup", "points": 20},
                       {"field": "employees", "op": "gte", "value": 250, "points": 25}]}


def test_a_points_row_shows_only_the_controls_of_its_kind(page, portal, admin_user, tenants) -> None:
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria=CRITERIA)
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/criteria/new/")
    activity, attribute = page.locator(".points-row").all()
    assert activity.locator("select[name$='-action']").is_visible()
    assert not activity.locator("select[name$='-field']").is_visible()
    assert not activity.locator("select[name$='-op']").is_visible()
    assert attribute.locator("select[name$='-field']").is_visible() and attribute.locator("input[name$='-value']").is_visible()
    assert not attribute.locator("select[name$='-action']").is_visible()
    for row in (activity, attribute):  # no visible control reads a bare dash
        for select in row.locator("select").all():
            if select.is_visible():
                assert select.evaluate("s => s.options[s.selectedIndex].text") != "—"
    activity.locator("select[name$='-kind']").select_option("rule")  # switched: the attribute's controls
    assert activity.locator("select[name$='-field']").is_visible()
    assert not activity.locator("select[name$='-action']").is_visible()
    assert activity.locator("select[name$='-field'] option").first.inner_text() == "campo…"
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "criteria-points-rows-es-390.png"), full_page=True)


def test_a_versions_facts_read_whole_on_a_phone(page, portal, admin_user, tenants) -> None:
    """"Effective from", "Saved", "Note" beside a long value: they were one letter a line at 390 px."""
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria=CRITERIA,
                                       author_name="Alexandra Rivera-Montenegro")
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/criteria/1/")
    for name in page.locator("main dl dt").all():
        lines = name.evaluate("d => d.getBoundingClientRect().height / parseFloat(getComputedStyle(d).lineHeight)")
        assert lines < 2.5, (name.inner_text(), lines)
    _no_overflow(page)
    page.screenshot(path=str(ARTIFACTS / "criteria-version-390.png"), full_page=True)


def test_the_groups_combinator_looks_like_the_rows_controls(page, portal, admin_user, tenants) -> None:
    """"todas estas" was a bare browser select, half the size of the rows' controls beside it, in the
    criteria editor (the persona form styled its own); and the console's review-delay number box too."""
    with schema_context("alpha"):
        CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria={
            **CRITERIA, "fit": {"all": [{"field": "employees", "op": "gte", "value": 10}]}})
    admin_user.language = "es"
    admin_user.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, portal.client("alpha"), admin_user.username)
    page.wait_for_load_state()
    page.goto(portal.client("alpha") + "/criteria/new/")
    style = "e => { const s = getComputedStyle(e); return [s.fontSize, s.borderTopWidth, s.borderTopColor, s.paddingTop]; }"
    combinator = page.locator("#group-r").evaluate(style)
    row_select = page.locator(".rule-row select").first.evaluate(style)
    assert combinator == row_select, (combinator, row_select)
    page.goto(portal.console + "/")
    sign_in(page, portal.console, admin_user.username)
    page.goto(portal.console + "/clients/alpha/")
    delay = page.locator("#review-delay").evaluate(style)
    assert delay == row_select, (delay, row_select)
