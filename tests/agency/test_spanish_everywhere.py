"""Every page of the access matrix, rendered in Spanish, shows no English the portal wrote:
a known list of English labels and phrases must not appear in the visible text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import translation
from django_tenants.utils import schema_context

from agency.models import Client, User
from clients.models import Campaign, Contract, Lead, Persona, Spend
from kpis.services import snapshot_compute
from tests.agency.test_access_matrix import CONSOLE, MATRIX
from tests.conftest import host_of

# English the portal itself writes (labels, headings, buttons), each a whole phrase.
ENGLISH = (
    "Sign out",
    "Password",
    "Report",
    "Summary",
    "Details",
    "Breakdowns",
    "Download CSV",
    "Download PDF",
    "Compare with",
    "the previous month",
    "New leads",
    "Cost per lead",
    "Marketing spend",
    "Leads and funnel",
    "Channel mix",
    "Funnel",
    "Target",
    "Paid search",
    "Organic search",
    "Not attributed",
    "month to date",
    "Settings",
    "Clients",
    "Add client",
    "Open portal",
    "Client users",
    "Agency staff",
    "Portfolio",
    "Benchmarks",
    "Report settings",
    "Save",
    "Search",
    "Month",
    "No leads",
    "Retainer",
    "Qualification criteria",
    "Version",
    "Working days",
    "Customers",
    "Loading",
    "Back to",
    "every lead",
    "Fit rules",
    # The contract form's fields (their labels were the model's English field names).
    "Start date",
    "End date",
    "Monthly fee",
    "Project fee",
    "Cancelled on",
    "Term months",
)


def visible_text(html: str, data: frozenset[str] = frozenset()) -> str:
    """What a reader sees that the portal wrote: not scripts, not chart titles (staff notes), not
    data (``<small>`` citations, and every value in ``data``: the names the client's records hold,
    which are the client's words, in whatever language it wrote them)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<small>.*?</small>", " ", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)  # SVG titles hold staff notes
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    for value in sorted(data, key=len, reverse=True):  # longest first: a name that contains another
        text = re.sub(rf"(?<![\w-]){re.escape(value)}(?![\w-])", " ", text)
    return text


def data_values() -> frozenset[str]:
    """The names the records hold (campaigns, accounts, personas, clients, people): data, not the portal's words."""
    with schema_context("alpha"):
        names = {*Campaign.objects.values_list("name", flat=True), *Contract.objects.values_list("account", flat=True),
                 *Persona.objects.values_list("name", flat=True)}
    names |= {*Client.objects.values_list("name", flat=True), *User.objects.values_list("username", flat=True)}
    return frozenset(name for name in names if len(name) >= 3)  # "a" is an account, and a letter of every word


@pytest.fixture
def data(tenant_a):
    # A Spanish client: what is written for it (the commentary's draft, in the language it is
    # written to) is Spanish too; an English client's draft on a Spanish page is rightly English.
    tenant_a.language = "es"
    tenant_a.save(update_fields=["language"])
    with schema_context("alpha"):
        # Campaign names in English, as a client may well write them: data, which the test must not flag.
        Campaign.objects.create(id="ads", name="Search ads", channel="paid_search")
        Campaign.objects.create(id="sum", name="Summary retargeting", channel="paid_social")
        Lead.objects.bulk_create(
            [Lead(id=f"l{i}", created_at=dt.datetime(2026, 2 + i % 2, 10, tzinfo=dt.UTC),
                  campaign_id="sum" if i % 3 == 0 else "ads") for i in range(9)]
        )
        Spend.objects.create(id="s1", date=dt.date(2026, 3, 5), category="media", amount=Decimal("1234.5"), campaign_id="ads")
        Contract.objects.create(
            id="k1", account="a", kind="retainer", start_date=dt.date(2025, 1, 1), term_months=6, monthly_fee=Decimal("4408.81")
        )
    snapshot_compute(client=tenant_a, months=[dt.date(2026, m, 1) for m in (1, 2, 3)])
    return tenant_a


def test_every_page_in_spanish_has_no_english_left(admin_user, tenants, data) -> None:
    admin_user.language = "es"
    admin_user.save()
    http = HttpClient()
    http.force_login(admin_user)
    checked, found, data_shown = 0, [], data_values()
    for host, name, kwargs, statuses in MATRIX:
        if statuses["admin"] != 200 or host == "beta":
            continue
        urlconf = "agency.urls_public" if host == CONSOLE else "agency.urls_tenant"
        path = reverse(name, urlconf=urlconf, kwargs=kwargs)
        for query in ("", "?month=2026-03"):
            response = http.get(path + query, HTTP_HOST=host_of(None if host == CONSOLE else tenants[host]))
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            text = visible_text(response.content.decode(), data_shown)
            checked += 1
            found += [(path, phrase) for phrase in ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]
    translation.activate("en")  # the requests activated Spanish in this thread
    assert checked > 20
    assert not found, sorted(set(found))


def test_data_is_not_taken_for_the_portals_english() -> None:
    html = "<td>Summary retargeting</td><td>Resumen</td><td>Summary</td>"
    assert "Summary" in visible_text(html)
    assert "Summary" in visible_text(html, frozenset({"Summary retargeting"}))  # the portal's own word stays
    assert "retargeting" not in visible_text(html, frozenset({"Summary retargeting"}))


# English a client user's own pages write (the admin above reads staff's variant of them): its home, report,
# monthly reports, the month's page and versions, glossary, account pages.
CLIENT_ENGLISH = (
    "Your data",
    "Records",
    "Period",
    "Your monthly report",
    "Your agency",
    "your agency",
    "Monthly reports",
    "Have you read it?",
    "Mark as read",
    "Questions",
    "Ask a question",
    "Versions of this report",
    "What each figure means",
    "Good news is",
    "only when its data",
    "is not recorded",
    "Approved",
    "Revised",
    "Figures",
    "Back to the month",
    "Stop",
)


def test_every_page_a_client_user_reads_in_spanish_has_no_english_left(client_user_a, tenants, data) -> None:
    """The test above reads every page as the admin, who sees staff's variant of a page both read (its
    data panel, glossary, month page and header): a client user's words went unchecked. Here a client user
    of a Spanish client, March approved, reads each page it may open, and the approved month's own."""
    from reports.services import month_approve

    month_approve(client=data, month=dt.date(2026, 3, 1), user=None, notify=False)
    client_user_a.language = ""  # never chose: the client's language
    client_user_a.save()
    http = HttpClient()
    http.force_login(client_user_a)
    checked, found, data_shown = 0, [], data_values()
    paths = [reverse(name, urlconf="agency.urls_tenant", kwargs=kwargs)
             for host, name, kwargs, statuses in MATRIX if host == "alpha" and statuses["client_a"] == 200]
    paths += ["/reports/2026-03/", "/reports/2026-03/versions/1/"]
    for path in paths:
        for query in ("", "?month=2026-03"):
            response = http.get(path + query, HTTP_HOST=host_of(tenants["alpha"]))
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            text = visible_text(response.content.decode(), data_shown)
            checked += 1
            found += [(path, phrase) for phrase in ENGLISH + CLIENT_ENGLISH
                      if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)]
    translation.activate("en")
    assert checked > 15
    assert not found, sorted(set(found))
