"""A client's time zone, changed by its staff on the report settings screen: the consequence said
beforehand, every month computed again in the new zone, an approved month whose figures move
waiting as a revision; in English and Spanish; another client's staff cannot."""

from __future__ import annotations

import datetime as dt
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache
from django_tenants.utils import tenant_context

from agency.models import Client, User
from clients.connectors.fake_server import FakePlatforms
from clients.models import Connection, Lead
from kpis import recompute, tasks
from kpis.models import Snapshot
from kpis.services import snapshot_compute
from reports.services import month_approve
from tests.clients.connectors.conftest import connect_hubspot, hubspot, platforms  # noqa: F401 -- fixtures
from tests.conftest import host_of, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/clients/alpha/report/"
FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)


@pytest.mark.parametrize(("language", "said"), [
    ("en", ("Time zone", "Changing it computes every month of the client again in the new zone",
            "waits for staff to approve it as a revision", "Change the time zone")),
    ("es", ("Zona horaria", "Al cambiarla, todos los meses del cliente se calculan de nuevo en la nueva zona",
            "espera a que el equipo lo apruebe como revisión", "Cambiar la zona horaria")),
])
def test_the_settings_screen_offers_the_zone_with_its_consequence(staff_a: User, tenant_a: Client, language: str,
                                                                  said: tuple[str, ...]) -> None:
    staff_a.language = language
    staff_a.save()
    page = unescape(signed_in(staff_a).get(URL, HTTP_HOST=host_of(None)).content.decode())
    form = page[page.index('id="client-timezone"') :]
    for text in said:
        assert text in form, text
    assert '<option value="Europe/Madrid" selected>' in form


def test_a_new_zone_recomputes_every_month_and_an_approved_month_that_moves_waits_as_a_revision(
    staff_a: User, tenant_a: Client, hubspot: FakePlatforms, django_capture_on_commit_callbacks,  # noqa: F811
) -> None:
    cache.clear()
    with tenant_context(tenant_a):
        # 1 March 05:00 UTC: March in Madrid, still 28 February in Los Angeles.
        Lead.objects.bulk_create([Lead(id="edge", created_at=dt.datetime(2026, 3, 1, 5, tzinfo=dt.UTC)),
                                  Lead(id="mid", created_at=dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC))])
    snapshot_compute(client=tenant_a, months=[FEBRUARY, MARCH])
    month_approve(client=tenant_a, month=MARCH, user=None)
    connect_hubspot(tenant_a)
    http = signed_in(staff_a)
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        response = http.post(URL, {"zone-timezone": "America/Los_Angeles"}, HTTP_HOST=host_of(None), follow=True)
    assert "Time zone changed from Europe/Madrid to America/Los_Angeles" in response.content.decode()
    tenant_a.refresh_from_db()
    assert tenant_a.timezone == "America/Los_Angeles"
    assert recompute.recompute_pending(client=tenant_a) == ["2026-02", "2026-03"]  # every month, not only today's
    with tenant_context(tenant_a):
        assert 1 <= Connection.objects.get().next_run_at.astimezone(
            dt.timezone(dt.timedelta(hours=-8))).hour < 5  # the nightly sync follows the new night
    assert tasks.snapshot_recompute_pending.apply(kwargs={"client_slug": "alpha"},
                                                  headers={"_schema_name": "alpha"}).get() == 2
    with tenant_context(tenant_a):
        assert Snapshot.objects.get(month=FEBRUARY).new_leads == 1 and Snapshot.objects.get(month=MARCH).new_leads == 1
    staff = signed_in(staff_a).get("/reports/2026-03/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert 'class="card revision-pending"' in staff  # the approved March waits for its revision


def test_an_unknown_zone_is_a_field_error_and_changes_nothing(staff_a: User, tenant_a: Client) -> None:
    response = signed_in(staff_a).post(URL, {"zone-timezone": "Mars/Olympus"}, HTTP_HOST=host_of(None))
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    tenant_a.refresh_from_db()
    assert tenant_a.timezone == "Europe/Madrid"


def test_another_clients_staff_cannot_change_it(tenant_a: Client, tenant_b: Client) -> None:
    other = UserFactory(username="bea-staff", role=User.Role.STAFF, clients=[tenant_b])
    response = signed_in(other).post(URL, {"zone-timezone": "America/Los_Angeles"}, HTTP_HOST=host_of(None))
    assert response.status_code == 404
    tenant_a.refresh_from_db()
    assert tenant_a.timezone == "Europe/Madrid"
