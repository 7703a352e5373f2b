"""An approved month's report is frozen whole: its daily ad charts and campaign names come from the
approved version, not from the rows, so a restated import changes nothing the client sees (page,
campaign breakdown, PDF) until staff approve the revision; staff see the rows at once."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from unittest import mock

import pypdfium2
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clients.services import data_import
from kpis import recompute
from kpis.report import FROZEN
from kpis.services import snapshot_compute
from reports.diff import days_changes
from reports.models import ReportVersion
from reports.services import month_approve
from tests.conftest import signed_in
from tests.kpis.test_paid_media import MARCH, SPEND, campaigns, write  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db

# Google Ads restates 2 March (100 → 900 EUR, 50 → 450 clicks) and adds a day; the campaign is renamed.
RESTATED = SPEND.replace("s1,2026-03-02,media,100,g1,,google_ads,1000,50,5,400",
                         "s1,2026-03-02,media,900,g1,,google_ads,1000,450,5,400")
RESTATED += "s7,2026-03-20,media,70,g1,,google_ads,700,35,1,\n"
RENAMED = "id,name,channel\ng1,Brand search 2026,paid_search\n"
# The client's first contract arrives too: a default summary would now show the revenue KPIs.
CONTRACTS = "id,account,kind,start_date,segment,term_months,monthly_fee,project_fee,end_date,cancelled_on,renewal_of\n" \
            "c1,acct-1,retainer,2026-03-01,smb,12,1500,,,,\n"


@pytest.fixture
def approved(campaigns, write, staff_a):  # noqa: F811 -- the fixture of the same name
    assert data_import(kind="spend", path_or_file=write(SPEND), client=campaigns).ok
    snapshot_compute(client=campaigns, months=[MARCH])
    connection.set_schema_to_public()
    with translation.override("en"):
        month_approve(client=campaigns, month=MARCH, user=staff_a)
    connection.set_schema_to_public()
    return campaigns


def _restate(tenant, write) -> None:  # noqa: F811
    connection.set_tenant(tenant)
    assert data_import(kind="spend", path_or_file=write(RESTATED), client=tenant).ok
    assert data_import(kind="campaigns", path_or_file=write(RENAMED), client=tenant).ok
    assert data_import(kind="contracts", path_or_file=write(CONTRACTS), client=tenant).ok
    snapshot_compute(client=tenant, months=[MARCH])
    connection.set_schema_to_public()


def _daily_svgs(html: str) -> list[str]:
    """The daily charts of the paid media section (spend, clicks) as drawn."""
    return re.findall(r'<svg[^>]*aria-label="(?:Ad spend|Clicks) per day".*?</svg>', unescape(html), flags=re.S)


def _read(user, tenant) -> tuple[list[str], str, str, str]:
    """What ``user`` sees of March: the daily charts, the top campaigns' names, the campaign
    breakdown and the PDF's text (English, the charts' axis labels included)."""
    user.language = "en"
    user.save()
    http = signed_in(user, tenant, HTTP_ACCEPT_LANGUAGE="en")
    page = http.get("/scorecard/?month=2026-03").content.decode()
    breakdown = http.get("/scorecard/breakdowns/campaign/?month=2026-03").content.decode()
    pdf = http.get("/scorecard/export.pdf?month=2026-03")
    assert pdf.status_code == 200
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    document = pypdfium2.PdfDocument(content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return _daily_svgs(page), _no_tokens(page), _no_tokens(breakdown), text


def _no_tokens(html: str) -> str:
    """The page without its CSRF tokens (new per request): what is left is what the reader sees."""
    return re.sub(r'(csrfmiddlewaretoken" value=|"x-csrftoken": )"[^"]+"', r"\1", unescape(html))


def test_a_restated_import_leaves_the_clients_charts_and_names_as_approved_until_the_revision(
    approved, write, staff_a, client_user_a, django_capture_on_commit_callbacks  # noqa: F811
) -> None:
    connection.set_tenant(approved)
    version = ReportVersion.objects.get(month=MARCH)
    assert version.document[FROZEN]["paid_days"][0] == ["2026-03-02", 160.0, 60.0]  # Google Ads + LinkedIn
    assert version.document[FROZEN]["campaign_names"]["g1"] == "Search"
    assert version.document[FROZEN]["has_revenue"] is False  # the default summary without ROMI
    connection.set_schema_to_public()
    charts, page, breakdown, pdf = _read(client_user_a, approved)
    assert len(charts) == 2 * 3  # two charts, each drawn at three widths (kpis.charts.responsive_svg)
    assert "Search" in page and "Search" in breakdown and 'data-kpi="romi" data-summary' not in page

    _restate(approved, write)

    # staff: the rows as they are now, and the revision waiting with what moved
    staff_charts, staff_page, staff_breakdown, staff_pdf = _read(staff_a, approved)
    assert staff_charts != charts and "Brand search 2026" in staff_page and "Brand search 2026" in staff_breakdown
    assert "Brand search 2026" in staff_pdf and 'data-kpi="romi" data-summary' in staff_page
    close = signed_in(staff_a, approved, HTTP_ACCEPT_LANGUAGE="en").get("/reports/2026-03/").content.decode()
    close = unescape(close)
    assert "Approve the revision" in close and "Ad spend €270.00 → €1,140.00" in close
    # ... and, beside the approved days the client's chart still shows, the days as the rows say now
    assert "The daily ad charts changed on 2 days" in close
    assert "<li>Mar 2: ad spend €160.00 → €960.00, clicks 60 → 460</li>" in close
    assert "<li>Mar 20: ad spend €0.00 → €70.00, clicks 0 → 35</li>" in close
    staff_a.language = "es"
    staff_a.save()
    spanish = signed_in(staff_a, approved, HTTP_ACCEPT_LANGUAGE="es").get("/reports/2026-03/").content.decode()
    spanish = unescape(spanish).replace("\xa0", " ")
    assert "Los gráficos diarios de anuncios cambiaron en 2 días" in spanish
    assert "<li>2 mar: inversión en anuncios 160,00 € → 960,00 €, clics 60 → 460</li>" in spanish
    # the client: the approved charts, names, freshness line and PDF, unchanged to the byte
    assert _read(client_user_a, approved) == (charts, page, breakdown, pdf)
    # drawn afresh (cache cleared), the client's page and PDF read no row of the client's data at all
    cache.clear()
    http = signed_in(client_user_a, approved, HTTP_ACCEPT_LANGUAGE="en")
    with CaptureQueriesContext(connection) as queries:
        assert http.get("/scorecard/?month=2026-03").status_code == 200
        assert http.get("/scorecard/export.pdf?month=2026-03").status_code == 200
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "kpis_snapshot" in read and not re.search(r"clients_(spend|campaign|contract|lead)\b", read)
    # more data waiting for its recompute: staff are told the figures are updating, the client is not
    with mock.patch.object(recompute, "enqueue_for_client"), django_capture_on_commit_callbacks(execute=True):
        recompute.months_recompute_request(client=approved, months={"2026-03"})
    try:
        assert 'id="figures-updating"' in _read(staff_a, approved)[1]
        assert _read(client_user_a, approved) == (charts, page, breakdown, pdf)
    finally:
        cache.clear()  # the pending month lives in Redis, which the test's rollback does not undo

    connection.set_tenant(approved)
    with translation.override("en"):
        month_approve(client=approved, month=MARCH, user=staff_a, reason="Google Ads restated March")
    connection.set_schema_to_public()
    # the revision approved: the client sees what staff saw
    after_charts, after_page, after_breakdown, after_pdf = _read(client_user_a, approved)
    assert after_charts == staff_charts and after_charts != charts
    assert "Brand search 2026" in after_page and "Brand search 2026" in after_breakdown and "Brand search 2026" in after_pdf
    assert after_pdf != pdf and 'data-kpi="romi" data-summary' in after_page


def test_the_days_that_moved_are_listed_ten_at_most_and_a_change_below_a_cent_is_none() -> None:
    march = [MARCH + dt.timedelta(days=i) for i in range(14)]
    before = [(day, 100.0, 10.0) for day in march]
    with translation.override("en"):
        assert days_changes(before, [(day, 100.001, 10.0) for day in march], currency="EUR") is None
        moved = days_changes(before, [(day, 120.0, None) for day in march[:12]], currency="EUR")
    assert moved["title"].startswith("The daily ad charts changed on 14 days")
    assert moved["lines"][0] == "Mar 1: ad spend €100.00 → €120.00, clicks 10 → 0" and len(moved["lines"]) == 10
    assert moved["more"] == "and 4 more days"


def test_versions_approved_before_keep_their_days_where_the_rows_still_add_up(approved, write) -> None:  # noqa: F811
    """reports/migrations/0006: the latest version of a month without the frozen part gets it from the
    rows when they still add up to its ad spend and clicks; a month restated since is left to the rows."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    freeze = importlib.import_module("reports.migrations.0006_versions_freeze_report_days").freeze
    connection.set_tenant(approved)
    version = ReportVersion.objects.get(month=MARCH)
    frozen = version.document.pop(FROZEN)
    version.save()
    freeze(apps, SimpleNamespace(connection=connection))
    version.refresh_from_db()
    assert version.document[FROZEN] == {"paid_days": frozen["paid_days"], "campaign_names": frozen["campaign_names"]}
    del version.document[FROZEN]
    version.save()
    _restate(approved, write)
    connection.set_tenant(approved)
    freeze(apps, SimpleNamespace(connection=connection))
    version.refresh_from_db()
    assert FROZEN not in version.document
