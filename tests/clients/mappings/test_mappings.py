"""Saved mappings: an unrecognized file mapped by hand with a live preview, saved under a name,
recognized next time by its header, imported, and copied to other clients (staff, their own only)."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import translation

from clients import words
from clients.models import Lead, SavedMapping
from clients.tasks import import_run
from tests.clients.conftest import upload
from tests.conftest import host_of

# A Salesforce lead report as exported (CSV "details only"): header, rows, then the footer lines
# Salesforce appends (export-formats.md: "Grand Totals (N records)", a confidentiality line).
SALESFORCE = (
    "Lead ID,Lead Source,Created Date,Email,Employees,Annual Revenue\n"
    "00Q1,Google / CPC,04/03/2026 09:30,ana@example.com,250,\"1.200.000,50\"\n"
    "00Q2,Newsletter,05/03/2026 16:05,bo@example.com,40,\n"
    "00Q3,Google / Organic,06/03/2026 11:00,cy@example.com,900,\"5.000.000,00\"\n"
    "\n"
    "Grand Totals (3 records)\n"
    "Confidential Information - Do Not Distribute\n"
)
HEADER_ONLY_OTHER_ROWS = (
    "Created Date,Lead ID,Email,Lead Source,Annual Revenue,Employees\n"  # same header, another order
    "07/03/2026 10:00,00Q4,dee@example.com,Google / CPC,,12\n"
)


def token_of(url: str) -> str:
    return re.search(r"/([0-9a-f]{32})/", url).group(1)


def column_name(kind: str, code: str, language: str) -> str:
    """A portal column's name in ``language``, as the editor writes it."""
    with translation.override(language):
        return str(words.column_name(kind, code))


def form(**overrides) -> dict:
    """The editor's form for the Salesforce report mapped onto leads."""
    data = {
        "kind": "leads", "previous_kind": "leads", "date_format": "%d/%m/%Y", "decimal": ",",
        "src_id": "col:0", "src_channel": "col:1", "src_created_at": "col:2", "src_email": "col:3",
        "src_employees": "col:4", "src_company_revenue": "col:5",
        # The value table of Lead Source (values in the order the file has them).
        "vmap_channel_0": "paid_search", "vmap_channel_1": "email", "vmap_channel_2": "organic_search",
        "action": "preview",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_unrecognized_file_is_mapped_saved_recognized_and_imported(staff_http, tenant_a, media,
                                                                      django_capture_on_commit_callbacks) -> None:
    response = upload(staff_http, SALESFORCE)
    assert response.status_code == 302 and "/imports/detected/" in response.url
    refused = staff_http.get(response.url)
    assert refused.status_code == 422
    html = refused.content.decode()
    assert "no source recognizes" in html and 'id="map-by-hand"' in html
    token = token_of(response.url)

    editor = staff_http.get(f"/imports/map/{token}/")
    assert editor.status_code == 200
    assert "Lead Source" in editor.content.decode()
    # The portal's column names (first_contacted_at…) are explained where the file kind is documented.
    assert '<a href="/imports/#kind-leads" target="_blank" rel="noopener">what each one holds</a>' in editor.content.decode()

    # The live preview (HTMX): canonical rows with the values mapped.
    preview = staff_http.post(f"/imports/map/{token}/", form(), HTTP_HX_REQUEST="true")
    assert preview.status_code == 200
    part = preview.content.decode()
    assert "<html" not in part and 'id="map-preview-rows"' in part
    assert "Mar 4, 2026, 9:30 a.m. CET" in part and "paid_search" in part and "1,200,000.50" in part
    assert "bad-row" not in part
    assert "Grand Totals" not in part and "Confidential" not in part

    saved = staff_http.post(f"/imports/map/{token}/", form(action="save", name="Salesforce leads"))
    assert saved.status_code == 302 and f"/imports/detected/{token}/?mapping=" in saved.url
    connection.set_tenant(tenant_a)
    mapping = SavedMapping.objects.get()
    assert mapping.kind == "leads" and mapping.spec["columns"]["channel"]["values"]["Google / CPC"] == "paid_search"
    connection.set_schema_to_public()

    detected = staff_http.get(saved.url).content.decode()
    assert "Saved mapping: Salesforce leads" in detected and "3 rows" in detected
    with django_capture_on_commit_callbacks(execute=False):
        job_response = staff_http.post(saved.url)
    job_id = int(job_response.url.rstrip("/").rsplit("/", 1)[1])
    connection.set_tenant(tenant_a)
    import_run.apply(kwargs={"client_slug": tenant_a.slug, "job_id": job_id})
    assert sorted(Lead.objects.values_list("id", "channel")) == [
        ("00Q1", "paid_search"), ("00Q2", "email"), ("00Q3", "organic_search")]
    connection.set_schema_to_public()

    # A later file with the same header (another column order) is recognized by the mapping.
    again = upload(staff_http, HEADER_ONLY_OTHER_ROWS, "march-2.csv")
    page = staff_http.get(again.url).content.decode()
    assert "Saved mapping: Salesforce leads" in page and "1 row" in page


def test_a_required_column_left_unmapped_is_refused(staff_http, tenant_a) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    response = staff_http.post(f"/imports/map/{token}/", form(action="save", name="Broken", src_created_at=""))
    assert response.status_code == 422
    assert "the required column “Creation date” is not mapped" in response.content.decode()
    spanish = staff_http.post(f"/imports/map/{token}/", form(src_created_at=""), HTTP_HX_REQUEST="true",
                              HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "la columna obligatoria «Fecha de creación» no está asignada" in spanish and "created_at no" not in spanish
    connection.set_tenant(tenant_a)
    assert not SavedMapping.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "bad_text"),
    [
        ({"decimal": "."}, "not a number"),  # Spanish numbers read with English decimals
        ({"date_format": "%Y-%m-%d"}, "not a date"),  # the wrong date format
        ({"vmap_channel_0": ""}, "Google / CPC"),  # a value left as written, not a channel
        ({"src_employees": "col:3"}, "not a number"),  # an email where a count goes
    ],
    ids=["decimal", "date", "vocabulary", "count"],
)
def test_the_preview_names_each_bad_cell(staff_http, overrides, bad_text) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(**overrides), HTTP_HX_REQUEST="true").content.decode()
    assert "bad-row" in part and bad_text in part


def test_a_fixed_value_outside_the_vocabulary_is_an_error(staff_http, tenant_a) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(src_channel="fixed", fixed_channel="television"),
                           HTTP_HX_REQUEST="true").content.decode()
    assert "bad-cell" in part and "television" in part
    # Beside the menu, shown as it was given, with what to do.
    assert '<option value="television" selected>television</option>' in part
    assert '<small class="field-error" id="fixed-channel-error">“television” is not a value of Channel: choose one' in part
    spanish = staff_http.post(f"/imports/map/{token}/", form(src_channel="fixed", fixed_channel="television"),
                              HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "«television» no es un valor de Canal: elige uno del menú." in html.unescape(spanish)
    # Saving is refused: every row of every file would be.
    saved = staff_http.post(f"/imports/map/{token}/", form(action="save", name="TV", src_channel="fixed",
                                                             fixed_channel="television"))
    assert saved.status_code == 422 and "is not a value of Channel" in html.unescape(saved.content.decode())
    connection.set_tenant(tenant_a)
    assert not SavedMapping.objects.exists()


@pytest.mark.parametrize(("language", "words"), [
    ("en", {"paid_search": "Paid search", "organic_social": "Organic social"}),
    ("es", {"paid_search": "Búsqueda de pago", "organic_social": "Redes sociales orgánicas"}),
])
def test_a_vocabulary_columns_fixed_value_is_chosen_in_words_a_free_columns_typed(
    staff_http, tenant_a, language, words
) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(src_channel="fixed", fixed_channel="paid_search"),
                           HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    menu = re.search(r'<select name="fixed_channel" id="fixed-channel"[^>]*>(.*?)</select>', part, re.S)
    assert menu, "the channel's fixed value is a menu"
    assert f'<option value="paid_search" selected>{words["paid_search"]}</option>' in menu.group(1)
    assert f'<option value="organic_social">{words["organic_social"]}</option>' in menu.group(1)
    assert ">paid_search<" not in menu.group(1)  # the codes are the options' values, never their words
    assert 'field-error" id="fixed-channel-error' not in part
    assert re.search(r'<input type="text" name="fixed_email"', part)  # a free column is typed
    preview = part[part.index('id="map-preview-rows"'):]
    assert preview.count(f'{words["paid_search"]}<small class="value-code"><code>paid_search</code>') == 3
    # Saved, then opened again: the stored code is chosen in the menu.
    saved = staff_http.post(f"/imports/map/{token}/", form(action="save", name="All paid", src_channel="fixed",
                                                             fixed_channel="paid_search"))
    assert saved.status_code == 302
    connection.set_tenant(tenant_a)
    mapping = SavedMapping.objects.get()
    assert mapping.spec["columns"]["channel"] == {"value": "paid_search"}
    connection.set_schema_to_public()
    again = staff_http.get(f"/imports/map/{token}/?mapping={mapping.pk}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<option value="paid_search" selected>{words["paid_search"]}</option>' in again


def test_a_saved_mapping_with_a_fixed_value_typed_before_the_menu_keeps_working(staff_http, tenant_a) -> None:
    """Mappings saved when the value was typed hold the code: opened, the menu has it chosen; imported, it is read."""
    token = token_of(upload(staff_http, SALESFORCE).url)
    connection.set_tenant(tenant_a)
    spec = {"kind": "leads", "date_format": "%d/%m/%Y", "time_format": "%d/%m/%Y %H:%M", "decimal": ",",
            "columns": {"id": {"column": "Lead ID"}, "created_at": {"column": "Created Date"},
                        "channel": {"value": "email"}, "origin": {"value": "sales"}}}
    header = SALESFORCE.splitlines()[0].split(",")
    mapping = SavedMapping.objects.create(name="Old", kind="leads", header=header, header_signature="x",
                                          spec={**spec, "name": "Old", "header": header})
    connection.set_schema_to_public()
    page = staff_http.get(f"/imports/map/{token}/?mapping={mapping.pk}").content.decode()
    assert '<option value="email" selected>Email</option>' in page and '<option value="sales" selected>Sales</option>' in page
    assert "field-error" not in page[page.index('id="map-columns"'):page.index('id="map-preview"')]
    detected = staff_http.get(f"/imports/detected/{token}/?mapping={mapping.pk}").content.decode()
    assert "3 rows" in detected and "bad-row" not in detected


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the mapping a name"), ("x" * 101, "At most 100 characters")],
)
def test_a_mapping_needs_a_usable_name(staff_http, tenant_a, name, message) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    response = staff_http.post(f"/imports/map/{token}/", form(action="save", name=name))
    assert response.status_code == 422 and message in response.content.decode()
    connection.set_tenant(tenant_a)
    assert not SavedMapping.objects.exists()


def test_two_mappings_cannot_share_a_name(staff_http, tenant_a) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    assert staff_http.post(f"/imports/map/{token}/", form(action="save", name="SF")).status_code == 302
    token = token_of(upload(staff_http, SALESFORCE).url)
    response = staff_http.post(f"/imports/map/{token}/", form(action="save", name="SF"))
    assert response.status_code == 422 and "Another saved mapping has this name" in response.content.decode()


def test_a_file_without_a_header_line_cannot_be_mapped(staff_http) -> None:
    token = token_of(upload(staff_http, "just one column\nand another line\n").url)
    response = staff_http.get(f"/imports/map/{token}/")
    assert response.status_code == 422 and "no header line" in response.content.decode()


def _saved(client, name="SF leads") -> SavedMapping:
    connection.set_tenant(client)
    mapping = SavedMapping.objects.create(name=name, kind="leads", header=["Lead ID", "Created Date"], header_signature="x",
                                          spec={"kind": "leads", "columns": {"id": {"column": "Lead ID"},
                                                                             "created_at": {"column": "Created Date"}}})
    connection.set_schema_to_public()
    return mapping


def test_staff_copy_a_mapping_only_to_clients_they_manage(staff_a, staff_ab, tenant_a, tenant_b) -> None:
    mapping = _saved(tenant_a)
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)  # assigned to alpha only
    page = http.get(f"/mappings/{mapping.pk}/copy/").content.decode()
    assert "You manage no other client" in page
    refused = http.post(f"/mappings/{mapping.pk}/copy/", {"clients": [str(tenant_b.pk)]})
    assert refused.status_code == 422 and "You may not manage Beta Brands" in refused.content.decode()
    connection.set_tenant(tenant_b)
    assert not SavedMapping.objects.exists()
    connection.set_schema_to_public()

    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_ab)
    assert "Beta Brands" in http.get(f"/mappings/{mapping.pk}/copy/").content.decode()
    assert http.post(f"/mappings/{mapping.pk}/copy/", {"clients": [str(tenant_b.pk)]}).status_code == 302
    connection.set_tenant(tenant_b)
    copied = SavedMapping.objects.get()
    assert copied.name == "SF leads" and copied.spec == mapping.spec
    connection.set_schema_to_public()
    # Copying again clashes with the name now there: refused, nothing changed.
    again = http.post(f"/mappings/{mapping.pk}/copy/", {"clients": [str(tenant_b.pk)]})
    assert again.status_code == 422 and "already has a mapping named" in again.content.decode()


def test_client_users_see_no_mapping_screen(client_user_a, tenant_a) -> None:
    mapping = _saved(tenant_a)
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(client_user_a)
    assert http.get("/mappings/").status_code == 404
    assert http.post(f"/mappings/{mapping.pk}/copy/", {"clients": ["1"]}).status_code == 404


def test_the_editor_starts_with_the_decimal_mark_the_files_numbers_use(staff_http) -> None:
    """Salesforce's Spanish export writes 1.200.000,50: the editor starts on "comma for decimals"."""
    token = token_of(upload(staff_http, SALESFORCE).url)
    editor = staff_http.get(f"/imports/map/{token}/").content.decode()
    assert re.search(r'<option value=","\s+selected', editor), re.findall(r"<option value=\"[.,]\"[^>]*>", editor)
    english = "Lead ID,Lead Source,Created Date,Email,Employees,Annual Revenue\n00Q1,Web,04/03/2026 09:30,a@b.c,250,1200000.50\n"
    token = token_of(upload(staff_http, english).url)
    editor = staff_http.get(f"/imports/map/{token}/").content.decode()
    assert re.search(r'<option value="\."\s+selected', editor), re.findall(r"<option value=\"[.,]\"[^>]*>", editor)


@pytest.mark.parametrize(("language", "names", "value"), [
    ("en", {"campaign": "Campaign", "first_contacted_at": "First contacted", "created_at": "Creation date",
            "id": "Lead ID"}, "Paid search"),
    ("es", {"campaign": "Campaña", "first_contacted_at": "Primer contacto", "created_at": "Fecha de creación",
            "id": "ID del lead"}, "Búsqueda de pago"),
])
def test_the_editor_names_the_portals_columns_and_values_in_words_the_code_only_beneath(
    staff_http, language, names, value
) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(), HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for code, name in names.items():
        # The name is what the row reads; the code follows, small, for the kind's reference.
        assert re.search(rf'<label for="src-{code}">{name}</label>.*?<small class="column-code"><code>{code}</code>',
                         part), code
        assert f"<th scope=\"col\">{name}</th>" in part or code not in ("id", "created_at")  # the preview's head
    head = re.search(r'<table class="data preview fits" id="map-preview-rows">\s*<thead>(.*?)</thead>', part, re.S)
    assert "_" not in head.group(1)  # no column code (created_at…) in the preview's head
    # The value table's menu says what a value means, not its code.
    assert f'<option value="paid_search" selected>{value}</option>' in part
    columns = part[part.index('id="map-columns"'):part.index('id="map-preview"')]
    assert ">paid_search<" not in columns and ">organic_search<" not in columns


@pytest.mark.parametrize(("language", "advice"), [
    ("en", "Choose what it means in the column's table of values, above."),
    ("es", "Elige qué significa en la tabla de valores de la columna, arriba."),
])
def test_a_value_of_the_file_left_as_written_says_where_to_give_its_meaning(staff_http, language, advice) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(vmap_channel_0=""), HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE=language).content.decode()
    preview = html.unescape(part[part.index('id="map-preview"'):])
    assert "bad-cell" in preview and advice in preview
    assert "organic_search, paid_search" not in preview  # not the codes a portal file must write


@pytest.mark.parametrize(("language", "paid_search", "email"), [
    ("en", "Paid search", "Email"), ("es", "Búsqueda de pago", "Correo electrónico"),
])
def test_the_preview_rows_show_a_vocabularys_values_in_words_the_code_beneath(
    staff_http, language, paid_search, email
) -> None:
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(), HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE=language).content.decode()
    preview = part[part.index('id="map-preview-rows"'):]
    assert f'<td>{paid_search}<small class="value-code"><code>paid_search</code></small></td>' in preview
    assert re.search(f'<td( class="nowrap")?>{email}<small class="value-code"><code>email</code></small></td>', preview)
    assert "<td>ana@<wbr>example.com</td>" in preview  # a free column as written (wrapping after its @)
    assert ">paid_search</td>" not in preview  # the code alone nowhere
    # A value left as written is shown as the file writes it, with its error, not in words.
    left = staff_http.post(f"/imports/map/{token}/", form(vmap_channel_0=""), HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert re.search(r'<td class="bad-cell">Google / CPC<br>', left[left.index('id="map-preview-rows"'):])


def test_a_fixed_value_chosen_as_the_source_stays_chosen_until_its_value_is(staff_http) -> None:
    """The form is swapped on every change: "a fixed value →" chosen first must still be chosen when
    the person then picks the value, or the value would be ignored."""
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = staff_http.post(f"/imports/map/{token}/", form(src_channel="fixed", fixed_channel=""),
                           HTTP_HX_REQUEST="true").content.decode()
    source = re.search(r'<select id="src-channel" name="src_channel">(.*?)</select>', part, re.S).group(1)
    assert '<option value="fixed" selected>' in source
    assert 'field-error" id="fixed-channel-error' not in part  # nothing chosen yet is no error


@pytest.mark.parametrize(("language", "revenue", "created"), [
    ("en", "1,200,000.50", "Mar 4, 2026, 9:30 a.m. CET"),
    ("es", "1\xa0200\xa0000,50", "4 mar 2026, 09:30 CET"),
    ("es-mx", "1,200,000.50", "4 mar 2026, 09:30 CET"),
])
def test_the_live_preview_writes_and_aligns_its_rows_as_the_import_previews_do(
    staff_http, language, revenue, created
) -> None:
    """The mapping editor's preview read 1200000.50 and 2026-03-04T09:30:00, left-aligned, beside import
    previews writing 1,200,000.50 (1 200 000,50 in Spain) right-aligned: now one rule (clients.sources.files)."""
    token = token_of(upload(staff_http, SALESFORCE.replace("00Q1,", "lead-2026-11-a,")).url)
    part = html.unescape(staff_http.post(f"/imports/map/{token}/", form(), HTTP_HX_REQUEST="true",
                                         HTTP_ACCEPT_LANGUAGE=language).content.decode())
    preview = part[part.index('id="map-preview-rows"'):]
    heads = dict((name, cls) for cls, name in re.findall(r'<th scope="col"( class="num")?>([^<]+)</th>', preview))
    assert heads[column_name("leads", "company_revenue", language)] == ' class="num"'
    assert heads[column_name("leads", "employees", language)] == ' class="num"'
    assert heads[column_name("leads", "id", language)] == ""  # text stays left
    assert re.search(rf'<td class="num">{revenue}</td>', preview), preview
    assert re.search(r'<td class="nowrap num">250</td>', preview)
    assert '<td class="nowrap">lead-2026-11-a</td>' in preview  # an id never split at its hyphens
    # The date the reader's way, the file's own cell beneath: the read the date format chose, checkable.
    assert f'<td>{created}<small class="value-code" title="' in preview
    assert re.search(rf"<td>{created}<small[^>]*><code>04/03/2026 09:30</code></small></td>", preview)
    assert "1200000" not in preview and "T09:30" not in preview


@pytest.mark.parametrize(("language", "line"), [
    ("en", "Line 2, Creation date “04/03/2026 09:30”: not a date in the form YYYY-MM-DD HH:MM / "
           "YYYY-MM-DD HH:MM:SS / YYYY-MM-DDTHH:MM:SS / YYYY-MM-DD"),  # each form once, no "%S", no "or"
    # the year in Spanish letters in Spanish, as the other date messages write it
    ("es", "Línea 2, Fecha de creación «04/03/2026 09:30»: no es una fecha con la forma AAAA-MM-DD HH:MM / "),
])
def test_a_bad_cell_shows_the_files_value_and_is_listed_for_a_phone_as_the_import_previews_do(
    staff_http, language, line
) -> None:
    """A date read with the wrong format left its cell blank beside "not a date"; on a phone, where the preview
    scrolls, the reason at its right edge was out of sight: the value as the file writes it, and the list of
    bad cells under the table (clients/imports/preview_problems.html), each column by its name."""
    token = token_of(upload(staff_http, SALESFORCE).url)
    part = html.unescape(staff_http.post(f"/imports/map/{token}/", form(date_format="%Y-%m-%d"), HTTP_HX_REQUEST="true",
                                         HTTP_ACCEPT_LANGUAGE=language).content.decode())
    preview = part[part.index('id="map-preview-rows"'):]
    assert re.search(r'<td class="bad-cell">04/03/2026 09:30<br><small class="field-error">', preview), preview[:2000]
    problems = preview[preview.index('class="preview-problems"'):]
    assert line in re.sub(r"\s+", " ", problems), problems[:600]
