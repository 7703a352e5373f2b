"""How a figure and its note read, in English and Spanish: a note beside a value (a revenue figure counting
some customers only, nurture leads no campaign is marked for) has its own column in the scorecard CSV,
apart from why a figure has no value, and its line under the figure in the PDF's details and the email;
nurture leads of 0 say when no campaign is marked nurture (kpis.nurture); a tile's change names, for a
screen reader, the month it is against."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection

from kpis.services import report_pdf_build, snapshot_compute
from tests.conftest import host_of
from tests.kpis.test_paid_media import write  # noqa: F401 -- fixture
from tests.kpis.test_paid_media_report import _pdf_text
from tests.kpis.test_unmatched_leads_screens import COLUMN, http_for, tile
from tests.kpis.test_unpriced_revenue_screens import PARTIAL, _client

pytestmark = pytest.mark.django_db

FEBRUARY, MARCH = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
NOTE_COLUMN = {"en": "Note on the value", "es": "Nota sobre el valor"}
NURTURE = {  # what a client reads: what the 0 means, not how the agency marks a campaign
    "en": "None of your campaigns is counted as a nurture campaign, so no lead can count here: 0 does not mean "
          "nurturing brought no leads.",
    "es": "Ninguna de tus campañas cuenta como campaña de nutrición, así que aquí no puede contarse ningún lead: 0 no "
          "significa que la nutrición no trajera leads.",
}
NURTURE_STAFF = {  # what staff read: where a campaign is marked nurture
    "en": "No campaign is marked nurture, so no lead can count here: 0 does not mean nurturing brought no leads. "
          "A campaign is marked nurture in the campaigns file (its nurture column).",
    "es": "Ninguna campaña está marcada como de nutrición, así que aquí no puede contarse ningún lead: 0 no significa "
          "que la nutrición no trajera leads. Una campaña se marca como de nutrición en el archivo de campañas (su "
          "columna nurture).",
}
# The agency's words a client never reads beside its nurture leads.
NURTURE_FIX = {"en": ("campaigns file", "nurture column"), "es": ("archivo de campañas", "columna nurture")}


def _csv_rows(user, tenant, language: str) -> list[list[str]]:
    content = http_for(user, language).get("/scorecard/export.csv?month=2026-03", HTTP_HOST=host_of(tenant)).content
    return list(csv.reader(io.StringIO(content.decode())))


SAME_AS_ABOVE = {"en": "Same as above.", "es": "Igual que arriba."}


def _pdf(tenant, language: str) -> str:
    connection.set_tenant(tenant)
    return " ".join(_pdf_text(report_pdf_build(client=tenant, month=MARCH, language=language)).split())


@pytest.fixture
def partial(in_tenant_a, write):  # noqa: F811 -- the fixture of the same name
    """March: 2 of 3 customers without a deal value (revenue and ROMI partial); no traffic rows (sessions "—")."""
    _client(in_tenant_a, write, march_priced=9000)
    return in_tenant_a


def _leads(tenant, *, marked: bool) -> None:
    """February and March with 3 new leads each from a campaign not marked nurture; ``marked``: another
    campaign, without leads, is marked nurture."""
    from clients.models import Campaign, Lead

    connection.set_tenant(tenant)
    Campaign.objects.create(id="g1", name="Search", channel="paid_search")
    if marked:
        Campaign.objects.create(id="n1", name="Onboarding emails", channel="email", nurture=True)
    Lead.objects.bulk_create([
        Lead(id=f"l{month.month}-{i}", created_at=dt.datetime(month.year, month.month, 3, 10, tzinfo=dt.UTC),
             campaign_id="g1")
        for month in (FEBRUARY, MARCH) for i in range(3)
    ])  # fmt: skip
    snapshot_compute(client=tenant, months=[FEBRUARY, MARCH])
    connection.set_schema_to_public()


@pytest.fixture
def unmarked(tenant_a):
    _leads(tenant_a, marked=False)
    return tenant_a


# --- 1. the CSV: a note on a value in its own column -------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_scorecard_csv_puts_a_partial_note_in_its_own_column(client_user_a, partial, language):
    rows = _csv_rows(client_user_a, partial, language)
    assert rows[0][-3:] == [NOTE_COLUMN[language], COLUMN[language], "key"], rows[0]
    for key in ("revenue", "romi", "marketing_revenue"):
        row = next(r for r in rows if r[-1] == key)
        assert row[2] and row[-3] == PARTIAL[language] and row[-2] == "", row  # a value, and why it is partial
    sessions = next(r for r in rows if r[-1] == "sessions")  # no traffic rows: no value, and why
    assert sessions[2] == "" and sessions[-3] == "" and sessions[-2], sessions
    assert not [r for r in rows[1:] if r[2] and r[-2]], "a value beside a reason for no value"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_details_say_a_figure_is_partial_under_its_change(client_user_a, partial, language):
    """The summary says it under ROMI (always in it); the details say it under revenue, marketing revenue,
    ROI and ROMI too, where a change alone hid it (a note the same as the row above's reads "Same as above.")."""
    partial.headline_kpis = ["new_leads", "customers"]
    partial.save()
    text = _pdf(partial, language)
    assert text.count(PARTIAL[language]) >= 2, text  # the summary's, and the details' first
    assert text.count(PARTIAL[language]) + text.count(SAME_AS_ABOVE[language]) >= 1 + 4, text


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_emails_key_figures_say_a_figure_is_partial_beside_its_change(client_user_a, partial, language):
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    connection.set_tenant(partial)
    month_approve(client=partial, month=MARCH, user=None, checks_reason="Two deal values are missing.")
    assert outbox_send_due(client=partial) == 1
    body = mail.outbox[0].body
    figures = body[body.index("Key figures" if language == "en" else "Cifras clave") :]
    revenue = next(line for line in figures.splitlines() if line.startswith({"en": "Revenue:", "es": "Ingresos:"}[language]))
    assert re.search(r"\(.+\)\. " + re.escape(PARTIAL[language]), revenue), revenue  # the change, then the note


# --- 2. nurture leads when no campaign is marked nurture -----------------------------------------------


@pytest.mark.parametrize("language", ["en", "es"])
def test_nurture_leads_of_0_say_no_campaign_is_marked(client_user_a, unmarked, language):
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(unmarked)).content.decode())
    shown = tile(html, "nurture_leads")
    assert '<p class="value">0</p>' in shown and NURTURE[language] in shown, shown  # kpis.md's 0, with its note
    row = next(r for r in _csv_rows(client_user_a, unmarked, language) if r[-1] == "nurture_leads")
    assert (row[2], row[-3], row[-2]) == ("0", NURTURE[language], ""), row
    assert NURTURE[language] in _pdf(unmarked, language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_client_reads_what_the_0_means_and_staff_where_a_campaign_is_marked(client_user_a, staff_a, unmarked,
                                                                               language):
    """The client's page, PDF and email say what the 0 means, never the agency's file and its column;
    staff's page at the client's address keeps where a campaign is marked nurture."""
    from django.core import mail

    from clients.outbox import outbox_send_due
    from reports.services import month_approve

    def page(user) -> str:
        return unescape(http_for(user, language).get("/scorecard/?month=2026-03",
                                                     HTTP_HOST=host_of(unmarked)).content.decode())

    unmarked.headline_kpis = ["new_leads", "nurture_leads", "mqls", "sqls", "customers", "sessions"]  # in the email
    unmarked.save()
    client_page, staff_page = page(client_user_a), page(staff_a)
    assert NURTURE[language] in tile(client_page, "nurture_leads")
    assert NURTURE_STAFF[language] in tile(staff_page, "nurture_leads")
    assert NURTURE[language] not in staff_page
    client_user_a.email, client_user_a.language = "ann@alpha.example", language
    client_user_a.save()
    connection.set_tenant(unmarked)
    month_approve(client=unmarked, month=MARCH, user=None, checks_reason="Checked.")
    assert outbox_send_due(client=unmarked) == 1
    message = mail.outbox[0]
    email = message.body + unescape(message.alternatives[0][0])
    pdf = _pdf(unmarked, language)
    for text in (client_page, pdf, email):
        for words in NURTURE_FIX[language]:
            assert words not in text
    assert NURTURE[language] in pdf and NURTURE[language] in email
    for words in NURTURE_FIX[language]:
        assert words in staff_page


@pytest.mark.parametrize("language", ["en", "es"])
def test_nurture_leads_of_0_with_a_campaign_marked_are_a_plain_0(client_user_a, tenant_a, language):
    _leads(tenant_a, marked=True)
    html = unescape(http_for(client_user_a, language).get("/scorecard/?month=2026-03",
                                                          HTTP_HOST=host_of(tenant_a)).content.decode())
    assert '<p class="value">0</p>' in tile(html, "nurture_leads")
    assert NURTURE[language] not in html
    assert NURTURE[language] not in _pdf(tenant_a, language)


def test_an_approved_month_keeps_its_answer_when_a_campaign_is_marked_later(client_user_a, unmarked):
    from clients.models import Campaign
    from reports.models import ReportVersion
    from reports.services import month_approve

    connection.set_tenant(unmarked)
    month_approve(client=unmarked, month=MARCH, user=None, checks_reason="Checked.")
    assert ReportVersion.objects.get(month=MARCH).document["report"]["nurture_marked"] is False
    Campaign.objects.filter(id="g1").update(nurture=True)  # marked after the report was sent
    connection.set_schema_to_public()
    cache.clear()
    html = unescape(http_for(client_user_a, "en").get("/scorecard/?month=2026-03",
                                                      HTTP_HOST=host_of(unmarked)).content.decode())
    assert NURTURE["en"] in tile(html, "nurture_leads")


# --- 3. a change names the month it is against, for a screen reader ------------------------------------


AGAINST = {
    ("en", "month"): "against February 2026", ("es", "month"): "frente a febrero de 2026",
    ("en", "year"): "against March 2025", ("es", "year"): "frente a marzo de 2025",
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("compare", ["month", "year"])
def test_a_tiles_change_names_its_month_for_a_screen_reader(client_user_a, unmarked, language, compare):
    html = unescape(http_for(client_user_a, language).get(f"/scorecard/?month=2026-03&compare={compare}",
                                                          HTTP_HOST=host_of(unmarked)).content.decode())
    hidden = f'<span class="visually-hidden">{AGAINST[language, compare]}</span>'
    assert hidden in tile(html, "new_leads"), tile(html, "new_leads")
    summary = html[html.index('data-kpi="new_leads" data-summary') :]
    assert hidden in summary[: summary.index("</article>")]
    assert "against the comparison month" not in html and "respecto al mes de comparación" not in html
    if compare == "year":  # no March 2025 at all: "nothing to compare", its hover naming the month too
        hover = {"en": "No figure for this in March 2025.", "es": "No hay esta cifra en marzo de 2025."}[language]
        assert f'title="{hover}"' in tile(html, "new_leads"), tile(html, "new_leads")


def test_a_first_months_change_names_no_month(client_user_a, unmarked):
    html = unescape(http_for(client_user_a, "en").get("/scorecard/?month=2026-02",
                                                      HTTP_HOST=host_of(unmarked)).content.decode())
    shown = tile(html, "new_leads")
    assert "first full month" in shown and "visually-hidden" not in shown[shown.index("first full month") :], shown


CHANGES_LINE = {
    "en": "Changes are against February 2026. pp: percentage points.",
    "es": "Las variaciones son frente a febrero de 2026. pp: puntos porcentuales.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pdf_says_which_month_its_changes_are_against(partial, language):
    """The page has its "Compare with"; on paper "+125.0 %" said against what nowhere (twice: under the
    summary and under the details' heading, pages apart)."""
    assert _pdf(partial, language).count(CHANGES_LINE[language]) == 2


def test_a_first_months_pdf_names_no_month_to_compare(unmarked):
    connection.set_tenant(unmarked)
    text = " ".join(_pdf_text(report_pdf_build(client=unmarked, month=FEBRUARY, language="en")).split())
    assert "first full month" in text and "Changes are against" not in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_breakdown_lists_its_members_in_the_readers_words_order(client_user_a, tenant_a, language):
    """Sorted by their codes, Spanish channels read "Directo, Correo electrónico, Búsqueda orgánica…" and
    campaigns by id; in words and alphabetical (accents aside): the page, the CSV, the PDF."""
    from clients.models import Campaign, Lead

    connection.set_tenant(tenant_a)
    Campaign.objects.bulk_create([Campaign(id="a1", name="Zeta retargeting", channel="display"),
                                  Campaign(id="b2", name="Alpha search", channel="paid_search")])
    at = dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create([
        Lead(id="d", created_at=at, channel="direct"), Lead(id="o", created_at=at, channel="organic_search"),
        Lead(id="e", created_at=at, channel="email"),
        Lead(id="z", created_at=at, campaign_id="a1"), Lead(id="a", created_at=at, campaign_id="b2"),
    ])  # fmt: skip
    snapshot_compute(client=tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    expected = {
        "en": ["Direct", "Display", "Email", "Organic search", "Paid search"],
        "es": ["Búsqueda de pago", "Búsqueda orgánica", "Correo electrónico", "Directo", "Display"],
    }[language]
    http = http_for(client_user_a, language)
    html = unescape(http.get("/scorecard/breakdowns/channel/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode())
    assert re.findall(r'<th scope="row">([^<]*)</th>', html) == expected
    rows = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/channel/export.csv?month=2026-03",
                                                HTTP_HOST=host_of(tenant_a)).content.decode())))
    assert [row[0] for row in rows[1:]] == expected
    campaigns = list(csv.reader(io.StringIO(http.get("/scorecard/breakdowns/campaign/export.csv?month=2026-03",
                                                     HTTP_HOST=host_of(tenant_a)).content.decode())))
    assert [row[0] for row in campaigns[1:]][:2] == ["Alpha search", "Zeta retargeting"]
    text = _pdf(tenant_a, language)
    positions = [text.index(f" {member} ", text.index({"en": "Breakdowns", "es": "Desgloses"}[language]))
                 for member in expected]
    assert positions == sorted(positions), positions


@pytest.mark.parametrize("language", ["en", "es"])
def test_not_attributed_comes_last_and_accents_sort_with_their_letter(language):
    from django.utils import translation

    from kpis.breakdowns_shown import reading_order

    with translation.override(language):
        unknown = {"en": "Not attributed", "es": "Sin atribuir"}[language]
        members = ["Zeta", unknown, "Éxito", "búsqueda", "Alpha", "Correo"]
        assert sorted(members, key=reading_order) == ["Alpha", "búsqueda", "Correo", "Éxito", "Zeta", unknown]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_funnel_step_above_100_percent_says_why_under_the_funnel(language):
    """"SQLs 9 — 150.0 % of MQLs" stood in the funnel without the word its tile has."""
    from types import SimpleNamespace

    from django.utils import translation

    from kpis.report import funnel_chart
    from kpis.scorecard import over_100_note

    values = {"sessions": 1542, "new_leads": 45, "mqls": 6, "sqls": 9, "customers": 0}
    card = SimpleNamespace(kpi=values.get, snapshot=None, month=MARCH, not_fact=lambda month, key: "")
    with translation.override(language):
        said = over_100_note("mql_to_sql_rate", 1.5)  # the tile's words, in the reader's language
        assert said.startswith({"en": "Above 100 %: this month's SQLs", "es": "Por encima del 100"}[language]), said
        assert said in funnel_chart(card, accent="#1f5fbf").scale_note
        values["sqls"] = 5
        assert said not in funnel_chart(card, accent="#1f5fbf").scale_note


RUNNING = {
    "en": "No new customer yet this month, so no revenue to set against its spend so far: this figure is judged once "
          "the month is complete.",
    "es": "Todavía no hay clientes nuevos este mes, así que no hay ingresos que comparar con la inversión hasta ahora: "
          "esta cifra se valora cuando el mes termine.",
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_return_of_the_month_in_progress_before_its_first_customer_says_so(client_user_a, tenant_a, language):
    """On March 16th, with spend and leads but no customer yet, ROMI reads −100 % (kpis.md); it says why that is
    no verdict. Once March is over, the same −100 % stands without the note."""
    import time_machine

    from clients.models import Spend

    _leads(tenant_a, marked=True)
    connection.set_tenant(tenant_a)
    Spend.objects.create(id="s1", date=dt.date(2026, 3, 2), category="media", amount=500, campaign_id="g1")
    snapshot_compute(client=tenant_a, months=[MARCH])
    connection.set_schema_to_public()
    http = http_for(client_user_a, language)
    with time_machine.travel(dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)):
        html = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode())
    for key in ("romi", "roi"):
        assert RUNNING[language] in tile(html, key), tile(html, key)
    assert RUNNING[language] not in tile(html, "marketing_spend")
    cache.clear()
    with time_machine.travel(dt.datetime(2026, 4, 10, 12, tzinfo=dt.UTC)):
        html = unescape(http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode())
    assert RUNNING[language] not in html and "-100.0 %" in tile(html, "romi").replace("-100,0 %", "-100.0 %")


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_change_across_0_is_said_in_words_not_as_a_percentage(language):
    """A revenue uplift from +€658 to −€51,833 read "-7875.0 %" (Umbrella's November): across 0 a
    percentage means nothing; in words, as a change from 0 is."""
    from django.utils import translation

    from kpis.formatting import change, change_shown

    with translation.override(language):
        down = change_shown("revenue_uplift", -51833.33, 658.33)
        assert (down["text"], down["good"]) == ({"en": "down below 0", "es": "baja por debajo de 0"}[language], False)
        assert down["why"] == {"en": "A change across 0 has no percentage.",
                               "es": "Un cambio que cruza el 0 no tiene porcentaje."}[language]
        up = change_shown("revenue_uplift", 300.0, -200.0)
        assert (up["text"], up["good"]) == ({"en": "up above 0", "es": "sube por encima de 0"}[language], True)
        assert change("revenue_uplift", -51833.33, 658.33) is None
        assert change("revenue_uplift", -100.0, -200.0)["text"].endswith("%")  # both below 0: a percentage still
        assert change("revenue_uplift", 0, 658.33)["text"] == "-100.0 %".replace(".", "," if language == "es" else ".")
