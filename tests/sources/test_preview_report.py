"""The detection page a person checks: the file's totals and dates, amounts rounded for reading, every column
as used or ignored, values outside a table with their counts, and the form that maps them for this client."""

from __future__ import annotations

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from clients.models import Job, SavedMapping
from clients.tasks import import_run


def _upload(http, name, content):
    response = http.post("/imports/", {"kind": "", "file": SimpleUploadedFile(name, content, "text/csv")})
    assert response.status_code == 302 and "/imports/detected/" in response.url
    return response.url


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_a_meta_preview_shows_totals_and_rounded_amounts(staff_http, fixture_path, ecb_rates):
    url = _upload(staff_http, "meta.csv", fixture_path("meta_ads_en.csv").read_bytes())
    page = staff_http.get(url).content.decode()
    text = _text(page)
    assert "Spend in USD 300.00 USD" in text
    assert "Spend converted into EUR 276.94 EUR" in text  # 100 ÷ 1.07 + 200 ÷ 1.09
    assert "Dates Mar 1, 2026 … Mar 2, 2026" in text
    # The preview rows: a converted amount in cents, the rate (EUR per USD) to 6 decimals.
    assert re.search(r"<td[^>]*>93.46</td>", page) and re.search(r"<td[^>]*>0.934579</td>", page)
    assert not re.search(r"\d\.\d{7,}", text)  # no long decimals anywhere on the page


def test_a_hubspot_preview_lists_ignored_columns_and_unknown_values_and_maps_them(staff_http, tenant_a, fixture_path):
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    page = staff_http.get(url).content.decode()
    text = _text(page)
    assert "Contacts 6" in text and "Deal value of customers 27,500.5" in text
    assert "1 customer has neither a recent deal amount nor a total revenue: its revenue counts as 0." in text
    # The portal's columns by their names ("Channel"), not their codes ("channel").
    assert "Original Traffic Source Channel" in text and "Lifecycle Stage ignored" in text.replace(
        'Lifecycle Stage What Lifecycle Stage gives ignored', "Lifecycle Stage ignored")
    assert "Values of Channel the source does not know (imported as “Other”)" in text and "Social Video 1" in text
    assert '<option value="organic_social">Organic social</option>' in page  # the meanings in words
    # Map the unknown value and an ignored column for this client.
    header = re.findall(r'<td>([^<]+)</td>\s*<td[^>]*><label class="visually-hidden" for="use-(\d+)"', page)
    index = dict(header)["Original Traffic Source Drill-Down 1"]
    response = staff_http.post(url, {"action": "extend", "value_channel_0": "Social Video",
                                     "means_channel_0": "organic_social", f"use_{index}": "landing_page"})
    assert response.status_code == 302
    again = _text(staff_http.get(url).content.decode())
    assert "Social Video" not in again and "Original Traffic Source Drill-Down 1 Landing page" in again
    connection.set_tenant(tenant_a)
    [extension] = SavedMapping.objects.all()
    assert extension.spec["extends"] == "hubspot_contacts"
    assert extension.spec["columns"]["channel"]["values"] == {"Social Video": "organic_social"}


def test_a_renamed_column_is_named_and_mappable_on_the_page(staff_http, write_file):
    content = (b"Day,Campaign,Campaign ID,Currency code,Cost (account currency)\n"
               b"2026-03-01,Brand Search,111,EUR,12.5\n")
    url = _upload(staff_http, "ads.csv", content)
    text = _text(staff_http.get(url).content.decode())
    assert "Detected: Google Ads campaign report" in text
    assert "no column gives Amount (looked for Cost / Coste / Costo)" in text
    assert "Import the whole file" not in text
    response = staff_http.post(url, {"action": "extend", "use_4": "amount"})
    assert response.status_code == 302
    text = _text(staff_http.get(url).content.decode())
    assert "Import the whole file" in text and "Spend in EUR 12.50 EUR" in text


def test_a_recognized_file_can_be_remapped_in_the_editor(staff_http, fixture_path):
    url = _upload(staff_http, "ga4.csv", fixture_path("ga4_traffic_primary.csv").read_bytes())
    page = staff_http.get(url).content.decode()
    remap = re.search(r'id="remap" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    editor = staff_http.get(remap).content.decode()
    assert 'value="traffic" selected' in editor
    # The source's rules are where the editor starts: Sessions gives sessions, the days read as YYYYMMDD.
    assert re.search(r'name="src_sessions">.*?<option value="col:2" selected>Sessions', editor, re.S)
    response = staff_http.post(remap, {
        "kind": "traffic", "previous_kind": "traffic", "src_date": "col:1", "src_channel": "col:0", "src_sessions": "col:2",
        "src_bounced_sessions": "col:2", "date_format": "%Y%m%d", "decimal": ".", "name": "GA4 by hand",
        "action": "save"})
    assert response.status_code == 302 and "?mapping=" in response.url
    text = _text(staff_http.get(response.url).content.decode())
    assert "Saved mapping: GA4 by hand" in text
    # bounced_sessions kept the source's "minus Engaged sessions": 1,800 − 1,100 on the first row.
    assert "1,800 700" in text  # the sessions written as the totals write numbers


def test_the_import_summary_says_what_the_file_lacked_and_did_not_know(staff_http, tenant_a, fixture_path,
                                                                        django_capture_on_commit_callbacks):
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    with django_capture_on_commit_callbacks(execute=False):
        staff_http.post(url)
    connection.set_tenant(tenant_a)
    job = Job.objects.get()
    import_run.apply(kwargs={"client_slug": tenant_a.slug, "job_id": job.id})
    connection.set_schema_to_public()
    text = _text(staff_http.get(f"/imports/jobs/{job.id}/").content.decode())
    assert "Done: 6 rows read, 6 added" in text
    assert "Values of Channel the source does not know (imported as “Other”): Social Video (1)" in text
    assert "1 customer has neither a recent deal amount nor a total revenue: its revenue counts as 0." in text


def test_the_saved_mappings_list_says_what_this_clients_additions_add(staff_http, fixture_path):
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    staff_http.post(url, {"action": "extend", "value_channel_0": "Social Video", "means_channel_0": "organic_social"})
    text = _text(staff_http.get(reverse("mapping_list")).content.decode())
    assert "HubSpot contacts export: this client's additions" in text
    assert "Adds to every HubSpot contacts export of this client: Channel: Social Video → Organic social" in text


def test_a_sources_preview_names_the_portals_columns_in_spanish(staff_http, fixture_path):
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    page = staff_http.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    text = _text(page)
    head = re.search(r'id="detected-preview">\s*<thead>(.*?)</thead>', page, re.S).group(1)
    assert "Fecha de creación" in head and "created_at" not in head and "_" not in head
    assert "Original Traffic Source Canal" in text
    assert "Valores de Canal que la fuente no conoce (importados como «Otros»)" in text
    assert '<option value="organic_social">Redes sociales orgánicas</option>' in page
    assert re.search(r'<option value="landing_page">Landing page</option>', page)


def test_the_saved_mappings_list_names_kinds_columns_and_values_in_spanish(staff_http, fixture_path):
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    staff_http.post(url, {"action": "extend", "value_channel_0": "Social Video", "means_channel_0": "organic_social"})
    page = staff_http.get(reverse("mapping_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'data-label="Tipo">Leads</td>' in page and ">leads</td>" not in page  # the kind in words
    assert "Canal: Social Video → Redes sociales orgánicas" in html.unescape(page)


@pytest.mark.parametrize(("language", "day"), [("en", "Mar 1, 2026"), ("es", "1 mar 2026")])
def test_a_platform_exports_preview_writes_its_dates_as_the_portal_format_preview_does(
    staff_http, fixture_path, language, day
):
    """Its rows read "2026-03-01" where the portal-format preview, the same page's date-times and every other
    page write the reader's way ("1 mar 2026"): one form, the template's DATE_FORMAT."""
    url = _upload(staff_http, "google.csv", fixture_path("google_ads_en.csv").read_bytes())
    page = staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rows = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    assert re.search(rf"<td[^>]*>{day}</td>", rows), rows
    assert "2026-03-01</td>" not in rows
    totals = _text(page[page.index('id="file-totals"'):page.index("</dl>", page.index('id="file-totals"'))])
    assert day in totals and "2026-03-01" not in totals


@pytest.mark.parametrize(("language", "media"), [("en", "Media"), ("es", "Medios")])
def test_the_rows_of_a_platform_export_show_a_vocabularys_values_in_words_the_code_beneath(
    staff_http, fixture_path, language, media
):
    url = _upload(staff_http, "google.csv", fixture_path("google_ads_en.csv").read_bytes())
    page = staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rows = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    assert re.search(rf'<td[^>]*>{media}<small class="value-code"><code>media</code></small></td>', rows)
    assert re.search(r'<td[^>]*>Google Ads<small class="value-code"><code>google_ads</code></small></td>', rows)
    assert re.search(r"<td[^>]*>222</td>", rows)  # a campaign ID as written
    assert not re.search(r"<td[^>]*>(media|google_ads)</td>", rows)


@pytest.mark.parametrize(("language", "every", "counted"), [
    ("en", "Every column of the file is used.", "columns are not used"),
    ("es", "Se usan todas las columnas del archivo.", "columnas no se usan"),
])
def test_a_preview_whose_columns_are_all_used_says_so_not_zero_columns_unused(
    staff_http, fixture_path, language, every, counted
):
    url = _upload(staff_http, "google.csv", fixture_path("google_ads_en.csv").read_bytes())
    page = staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    summary = _text(re.search(r'<p id="file-columns-summary">(.*?)</p>', page, re.S).group(1)).strip()
    assert summary == every  # not "0 columns are not used. … choose what they give"
    assert counted not in _text(page) and 'id="save-additions"' not in page
    # A file with columns left over still counts them.
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    text = _text(staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert re.search(rf"\b[1-9]\d* {counted}\.", text) and every not in text


@pytest.mark.parametrize(("language", "created"), [
    ("en", "Mar 2, 2026, 10 a.m. CET"),
    ("es", "2 mar 2026, 10:00 CET"),
])
def test_a_platform_exports_rows_show_date_times_in_the_clients_zone_with_the_zone_named(
    staff_http, fixture_path, language, created
):
    """HubSpot's Create Date 2026-03-02 10:00 is the client's (Madrid) time: the preview writes it as the
    portal-format preview writes a moment, not the file's 2026-03-02 10:00."""
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    page = staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    rows = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    rows = _text(rows)
    assert created in rows, rows
    assert "2026-03-02 10:00" not in rows and not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows)


@pytest.mark.parametrize(("language", "deal", "revenue", "employees", "total"), [
    ("en", "18,000.50", "12,500,000.50", "1,200", "27,500.50"),
    ("es", "18\xa0000,50", "12\xa0500\xa0000,50", "1\xa0200", "27\xa0500,50"),
    ("es-mx", "18,000.50", "12,500,000.50", "1,200", "27,500.50"),
])
def test_a_platform_exports_rows_write_numbers_as_its_totals_do_in_the_readers_language(
    staff_http, fixture_path, language, deal, revenue, employees, total
):
    """Bob's Recent Deal Amount 18,000.50 reads 18 000,50 in Spain (decimal comma, as the file's totals above
    it), 18,000.50 in Mexico and in English, not the stored 18000.50 beside a total written 27 500,50."""
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    page = html.unescape(staff_http.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    totals = page[page.index('id="file-totals"'):page.index("</section>", page.index('id="file-totals"'))]
    assert re.search(rf"<dd>\s*{total}\s*</dd>", totals), totals  # the totals' own way, which the rows follow
    rows = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", rows)
    assert deal in cells and revenue in cells and employees in cells, cells
    assert "18000.50" not in cells and "12500000.50" not in cells and "1200" not in cells


def test_a_platform_exports_preview_aligns_its_numbers_right_and_lets_an_address_wrap_after_its_at(
    staff_http, fixture_path
):
    """Amounts and counts right-aligned under a right-aligned head (class num, as every other table); an
    email address may wrap after its @, not inside a word ("ann@example .com")."""
    url = _upload(staff_http, "contacts.csv", fixture_path("hubspot_contacts_2026.csv").read_bytes())
    page = html.unescape(staff_http.get(url).content.decode())
    table = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    assert '<th scope="col" class="num">Employees</th>' in table
    assert re.search(r'<td class="(nowrap )?num">18,000.50</td>', table), table
    assert re.search(r'<td class="(nowrap )?num">1,200</td>', table)
    assert "<td>ann@<wbr>example.com</td>" in table
    assert not re.search(r'class="[^"]*num[^"]*">[^<]*@', table)  # text columns stay left


def test_a_platform_exports_preview_never_splits_an_id_at_its_hyphens(staff_http, fixture_path, ecb_rates):
    """A row's id and the campaign it names are codes read as one word ("meta_ads:2026-03-01:6001", not
    "meta_ads:2026-" / "03-01:6001"): their cells never wrap; a table too wide for them scrolls in its box."""
    url = _upload(staff_http, "meta.csv", fixture_path("meta_ads_en.csv").read_bytes())
    page = html.unescape(staff_http.get(url).content.decode())
    table = page[page.index('id="detected-preview"'):page.index("</table>", page.index('id="detected-preview"'))]
    ids = re.findall(r'<td( class="[^"]*")?>(meta_ads:2026-[^<]*)</td>', table)
    assert ids and all("nowrap" in classes for classes, _id in ids), ids


def test_the_detected_line_in_spanish_writes_the_files_language_lower_case_and_keeps_dates_whole(
    staff_http, fixture_path, ecb_rates
):
    """"Exportación … de Meta (inglés)", not "(Inglés)" (the language menu's capital is a label's, not a
    sentence's); a date, and "Leído como UTF-8", never split across lines on a phone ("1 de marzo" / "de 2026")."""
    url = _upload(staff_http, "meta.csv", fixture_path("meta_ads_en.csv").read_bytes())
    page = html.unescape(staff_http.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    detected = page[page.index('id="detected"'):page.index("</p>", page.index('id="detected"'))]
    assert "(inglés)" in detected and "Inglés" not in detected
    assert '<span class="nowrap">1 mar 2026</span> … <span class="nowrap">2 mar 2026</span>' in detected
    assert '<span class="nowrap">Leído como UTF-8.</span>' in page
    english = html.unescape(staff_http.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Meta Ads Manager export (English)" in english
