"""Staff stuck on "the criteria qualify none of the leads": only the agency's admins change the criteria.
The check and the criteria page name those admins and offer one click, "Ask an admin to review the
criteria": a request shown there until a new version answers it, and an outbox email to each admin in
their own language (clients.criteria.services.criteria_review_ask)."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from agency.models import User
from clients.criteria.services import criteria_review_ask, criteria_version_create
from clients.models import CriteriaReviewRequest, OutboxEmail
from kpis.models import CheckResult
from tests.clients.criteria.test_criteria_editor import FORM
from tests.conftest import signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)
CRITERIA = {"fit": {}, "threshold": 0, "points": [], "sales_ready_actions": []}


@pytest.fixture
def admins(admin_user):
    """Two admins: Ada (English) and Eva (Spanish); an inactive admin is never named nor emailed."""
    admin_user.first_name, admin_user.last_name, admin_user.language = "Ada", "Lovelace", "en"
    admin_user.save()
    eva = UserFactory(username="eva-admin", role=User.Role.ADMIN, first_name="Eva", last_name="Ruiz", language="es")
    UserFactory(username="old-admin", role=User.Role.ADMIN, first_name="Old", last_name="Gone", is_active=False)
    return admin_user, eva


@pytest.fixture
def sam(staff_a):
    staff_a.first_name, staff_a.last_name = "Sam", "Rivera"
    staff_a.save()
    return staff_a


def _emails() -> list[OutboxEmail]:
    with schema_context("alpha"):
        return list(OutboxEmail.objects.filter(kind="criteria_review").order_by("to"))


def test_staff_read_who_can_change_the_criteria_and_ask_in_one_click(admins, sam, tenant_a) -> None:
    http = signed_in(sam, tenant_a, HTTP_ACCEPT_LANGUAGE="en")
    page = unescape(http.get("/criteria/").content.decode())
    assert "Only the agency's admins can change the criteria: Ada Lovelace and Eva Ruiz." in page
    assert "Old Gone" not in page and "data-criteria-ask" in page
    response = http.post("/criteria/ask/", follow=True)
    page = unescape(response.content.decode())
    assert response.redirect_chain == [("/criteria/", 302)]
    assert "Request sent to Ada Lovelace and Eva Ruiz: it shows on the criteria page and was emailed." in page
    assert "Sam Rivera asked the agency's admins to review the criteria on" in page and "not answered yet" in page
    assert "data-criteria-ask" not in page  # asked: no second button
    ada, eva = _emails()
    assert ada.to == "ada-admin@example.com" and ada.payload["subject"] == (
        "Alpha Analytics: Sam Rivera asks you to review the qualification criteria")
    assert "only admins can change them" in ada.payload["body"] and "/criteria/new/" in ada.payload["body"]
    assert eva.payload["subject"] == "Alpha Analytics: Sam Rivera te pide que revises los criterios de cualificación"
    assert "solo los administradores pueden cambiarlos" in eva.payload["body"]


def test_asking_again_while_a_request_is_open_emails_nobody_again(admins, sam, tenant_a) -> None:
    first, created = criteria_review_ask(client=tenant_a, user=sam, month=NOVEMBER)
    again, created_again = criteria_review_ask(client=tenant_a, user=sam)
    assert created and not created_again and again.pk == first.pk
    assert len(_emails()) == 2
    page = unescape(signed_in(sam, tenant_a).post("/criteria/ask/", follow=True).content.decode())
    assert "Sam Rivera already asked the admins on" in page and "they have not answered yet" in page


def test_admins_see_the_request_and_a_new_version_answers_it(admins, sam, tenant_a) -> None:
    criteria_review_ask(client=tenant_a, user=sam, month=NOVEMBER)
    ada = signed_in(admins[0], tenant_a, HTTP_ACCEPT_LANGUAGE="en")
    page = unescape(ada.get("/criteria/").content.decode())
    assert "Sam Rivera asked the agency's admins to review the criteria on" in page
    assert "from the check of November 2026: not answered yet. Saving a new version answers it." in page
    assert ada.post("/criteria/new/", FORM).status_code == 302
    with schema_context("alpha"):
        request = CriteriaReviewRequest.objects.get()
    assert request.answered_at is not None and request.answered_version == 1
    assert "data-criteria-review" not in ada.get("/criteria/").content.decode()
    # answered: staff may ask again, and the admins are emailed again
    assert criteria_review_ask(client=tenant_a, user=sam)[1] is True and len(_emails()) == 4


def test_the_check_says_who_can_change_the_criteria_and_asks_from_the_month(admins, sam, tenant_a) -> None:
    with schema_context("alpha"):
        criteria_version_create(criteria=CRITERIA, effective_from="2026-01-01", client=tenant_a)
        CheckResult.objects.create(month=NOVEMBER, key="tracking.no_mqls", family="tracking", severity="high",
                                   figures={"leads": 42}, link="/criteria/new/", computed_at=timezone.now())
    http = signed_in(sam, tenant_a, HTTP_ACCEPT_LANGUAGE="es")
    page = unescape(http.get("/reports/2026-11/").content.decode())
    check = page[page.index('data-check="tracking.no_mqls"'):]
    check = check[: check.index("</li>")]
    assert "Solo los administradores de la agencia pueden cambiar los criterios: Ada Lovelace y Eva Ruiz." in check
    assert "Pedir a un administrador una revisión de los criterios" in check
    response = http.post("/criteria/ask/", {"month": "2026-11", "next": "/reports/2026-11/#checks"})
    assert response.status_code == 302 and response["Location"] == "/reports/2026-11/#checks"
    page = unescape(http.get("/reports/2026-11/").content.decode())
    check = page[page.index('data-check="tracking.no_mqls"'):]
    assert "Sam Rivera pidió a los administradores de la agencia que revisaran los criterios el" in check[:2000]
    assert "desde la comprobación de noviembre de 2026: aún sin respuesta." in check[:2000]
    with schema_context("alpha"):
        assert CriteriaReviewRequest.objects.get().month == NOVEMBER
    # an admin reading the month sees the request too, with no "ask" button of their own
    admin_page = unescape(signed_in(admins[0], tenant_a, HTTP_ACCEPT_LANGUAGE="en").get("/reports/2026-11/").content.decode())
    admin_check = admin_page[admin_page.index('data-check="tracking.no_mqls"'):][:2000]
    assert "Sam Rivera asked the agency's admins" in admin_check and "data-criteria-ask>" not in admin_check


def test_a_next_address_elsewhere_is_not_followed(admins, sam, tenant_a) -> None:
    response = signed_in(sam, tenant_a).post("/criteria/ask/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/criteria/"
