"""The upload screen for people: drop a platform's export, see what was detected, import it, see the rate
used for converted spend; the reference of kinds and sources on the page."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from django.db import connection

from clients.models import Campaign, Job, Spend
from clients.tasks import import_run
from tests.clients.conftest import upload

# A Google Ads campaign report downloaded with the Spanish interface (Windows-1252, semicolons):
# title line, date range, header, rows with decimal commas, total rows (docs/sources.md).
GOOGLE_ADS_ES = (
    "Informe de campañas\n"
    "1 mar 2026 - 2 mar 2026\n"
    "Día;ID de campaña;Campaña;Coste;Impr.;Clics\n"
    '2026-03-01;701;Marca;"1.234,50";10;1\n'
    "2026-03-01;702;Genérica;80,25;10;1\n"
    "2026-03-01;703;Competencia;10,00;10;1\n"
    "2026-03-02;701;Marca;99,00;10;1\n"
    "2026-03-02;702;Genérica;0,75;10;1\n"
    "2026-03-02;703;Competencia;5,50;10;1\n"
    "Total: Cuenta;;;1.430,00;60;6\n"
).encode("cp1252")
# A Meta Ads Manager export in US dollars, the account total first with an empty campaign name.
META_USD = (
    b"Reporting starts,Reporting ends,Campaign name,Campaign ID,Day,Amount spent (USD),Impressions\n"
    b"2026-03-02,2026-03-03,,,,324.00,3\n"
    b"2026-03-02,2026-03-03,Lookalike,9001,2026-03-02,108.00,1\n"
    b"2026-03-02,2026-03-03,Lookalike,9001,2026-03-03,216.00,2\n"
)
RATES = b"Date,USD,GBP,\n2026-03-03,1.0800,0.8500,\n2026-03-02,1.2000,0.8600,\n"


def import_confirmed(http, url, tenant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = http.post(url)
    assert response.status_code == 302
    job_id = int(re.search(r"/jobs/(\d+)/", response.url).group(1))
    connection.set_tenant(tenant)
    import_run.apply(kwargs={"client_slug": tenant.slug, "job_id": job_id})
    connection.set_schema_to_public()
    return job_id


def _unspanned(page: str) -> str:
    """The page without its inline spans (a date kept whole on a phone), which a browser draws without a space."""
    return re.sub(r"</?span[^>]*>", "", page)


def test_a_spanish_google_ads_report_is_detected_previewed_and_imported(
    staff_http, tenant_a, django_capture_on_commit_callbacks
) -> None:
    response = upload(staff_http, GOOGLE_ADS_ES, "informe.csv")
    assert response.status_code == 302 and "/imports/detected/" in response.url
    page = staff_http.get(response.url)
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _unspanned(page.content.decode())))
    assert ("Detected: Google Ads campaign report (Spanish), 6 rows, Mar 1, 2026 … Mar 2, 2026, 3 new campaigns."
            in text)
    assert "Campaigns it creates: Marca, Genérica, Competencia" in text  # names, not the platform's ids
    assert "Windows-1252" in text and 'id="detected-preview"' in page.content.decode()
    assert "1,234.50" in text  # the preview shows the canonical amount, written as the totals write it
    connection.set_tenant(tenant_a)
    assert not Campaign.objects.exists()  # nothing written by the preview
    connection.set_schema_to_public()

    job_id = import_confirmed(staff_http, response.url, tenant_a, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    assert sorted(Campaign.objects.values_list("id", "channel")) == [
        ("701", "paid_search"), ("702", "paid_search"), ("703", "paid_search")]
    assert Spend.objects.count() == 6 and sum(s.amount for s in Spend.objects.all()) == Decimal("1430.00")
    job = Job.objects.get(pk=job_id)
    assert job.status == "done" and job.result["ok"] and job.params["source"] == "google_ads"
    connection.set_schema_to_public()
    done = staff_http.get(f"/imports/jobs/{job_id}/").content.decode()
    assert "Done: 6 rows read" in done
    # The next steps after an import: the set-up checklist, the scorecard, another file.
    next_steps = re.search(r'<nav[^>]*id="import-next".*?</nav>', done, re.S).group(0)
    assert all(href in next_steps for href in ('href="/#setup-checklist"', 'href="/scorecard/"', 'href="/imports/"'))
    history = staff_http.get("/imports/").content.decode()
    assert "informe.csv" in history and "google_ads" in history


def test_converted_spend_shows_the_rate_used(staff_http, tenant_a, media, django_capture_on_commit_callbacks) -> None:
    from clients.sources import rates_import

    (media / "rates.csv").write_bytes(RATES)
    rates_import(path=media / "rates.csv")
    response = upload(staff_http, META_USD, "meta.csv")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _unspanned(staff_http.get(response.url).content.decode())))
    assert "Detected: Meta Ads Manager export (English), 2 rows, Mar 2, 2026 … Mar 3, 2026, 1 new campaign." in text
    import_confirmed(staff_http, response.url, tenant_a, django_capture_on_commit_callbacks)
    connection.set_tenant(tenant_a)
    first = Spend.objects.get(date=dt.date(2026, 3, 2))
    assert first.currency == "USD" and first.original_amount == Decimal("108") and first.amount == Decimal("90")
    connection.set_schema_to_public()
    from clients.selectors import spend_conversions

    connection.set_tenant(tenant_a)
    rows = spend_conversions(month=dt.date(2026, 3, 1))
    assert [(r["currency"], r["rate_date"], r["original"], r["converted"]) for r in rows] == [
        ("USD", dt.date(2026, 3, 2), Decimal("108"), Decimal("90")), ("USD", dt.date(2026, 3, 3), Decimal("216"), Decimal("200"))]
    connection.set_schema_to_public()
    # The spend drill-down (by campaign) names the rate used.
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.tenant = tenant_a
    connection.set_tenant(tenant_a)
    html = render_to_string("clients/includes/spend_rates_include.html", {"month": dt.date(2026, 3, 1)}, request=request)
    assert 'id="converted-spend"' in html and "1 USD = 0.833333 EUR" in html and "Mar 2, 2026" in html


def test_a_file_nothing_recognizes_names_what_it_was_compared_with(staff_http) -> None:
    response = upload(staff_http, b"Foo,Bar,Baz\n1,2,3\n")
    page = staff_http.get(response.url)
    assert page.status_code == 422
    html = page.content.decode()
    assert "Google Ads campaign report" in html and "HubSpot contacts export" in html and "Map its columns by hand" in html


def test_a_google_ads_report_without_days_names_the_segment_to_add(staff_http) -> None:
    no_day = b"Campaign report\nCampaign,Campaign ID,Cost\nBrand,1,10.00\n"
    page = staff_http.get(upload(staff_http, no_day).url)
    assert page.status_code == 422 and "Day segment" in page.content.decode()


def test_a_canonical_file_is_recognized_by_its_columns(staff_http) -> None:
    url = upload(staff_http, b"id,name,channel\nc1,Launch,email\n").url
    page = html.unescape(staff_http.get(url).content.decode())
    assert "Portal's own format: Campaigns" in page and "Launch" in page  # not the jargon "Canonical file"
    spanish = html.unescape(staff_http.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Formato propio del portal: Campañas" in spanish and "canónico" not in spanish


def test_the_upload_page_documents_every_kind_and_source(staff_http) -> None:
    html = staff_http.get("/imports/").content.decode()
    for kind in ("campaigns", "spend", "leads", "activities", "traffic", "email", "contracts"):
        assert f'href="/imports/examples/{kind}.csv"' in html
    for label in ("Google Ads campaign report", "Meta Ads Manager export", "LinkedIn Campaign Manager report",
                  "GA4 traffic acquisition report", "Mailchimp campaigns report", "HubSpot contacts export"):
        assert label in html
    assert "Importe gastado" in html and "Detect it from the file" in html
