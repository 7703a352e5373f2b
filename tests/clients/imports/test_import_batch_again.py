"""A several-file upload's refused files are imported again from the copies kept, once the user has
added what they named: a new client's leads file refused for buyer personas not added yet is
imported with one click after adding them, not picked from disk again. Each file is a new
all-or-nothing job; the refused job stays in the history; a second go changes nothing; another
client's staff and client users cannot reach it."""

from __future__ import annotations

from django.db import connection
from django.test import Client as HttpClient

from clients.models import Job, Lead, Persona
from tests.clients.imports.test_import_batch import CAMPAIGNS, post_and_run, run_batch
from tests.conftest import host_of

LEADS = b"id,created_at,campaign,persona\nL1,2026-03-02T09:00:00,spring,marketer\nL2,2026-03-03T10:00:00,search,\n"


def _again(http: HttpClient, batch_id: int, capture) -> object:
    with capture(execute=False) as callbacks:
        response = http.post(f"/imports/batches/{batch_id}/again/")
    assert response.status_code == 302 and "/imports/batches/" in response.url
    assert len(callbacks) == 1  # the new batch queued once committed
    return response


def test_a_file_refused_for_a_missing_persona_is_imported_again_after_adding_it(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    files = [("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)]
    response, batch_id = post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)
    page = staff_http.get(response.url).content.decode()
    assert "Import the refused file again" in page and "no need to pick it again" in page

    connection.set_tenant(tenant_a)
    assert not Lead.objects.exists()
    Persona.objects.create(code="marketer", name="Marketer", priority=0)
    connection.set_schema_to_public()

    again = _again(staff_http, batch_id, django_capture_on_commit_callbacks)
    new_batch = run_batch(tenant_a, again, django_capture_on_commit_callbacks)
    assert new_batch != batch_id

    connection.set_tenant(tenant_a)
    assert sorted(Lead.objects.values_list("id", "persona_given")) == [("L1", "marketer"), ("L2", "")]
    [refused, retried] = Job.objects.filter(kind="import", params__filename="leads.csv").order_by("id")
    assert refused.status == Job.Status.DONE and not refused.result["ok"]  # the history keeps the refusal
    assert retried.status == Job.Status.DONE and retried.result["ok"] and retried.result["inserted"] == 2
    assert Job.objects.get(pk=new_batch).params["again_of"] == batch_id
    connection.set_schema_to_public()

    page = staff_http.get(again.url).content.decode()
    assert "Imported: 2 rows read" in page and "refused file again" not in page

    # Once more from the first upload: the same upsert, nothing added twice.
    again = _again(staff_http, batch_id, django_capture_on_commit_callbacks)
    run_batch(tenant_a, again, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    assert Lead.objects.count() == 2
    assert Job.objects.filter(kind="import", params__filename="leads.csv").order_by("-id").first().result["unchanged"] == 2
    connection.set_schema_to_public()


def test_the_offer_speaks_spanish(staff_a, tenant_a, media, django_capture_on_commit_callbacks):
    staff_a.language = "es"
    staff_a.save()
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    response, _batch_id = post_and_run(http, tenant_a, [("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)],
                                       django_capture_on_commit_callbacks)
    page = http.get(response.url).content.decode()
    assert "Importar de nuevo el archivo rechazado" in page and "no hace falta elegirlo otra vez" in page


def test_another_clients_staff_and_client_users_cannot_import_it_again(
    staff_http, tenant_a, tenant_b, client_user_a, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    _response, batch_id = post_and_run(staff_http, tenant_a, [("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)],
                                       django_capture_on_commit_callbacks)
    reader = HttpClient(HTTP_HOST=host_of(tenant_a))
    reader.force_login(client_user_a)
    assert reader.post(f"/imports/batches/{batch_id}/again/").status_code == 404
    outsider = UserFactory(username="otto-staff", clients=[tenant_b])
    at_a = HttpClient(HTTP_HOST=host_of(tenant_a))
    at_a.force_login(outsider)
    assert at_a.post(f"/imports/batches/{batch_id}/again/").status_code == 404
    at_b = HttpClient(HTTP_HOST=host_of(tenant_b))
    at_b.force_login(outsider)
    assert at_b.post(f"/imports/batches/{batch_id}/again/").status_code == 404  # not a batch of B
    connection.set_tenant(tenant_a)
    assert Job.objects.filter(kind="import-batch").count() == 1
    connection.set_schema_to_public()


def test_a_refused_file_no_longer_on_the_server_is_said_not_retried(
    staff_http, tenant_a, media, django_capture_on_commit_callbacks
):
    _response, batch_id = post_and_run(staff_http, tenant_a, [("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)],
                                       django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    refused = Job.objects.get(kind="import", params__filename="leads.csv")
    connection.set_schema_to_public()
    (media / "alpha" / "imports" / refused.params["file"]).unlink()
    answer = staff_http.post(f"/imports/batches/{batch_id}/again/", follow=True)
    assert "No refused file of this upload is left on the server" in answer.content.decode()
    connection.set_tenant(tenant_a)
    assert Job.objects.filter(kind="import-batch").count() == 1
    connection.set_schema_to_public()
