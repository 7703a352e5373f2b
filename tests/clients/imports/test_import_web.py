"""The web upload for agency staff: upload, preview, confirm, background job, progress, result."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.utils import translation

from clients.imports.selectors import job_progress_key
from clients.models import Campaign, Job
from clients.tasks import import_run
from tests.clients.conftest import upload as upload_file
from tests.conftest import host_of

GOOD = b"id,name,channel,nurture\nc1,Launch,email,yes\nc2,=1+1,paid_search,no\n"
BAD = b"id,name,channel\nc1,Launch,email\nc2,Other,tv\nc1,Again,email\n"


def upload(http, content, kind="campaigns"):
    return upload_file(http, content, "data.csv", kind=kind)


def confirm(http, preview_url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = http.post(preview_url)
    return response, callbacks


def run_job(tenant, job_id):
    connection.set_tenant(tenant)
    import_run.apply(kwargs={"client_slug": tenant.slug, "job_id": job_id})
    connection.set_schema_to_public()


def test_staff_upload_previews_then_imports_in_the_background(staff_http, tenant_a, media, django_capture_on_commit_callbacks):
    assert staff_http.get("/imports/").status_code == 200

    response = upload(staff_http, GOOD)
    assert response.status_code == 302 and "/imports/preview/campaigns/" in response.url
    [pending] = (media / "alpha" / "imports").glob("pending-*.csv")

    preview = staff_http.get(response.url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Launch" in html and "=1+1" in html and "bad-row" not in html
    connection.set_tenant(tenant_a)
    assert not Campaign.objects.exists()  # the preview writes nothing
    connection.set_schema_to_public()

    response, callbacks = confirm(staff_http, response.url, django_capture_on_commit_callbacks)
    assert len(callbacks) == 1  # the task is queued once the job is committed
    connection.set_tenant(tenant_a)
    job = Job.objects.get()
    connection.set_schema_to_public()
    assert response.status_code == 302 and response.url == f"/imports/jobs/{job.id}/"
    assert job.status == Job.Status.QUEUED and job.params["kind"] == "campaigns"
    assert not pending.exists() and (media / "alpha" / "imports" / f"{job.id}.csv").is_file()

    page = staff_http.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page

    run_job(tenant_a, job.id)

    partial = staff_http.get(response.url, HTTP_HX_REQUEST="true")
    assert "HX-Request" in partial["Vary"]
    text = partial.content.decode()
    assert "<html" not in text and "hx-trigger" not in text  # finished: polling stops
    assert "2 rows read, 2 added, 0 updated, 0 unchanged" in text
    connection.set_tenant(tenant_a)
    assert Campaign.objects.get(id="c2").name == "=1+1"
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == (Job.Status.DONE, 2, 2)


def test_bad_rows_are_highlighted_in_the_preview_and_listed_in_the_result(
    staff_http, tenant_a, django_capture_on_commit_callbacks
):
    response = upload(staff_http, BAD)
    html = staff_http.get(response.url).content.decode()
    assert html.count('class="bad-row"') == 2  # line 3 (channel) and line 4 (duplicate id)
    assert "not one of" in html and "duplicate key" in html
    # Listed again under the table (shown on a phone, where the table scrolls and a reason at its edge was cut).
    problems = html.split('class="preview-problems"', 1)[1].split("</ul>", 1)[0]
    assert "Line 3, Channel “tv”: not one of" in problems  # the column as the table's head names it

    response, _callbacks = confirm(staff_http, response.url, django_capture_on_commit_callbacks)
    job_id = int(response.url.rstrip("/").rsplit("/", 1)[1])
    run_job(tenant_a, job_id)

    text = staff_http.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "Nothing was written: 2 problems in the file." in text
    assert ('<td class="num" data-label="Line">3</td><td data-label="Column">channel</td>'
            '<td data-label="Value"><code>tv</code></td>') in text
    assert ('<td class="num" data-label="Line">4</td><td data-label="Column">id</td>'
            '<td data-label="Value"><code>c1</code></td>') in text
    errors_csv = staff_http.get(f"/imports/jobs/{job_id}/errors.csv")
    assert b"3,channel,tv," in b"".join(errors_csv.streaming_content)
    connection.set_tenant(tenant_a)
    assert not Campaign.objects.exists()


def test_the_problems_of_an_import_are_written_in_the_language_of_who_confirmed_it(
    staff_a, tenant_a, media, django_capture_on_commit_callbacks
):
    """The worker runs in the portal's default language; the stored problems must not be English
    on a Spanish page (nor in the errors file the Spanish user downloads)."""
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    response = upload(http, BAD)
    response, _callbacks = confirm(http, response.url, django_capture_on_commit_callbacks)
    job_id = int(response.url.rstrip("/").rsplit("/", 1)[1])
    with translation.override("en"):  # the worker's language
        run_job(tenant_a, job_id)

    text = http.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "No se ha escrito nada: 2 problemas en el archivo." in text
    assert "no es uno de:" in text and "clave duplicada" in text
    assert "not one of" not in text and "duplicate key" not in text
    errors_csv = b"".join(http.get(f"/imports/jobs/{job_id}/errors.csv").streaming_content).decode()
    assert "no es uno de:" in errors_csv


def test_the_preview_writes_a_yes_or_no_column_in_words_not_true_and_false(staff_a, tenant_a, media) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    html = http.get(upload(http, GOOD).url).content.decode()
    assert "<td>sí</td>" in html and "<td>no</td>" in html
    assert "True" not in html and "False" not in html


def test_recent_imports_and_the_recognized_reports_name_the_kind_in_words(
    staff_a, tenant_a, media, django_capture_on_commit_callbacks
) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(staff_a)
    confirm(http, upload(http, GOOD).url, django_capture_on_commit_callbacks)
    page = http.get("/imports/").content.decode()
    assert "<td data-label=\"Tipo\">Campañas</td>" in page and ">campaigns</td>" not in page  # the recent imports
    assert "Informe de campañas de Google Ads → Inversión" in page and "→ spend" not in page
    # the order of imports names the personas too: a leads file naming one is refused without it
    assert ('Los leads que nombran un perfil de comprador lo necesitan antes: '
            '<a href="/personas/">Perfiles de comprador</a>') in page


def test_an_unknown_column_is_shown_at_the_preview_and_cannot_be_confirmed(staff_http):
    response = upload(staff_http, b"id,name,channel,colour\nc1,One,email,red\n")
    html = staff_http.get(response.url).content.decode()
    assert "colour" in html and "unknown column" in html
    assert "Import the whole file" not in html


def test_the_progress_partial_shows_rows_processed_while_running(staff_http, tenant_a):
    connection.set_tenant(tenant_a)
    job = Job.objects.create(kind="import", status=Job.Status.RUNNING, total=1000, params={"kind": "leads"})
    cache.set(job_progress_key(job_id=job.id), 400)
    connection.set_schema_to_public()
    text = staff_http.get(f"/imports/jobs/{job.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "400 of 1,000 rows checked" in text and 'value="40"' in text
    assert 'hx-trigger="every 1s"' in text


def test_an_upload_without_a_file_shows_the_form_again(staff_http):
    response = staff_http.post("/imports/", {"kind": "leads"})
    assert response.status_code == 422


def test_client_users_and_other_staff_cannot_import(client_user_a, tenant_a, tenant_b, media):
    from tests.factories import UserFactory

    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(client_user_a)
    assert http.get("/imports/").status_code == 404
    outsider = UserFactory(username="otto-staff", clients=[tenant_b])
    http.force_login(outsider)
    assert http.get("/imports/").status_code == 404


def test_a_pending_upload_of_one_client_is_not_found_at_another(staff_ab, tenant_a, tenant_b, media):
    http_a = HttpClient(HTTP_HOST=host_of(tenant_a))
    http_a.force_login(staff_ab)
    preview_url = upload(http_a, GOOD).url
    http_b = HttpClient(HTTP_HOST=host_of(tenant_b))
    http_b.force_login(staff_ab)
    assert http_b.get(preview_url).status_code == 404
    assert http_b.post(preview_url).status_code == 404


def test_a_single_import_whose_stored_file_vanished_fails_with_its_reason_not_queued(
    staff_http, tenant_a, media, django_capture_on_commit_callbacks
):
    response = upload(staff_http, GOOD)
    response, _callbacks = confirm(staff_http, response.url, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    job = Job.objects.get()
    connection.set_schema_to_public()
    (media / "alpha" / "imports" / f"{job.id}.csv").unlink()  # cleaned away before a worker took it

    run_job(tenant_a, job.id)

    connection.set_tenant(tenant_a)
    job.refresh_from_db()
    connection.set_schema_to_public()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert job.result == {"ok": False, "failure": "file-gone"}
    page = staff_http.get(response.url).content.decode()
    assert "The uploaded file is no longer on the server" in page and "Upload the file again" in page
    assert "Waiting for a worker" not in page and "Try again" not in page
    page = staff_http.get(response.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "El archivo subido ya no está en el servidor" in page and "no longer on the server" not in page


def test_recent_imports_read_as_cards_on_a_phone_with_a_refused_file_marked(
    staff_http, tenant_a, media, django_capture_on_commit_callbacks
):
    response = upload(staff_http, BAD)
    response, _callbacks = confirm(staff_http, response.url, django_capture_on_commit_callbacks)
    run_job(tenant_a, int(response.url.rstrip("/").rsplit("/", 1)[1]))
    page = staff_http.get("/imports/").content.decode()
    table = page.split('class="data fits stack-table recent-imports"', 1)[1].split("</table>", 1)[0]
    assert '<tr class="bad-row">' in table  # nothing written: marked, not only said in the last column
    assert '<td data-label="Status">Done · nothing written</td>' in table


@pytest.mark.parametrize(("language", "email", "paid_search"), [
    ("en", "Email", "Paid search"), ("es", "Correo electrónico", "Búsqueda de pago"),
])
def test_the_preview_shows_a_vocabularys_values_in_words_with_the_code_beneath(
    staff_a, tenant_a, media, language, email, paid_search
) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    page = http.get(upload(http, GOOD).url).content.decode()
    assert f'<td>{email}<small class="value-code"><code>email</code></small>' in page
    assert f'<td>{paid_search}<small class="value-code"><code>paid_search</code></small>' in page
    assert "<td>Launch</td>" in page  # a free column as written
    bad = http.get(upload(http, BAD).url).content.decode()
    assert re.search(r'<td class="bad-cell"[^>]*>tv<br>', bad)  # a value outside the vocabulary as written, with its error


def _heads(page: str) -> list[str]:
    thead = re.search(r'<table class="data preview[^"]*"[^>]*>\s*<thead>(.*?)</thead>', page, re.S).group(1)
    return re.findall(r'<th scope="col">(.*?)</th>', thead)


@pytest.mark.parametrize(("language", "heads"), [
    ("en", ["Campaign ID", "Campaign name", "Channel", "Nurture campaign"]),
    ("es", ["ID de campaña", "Nombre de la campaña", "Canal", "Campaña de nutrición"]),
])
def test_a_portal_files_preview_heads_its_columns_in_words_with_the_code_beneath(
    staff_a, tenant_a, media, language, heads
) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    codes = ["id", "name", "channel", "nurture"]
    # Its kind chosen on upload, and recognized by its columns: the same heads.
    for kind in ("campaigns", ""):
        page = http.get(upload(http, GOOD, kind=kind).url).content.decode()
        assert _heads(page)[1:] == [f'{name}<small class="column-code"><code>{code}</code></small>'
                                    for name, code in zip(heads, codes, strict=True)], kind
    leads = b"id,created_at,first_contacted_at\nL1,2026-03-02T08:45:00,2026-03-02T09:15:00\n"
    page = http.get(upload(http, leads, kind="").url).content.decode()
    assert _heads(page)[3].endswith('<small class="column-code"><code>first_<wbr>contacted_<wbr>at</code></small>')
    assert _heads(page)[3].startswith("First contacted" if language == "en" else "Primer contacto")


@pytest.mark.parametrize(("language", "deal", "revenue", "employees"), [
    ("en", "18,000.50", "12,500,000.50", "1,200"),
    ("es", "18\xa0000,50", "12\xa0500\xa0000,50", "1\xa0200"),
    ("es-mx", "18,000.50", "12,500,000.50", "1,200"),
])
def test_a_portal_files_preview_writes_amounts_as_a_platform_exports_preview_does(
    staff_a, tenant_a, media, language, deal, revenue, employees
) -> None:
    """The leads file's 18000.5 read "18000,5" in Spain (the template's own localization, ungrouped, the
    file's places) beside an export's preview writing 18 000,50: both through the same display_value."""
    import html

    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    leads = (b"id,created_at,company_revenue,employees,customer_at,deal_value\n"
             b"L1,2026-03-02T08:45:00,12500000.5,1200,2026-03-20T10:00:00,18000.5\n")
    for kind in ("leads", ""):  # its kind chosen on upload, and recognized by its columns
        page = html.unescape(http.get(upload(http, leads, kind=kind).url).content.decode())
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
        assert deal in cells and revenue in cells and employees in cells, (kind, cells)
        assert not {"18000.5", "18000,5", "12500000.5", "12500000,5", "1200"} & set(cells), cells


def test_a_portal_files_preview_aligns_its_numbers_right_and_lets_an_address_wrap_after_its_at(
    staff_a, tenant_a, media
) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    leads = (b"id,created_at,email,employees,customer_at,deal_value\n"
             b"L1,2026-03-02T08:45:00,ann@example.com,1200,2026-03-20T10:00:00,18000.5\n")
    for kind in ("leads", ""):  # the preview of its kind, and of a file recognized by its columns
        page = http.get(upload(http, leads, kind=kind).url).content.decode()
        assert re.search(r'<th scope="col" class="num">Employees<small', page), kind
        assert re.search(r'<th scope="col" class="num">Deal value<small', page), kind
        assert '<td class="num">1,200</td>' in page and '<td class="num">18,000.50</td>' in page, kind
        assert "<td>ann@<wbr>example.com</td>" in page and '<th scope="col">Email' in page, kind


@pytest.mark.parametrize("kind", ["campaigns", ""])
def test_a_portal_files_preview_never_splits_an_id_at_its_hyphens(staff_http, tenant_a, media, kind) -> None:
    """"cmp-2026-11-a" is one code to the person checking it, not "cmp-2026-" / "11-a": an id's cell never
    wraps (the table scrolls in its box instead); a name still wraps between its words."""
    campaigns = b"id,name,channel\ncmp-2026-11-a,Autumn launch of the new product line,email\n"
    page = staff_http.get(upload(staff_http, campaigns, kind=kind).url).content.decode()
    assert '<td class="nowrap">cmp-2026-11-a</td>' in page, kind
    assert "<td>Autumn launch of the new product line</td>" in page, kind


def test_a_portal_files_preview_keeps_a_date_on_one_line_as_the_exports_preview_does(staff_http, tenant_a, media) -> None:
    """"1 de marzo de / 2026" read badly: a day never wraps (the page has room for a contracts file's three,
    docs/importing.md); a moment may, after its date, as in a platform export's preview."""
    contracts = (b"id,account,kind,start_date,segment,term_months,monthly_fee,project_fee,end_date,cancelled_on,renewal_of\n"
                 b"K-1,globex,retainer,2026-01-01,enterprise,12,800,,2026-12-31,2026-09-30,\n")
    page = staff_http.get(upload(staff_http, contracts, kind="contracts").url).content.decode()
    for day in ("Jan 1, 2026", "Dec 31, 2026", "Sep 30, 2026"):
        assert f'<td class="nowrap">{day}</td>' in page, day
    assert 'class="wide-preview"' in page
    leads = b"id,created_at,email\nL1,2026-03-02T08:45:00,ann@example.com\n"
    page = staff_http.get(upload(staff_http, leads, kind="leads").url).content.decode()
    assert re.search(r"<td>Mar 2, 2026, [^<]*CET</td>", page), page[page.index("<tbody>"):][:600]


@pytest.mark.parametrize(("language", "line"), [
    ("en", "Line 2, Campaign “brand-search”: unknown campaign"),
    ("es", "Línea 2, Campaña «brand-search»: campaña desconocida"),
])
def test_the_phones_list_of_bad_cells_names_each_column_in_the_readers_language(
    staff_a, tenant_a, media, language, line
) -> None:
    """The list under the preview (on a phone, where the table scrolls) said "Línea 2, campaign …": the
    column's code amid Spanish words; it names the column as the table's head does."""
    import html

    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE=language)
    http.force_login(staff_a)
    spend = b"id,date,category,amount,campaign\nS-1,2026-03-01,media,120.50,brand-search\n"
    for kind in ("spend", ""):
        page = html.unescape(http.get(upload(http, spend, kind=kind).url).content.decode())
        problems = page[page.index('class="preview-problems"'):]
        assert line in re.sub(r"\s+", " ", problems), (kind, problems[:400])


def test_a_one_row_import_says_one_row_read(staff_http, tenant_a, media, django_capture_on_commit_callbacks) -> None:
    """A late spend row imported alone read "Done: 1 rows read" (walk of 7 Dec 2026)."""
    response = upload(staff_http, b"id,name,channel\nc1,Launch,email\n")
    response, _callbacks = confirm(staff_http, response.url, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    job = Job.objects.get()
    connection.set_schema_to_public()
    run_job(tenant_a, job.id)
    text = staff_http.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "Done: 1 row read, 1 added, 0 updated, 0 unchanged." in text and "1 rows" not in text
    staff_http.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    with translation.override("es"):
        spanish = staff_http.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "Hecho. Filas leídas: 1; añadidas: 1" in spanish
