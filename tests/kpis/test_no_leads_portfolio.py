"""The agency's portfolio of a client with no lead source (no CRM connected, no leads file imported):
its lead figures (new leads, CPL, ROMI…) read "—" with staff's reason on hover and in words, in English
and Spanish, never 0 (kpis.nodata.leads_loaded, mirrored as ClientMonthSummary.has_leads); sorted by a
lead figure it comes last with the unknown values; a lead target is neither met nor missed; the other
clients' figures and its own spend and sessions are what they were."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.test import Client as HttpClient

from kpis.portfolio import LEAD_COLUMNS, portfolio_rows, target_summary
from kpis.services import snapshot_compute
from portfolio.models import ClientMonthSummary
from tests.conftest import host_of
from tests.kpis.test_no_leads_screens import LEADS, LEADS_STAFF, _client
from tests.kpis.test_paid_media import write  # noqa: F401 -- fixture

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
WORDS = {"en": "no leads loaded", "es": "sin leads cargados"}


@pytest.fixture
def two_clients(tenant_a, tenant_b, write):  # noqa: F811 -- the fixture of the same name
    """A: spend and traffic, no lead source; B: the same with 4 leads in February (none in March)."""
    connection.set_tenant(tenant_a)
    _client(tenant_a, write)
    connection.set_tenant(tenant_b)
    _client(tenant_b, write, leads_in_february=True)
    return tenant_a, tenant_b


def _row(user, client, language: str) -> str:
    user.language = language
    user.save()
    http = HttpClient()
    http.force_login(user)
    html = unescape(http.get("/portfolio/?month=2026-03", HTTP_HOST=host_of(None), HTTP_HX_REQUEST="true").content.decode())
    row = html[html.index(f">{client.name}</a>") :]
    return row[: row.index("</tr>")]


def _cells(row: str) -> list[str]:
    return [cell.split(">", 1)[1] for cell in row.split('<td class="num"')[1:]]


def test_the_summary_says_which_months_had_a_lead_source(two_clients):
    alpha, beta = two_clients
    flags = dict(ClientMonthSummary.objects.filter(month=MARCH).values_list("client_id", "has_leads"))
    assert flags == {alpha.pk: False, beta.pk: True}
    assert not ClientMonthSummary.objects.filter(client=alpha, has_leads=True).exists()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_portfolio_shows_lead_figures_of_a_client_without_a_lead_source_as_a_dash(admin_user, two_clients, language):
    alpha, beta = two_clients
    row = _row(admin_user, alpha, language)
    # The headline columns built on leads (new leads, MQLs, SQLs, customers, CPL, CAC, revenue, ROMI),
    # each with the reason on hover, in words under it and to screen readers.
    assert row.count(f'title="{LEADS_STAFF[language]}"') == len(LEAD_COLUMNS) == 8, row
    assert row.count(WORDS[language]) == 8 and LEADS[language] not in row, row  # staff's words, not the client's
    if language == "es":
        assert "no leads loaded" not in row and "No leads loaded" not in row
    # Spend and sessions do not depend on leads: they stay, without the reason.
    assert any(cell.startswith("250") for cell in _cells(row)), row
    # A client with a lead source and no lead in March keeps its real 0: no reason, no dash.
    other = _row(admin_user, beta, language)
    assert LEADS_STAFF[language] not in other and WORDS[language] not in other, other


def test_sorted_by_a_lead_figure_the_client_without_a_lead_source_comes_last(admin_user, two_clients):
    alpha, beta = two_clients
    for sort in ("new_leads", "mqls", "customers"):  # B's real 0s (its CPL is undefined over 0 leads: both last)
        for descending in (False, True):
            order = [c.pk for c in portfolio_rows(user=admin_user, month=MARCH, sort=sort, descending=descending)]
            assert order.index(alpha.pk) > order.index(beta.pk), (sort, descending)


def test_a_lead_target_of_a_client_without_a_lead_source_is_neither_met_nor_missed(admin_user, two_clients):
    alpha, beta = two_clients
    rows = {c.pk: c for c in portfolio_rows(user=admin_user, month=MARCH)}
    targets = {"new_leads": 10.0, "sessions": 300.0}
    assert target_summary(rows[alpha.pk], targets) == {"met": [], "missed": ["sessions"], "total": 2}
    # B's real 0 new leads miss their target: the other clients' figures are what they were.
    assert target_summary(rows[beta.pk], targets) == {"met": [], "missed": ["new_leads", "sessions"], "total": 2}
    assert (rows[alpha.pk].new_leads, rows[beta.pk].new_leads, rows[alpha.pk].sessions) == (0, 0, 250)


def test_leads_imported_later_give_every_month_after_them_its_figures(admin_user, two_clients):
    """A leads file dated in February makes March's figures known too, though only February is computed."""
    from clients.models import Lead

    alpha, _beta = two_clients
    connection.set_tenant(alpha)
    Lead.objects.create(id="late", created_at=dt.datetime(2026, 2, 12, 10, tzinfo=dt.UTC))
    snapshot_compute(client=alpha, months=[FEBRUARY])
    connection.set_schema_to_public()
    assert ClientMonthSummary.objects.get(client=alpha, month=MARCH).has_leads is True
    assert LEADS_STAFF["en"] not in _row(admin_user, alpha, "en")


def test_staff_see_only_their_clients(staff_a, two_clients):
    alpha, beta = two_clients
    row = _row(staff_a, alpha, "en")
    assert row.count(f'title="{LEADS_STAFF["en"]}"') == 8
    assert beta.pk not in [c.pk for c in portfolio_rows(user=staff_a, month=MARCH)]
