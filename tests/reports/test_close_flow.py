"""The monthly close as an account manager walks it: the page follows a recompute by itself, the
default brand is pointed out before the first email goes, the commentary's badge says the month's
state, and the console offers only staff not yet assigned."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django_tenants.utils import schema_context

from agency.models import AgencyBrand, User
from agency.selectors import brand_is_default
from clients.models import Job
from reports.services import month_approve, month_open
from tests.factories import UserFactory
from tests.reports.conftest import MARCH, browser_for, late_spend


def test_the_close_page_polls_while_the_month_recomputes_and_then_shows_approve(march, staff_a) -> None:
    month_open(client=march, month=MARCH)
    with schema_context("alpha"):
        job = Job.objects.create(kind="recompute", params={"months": ["2026-03"]}, total=1)
    staff = browser_for(staff_a, march)
    page = staff.get("/reports/2026-03/").content.decode()
    assert 'hx-get="/reports/2026-03/close-status/"' in page and 'hx-trigger="every 3s"' in page
    assert 'id="close-approve"' in page and 'id="close-figures"' in page
    # Opened by hand, the fragment's URL is the month's page.
    assert staff.get("/reports/2026-03/close-status/")["Location"] == "/reports/2026-03/"
    # While it recomputes, the poll answers "nothing new": htmx swaps nothing and polls on.
    pending = staff.get("/reports/2026-03/close-status/", HTTP_HX_REQUEST="true")
    assert pending.status_code == 204 and pending.content == b""
    with schema_context("alpha"):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)
    done = staff.get("/reports/2026-03/close-status/", HTTP_HX_REQUEST="true")
    body = done.content.decode()
    assert done.status_code == 200
    assert "hx-trigger" not in body.split('id="close-approve"')[0]  # the status no longer polls
    assert "se están recalculando" not in body and "ha terminado" in body
    approve = body.split('id="close-approve"')[1].split("</div>")[0]
    assert 'hx-swap-oob="true"' in approve and "Aprobar y enviar" in approve and "disabled" not in approve
    assert 'id="close-figures" hx-swap-oob="true"' in body and "215,72" in body
    assert 'id="close-checks" hx-swap-oob="true"' in body  # the checks as now computed
    # The page loaded after the recompute does not poll at all.
    assert "every 3s" not in staff.get("/reports/2026-03/").content.decode()


def test_only_the_clients_staff_poll_the_close_status(march, client_user_a) -> None:
    month_open(client=march, month=MARCH)
    assert browser_for(client_user_a, march).get("/reports/2026-03/close-status/").status_code in (403, 404)


def test_staff_are_told_before_approving_that_the_brand_is_still_the_default(march, staff_a, admin_user) -> None:
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    month_open(client=march, month=MARCH)
    page = browser_for(staff_a, march).get("/reports/2026-03/").content.decode()
    notice = page.split("data-brand-default>")[1].split("</p>")[0]
    assert "remitente por defecto" in notice and "administrador de la agencia" in notice  # staff may not edit it
    admin_page = browser_for(admin_user, march).get("/reports/2026-03/").content.decode()
    assert f'href="http://{settings.PORTAL_BASE_HOST}' in admin_page.split("data-brand-default>")[1].split("</p>")[0]
    assert "/brand/" in admin_page.split("data-brand-default>")[1].split("</p>")[0]
    console = browser_for(admin_user, None).get("/clients/alpha/").content.decode()
    assert "data-brand-default" in console and 'href="/brand/"' in console
    with schema_context("public"):
        AgencyBrand.objects.create(name="Acme Growth", sender_name="Acme Growth team")
    assert "data-brand-default" not in browser_for(staff_a, march).get("/reports/2026-03/").content.decode()
    assert "data-brand-default" not in browser_for(admin_user, None).get("/clients/alpha/").content.decode()


def test_a_brand_saved_with_only_the_default_name_still_counts_as_default(march) -> None:
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    with schema_context("public"):
        brand = AgencyBrand.objects.create(accent="#aa0000")
    assert brand_is_default()
    brand.sender_name = "Acme"
    brand.save()
    assert not brand_is_default()


def _badge(page: str) -> str:
    return page.split("data-commentary-state=")[1].split('"')[1] if "data-commentary-state=" in page else ""


def test_the_commentary_badge_says_the_months_state_not_always_draft(march, staff_a, client_user_a) -> None:
    staff = browser_for(staff_a, march)
    month_open(client=march, month=MARCH)
    staff.post("/reports/2026-03/commentary/", {"section": "summary", "text": "Un buen mes"})
    assert _badge(staff.get("/reports/2026-03/").content.decode()) == "draft"
    assert _badge(staff.get("/scorecard/?month=2026-03").content.decode()) == "draft"
    month_approve(client=march, month=MARCH, user=staff_a)
    for url in ("/reports/2026-03/", "/scorecard/?month=2026-03"):
        page = staff.get(url).content.decode()
        assert _badge(page) == "approved" and ">Aprobado</span>" in page and "Borrador" not in page
    late_spend(march)
    page = staff.get("/scorecard/?month=2026-03").content.decode()
    assert _badge(page) == "revision" and "Revisión pendiente de aprobar" in page
    assert _badge(staff.get("/reports/2026-03/").content.decode()) == "revision"
    # the client never sees a badge of the draft's state
    assert _badge(browser_for(client_user_a, march).get("/reports/2026-03/").content.decode()) == ""


def test_commentary_edited_after_approval_says_the_client_reads_the_approved_text(march, staff_a) -> None:
    month_open(client=march, month=MARCH)
    staff = browser_for(staff_a, march)
    staff.post("/reports/2026-03/commentary/", {"section": "summary", "text": "Un buen mes"})
    month_approve(client=march, month=MARCH, user=staff_a)
    staff.post("/reports/2026-03/commentary/", {"section": "summary", "text": "Un mes excelente"})
    assert _badge(staff.get("/reports/2026-03/").content.decode()) == "edited"


def test_the_assign_menu_offers_only_staff_not_yet_on_the_client(tenant_a, staff_a, admin_user) -> None:
    other = UserFactory(username="otto-staff", role=User.Role.STAFF)
    console = browser_for(admin_user, None)
    menu = console.get("/clients/alpha/").content.decode().split('name="user"')[1].split("</select>")[0]
    assert "otto-staff" in menu and "sam-staff" not in menu  # sam is already assigned
    # assigning someone already there through a stale form is refused, nothing doubles
    page = console.post("/clients/alpha/assign/", {"user": staff_a.pk}, follow=True).content.decode()
    assert "Elige un miembro del equipo." in page
    console.post("/clients/alpha/assign/", {"user": other.pk})
    page = console.get("/clients/alpha/").content.decode()
    assert 'name="user"' not in page and "data-no-staff-to-assign" in page
    assert "Todo el personal ya está asignado a este cliente." in page
