"""Late data: an import that writes rows of a month already approved says so on its result page
(single file and several files), naming the month with a link to its close; rows of open months
say nothing more than the counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import Job
from reports.models import ReportVersion
from tests.clients.conftest import upload
from tests.clients.imports.test_import_batch import CAMPAIGNS, LEADS, post_and_run
from tests.clients.imports.test_import_web import run_job
from tests.conftest import host_of

MARCH_LEADS = b"id,created_at\nL1,2026-03-02T09:00:00\nL2,2026-03-03T10:00:00\n"
NOTICE = {"en": "March 2026 was already approved: its figures are being recomputed",
          "es": "Marzo de 2026 ya estaba aprobado: las cifras de ese mes se están recalculando"}
LINK = {"en": "Open the close of March 2026", "es": "Abrir el cierre de marzo de 2026"}


def approve(tenant, month: dt.date) -> None:
    connection.set_tenant(tenant)
    ReportVersion.objects.create(month=month, number=1, document={}, approved_at=timezone.now())
    connection.set_schema_to_public()


def import_one(http: HttpClient, tenant, django_capture_on_commit_callbacks) -> str:
    response = upload(http, MARCH_LEADS, "late-leads.csv", kind="leads")
    assert response.status_code == 302, response
    with django_capture_on_commit_callbacks(execute=False):
        confirmed = http.post(response.url)
    connection.set_tenant(tenant)
    job = Job.objects.get(kind="import")
    connection.set_schema_to_public()
    run_job(tenant, job.id)
    assert confirmed.url == f"/imports/jobs/{job.id}/"
    return http.get(confirmed.url).content.decode()


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_import_into_an_approved_month_names_it_with_a_link_to_its_close(
    staff_a, tenant_a, media, django_capture_on_commit_callbacks, language
):
    approve(tenant_a, dt.date(2026, 3, 1))
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    http.cookies["django_language"] = language
    html = import_one(http, tenant_a, django_capture_on_commit_callbacks)
    assert 'id="import-approved-months"' in html
    assert NOTICE[language] in html
    assert re.search(rf'<a href="/reports/2026-03/">{LINK[language]}</a>', html), html
    if language == "es":
        assert "was already approved" not in html and "Open the close" not in html


def test_an_import_into_open_months_says_nothing_of_the_close(staff_http, tenant_a, django_capture_on_commit_callbacks):
    approve(tenant_a, dt.date(2026, 2, 1))  # an approved month the file does not touch
    html = import_one(staff_http, tenant_a, django_capture_on_commit_callbacks)
    assert "Done: 2 rows read" in html
    assert "import-approved-months" not in html and "/reports/2026-" not in html


def test_several_files_name_the_approved_month_once(staff_http, tenant_a, django_capture_on_commit_callbacks):
    approve(tenant_a, dt.date(2026, 3, 1))
    response, _batch = post_and_run(staff_http, tenant_a, [("campaigns.csv", CAMPAIGNS), ("leads.csv", LEADS)],
                                    django_capture_on_commit_callbacks)
    html = staff_http.get(response.url).content.decode()
    assert html.count(NOTICE["en"]) == 1
    assert '<a href="/reports/2026-03/">Open the close of March 2026</a>' in html


def test_several_files_of_open_months_say_nothing_of_the_close(staff_http, tenant_a, django_capture_on_commit_callbacks):
    response, _batch = post_and_run(staff_http, tenant_a, [("campaigns.csv", CAMPAIGNS), ("leads.csv", LEADS)],
                                    django_capture_on_commit_callbacks)
    html = staff_http.get(response.url).content.decode()
    assert "Imported: 2 rows read" in html and "import-approved-months" not in html
