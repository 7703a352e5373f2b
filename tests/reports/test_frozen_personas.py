"""An approved version keeps the buyer personas' names the client approved: renaming a persona
afterwards renames nothing in the approved report (the persona breakdown, its CSV, the PDF's
drill-down, the share link), while the month still in draft reads the new name; a version approved
before versions kept the names reads them from the rows, as before."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pypdfium2
import pytest
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.models import Lead, Persona
from kpis.report import FROZEN
from kpis.services import snapshot_compute
from reports.models import ReportVersion
from reports.services import month_approve, share_link_create
from tests.conftest import host_of, signed_in

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)


@pytest.fixture
def approved(tenant_a, staff_a, client_user_a):
    """March approved while persona "cfo" was called "Finance lead"; April in draft; then renamed."""
    client_user_a.language = "en"
    client_user_a.save()
    with schema_context("alpha"):
        Persona.objects.bulk_create([Persona(code="cfo", name="Finance lead"), Persona(code="ops", name="Operations lead")])
        Lead.objects.bulk_create(
            [Lead(id=f"m{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC), persona="cfo") for i in range(3)]
            + [Lead(id=f"a{i}", created_at=dt.datetime(2026, 4, 10, tzinfo=dt.UTC), persona="cfo") for i in range(2)]
        )
    snapshot_compute(client=tenant_a, months=[MARCH, APRIL])
    month_approve(client=tenant_a, month=MARCH, user=staff_a)
    _link, token = share_link_create(client=tenant_a, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        Persona.objects.filter(code="cfo").update(name="Chief financial officer")
    return tenant_a, token


def _rows(html: str) -> set[str]:
    return {cell for cell in ("Finance lead", "Chief financial officer") if f'<th scope="row">{cell}</th>' in unescape(html)}


def _pdf_text(response) -> str:
    assert response.status_code == 200
    document = pypdfium2.PdfDocument(response.content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def test_a_renamed_persona_keeps_its_approved_name_in_the_approved_report(approved, client_user_a, staff_a) -> None:
    tenant, token = approved
    client = signed_in(client_user_a, tenant, HTTP_ACCEPT_LANGUAGE="en")
    assert _rows(client.get("/scorecard/breakdowns/persona/?month=2026-03", HTTP_HX_REQUEST="true").content.decode()) == {
        "Finance lead"
    }
    csv = client.get("/scorecard/breakdowns/persona/export.csv?month=2026-03").content.decode()
    assert "Finance lead" in csv and "Chief financial officer" not in csv
    text = _pdf_text(client.get("/scorecard/export.pdf?month=2026-03"))
    assert "Finance lead" in text and "Chief financial officer" not in text
    # the share link's drill-down (the page's Breakdowns button) and its PDF
    anonymous = HttpClient(HTTP_HOST=host_of(tenant))
    shared = anonymous.get(f"/shared/2026-03/{token}/breakdowns/persona/", HTTP_HX_REQUEST="true")
    assert shared.status_code == 200 and _rows(shared.content.decode()) == {"Finance lead"}
    text = _pdf_text(anonymous.get(f"/shared/2026-03/{token}/report.pdf"))
    assert "Finance lead" in text and "Chief financial officer" not in text
    # the month in draft, and staff reading the figures as computed now, read the new name
    staff = signed_in(staff_a, tenant, HTTP_ACCEPT_LANGUAGE="en")
    for month in ("2026-04", "2026-03"):
        html = staff.get(f"/scorecard/breakdowns/persona/?month={month}", HTTP_HX_REQUEST="true").content.decode()
        assert _rows(html) == {"Chief financial officer"}, month


def test_a_version_approved_before_names_were_frozen_reads_them_from_the_rows(approved, client_user_a) -> None:
    tenant, _token = approved
    with schema_context("alpha"):
        version = ReportVersion.objects.get(month=MARCH)
        assert version.document[FROZEN]["persona_names"] == {"cfo": "Finance lead"}  # the breakdown's personas only
        del version.document[FROZEN]["persona_names"]
        version.save(update_fields=["document"])
    client = signed_in(client_user_a, tenant, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get("/scorecard/breakdowns/persona/?month=2026-03", HTTP_HX_REQUEST="true").content.decode()
    assert _rows(html) == {"Chief financial officer"}
