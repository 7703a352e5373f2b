"""A new client's checklist, the scorecard's warning without criteria, and the upload page's example files."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as HttpClient

from clients.imports.kind_docs import EXAMPLES, KIND_ORDER, kind_columns, kind_example_csv
from clients.models import Campaign, Connection, Contract, CriteriaVersion, Holiday, Lead, Persona, Spend
from clients.services import data_import
from kpis.services import target_set
from portfolio.models import Target
from tests.conftest import host_of


@pytest.fixture
def staff_http(staff_a, tenant_a):
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    return http


def test_a_new_client_gets_a_checklist_until_every_step_is_done(staff_http, tenant_a) -> None:
    html = staff_http.get("/").content.decode()
    assert 'id="setup-checklist"' in html
    for step in ("Campaigns, or a source that creates them", "Spend: an ad platform connected, or spend imported",
                 "Leads: a CRM connected, or leads imported", "Qualification criteria", "Buyer personas", "Holidays",
                 "Contracts", "Targets"):
        assert step in html
    assert html.count('class="todo"') == 8
    connection.set_tenant(tenant_a)
    Campaign.objects.create(id="c1", name="C1", channel="email")
    Persona.objects.create(code="cfo", name="CFO")
    html = staff_http.get("/").content.decode()
    assert html.count('class="todo"') == 6 and html.count('class="done"') == 2
    connection.set_tenant(tenant_a)
    CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria={"fit": {}, "threshold": 0})
    Holiday.objects.create(date=dt.date(2026, 1, 1))
    Contract.objects.create(id="K", account="a", kind="retainer", start_date=dt.date(2026, 1, 1), term_months=1, monthly_fee=1)
    Spend.objects.create(id="s1", date=dt.date(2026, 1, 5), category="media", amount=1)
    Lead.objects.create(id="L1", created_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    assert 'id="setup-checklist"' not in staff_http.get("/").content.decode()


def test_targets_are_an_optional_step_that_links_the_targets_page(staff_http, tenant_a, staff_a) -> None:
    """An account manager setting up a client was never told of targets (set one KPI at a time in the
    scorecard's folded tools): the list offers the targets page, marked optional, and never waits for it."""
    html = staff_http.get("/").content.decode()
    checklist = html[html.index('id="setup-checklist"'):]
    assert 'class="todo"' in _step(checklist, "Targets</a>") and '<a href="/targets/">Targets</a>' in checklist
    assert "data-optional" in checklist.split("Targets</a>", 1)[1][:200]
    assert "(opcional)" in staff_http.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    target_set(client=tenant_a, month=dt.date(2026, 1, 1), kpi="new_leads", value=40, user=staff_a)
    html = staff_http.get("/").content.decode()
    assert 'class="done"' in _step(html[html.index('id="setup-checklist"'):], "Targets")
    connection.set_tenant(tenant_a)
    Campaign.objects.create(id="c1", name="C1", channel="email")
    Persona.objects.create(code="cfo", name="CFO")
    CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria={"fit": {}, "threshold": 0})
    Holiday.objects.create(date=dt.date(2026, 1, 1))
    Contract.objects.create(id="K", account="a", kind="retainer", start_date=dt.date(2026, 1, 1), term_months=1, monthly_fee=1)
    Spend.objects.create(id="s1", date=dt.date(2026, 1, 5), category="media", amount=1)
    Lead.objects.create(id="L1", created_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    Target.objects.filter(client=tenant_a).delete()
    assert 'id="setup-checklist"' not in staff_http.get("/").content.decode()  # done without targets


def _step(html: str, label: str) -> str:
    return html.split(label, 1)[0].rsplit("<li ", 1)[1]


def test_a_client_fed_only_by_its_ad_platforms_is_told_its_leads_need_a_crm(staff_http, tenant_a) -> None:
    """The walk of 2026-12-07 (newclient14): Google Ads, Meta and LinkedIn connected, the list had
    every data step ticked, and the first report went out with 0 new leads as if nobody had come.
    Leads are a step of their own: done once leads are imported, or a CRM is connected (its
    backfill brings them), not by spend and campaigns."""
    connection.set_tenant(tenant_a)
    Campaign.objects.create(id="c1", name="Search · Brand", channel="paid_search")
    Spend.objects.create(id="s1", date=dt.date(2026, 1, 5), category="media", amount=120)
    html = staff_http.get("/").content.decode()
    label = "Leads: a CRM connected, or leads imported"
    assert 'class="todo"' in _step(html, label)
    assert "Ad platforms bring spend and clicks, not leads." in html
    assert 'class="done"' in _step(html, "Spend: an ad platform connected, or spend imported")
    connection.set_tenant(tenant_a)
    Connection.objects.create(platform="hubspot", account_id="4242")
    assert 'class="done"' in _step(staff_http.get("/").content.decode(), label)
    connection.set_tenant(tenant_a)
    Connection.objects.all().delete()
    assert 'class="todo"' in _step(staff_http.get("/").content.decode(), label)
    connection.set_tenant(tenant_a)
    Lead.objects.create(id="L1", created_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    assert 'class="done"' in _step(staff_http.get("/").content.decode(), label)


def test_the_leads_step_in_spanish(staff_http, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    html = staff_http.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Leads: un CRM conectado, o leads importados" in html
    assert "Las plataformas de anuncios traen inversión y clics, no leads." in html


def test_the_scorecard_warns_while_there_are_no_criteria(staff_http, tenant_a, client_user_a) -> None:
    html = staff_http.get("/scorecard/").content.decode()
    assert 'id="no-criteria-warning"' in html and "not because there were no MQLs" in html
    client_http = HttpClient(HTTP_HOST=host_of(tenant_a))
    client_http.force_login(client_user_a)
    assert 'id="no-criteria-warning"' in client_http.get("/scorecard/").content.decode()
    connection.set_tenant(tenant_a)
    CriteriaVersion.objects.create(version=1, effective_from=dt.date(2026, 1, 1), criteria={"fit": {}, "threshold": 0})
    assert 'id="no-criteria-warning"' not in staff_http.get("/scorecard/").content.decode()


def _warning(html: str) -> str:
    return html.split('id="no-spend-warning"', 1)[1].split("</div>", 1)[0]


def test_the_scorecard_says_its_cost_figures_are_zero_for_want_of_spend(staff_http, tenant_a, client_user_a) -> None:
    html = staff_http.get("/scorecard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'id="no-spend-warning"' in html and "no porque no se haya invertido nada" in html
    assert 'href="/imports/"' in _warning(html)  # staff: where to connect or import it
    client_http = HttpClient(HTTP_HOST=host_of(tenant_a))
    client_http.force_login(client_user_a)
    # the client's page reads nothing but its approved version: the draft's words tell the client instead
    assert 'id="no-spend-warning"' not in client_http.get("/scorecard/").content.decode()
    connection.set_tenant(tenant_a)
    Spend.objects.create(id="s1", date=dt.date(2026, 1, 5), category="media", amount=1)
    assert 'id="no-spend-warning"' not in staff_http.get("/scorecard/").content.decode()


def test_the_warning_is_in_spanish_too(staff_http, staff_a) -> None:
    staff_a.language = "es"
    staff_a.save()
    html = staff_http.get("/scorecard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Aún no hay criterios de cualificación" in html


def test_every_example_file_imports(tenant_a, tmp_path) -> None:
    for kind in KIND_ORDER:
        path = tmp_path / f"{kind}.csv"
        path.write_text(kind_example_csv(kind), encoding="utf-8")
        result = data_import(kind=kind, path_or_file=path, client=tenant_a)
        assert result.ok, (kind, [str(e) for e in result.errors])
        assert result.rows == len(EXAMPLES[kind]) - 1


def test_every_column_has_a_description() -> None:
    for kind in KIND_ORDER:
        for column in kind_columns(kind):
            assert column["description"], (kind, column["name"])


def test_the_example_file_downloads(staff_http) -> None:
    response = staff_http.get("/imports/examples/spend.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().startswith("id,date,category,amount")


def test_the_client_never_sees_the_agencys_checklist_and_reads_its_data_in_words(client_user_a, tenant_a, tmp_path) -> None:
    connection.set_tenant(tenant_a)
    assert data_import(kind="traffic", path_or_file=_traffic_csv(tmp_path), client=tenant_a).ok
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(client_user_a)
    assert 'id="setup-checklist"' not in http.get("/").content.decode()
    panel = http.get("/panels/data/").content.decode()
    assert "Tráfico diario" in panel and ">traffic<" not in panel  # the kind in words, not its key
    assert "1.200" in panel or "1\xa0200" in panel  # 1,200 rows in the reader's number format
    # a kind without rows, and the personas (no dates), say why their days are empty: never a bare "—"
    assert "todavía no hay" in panel and "—" not in panel
    connection.set_tenant(tenant_a)
    Persona.objects.create(code="cfo", name="CFO")
    assert "una lista, sin fechas" in http.get("/panels/data/").content.decode()
    english_http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="en")
    english_http.force_login(client_user_a)
    english = english_http.get("/panels/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "none yet" in english and "a list, without dates" in english


def _traffic_csv(folder):
    """1,200 traffic rows (one day, one landing page each)."""
    path = folder / "traffic.csv"
    rows = [f"2026-03-01,direct,desktop,1,0,0,0,/p{n}," for n in range(1200)]
    header = "date,channel,device,sessions,bounced_sessions,pageviews,form_submissions,landing_page,social_network\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_staff_set_the_holidays_on_a_screen_from_the_checklist(staff_http, tenant_a) -> None:
    assert 'href="/holidays/"' in staff_http.get("/").content.decode()  # the step links to its screen
    refused = staff_http.post("/holidays/", {"dates": "2026-12-25\n25/12/2026"})
    assert refused.status_code == 422 and "is not a date in the form YYYY-MM-DD" in refused.content.decode()
    connection.set_tenant(tenant_a)
    assert not Holiday.objects.exists()  # nothing written
    assert staff_http.post("/holidays/", {"dates": "2026-12-25, 2027-01-01\n2026-12-25"}).status_code == 302
    connection.set_tenant(tenant_a)
    assert sorted(Holiday.objects.values_list("date", flat=True)) == [dt.date(2026, 12, 25), dt.date(2027, 1, 1)]
    assert "2026-12-25\n2027-01-01" in staff_http.get("/holidays/").content.decode()


def test_the_home_panels_speak_to_staff_as_staff(staff_http, tenant_a, client_user_a) -> None:
    data = staff_http.get("/panels/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The client's data" in data and "Your agency has not imported" not in data and 'href="/imports/"' in data
    team = staff_http.get("/panels/team/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Client users" in team and "People at your company" not in team
    assert "<li>sam-staff@example.com</li>" in team  # no full name: the email, as the close names people
    client_http = HttpClient(HTTP_HOST=host_of(tenant_a))
    client_http.force_login(client_user_a)
    assert "Your agency has not added any of your data yet" in client_http.get("/panels/data/").content.decode()  # own words
    assert "People at your company" in client_http.get("/panels/team/").content.decode()


def test_staff_are_offered_the_invitation_while_nobody_from_the_client_has_access(staff_http, tenant_a) -> None:
    team = staff_http.get("/panels/team/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nobody from the client has access yet." in team and "/clients/alpha/?back=/#client-users" in team


def test_inviting_a_client_user_from_the_home_comes_back_to_the_home(staff_http, staff_a, tenant_a) -> None:
    """The walk of a new Spanish client: the home's "Invite a client user" left staff in the console
    after sending (the month page's link already came back). Now the console's form goes back home."""
    import re

    from agency.views.auth import HANDOFF_PATHS

    team = staff_http.get("/panels/team/").content.decode()
    link = re.search(r'href="http://localhost:8000(/clients/alpha/\?back=[^"#]+)#client-users"', team).group(1)
    console = HttpClient(HTTP_HOST=host_of(None))
    console.force_login(staff_a)
    assert 'name="back" value="/"' in console.get(link).content.decode()
    response = console.post("/clients/alpha/invite/", {"email": "lu@alpha.example", "back": "/"})
    assert response.status_code == 200  # a page that moves on by itself, to the client's portal
    moves_on = re.search(r'content="0;url=([^"]+)"', response.content.decode()).group(1)
    assert moves_on.startswith(f"http://{host_of(tenant_a)}:8000/accounts/handoff/start/")
    assert list(console.session[HANDOFF_PATHS].values()) == ["/"]


def test_staff_see_who_sets_the_criteria_and_can_read_them_from_the_checklist(staff_http, admin_user, tenant_a) -> None:
    """The criteria step is an admin's: for staff it was plain text, a dead end; it links to the
    (read-only) criteria page and says who sets them, in the viewer's language."""
    html = staff_http.get("/").content.decode()
    step = html[html.index('id="setup-checklist"'):]
    assert '<a href="/criteria/">Qualification criteria</a>' in step and "An agency admin sets them: ask one." in step
    spanish = staff_http.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Los fija un administrador de la agencia: pídeselo a uno." in spanish
    admin = HttpClient(HTTP_HOST=host_of(tenant_a))
    admin.force_login(admin_user)
    admin_html = admin.get("/").content.decode()
    assert '<a href="/criteria/new/">Qualification criteria</a>' in admin_html and "data-admin-only" not in admin_html


def test_the_set_up_pages_speak_spanish_in_one_register(staff_http) -> None:
    """The portal says tú ("Elige", "Importa"); the upload card and the checklist said usted ("Suelte
    el informe", "Importe primero", "Déjelo a la detección") beside it."""
    imports = staff_http.get("/imports/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    home = staff_http.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Suelta el informe tal como lo descargaste" in imports and "Déjalo a la detección" in imports
    assert "Importa primero las campañas (la inversión" in home
    for usted in ("Suelte", "Déjelo", "Importe primero", "indique el tipo"):
        assert usted not in imports + home, usted


def test_a_kind_whose_rows_are_all_of_one_day_shows_that_day_once(client_user_a, tenant_a) -> None:
    """One contract: its "Days" read "1 ene 2026 – 1 ene 2026" on the client's home."""
    from decimal import Decimal

    connection.set_tenant(tenant_a)
    Contract.objects.create(id="k1", account="a", kind="retainer", start_date=dt.date(2026, 1, 1), term_months=12,
                            monthly_fee=Decimal("45000"))
    http = HttpClient(HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    http.force_login(client_user_a)
    panel = http.get("/panels/data/").content.decode()
    row = panel[panel.index("Contratos") :].split("</tr>")[0]
    assert row.count("1 ene 2026") == 1, row
