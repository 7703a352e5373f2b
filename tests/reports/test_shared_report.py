"""The share link opens the client's whole approved report (its commentary, summary and charts, what
changed, the tiles, the PDF) as a client user reads it: the approved version, never the figures as
computed since; in the client's language; under the agency's brand; with nothing that needs a
sign-in. A dead link says so and shows nothing of the report; one client's link shows nothing of another."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pypdfium2
import pytest
import time_machine
from django.core.cache import cache
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from agency.models import AgencyBrand
from clients.models import Campaign, Lead, Spend
from kpis.services import snapshot_compute
from reports.services import commentary_save, month_approve, share_link_create, share_link_revoke
from tests.agency.test_spanish_everywhere import ENGLISH, visible_text
from tests.conftest import host_of
from tests.reports.conftest import MARCH, late_spend

pytestmark = pytest.mark.django_db

SUMMARY_TEXT = "Leads held up while the cost per lead stayed under target."


@pytest.fixture
def shared(march, staff_a):
    """March approved with its commentary, and a live link to it: (tenant, the link's path)."""
    commentary_save(client=march, month=MARCH, section="summary", text=SUMMARY_TEXT, user=staff_a)
    month_approve(client=march, month=MARCH, user=staff_a)
    _link, token = share_link_create(client=march, month=MARCH, user=staff_a)
    yield march, f"/shared/2026-03/{token}/"
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)


def _open(tenant, path: str, *, language: str = "en", user=None, hx: bool = False):
    http = HttpClient(HTTP_HOST=host_of(tenant), HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        http.force_login(user)
    return http.get(path, **({"HTTP_HX_REQUEST": "true"} if hx else {}))


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|action|hx-get|hx-post)="([^"]*)"', html)


def test_the_shared_page_is_the_clients_report_page_without_what_needs_a_sign_in(shared) -> None:
    tenant, path = shared
    page = _open(tenant, path)
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == "en"
    # the commentary, the executive summary with its charts, the funnel and the tiles of the approved version
    assert SUMMARY_TEXT in html and 'id="commentary-title"' in html
    assert 'id="summary-title"' in html
    summary = re.findall(r'<article class="card headline-kpi" data-kpi="(\w+)".*?</article>', html, flags=re.S)
    assert "cpl" in summary and "new_leads" in summary
    cpl_card = re.search(r'data-kpi="cpl" data-summary>.*?</article>', html, flags=re.S).group(0)
    assert "215.72" in cpl_card and "<svg" in cpl_card  # its value and its 12-month chart
    assert re.search(r'id="funnel-title".*?<svg', html, flags=re.S)  # the funnel, drawn
    assert re.search(r'<article class="tile" data-kpi="new_leads"[^>]*>.*?<p class="value">8</p>', html, flags=re.S)
    # nothing that needs a sign-in: no portal page, no form, no drill-down, no CSV; the PDF by the link
    links = _links(html)
    assert [link for link in links if link.startswith("/") and not link.startswith((path, "/static/", "/brand"))] == []
    assert "<form" not in html and "csrf" not in html.lower()
    assert f"{path}report.pdf" in links and "Download CSV" not in html
    # the drill-downs, through the link: the approved breakdown, without its CSV
    assert f"{path}breakdowns/channel/?month=2026-03" in links
    drill = _open(tenant, f"{path}breakdowns/channel/?month=2026-03", hx=True)
    assert drill.status_code == 200 and "Download CSV" not in drill.content.decode()
    assert f"{path}breakdowns/channel/?month=2026-03&sort=" in drill.content.decode()
    assert _open(tenant, f"{path}breakdowns/channel/").status_code == 302  # opened on its own: the report
    assert "Approved" in html and "Read-only link" in html
    text = _pdf_text(_open(tenant, f"{path}report.pdf"))
    assert "215.72" in text and SUMMARY_TEXT in text


def test_a_change_after_approval_does_not_show_on_the_link_until_approved(shared, staff_a) -> None:
    tenant, path = shared
    commentary_save(client=tenant, month=MARCH, section="summary", text="Draft words not approved.", user=staff_a)
    late_spend(tenant)  # re-imported and recomputed: cost per lead 215.72 → 219.40, not approved
    for user in (None, staff_a):  # staff opening the link read what the client reads, not their draft
        html = _open(tenant, path, user=user).content.decode()
        assert "215.72" in html and "219.40" not in html
        assert SUMMARY_TEXT in html and "Draft words not approved." not in html
    text = _pdf_text(_open(tenant, f"{path}report.pdf"))
    assert "215.72" in text and "219.40" not in text and "Draft words not approved." not in text
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC)):
        month_approve(client=tenant, month=MARCH, user=staff_a, reason="Google Ads restated March")
    html = _open(tenant, path).content.decode()
    assert "219.40" in html and "Revised Dec 20, 2026" in html
    assert "Your agency&#x27;s note on this revision: “Google Ads restated March.”" in html
    assert "Approved Dec 20, 2026" not in html  # approved when first approved, revised on the 20th


def test_the_clients_page_says_when_the_month_was_first_approved_and_when_revised(march, staff_a, client_user_a) -> None:
    with time_machine.travel(dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC)):
        month_approve(client=march, month=MARCH, user=staff_a)
    late_spend(march)
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC)):
        month_approve(client=march, month=MARCH, user=staff_a, reason="gasto tardío")
    client_user_a.language = "en"
    client_user_a.save()
    page = _open(march, "/scorecard/?month=2026-03", user=client_user_a).content.decode()
    assert "Approved Apr 6, 2026" in page and "Revised Dec 20, 2026" in page
    # typed in Spanish, read on an English page: quoted in an English sentence that says whose words they are
    assert "Your agency&#x27;s note on this revision: “Gasto tardío.”" in page


def test_an_expired_or_revoked_link_says_so_and_shows_nothing_of_the_report(shared, staff_a) -> None:
    tenant, path = shared
    with schema_context("alpha"):
        from reports.models import ShareLink

        link = ShareLink.objects.get()
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        for url in (path, f"{path}report.pdf", f"{path}breakdowns/channel/"):
            gone = _open(tenant, url)
            html = gone.content.decode()
            assert gone.status_code == 404 and "This link does not open a report" in html
            assert "215" not in html and SUMMARY_TEXT not in html and "Alpha Analytics" not in html
    assert share_link_revoke(client=tenant, link_id=link.pk, user=staff_a)
    gone = _open(tenant, path, language="es")
    assert gone.status_code == 404 and "215" not in gone.content.decode()
    assert _open(tenant, f"{path}report.pdf").status_code == 404


def test_a_clients_link_shows_only_its_own_report(shared, tenant_b, staff_ab) -> None:
    tenant_a, path_a = shared
    with schema_context("beta"):
        Lead.objects.bulk_create([Lead(id=f"b{i}", created_at=dt.datetime(2026, 3, 12, tzinfo=dt.UTC)) for i in range(4)])
        Spend.objects.create(id="b1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("987.64"))
    snapshot_compute(client=tenant_b, months=[MARCH])  # a cost per lead of 246.91 USD
    commentary_save(client=tenant_b, month=MARCH, section="summary", text="Words of Beta only.", user=staff_ab)
    month_approve(client=tenant_b, month=MARCH, user=staff_ab)
    _link, token_b = share_link_create(client=tenant_b, month=MARCH, user=staff_ab)
    a = _open(tenant_a, path_a).content.decode()
    b = _open(tenant_b, f"/shared/2026-03/{token_b}/").content.decode()
    assert "215.72" in a and "246.91" not in a and "Beta" not in a and SUMMARY_TEXT in a
    assert "246.91" in b and "215.72" not in b and "Alpha" not in b and "Words of Beta only." in b
    # a link opens at its own client's host only
    assert _open(tenant_b, path_a).status_code == 404
    assert _open(tenant_a, f"/shared/2026-03/{token_b}/report.pdf").status_code == 404
    assert "246.91" not in _pdf_text(_open(tenant_a, f"{path_a}report.pdf"))
    assert _open(tenant_b, f"{path_a}breakdowns/channel/", hx=True).status_code == 404


def test_the_link_speaks_the_clients_language_whatever_the_browser_asks(shared) -> None:
    tenant, path = shared
    tenant.language = "es"
    tenant.save()
    AgencyBrand.objects.create(name="Agencia Norte")
    cache.delete(AgencyBrand.BRAND_CACHE_KEY)
    page = _open(tenant, path, language="en")
    html = page.content.decode()
    assert page["Content-Language"] == "es" and '<html lang="es">' in html
    assert "215,72" in html and "Resumen" in html and "Agencia Norte" in html
    text = visible_text(html, frozenset({"Alpha Analytics", "Agencia Norte", SUMMARY_TEXT}))
    english = [phrase for phrase in (*ENGLISH, "Approved", "Read-only link", "Print", "What changed")
               if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]
    assert english == []
    # a language cookie or a query asks for nothing else
    http = HttpClient(HTTP_HOST=host_of(tenant), HTTP_ACCEPT_LANGUAGE="en")
    http.cookies["django_language"] = "en"
    assert "215,72" in http.get(f"{path}?language=en").content.decode()
    assert "Este enlace no abre ningún informe" in _open(tenant, path.replace("/2026-03/", "/2026-02/")).content.decode()
    pdf = http.get(f"{path}report.pdf")  # the browser with its English cookie
    assert 'filename="alpha-informe-2026-03.pdf"' in pdf["Content-Disposition"]
    text = _pdf_text(pdf)
    assert "Costo por lead" in text and SUMMARY_TEXT in text
    assert "Summary" not in text  # the commentary's section titles too


def test_what_changed_on_the_link_points_within_the_page_never_to_a_sign_in(march, staff_a) -> None:
    """"What changed" linked each figure to the signed-in scorecard and its drill-downs: a reader
    of the link who clicked one landed on the login page."""
    with schema_context("alpha"):
        Campaign.objects.create(id="news", name="Newsletter", channel="email")
        Campaign.objects.create(id="gads", name="Search", channel="paid_search")
        Lead.objects.bulk_create(
            [Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC), campaign_id="news") for i in range(4)]
            + [Lead(id=f"p{i}", created_at=dt.datetime(2026, 3, 10, tzinfo=dt.UTC), campaign_id="gads") for i in range(30)]
        )
        Spend.objects.create(id="s-feb", date=dt.date(2026, 2, 5), category="media", amount=Decimal("900.00"),
                             campaign_id="news")
    snapshot_compute(client=march, months=[dt.date(2026, 2, 1), MARCH])
    for month in (dt.date(2026, 2, 1), MARCH):
        month_approve(client=march, month=month, user=staff_a, checks_reason="A test month.")
    _link, token = share_link_create(client=march, month=MARCH, user=staff_a)
    path = f"/shared/2026-03/{token}/"
    html = _open(march, path).content.decode()
    changed = re.search(r'<section class="what-changed".*?</section>', html, re.S)
    assert changed, "no What changed"
    assert 'class="figure"' in changed.group(0)
    links = _links(html)
    assert [link for link in links if link.startswith("/") and not link.startswith((path, "/static/", "/brand"))] == []
    assert any(link.startswith("#kpi-") for link in links)  # a figure of the month: its tile on this page
