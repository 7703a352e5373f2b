"""The agency portfolio: who sees which clients, sorting, filtering, checks, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agency.models import Client
from portfolio.models import ClientMonthSummary
from tests.conftest import host_of

MARCH, FEBRUARY = dt.date(2026, 3, 1), dt.date(2026, 2, 1)


def summary(client: Client, month: dt.date, **figures) -> ClientMonthSummary:
    return ClientMonthSummary.objects.create(client=client, month=month, computed_at=timezone.now(), **figures)


def page(user, path: str, **headers) -> str:
    http = HttpClient()
    http.force_login(user)
    response = http.get(path, HTTP_HOST=host_of(None), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_their_clients_and_admins_see_all(tenant_a, tenant_b, staff_a, admin_user) -> None:
    summary(tenant_a, MARCH, new_leads=40, cpl=55.5)
    summary(tenant_b, MARCH, new_leads=12)
    staff_view = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    assert "Alpha Analytics" in staff_view and "Beta Brands" not in staff_view
    assert "€55.50" in staff_view  # alpha's own currency
    admin_view = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    assert "Alpha Analytics" in admin_view and "Beta Brands" in admin_view


def test_sorting_and_filtering_happen_on_the_server(tenant_a, tenant_b, admin_user) -> None:
    summary(tenant_a, MARCH, new_leads=40)
    summary(tenant_b, MARCH, new_leads=90)
    descending = page(admin_user, "/portfolio/?month=2026-03&sort=new_leads&dir=desc", HTTP_HX_REQUEST="true")
    assert "<html" not in descending and descending.index("Beta Brands") < descending.index("Alpha Analytics")
    ascending = page(admin_user, "/portfolio/?month=2026-03&sort=new_leads&dir=asc", HTTP_HX_REQUEST="true")
    assert ascending.index("Alpha Analytics") < ascending.index("Beta Brands")
    filtered = page(admin_user, "/portfolio/?month=2026-03&q=beta", HTTP_HX_REQUEST="true")
    assert "Beta Brands" in filtered and "Alpha Analytics" not in filtered


def test_checks_replace_the_fixed_alerts_and_clean_months_filter(tenant_a, tenant_b, admin_user) -> None:
    from portfolio.models import ClientMonthChecks

    summary(tenant_a, FEBRUARY, new_leads=100)
    summary(tenant_a, MARCH, new_leads=60)  # leads fell 40 %: no fixed alert any more
    summary(tenant_b, MARCH, new_leads=140)
    ClientMonthChecks.objects.create(client=tenant_a, month=MARCH, total=3, high=1, open=2, open_high=1)
    ClientMonthChecks.objects.create(client=tenant_b, month=MARCH, total=1, high=0, open=0, open_high=0)
    body = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    assert 'data-checks-open="2"' in body and "2 to look at · 1 high" in body and 'data-checks-open="0"' in body
    assert "New leads</span>" not in body
    with_checks = page(admin_user, "/portfolio/?month=2026-03&show=checks", HTTP_HX_REQUEST="true")
    assert "Alpha Analytics" in with_checks and "Beta Brands" not in with_checks
    assert "Alpha Analytics" in page(admin_user, "/portfolio/?month=2026-03&alerts=1", HTTP_HX_REQUEST="true")  # older links
    clean = page(admin_user, "/portfolio/?month=2026-03&show=clean", HTTP_HX_REQUEST="true")
    assert "Beta Brands" in clean and "Alpha Analytics" not in clean
    spanish = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es")
    assert "2 por revisar · 1 alta" in spanish and "sin pendientes" in spanish


def test_one_query_for_the_rows_whatever_the_number_of_clients(tenant_a, admin_user) -> None:
    http = HttpClient()
    http.force_login(admin_user)
    http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None))

    def count() -> int:
        cache.clear()  # the uncached path
        with CaptureQueriesContext(connection) as queries:
            http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None))
        return len(queries.captured_queries)

    before = count()
    for index in range(25):
        client = Client(schema_name=f"bulk_{index}", slug=f"bulk-{index}", name=f"Bulk {index}", is_ready=True)
        client.auto_create_schema = False
        client.save()
        summary(client, MARCH, new_leads=index)
    assert count() == before


def test_status_against_targets_and_missed_targets_as_alerts(tenant_a, admin_user) -> None:
    from portfolio.models import Target

    summary(tenant_a, MARCH, new_leads=40, cpl=80.0)
    Target.objects.create(client=tenant_a, month=MARCH, kpi="new_leads", value=30)
    Target.objects.create(client=tenant_a, month=MARCH, kpi="cpl", value=60)  # lower is better: missed
    body = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    assert "1 of 2 met" in body and "Cost per lead: target missed" in body, body[body.index("<tbody>") :]


def test_the_cached_table_shows_a_renamed_client_and_its_new_currency_at_once(tenant_a, admin_user) -> None:
    cache.clear()
    summary(tenant_a, MARCH, new_leads=40, cpl=55.5)
    assert "€55.50" in page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")  # now cached
    tenant_a.name, tenant_a.currency = "Alpha Renamed", "GBP"
    tenant_a.save()
    body = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    assert "Alpha Renamed" in body and "£55.50" in body


def test_the_cached_portfolio_shows_a_failing_source_a_close_waiting_and_a_new_client_at_once(
    tenant_a, staff_a, admin_user
) -> None:
    """The page's cache keeps the table with what surrounds it (the closes waiting, the failing
    sources, the client switcher): a change to any of them shows on the next request."""
    from portfolio.models import ClientMonthClose
    from portfolio.services import source_failure_note

    summary(tenant_a, MARCH, new_leads=40)
    cache.clear()
    first = page(staff_a, "/portfolio/?month=2026-03")
    assert 'id="portfolio-source-failures"' not in first and "close-queue" not in first
    source_failure_note(client=tenant_a, source_id=7, source_name="Ads export", ok=False, message="HTTP 500", at=timezone.now())
    assert "Ads export" in page(staff_a, "/portfolio/?month=2026-03")
    source_failure_note(client=tenant_a, source_id=7, source_name="Ads export", ok=True, message="", at=timezone.now())
    assert "Ads export" not in page(staff_a, "/portfolio/?month=2026-03")
    ClientMonthClose.objects.create(client=tenant_a, month=MARCH, state="in_review", in_review_since=timezone.now())
    assert "close-queue" in page(staff_a, "/portfolio/?month=2026-03")
    before = page(admin_user, "/portfolio/?month=2026-03")
    assert "Gamma Goods" not in before
    Client.objects.filter(pk=tenant_a.pk).update(name="Gamma Goods", updated_at=timezone.now())
    after = page(admin_user, "/portfolio/?month=2026-03")
    assert after.count("Gamma Goods") >= 2  # the table and the header's switcher


def test_a_client_without_targets_says_none_set_not_a_bare_dash(tenant_a, staff_a) -> None:
    summary(tenant_a, MARCH, new_leads=40)
    body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    row = body[body.index("Alpha Analytics") :]
    row = row[: row.index("</tr>")]
    assert "data-no-targets" in row and "none set" in row
    staff_a.language = "es"
    staff_a.save()
    assert "sin definir" in page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")


def test_the_contract_figures_of_a_client_without_contracts_say_why_in_both_languages(tenant_a, staff_a) -> None:
    cache.clear()
    summary(tenant_a, MARCH, new_leads=40, has_spend=True)  # contract_ltv and gross MRR churn null: no contracts
    for language, words, reason in (
        ("en", "no contracts loaded", "No contracts loaded for this client up to this month&#x27;s end: its recurring "
         "revenue figures cannot be worked out. Import its contracts file on the Imports page."),
        ("es", "sin contratos cargados", "No hay contratos cargados para este cliente hasta el final del mes: sus cifras "
         "de ingresos recurrentes no se pueden calcular. Importa su archivo de contratos en la página Importaciones."),
    ):
        staff_a.language = language
        staff_a.save()
        body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
        row = body[body.index("Alpha Analytics") :]
        row = row[: row.index("</tr>")]
        assert row.count(f'<small class="cell-why" aria-hidden="true">{words}</small>') == 2, language
        assert row.count(f'title="{reason}') == 2, language


def test_a_table_cached_under_an_older_markup_version_is_not_served_after_a_deploy(tenant_a, admin_user, monkeypatch) -> None:
    """The table is cached an hour under a stamp of its data; a deploy changing its markup bumps
    PORTFOLIO_LAYOUT, and the old entry is no longer read."""
    from kpis import views_portfolio

    summary(tenant_a, MARCH, new_leads=40)
    cache.clear()
    monkeypatch.setattr(views_portfolio, "PORTFOLIO_LAYOUT", "old")
    assert "Alpha Analytics" in page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    redis = cache._cache.get_client(write=True)
    raw_keys = [k.decode() for k in redis.keys("*kpis:portfolio-page:*")]
    assert raw_keys
    for raw in raw_keys:
        key = "kpis:portfolio-page:" + raw.rsplit(":", 1)[1]
        cache.set(key, {**cache.get(key), "table": "<p>OLD PORTFOLIO MARKUP</p>"}, 3600)
    assert "OLD PORTFOLIO MARKUP" in page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    monkeypatch.undo()
    fresh = page(admin_user, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    cache.clear()
    assert "OLD PORTFOLIO MARKUP" not in fresh and "Alpha Analytics" in fresh


THREE = ("Alpha Analytics", "Gamma Goods", "Beta Brands")


def _rows_in_order(body: str, *names: str) -> list[str]:
    return sorted(names, key=body.index)


def test_a_client_row_opens_that_clients_month(tenant_a, staff_a) -> None:
    """The name (and the checks badge) open the month shown, not the client's home page."""
    from portfolio.models import ClientMonthChecks

    summary(tenant_a, MARCH, new_leads=40)
    ClientMonthChecks.objects.create(client=tenant_a, month=MARCH, total=2, high=0, open=2, open_high=0)
    body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    row = body[body.index('<th scope="row">') :]
    row = row[: row.index("</tr>")]
    assert row.count('href="/accounts/switch/alpha/?next=/reports/2026-03/"') == 2, row
    assert ">Alpha Analytics</a>" in row


def test_amounts_rank_within_their_currency_never_across(tenant_a, tenant_b, admin_user) -> None:
    """Sorted by spend, 900 US$ is not ranked above 500 €: a group per currency, each headed by it;
    a count (new leads) still ranks every client together."""
    beta_2 = Client(schema_name="gamma", slug="gamma", name="Gamma Goods", currency="EUR", is_ready=True)
    beta_2.auto_create_schema = False
    beta_2.save()
    summary(tenant_a, MARCH, new_leads=10, marketing_spend=500.0)  # EUR
    summary(beta_2, MARCH, new_leads=30, marketing_spend=300.0)  # EUR
    summary(tenant_b, MARCH, new_leads=20, marketing_spend=900.0)  # USD
    body = page(admin_user, "/portfolio/?month=2026-03&sort=marketing_spend&dir=desc", HTTP_HX_REQUEST="true")
    assert _rows_in_order(body, *THREE) == ["Alpha Analytics", "Gamma Goods", "Beta Brands"]
    assert body.index("Amounts in EUR, ranked among themselves") < body.index("Alpha Analytics")
    assert body.index("Gamma Goods") < body.index("Amounts in USD, ranked among themselves") < body.index("Beta Brands")
    ascending = page(admin_user, "/portfolio/?month=2026-03&sort=marketing_spend&dir=asc", HTTP_HX_REQUEST="true")
    assert _rows_in_order(ascending, *THREE) == ["Gamma Goods", "Alpha Analytics", "Beta Brands"]
    leads = page(admin_user, "/portfolio/?month=2026-03&sort=new_leads&dir=desc", HTTP_HX_REQUEST="true")
    assert _rows_in_order(leads, *THREE) == ["Gamma Goods", "Beta Brands", "Alpha Analytics"]
    assert "Amounts in" not in leads
    spanish = page(admin_user, "/portfolio/?month=2026-03&sort=cpl&dir=desc", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="es")
    assert "Importes en EUR, ordenados solo entre sí" in spanish and "Amounts in" not in spanish


def test_an_admin_can_keep_only_the_clients_assigned_to_them(tenant_a, tenant_b, admin_user) -> None:
    from agency.models import Membership

    Membership.objects.create(user=admin_user, client=tenant_a)
    summary(tenant_a, MARCH, new_leads=40)
    summary(tenant_b, MARCH, new_leads=12)
    full = page(admin_user, "/portfolio/?month=2026-03")
    assert 'name="mine"' in full and "Only my clients" in full and "Beta Brands" in full
    mine = page(admin_user, "/portfolio/?month=2026-03&mine=1", HTTP_HX_REQUEST="true")
    assert "Alpha Analytics" in mine and "Beta Brands" not in mine and "only the clients assigned to you" in mine
    assert "mine=1&amp;sort=new_leads" in mine  # a column's sort keeps the filter
    assert "Solo mis clientes" in page(admin_user, "/portfolio/?month=2026-03", HTTP_ACCEPT_LANGUAGE="es")


def test_sorting_by_checks_puts_the_clients_needing_attention_first(tenant_a, tenant_b, admin_user) -> None:
    from portfolio.models import ClientMonthChecks

    gamma = Client(schema_name="gamma", slug="gamma", name="Gamma Goods", currency="EUR", is_ready=True)
    gamma.auto_create_schema = False
    gamma.save()
    for client in (tenant_a, tenant_b, gamma):
        summary(client, MARCH, new_leads=10)
    ClientMonthChecks.objects.create(client=tenant_a, month=MARCH, total=3, high=0, open=3, open_high=0)
    ClientMonthChecks.objects.create(client=gamma, month=MARCH, total=1, high=1, open=1, open_high=1)
    ClientMonthChecks.objects.create(client=tenant_b, month=MARCH, total=1, high=0, open=0, open_high=0)
    body = page(admin_user, "/portfolio/?month=2026-03&sort=checks&dir=desc", HTTP_HX_REQUEST="true")
    assert _rows_in_order(body, *THREE) == ["Gamma Goods", "Alpha Analytics", "Beta Brands"]
    assert 'aria-sort="descending"><a href="?month=2026-03&amp;q=&amp;sort=checks&amp;dir=asc"' in body  # again: fewest first


def test_a_cost_without_spend_says_why_in_words_not_only_on_hover(tenant_a, staff_a) -> None:
    """A phone has no hover: a "—" carries its reason in words (the short words, else the reason)."""
    summary(tenant_a, MARCH, new_leads=40, has_spend=False, contract_ltv=100.0, gross_mrr_churn_rate=0.0)
    for language, words in (("en", "no spend loaded"), ("es", "sin inversión cargada")):
        staff_a.language = language
        staff_a.save()
        body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
        row = body[body.index("Alpha Analytics") :]
        row = row[: row.index("</tr>")]
        assert row.count(f'<small class="cell-why" aria-hidden="true">{words}</small>') == 3, (language, row)
        assert '<small class="cell-why phone-why" aria-hidden="true">' in row  # sessions unknown: the catalogue's reason


def test_a_dash_names_only_the_reasons_the_row_does_not_contradict(tenant_a, staff_a) -> None:
    """ROMI undefined beside €500 of spend: not "No marketing spend this month."."""
    summary(tenant_a, MARCH, new_leads=40, has_spend=True, marketing_spend=500.0, romi=None, contract_ltv=1.0)
    body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    row = body[body.index("Alpha Analytics") :]
    assert "No marketing spend this month." not in row[: row.index("</tr>")]
    summary(tenant_a, FEBRUARY, new_leads=4, has_spend=True, marketing_spend=0.0, romi=None)
    assert "No marketing spend this month." in page(staff_a, "/portfolio/?month=2026-02", HTTP_HX_REQUEST="true")


def test_a_month_waiting_for_the_agency_opens_that_month_and_says_why_no_days(tenant_a, staff_a) -> None:
    """An approved month with a client's question waits for an answer, not for a review: its
    "Waiting" says so (it read a bare "—"); the client's name opens that month."""
    from portfolio.models import ClientMonthClose

    summary(tenant_a, MARCH, new_leads=40)
    ClientMonthClose.objects.create(client=tenant_a, month=FEBRUARY, state="approved", open_questions=1)
    body = page(staff_a, "/portfolio/?month=2026-03")
    queue = body[body.index("close-queue") :]
    assert 'href="/accounts/switch/alpha/?next=/reports/2026-02/"' in queue
    assert "not in review" in queue and "<td>—</td>" not in queue
    staff_a.language = "es"
    staff_a.save()
    assert "sin revisión abierta" in page(staff_a, "/portfolio/?month=2026-03")


def test_needing_attention_keeps_open_checks_missed_targets_and_months_without_figures(tenant_a, tenant_b, admin_user) -> None:
    """The owner's short list: a client with a check open, one that missed a target, one with no
    figures for the month; a clean client on target is left out."""
    from portfolio.models import ClientMonthChecks, Target

    names = ("Alpha Analytics", "Beta Brands", "Gamma Goods", "Delta Dairy")
    others = []
    for slug, name in (("gamma", names[2]), ("delta", names[3])):
        client = Client(schema_name=slug, slug=slug, name=name, currency="EUR", is_ready=True)
        client.auto_create_schema = False
        client.save()
        others.append(client)
    gamma = others[0]  # delta: no figures for March
    summary(tenant_a, MARCH, new_leads=40)
    summary(tenant_b, MARCH, new_leads=40)
    summary(gamma, MARCH, new_leads=40)  # delta: no figures for March
    for client, open_ in ((tenant_a, 1), (tenant_b, 0), (gamma, 0)):
        ClientMonthChecks.objects.create(client=client, month=MARCH, total=1, high=0, open=open_, open_high=0)
    Target.objects.create(client=tenant_b, month=MARCH, kpi="new_leads", value=50)  # missed
    Target.objects.create(client=gamma, month=MARCH, kpi="new_leads", value=30)  # met
    body = page(admin_user, "/portfolio/?month=2026-03&show=attention", HTTP_HX_REQUEST="true")
    assert [n for n in names if n in body] == ["Alpha Analytics", "Beta Brands", "Delta Dairy"]
    assert "only the clients needing attention: a check open, a target missed or no figures yet" in body  # what counts
    full = page(admin_user, "/portfolio/?month=2026-03")
    assert 'value="attention"' in full and ">Needing attention</option>" in full
    spanish = page(admin_user, "/portfolio/?month=2026-03&show=attention", HTTP_ACCEPT_LANGUAGE="es")
    assert ">Con algo que atender</option>" in spanish and "solo los clientes con algo que atender" in spanish


def test_each_figure_says_its_change_against_the_month_before(tenant_a, staff_a) -> None:
    """Which clients moved: "+25.0 %" under 50 leads after 40, points for a rate, nothing after a
    month whose costs were unknown (no spend loaded then) or that has no figure."""
    summary(tenant_a, FEBRUARY, new_leads=40, has_spend=False, cpl=0.0, romi=0.5, contract_ltv=None)
    summary(tenant_a, MARCH, new_leads=50, has_spend=True, cpl=20.0, romi=0.75, contract_ltv=900.0)
    body = page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")
    row = body[body.index("Alpha Analytics") :]
    row = row[: row.index("</tr>")]
    cells = dict(re.findall(r'<td class="num" data-label="([^"]+)"[^>]*>(.*?)</td>', row))
    against = '<small class="change good" title="against February 2026">'
    assert f"{against}+25.0\xa0%" in cells["New leads"], cells["New leads"]
    assert f"{against}+25.0\xa0pp" in cells["Return on marketing investment (ROMI)"]
    assert "change" not in cells["Cost per lead"] and "change" not in cells["Contract lifetime value"]
    assert "under each figure, its change against February 2026" in body
    staff_a.language = "es"
    staff_a.save()
    assert 'title="frente a febrero de 2026">+25,0\xa0%' in page(staff_a, "/portfolio/?month=2026-03", HTTP_HX_REQUEST="true")


def test_sorting_by_targets_puts_the_most_missed_first(tenant_a, tenant_b, admin_user) -> None:
    from portfolio.models import Target

    gamma = Client(schema_name="gamma", slug="gamma", name="Gamma Goods", currency="EUR", is_ready=True)
    gamma.auto_create_schema = False
    gamma.save()
    delta = Client(schema_name="delta", slug="delta", name="Delta Dairy", currency="EUR", is_ready=True)
    delta.auto_create_schema = False
    delta.save()
    for client in (tenant_a, tenant_b, gamma, delta):
        summary(client, MARCH, new_leads=40, sessions=100)
    Target.objects.create(client=tenant_b, month=MARCH, kpi="new_leads", value=50)  # missed
    Target.objects.create(client=tenant_b, month=MARCH, kpi="sessions", value=500)  # missed
    Target.objects.create(client=gamma, month=MARCH, kpi="new_leads", value=50)  # missed
    Target.objects.create(client=gamma, month=MARCH, kpi="sessions", value=50)  # met
    body = page(admin_user, "/portfolio/?month=2026-03&sort=targets&dir=desc", HTTP_HX_REQUEST="true")
    four = (*THREE, "Delta Dairy")  # Alpha and Delta have no target: by name, both ways
    assert _rows_in_order(body, *four) == ["Beta Brands", "Gamma Goods", "Alpha Analytics", "Delta Dairy"]
    assert 'aria-sort="descending"><a href="?month=2026-03&amp;q=&amp;sort=targets&amp;dir=asc"' in body
    ascending = page(admin_user, "/portfolio/?month=2026-03&sort=targets&dir=asc", HTTP_HX_REQUEST="true")
    assert _rows_in_order(ascending, *four) == ["Alpha Analytics", "Delta Dairy", "Gamma Goods", "Beta Brands"]
