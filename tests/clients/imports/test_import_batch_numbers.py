"""A platform export refused for an amount that reads two ways ("24,500" in a file with Spanish
headers: 24.5 or 24 500?) is not offered "Import the refused file again" on a several-file upload's
page (it would be refused the same way): the user says how the file writes numbers (1,234.56 or
1.234,56) and the file is imported again from the copy kept, read that way, all or nothing; a second
go with the same choice changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import Client as HttpClient

from clients.models import Job, Lead
from tests.clients.imports.test_import_batch import CAMPAIGNS, post_and_run, run_batch
from tests.conftest import host_of

# HubSpot's contacts export with Spanish headers and the account's English number format (the walk of 2026-12-07).
HUBSPOT_ES = (
    '"ID de registro","Correo","Fecha de creación","Fuente de tráfico original",'
    '"Fecha en que se convirtió en cliente","Importe del negocio más reciente","Ingresos totales"\n'
    '"7","a@example.com","2026-03-02 10:00","Búsqueda orgánica","2026-03-10 10:00","24,500",""\n'
    '"8","b@example.com","2026-03-03 10:00","Tráfico directo","2026-03-11 10:00","1,250.50",""\n'
).encode()


def _upload(http: HttpClient, tenant, capture) -> int:
    _response, batch_id = post_and_run(http, tenant, [("contactos.csv", HUBSPOT_ES), ("campaigns.csv", CAMPAIGNS)],
                                       capture)
    return batch_id


def _again(http: HttpClient, batch_id: int, data: dict, capture) -> object:
    with capture(execute=False) as callbacks:
        response = http.post(f"/imports/batches/{batch_id}/again/", data)
    assert response.status_code == 302 and "/imports/batches/" in response.url
    assert len(callbacks) == 1
    return response


def _refused_job(tenant) -> Job:
    connection.set_tenant(tenant)
    job = Job.objects.filter(kind="import", params__filename="contactos.csv").order_by("id").first()
    connection.set_schema_to_public()
    return job


def test_the_batch_page_asks_how_the_file_writes_numbers_instead_of_offering_the_same_retry(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    batch_id = _upload(staff_http, tenant_a, django_capture_on_commit_callbacks)
    page = staff_http.get(f"/imports/batches/{batch_id}/").content.decode()
    assert "reads two ways" in page
    assert "refused file again" not in page  # it would be refused the same way
    assert "How does this file write its numbers?" in page
    job = _refused_job(tenant_a)
    assert f'name="job" value="{job.id}"' in page
    # Each way with what the first doubtful amount then is, the way the language did not say first.
    assert page.index("Like 1,234.56: “24,500” is 24500") < page.index("Like 1.234,56: “24,500” is 24.5")


def test_importing_it_again_with_the_format_chosen_reads_24500_all_or_nothing_and_idempotent(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    batch_id = _upload(staff_http, tenant_a, django_capture_on_commit_callbacks)
    refused = _refused_job(tenant_a)
    connection.set_tenant(tenant_a)
    assert not Lead.objects.exists()
    connection.set_schema_to_public()

    again = _again(staff_http, batch_id, {"job": refused.id, "decimal": "."}, django_capture_on_commit_callbacks)
    new_batch = run_batch(tenant_a, again, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    assert sorted(Lead.objects.values_list("id", "deal_value")) == [("7", Decimal("24500")), ("8", Decimal("1250.50"))]
    [retried] = Job.objects.filter(pk__in=Job.objects.get(pk=new_batch).params["jobs"])
    assert retried.params["decimal"] == "." and retried.result["ok"] and retried.result["inserted"] == 2
    assert Job.objects.get(pk=refused.pk).result["ok"] is False  # the history keeps the refusal
    connection.set_schema_to_public()
    page = staff_http.get(again.url).content.decode()
    assert "Imported: 2 rows read" in page and "How does this file write its numbers?" not in page

    again = _again(staff_http, batch_id, {"job": refused.id, "decimal": "."}, django_capture_on_commit_callbacks)
    run_batch(tenant_a, again, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    assert Lead.objects.count() == 2
    last = Job.objects.filter(kind="import", params__filename="contactos.csv").order_by("-id").first()
    assert last.result["unchanged"] == 2
    connection.set_schema_to_public()


def test_the_other_way_is_read_too_and_a_file_it_cannot_read_writes_nothing(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    batch_id = _upload(staff_http, tenant_a, django_capture_on_commit_callbacks)
    refused = _refused_job(tenant_a)
    again = _again(staff_http, batch_id, {"job": refused.id, "decimal": ","}, django_capture_on_commit_callbacks)
    run_batch(tenant_a, again, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    # 24,500 is 24.5 that way, but 1,250.50 is no number written like 1.234,56: the whole file refused.
    assert not Lead.objects.exists()
    last = Job.objects.filter(kind="import", params__filename="contactos.csv").order_by("-id").first()
    assert not last.result["ok"] and [error[2] for error in last.result["errors"]] == ["1,250.50"]
    connection.set_schema_to_public()


def test_no_choice_is_said_and_nothing_is_queued(staff_http, tenant_a, django_capture_on_commit_callbacks):
    batch_id = _upload(staff_http, tenant_a, django_capture_on_commit_callbacks)
    refused = _refused_job(tenant_a)
    answer = staff_http.post(f"/imports/batches/{batch_id}/again/", {"job": refused.id}, follow=True)
    assert "Choose how the file writes its numbers" in answer.content.decode()
    # The general retry leaves it out too: it would be refused the same way.
    assert staff_http.post(f"/imports/batches/{batch_id}/again/").status_code == 302
    connection.set_tenant(tenant_a)
    assert Job.objects.filter(kind="import-batch").count() == 1
    connection.set_schema_to_public()


def test_the_question_speaks_spanish(staff_a, tenant_a, media, django_capture_on_commit_callbacks):
    staff_a.language = "es"
    staff_a.save()
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    batch_id = _upload(http, tenant_a, django_capture_on_commit_callbacks)
    page = http.get(f"/imports/batches/{batch_id}/").content.decode()
    assert "¿Cómo escribe los números este archivo?" in page
    assert "Como 1,234.56: «24,500» es 24500" in page and "Como 1.234,56: «24,500» es 24,5" in page
    assert "Importarlo de nuevo con estos números" in page
    for english in ("How does this file", "Like 1,234.56", "Import it again", "nothing was guessed"):
        assert english not in page
