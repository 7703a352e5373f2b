"""Several files uploaded at once: each recognized and imported on its own, in the order that lets
references resolve, one result page listing every file; a bad file is refused alone."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient

from clients.models import Activity, Campaign, Job, Lead, Persona
from clients.tasks import import_batch_run
from tests.conftest import host_of
from tests.example import EXAMPLE

CAMPAIGNS = b"id,name,channel\nspring,Spring launch,email\nsearch,Search,paid_search\n"
LEADS = b"id,created_at,campaign\nL1,2026-03-02T09:00:00,spring\nL2,2026-03-03T10:00:00,search\n"
ACTIVITIES = b"id,lead,occurred_at,action\na1,L1,2026-03-04T09:00:00,demo_request\na2,L2,2026-03-05T09:00:00,pricing_view\n"
BAD_LEADS = b"id,created_at,campaign\nL9,2026-03-02T09:00:00,spring\nL10,not a date,spring\n"
UNKNOWN = b"Opportunity,Stage,Amount\nBig deal,Won,1000\n"


def upload_many(http: HttpClient, files: list[tuple[str, bytes]], **extra: str) -> object:
    return http.post("/imports/", {"kind": "", "file": [SimpleUploadedFile(name, data, "text/csv")
                                                         for name, data in files], **extra})


def run_batch(tenant, response, capture) -> int:
    batch_id = int(response.url.rstrip("/").rsplit("/", 1)[1])
    connection.set_tenant(tenant)
    import_batch_run.apply(kwargs={"client_slug": tenant.slug, "job_id": batch_id})
    connection.set_schema_to_public()
    return batch_id


def post_and_run(http, tenant, files, capture) -> tuple[object, int]:
    with capture(execute=False) as callbacks:
        response = upload_many(http, files)
    assert response.status_code == 302 and "/imports/batches/" in response.url
    assert len(callbacks) == 1  # one task for the whole batch, queued once committed
    return response, run_batch(tenant, response, capture)


def test_files_picked_in_the_wrong_order_are_imported_in_the_order_that_resolves_references(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    files = [("activities.csv", ACTIVITIES), ("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)]
    response, batch_id = post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)

    connection.set_tenant(tenant_a)
    batch = Job.objects.get(pk=batch_id)
    jobs = [Job.objects.get(pk=job_id) for job_id in batch.params["jobs"]]
    assert [job.params["filename"] for job in jobs] == ["campaigns.csv", "leads.csv", "activities.csv"]
    assert [job.params["kind"] for job in jobs] == ["campaigns", "leads", "activities"]
    assert all(job.status == Job.Status.DONE and job.result["ok"] for job in jobs)
    assert jobs[0].started_at <= jobs[1].started_at <= jobs[2].started_at
    assert (Campaign.objects.count(), Lead.objects.count(), Activity.objects.count()) == (2, 2, 2)
    assert Lead.objects.get(id="L1").campaign_id == "spring"
    connection.set_schema_to_public()

    html = staff_http.get(response.url).content.decode()
    assert "whatever order you picked them in" in html
    assert html.index("campaigns.csv") < html.index("leads.csv") < html.index("activities.csv")
    assert html.count("Imported: 2 rows read") == 3
    assert 'hx-trigger="every 1s"' not in html  # all finished: no polling


def test_a_bad_file_among_good_ones_is_refused_alone_with_its_reason(
    staff_http, tenant_a, media, django_capture_on_commit_callbacks
):
    files = [("leads-bad.csv", BAD_LEADS), ("campaigns.csv", CAMPAIGNS), ("opportunities.csv", UNKNOWN)]
    response, _batch_id = post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)

    connection.set_tenant(tenant_a)
    assert Campaign.objects.count() == 2  # the good file is written
    assert not Lead.objects.exists()  # the bad one writes nothing, not even its good row
    [bad_job] = Job.objects.filter(kind="import", params__filename="leads-bad.csv")
    assert bad_job.status == Job.Status.DONE and not bad_job.result["ok"]
    connection.set_schema_to_public()

    html = staff_http.get(response.url).content.decode()
    assert "Refused, nothing written: 1 problem in the file." in html
    assert "Line 3, created_at:" in html
    assert f'href="/imports/jobs/{bad_job.id}/"' in html
    # The file nothing recognizes is kept, with the way on to map its columns.
    assert "opportunities.csv" in html and "Map its columns" in html
    [pending] = (media / "alpha" / "imports").glob("pending-*.csv")
    assert pending.read_bytes() == UNKNOWN
    assert staff_http.get(f"/imports/detected/{pending.stem.removeprefix('pending-')}/").status_code == 422


def test_uploading_the_same_files_again_changes_nothing(staff_http, tenant_a, django_capture_on_commit_callbacks):
    files = [("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS), ("activities.csv", ACTIVITIES)]
    post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    before = [list(model.objects.order_by("pk").values()) for model in (Campaign, Lead, Activity)]
    connection.set_schema_to_public()

    _response, batch_id = post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)

    connection.set_tenant(tenant_a)
    assert [list(model.objects.order_by("pk").values()) for model in (Campaign, Lead, Activity)] == before
    batch = Job.objects.get(pk=batch_id)
    results = [Job.objects.get(pk=job_id).result for job_id in batch.params["jobs"]]
    assert [(r["ok"], r["inserted"], r["updated"], r["unchanged"]) for r in results] == [(True, 0, 0, 2)] * 3
    connection.set_schema_to_public()


def test_one_file_still_goes_through_the_preview(staff_http):
    response = upload_many(staff_http, [("campaigns.csv", CAMPAIGNS)])
    assert response.status_code == 302 and "/imports/detected/" in response.url


def test_too_many_files_or_a_kind_named_for_several_are_refused_with_the_limit(staff_http, settings, media):
    settings.PORTAL_UPLOAD_MAX_FILES = 2
    response = upload_many(staff_http, [("a.csv", CAMPAIGNS), ("b.csv", LEADS), ("c.csv", ACTIVITIES)])
    assert response.status_code == 422
    assert "You chose 3 files; up to 2 can be uploaded at once." in response.content.decode()

    settings.PORTAL_UPLOAD_MAX_TOTAL_BYTES = 100
    response = upload_many(staff_http, [("a.csv", CAMPAIGNS), ("b.csv", LEADS)])
    assert "These files add up to 0.0 MB; up to 0 MB can be uploaded at once." in response.content.decode()

    settings.PORTAL_UPLOAD_MAX_TOTAL_BYTES = 10_000_000
    settings.PORTAL_UPLOAD_MAX_BYTES = 60  # the 69-byte file is named, with the limit
    response = upload_many(staff_http, [("a.csv", CAMPAIGNS), ("b.csv", ACTIVITIES[:50])])
    assert "a.csv is 0.0 MB; files up to 0 MB can be uploaded." in response.content.decode()
    settings.PORTAL_UPLOAD_MAX_BYTES = 10_000_000
    response = upload_many(staff_http, [("a.csv", CAMPAIGNS), ("b.csv", LEADS)], kind="campaigns")
    assert response.status_code == 422 and "With several files, leave it to detection" in response.content.decode()
    assert not list((media / "alpha" / "imports").glob("*.csv"))  # nothing kept


def test_the_result_page_speaks_spanish(staff_a, tenant_a, media, django_capture_on_commit_callbacks):
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    files = [("leads-bad.csv", BAD_LEADS), ("campaigns.csv", CAMPAIGNS), ("opportunities.csv", UNKNOWN)]
    response, _batch_id = post_and_run(http, tenant_a, files, django_capture_on_commit_callbacks)
    html = http.get(response.url).content.decode()
    assert "Importación de 3 archivos" in html
    assert "Importado: 2 filas leídas" in html
    assert "Rechazado, no se ha escrito nada: 1 problema en el archivo." in html
    assert "Asigna sus columnas" in html
    for english in ("Imported:", "Refused", "Map its columns", "whatever order"):
        assert english not in html


def test_the_example_clients_seven_files_picked_backwards_all_import(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    """The new client's walk: the seven exports in one go, contracts first as picked, campaigns first as imported."""
    tenant_a.timezone = "Europe/Madrid"
    tenant_a.save()
    connection.set_tenant(tenant_a)
    Persona.objects.create(code="marketer", name="Marketer", priority=1)
    connection.set_schema_to_public()
    kinds = ["contracts", "email", "traffic", "activities", "leads", "spend", "campaigns"]
    files = [(f"{kind}.csv", (EXAMPLE / f"{kind}.csv").read_bytes()) for kind in kinds]
    _response, batch_id = post_and_run(staff_http, tenant_a, files, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    jobs = [Job.objects.get(pk=job_id) for job_id in Job.objects.get(pk=batch_id).params["jobs"]]
    assert [job.params["kind"] for job in jobs] == kinds[::-1]
    assert [(job.status, job.result["ok"], job.result.get("errors", [])[:1]) for job in jobs] == [
        (Job.Status.DONE, True, [])] * 7
    connection.set_schema_to_public()
    html = staff_http.get(f"/imports/batches/{batch_id}/").content.decode()
    assert "Imported: 2,382 rows read (2,382 added, 0 updated, 0 unchanged)." in html  # traffic, thousands grouped


def test_an_import_that_fails_midway_does_not_stop_the_next_ones_and_a_second_run_changes_nothing(
    staff_http, tenant_a, media, django_capture_on_commit_callbacks
):
    files = [("activities.csv", ACTIVITIES), ("leads.csv", LEADS), ("campaigns.csv", CAMPAIGNS)]
    with django_capture_on_commit_callbacks(execute=False):
        response = upload_many(staff_http, files)
    connection.set_tenant(tenant_a)
    campaigns_job, leads_job, activities_job = Job.objects.get(kind="import-batch").params["jobs"]
    connection.set_schema_to_public()
    (media / "alpha" / "imports" / f"{leads_job}.csv").unlink()  # its file gone: the job fails outright

    batch_id = run_batch(tenant_a, response, None)

    connection.set_tenant(tenant_a)
    statuses = dict(Job.objects.filter(kind="import").values_list("pk", "status"))
    assert statuses == {campaigns_job: Job.Status.DONE, leads_job: Job.Status.FAILED, activities_job: Job.Status.DONE}
    assert Campaign.objects.count() == 2 and not Lead.objects.exists()
    assert not Activity.objects.exists()  # refused: the leads it names are missing, and it says so
    assert Job.objects.get(pk=activities_job).result["ok"] is False
    finished = dict(Job.objects.filter(kind="import").values_list("pk", "finished_at"))
    connection.set_schema_to_public()

    html = staff_http.get(response.url).content.decode()
    assert "Not imported: the uploaded file is no longer on the server; nothing was written. Upload it again." in html
    assert "add the leads first" in html

    run_batch(tenant_a, response, None)  # the task delivered twice: finished imports are not run again
    connection.set_tenant(tenant_a)
    assert dict(Job.objects.filter(kind="import").values_list("pk", "finished_at")) == finished
    assert Job.objects.get(pk=batch_id).status == Job.Status.DONE


def test_one_row_imported_reads_in_correct_spanish() -> None:
    """"1 añadidas" (a plural participle after 1): the counts are given as labels instead."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        text = gettext(" (%(inserted)s added, %(updated)s updated, %(unchanged)s unchanged).") % {
            "inserted": 1, "updated": 0, "unchanged": 0}
        done = gettext("Done: %(rows)s rows read, %(inserted)s added, %(updated)s updated, %(unchanged)s unchanged.") % {
            "rows": 1, "inserted": 1, "updated": 0, "unchanged": 0}
    assert text == " (añadidas: 1, actualizadas: 0, sin cambios: 0)." and "1 añadidas" not in done


def test_rows_a_source_leaves_out_are_said_beside_the_counts_on_the_result_and_job_pages(
    staff_a, tenant_a, media, django_capture_on_commit_callbacks
):
    """GA4's smart-tv rows are read and left out on purpose: without a word, "7 rows read (6 added,
    0 updated, 0 unchanged)" leaves a row unexplained (the single upload's preview says it; the
    several-file page, which has no preview, did not)."""
    from pathlib import Path

    ga4 = (Path(__file__).parents[2] / "fixtures" / "sources" / "ga4_traffic.csv").read_bytes()
    for language, words in (("en", "1 row left out on purpose: a device other than desktop, mobile or tablet."),
                            ("es", "1 fila queda fuera a propósito: un dispositivo que no es de escritorio, móvil ni tableta.")):
        http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
        http.force_login(staff_a)
        response, batch_id = post_and_run(http, tenant_a, [("ga4.csv", ga4), ("campaigns.csv", CAMPAIGNS)],
                                          django_capture_on_commit_callbacks)
        connection.set_tenant(tenant_a)
        [ga4_job] = [Job.objects.get(pk=job_id) for job_id in Job.objects.get(pk=batch_id).params["jobs"]
                     if Job.objects.get(pk=job_id).params["filename"] == "ga4.csv"]
        connection.set_schema_to_public()
        assert sum(ga4_job.result["skipped"].values()) == 1
        assert words in http.get(response.url).content.decode()
        assert words in http.get(f"/imports/jobs/{ga4_job.pk}/").content.decode()


def test_the_result_page_names_each_files_source_in_the_readers_language(
    staff_a, tenant_a, media, django_capture_on_commit_callbacks
):
    """Uploaded from an English page, read from a Spanish one: the page said "GA4 traffic acquisition
    report → Tráfico diario" (the batch kept the uploader's words)."""
    from pathlib import Path

    ga4 = (Path(__file__).parents[2] / "fixtures" / "sources" / "ga4_traffic.csv").read_bytes()
    english = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(staff_a)
    response, _batch_id = post_and_run(english, tenant_a, [("ga4.csv", ga4), ("campaigns.csv", CAMPAIGNS)],
                                       django_capture_on_commit_callbacks)
    assert "GA4 traffic acquisition report → Daily traffic" in english.get(response.url).content.decode()
    spanish = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    spanish.force_login(staff_a)
    html = spanish.get(response.url).content.decode()
    assert "Informe de adquisición de tráfico de GA4 → Tráfico diario" in html
    assert "GA4 traffic acquisition report" not in html
