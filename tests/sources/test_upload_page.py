"""The upload page's one detection path, as the core uses it: a platform export is detected, previewed as
canonical rows and imported by a job; a file no source reads names the sources compared."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from clients.models import Job, Spend
from clients.tasks import import_run


def test_a_source_file_uploaded_is_detected_and_imported(staff_http, tenant_a, fixture_path,
                                                         django_capture_on_commit_callbacks):
    content = fixture_path("google_ads_es_utf16.csv").read_bytes()
    # "Detect it from the file" (the kind left empty) is the upload form's one path for a platform export.
    response = staff_http.post("/imports/", {"kind": "", "file": SimpleUploadedFile("informe.csv", content, "text/csv")})
    assert response.status_code == 302 and "/imports/detected/" in response.url
    preview = staff_http.get(response.url).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview))
    assert "Google Ads campaign report (English" not in text
    assert "Detected: Google Ads campaign report (Spanish)" in text and "UTF-16" in text
    assert "google_ads:2026-03-01:333" in preview and "8,651.95" in preview  # grouped, as the totals write it
    with django_capture_on_commit_callbacks(execute=False):
        response = staff_http.post(response.url)
    connection.set_tenant(tenant_a)
    job = Job.objects.get()
    import_run.apply(kwargs={"client_slug": tenant_a.slug, "job_id": job.id})
    job.refresh_from_db()
    assert job.params["source"] == "google_ads" and job.result["ok"] and job.result["source"] == "google_ads"
    assert job.result["inserted"] == 3 and Spend.objects.count() == 3
    connection.set_schema_to_public()
    page = staff_http.get(f"/imports/jobs/{job.id}/").content.decode()
    assert "3 added" in page


def test_an_unrecognized_file_names_the_sources_compared(staff_http):
    response = staff_http.post("/imports/", {"kind": "", "file": SimpleUploadedFile(
        "deals.csv", b"Deal - ID,Deal - Title\n1,Big\n", "text/csv")})
    assert "/imports/detected/" in response.url
    preview = staff_http.get(response.url).content.decode()
    assert "no source recognizes this file" in preview and "HubSpot contacts export" in preview
    assert "(hubspot_contacts)" not in preview  # the sources in words, not their slugs
    spanish = staff_http.get(response.url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "ninguna fuente reconoce la cabecera" in spanish and "los tipos de archivo propios del portal" in spanish


def test_the_recognized_reports_name_their_kind_in_words(staff_http) -> None:
    """"Google Ads campaign report → Spend (spend)", "Inversión (spend)" in Spanish, as the portal's own
    file types are listed: not the bare code on a Spanish page."""
    from html import unescape

    english = unescape(staff_http.get("/imports/").content.decode())
    assert "Google Ads campaign report → Spend (spend)</summary>" in english
    spanish = unescape(staff_http.get("/imports/", HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Informe de campañas de Google Ads → Inversión (spend)</summary>" in spanish
    assert "→ spend</summary>" not in spanish and "→ traffic</summary>" not in spanish
