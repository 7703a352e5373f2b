""""Draft from the figures" on the close page: traceable sentences, never over a person's words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from clients.models import Lead, Spend
from kpis.checks.selectors import month_checks_read
from kpis.models import CheckResult, Snapshot
from kpis.services import snapshot_compute, target_set
from reports.models import Commentary
from reports.selectors import commentary_texts
from reports.selectors_draft import month_draft_for
from reports.services import commentary_save
from reports.services_draft import commentary_draft_apply
from tests.reports.conftest import MARCH, browser_for

pytestmark = pytest.mark.django_db
FEBRUARY = dt.date(2026, 2, 1)


@pytest.fixture
def two_months(march):
    """February: 4 leads for 1,000 EUR (250 a lead); March (the fixture's): 8 for 1,725.76 (215.72)."""
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"f{i}", created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC)) for i in range(4)])
        Spend.objects.create(id="s-feb", date=dt.date(2026, 2, 5), category="media", amount=Decimal("1000"))
    snapshot_compute(client=march, months=[FEBRUARY, MARCH])
    return march


def test_every_figure_of_the_draft_is_the_snapshots_own(two_months) -> None:
    target_set(client=two_months, month=MARCH, kpi="new_leads", value=10)
    with schema_context("alpha"):
        documents = {s.month: s.document for s in Snapshot.objects.all()}
        draft = month_draft_for(client=two_months, month=MARCH, language="en")
    texts = [line.text for line in draft.lines()]
    assert "Cost per lead fell 13.7 % against February 2026, from €250.00 to €215.72." in texts
    # 4 leads the month before: a change of a number, as the tile ("+4") and "What changed" say it.
    assert "New leads rose by 4 against February 2026, from 4 to 8." in texts
    assert "Target missed for new leads: 8 against 10." in texts
    stored = 0
    for line in draft.lines():
        for figure in line.figures:
            assert figure.shown in line.text and figure.why in line.why
            if not figure.derived:
                document = documents[figure.month]
                source = document["breakdowns"][figure.dimension][figure.member] if figure.dimension else document["kpis"]
                assert figure.value == source[figure.kpi]
                stored += 1
    assert stored >= 8


def test_the_button_fills_empty_sections_and_never_a_persons_words(two_months, staff_a) -> None:
    commentary_save(client=two_months, month=MARCH, section="wins", text="A record month for demos.", user=staff_a)
    filled, kept = commentary_draft_apply(client=two_months, month=MARCH, user=staff_a, language="en")
    assert kept == ["wins"] and set(filled) == {"summary", "concerns", "next_steps"}
    with schema_context("alpha"):
        texts = commentary_texts(month=MARCH)
        assert texts["wins"] == "A record month for demos."
        assert texts["summary"].startswith("March 2026 brought 0 MQLs from 8 new leads")
        assert Commentary.objects.filter(month=MARCH, section="summary", drafted=True).count() == 1
    # Pressing again changes nothing; a person's edit of a drafted section makes it theirs.
    assert commentary_draft_apply(client=two_months, month=MARCH, user=staff_a, language="en") == ([], ["wins"])
    commentary_save(client=two_months, month=MARCH, section="summary", text="Our own summary.", user=staff_a)
    filled, kept = commentary_draft_apply(client=two_months, month=MARCH, user=staff_a, language="en")
    assert "summary" in kept and "summary" not in filled
    with schema_context("alpha"):
        assert commentary_texts(month=MARCH)["summary"] == "Our own summary."


def test_the_close_page_links_each_number_and_explains_each_sentence_in_spanish(two_months, staff_a) -> None:
    two_months.language = "es"  # a Spanish client: its draft is in Spanish (the language it is written to)
    two_months.save(update_fields=["language"])
    http = browser_for(staff_a, two_months, language="es")
    page = http.get("/reports/2026-03/").content.decode()
    panel = page[page.index('class="card draft-panel"') : page.index('class="card close-form"')]
    assert "Redactar a partir de las cifras" in panel
    link = r'<a class="figure" href="/scorecard/\?month=2026-03#kpi-cpl" title="Costo por lead, marzo de 2026: 215,72'
    assert re.search(link, panel)
    assert 'class="draft-sentence" title="' in panel
    english = re.compile(r"\b(the|of|from|rose|fell|against|working|target|month|spend|quarter|with|Draft)\b")
    visible = re.sub(r"<[^>]+>", " ", panel)
    assert not english.search(visible), english.search(visible)
    response = http.post("/reports/2026-03/draft/")
    assert response.status_code == 302
    with schema_context("alpha"):
        assert commentary_texts(month=MARCH)["summary"].startswith("Marzo de 2026 trajo")


def test_a_client_with_one_month_gets_a_draft_that_says_so(march, staff_a) -> None:
    with schema_context("alpha"), translation.override("en"):
        draft = month_draft_for(client=march, month=MARCH, language="en")
    assert draft.first_month
    assert "There is no earlier month to compare with yet" in draft.text("summary")
    page = browser_for(staff_a, march, language="en").get("/reports/2026-03/").content.decode()
    assert "first month with figures: the draft describes the month" in page


def test_client_users_cannot_draft(march, client_user_a) -> None:
    assert browser_for(client_user_a, march).post("/reports/2026-03/draft/").status_code == 404


def test_the_months_unresolved_checks_come_first_among_the_concerns(two_months, staff_a) -> None:
    with schema_context("alpha"):
        CheckResult.objects.create(
            month=MARCH, key="coverage.source_stale", subject="spend", family="coverage", severity="high",
            figures={"source": "spend", "since": "2026-03-05"}, link="/imports/", computed_at=timezone.now(),
        )  # fmt: skip
        CheckResult.objects.create(
            month=MARCH, key="coverage.source_stale", subject="email", family="coverage", severity="high",
            figures={"source": "email", "since": "2026-03-02"}, computed_at=timezone.now(), resolved_at=timezone.now(),
        )  # fmt: skip
    with schema_context("alpha"), translation.override("en"):
        checks = sorted(month_checks_read(month=MARCH, currency="EUR"), key=lambda c: c["resolved_at"] is not None)
        draft = month_draft_for(client=two_months, month=MARCH, language="en")
    # the resolved one too, after: its data is still missing (test_a_resolved_data_check_stays_…)
    assert len(checks) == 2 and checks[1]["resolved_at"]
    concerns = draft.sections["concerns"]
    assert [line.text for line in concerns[: len(checks)]] == [c["sentence"] for c in checks]
    assert concerns[0].key == "check_coverage.source_stale"
    # What the reader hovers is the check's rule in words, never its stored keys and raw values.
    assert concerns[0].why == f"{checks[0]['family_label']}: {checks[0]['rule']}"
    assert "since:" not in concerns[0].why and "2026-03-05" not in concerns[0].why
    assert 'href="/imports/"' in concerns[0].html


def test_a_resolved_data_check_stays_among_the_concerns_a_resolved_anomaly_does_not(two_months, staff_a) -> None:
    """Resolving "traffic has no data for 4 days" said staff had looked; the draft then dropped it,
    and the client's report went out with four days of sessions missing and nothing said. The
    data is still missing: the draft says so. An anomaly resolved was explained: not said."""
    from reports.services import check_resolve

    with schema_context("alpha"):
        gap = CheckResult.objects.create(
            month=MARCH, key="coverage.source_gap", subject="traffic", family="coverage", severity="high",
            figures={"source": "traffic", "days": ["2026-03-13", "2026-03-14", "2026-03-15", "2026-03-16"], "count": 4},
            link="/imports/", computed_at=timezone.now(),
        )  # fmt: skip
        odd = CheckResult.objects.create(
            month=MARCH, key="anomaly.kpi", subject="sqls", family="anomaly", severity="high",
            figures={"kpi": "sqls", "value": 0.0, "expected": 1.98, "change": -1.0, "score": -6.7,
                     "months": 12, "seasonal": False},
            link="/scorecard/?month=2026-03#kpi-sqls", computed_at=timezone.now(),
        )  # fmt: skip
    for check in (gap, odd):
        check_resolve(client=two_months, month=MARCH, check_id=check.pk, note="GA4 tag off; sales on holiday", user=staff_a)
    with schema_context("alpha"):
        draft = month_draft_for(client=two_months, month=MARCH, language="en")
    keys = [line.key for line in draft.sections["concerns"]]
    assert "check_coverage.source_gap" in keys
    assert "check_anomaly.kpi" not in keys
    assert "Traffic has no data for 4 days of the month: Mar 13–16." in draft.text("concerns")


def test_an_anomalys_concern_is_hovered_as_its_rule_not_its_raw_figures(two_months, staff_a) -> None:
    with schema_context("alpha"):
        CheckResult.objects.create(
            month=MARCH, key="anomaly.kpi", subject="sqls", family="anomaly", severity="high",
            figures={"kpi": "sqls", "value": 0.0, "expected": 1.9783549783549783, "change": -1.0, "score": -6.7,
                     "months": 12, "seasonal": False},
            link="/scorecard/?month=2026-03#kpi-sqls", computed_at=timezone.now(),
        )  # fmt: skip
    page = browser_for(staff_a, two_months, language="en").get("/reports/2026-03/").content.decode()
    assert "per working day is 0.0" in page  # the check's sentence says its figures in words
    assert "Anomaly: Sessions, new leads, MQLs" in page  # what the reader hovers: the rule that found it
    for raw in ("kpi: sqls", "score: -6.7", "1.9783549783549783", "seasonal: False"):
        assert raw not in page


def test_the_draft_is_written_in_the_language_the_client_is_written_to_not_the_pages(two_months, staff_a) -> None:
    """A client without a language of its own gets the agency's default in its email and PDF: a
    draft written in the Spanish of the account manager's page went out under English headings."""
    two_months.language = ""
    two_months.save(update_fields=["language"])
    with translation.override("es"):  # the account manager's page
        commentary_draft_apply(client=two_months, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        summary = commentary_texts(month=MARCH)["summary"]
    assert summary.startswith("March 2026 brought"), summary
    two_months.language = "es"
    two_months.save(update_fields=["language"])
    with schema_context("alpha"):
        Commentary.objects.all().delete()
    with translation.override("en"):
        commentary_draft_apply(client=two_months, month=MARCH, user=staff_a)
    with schema_context("alpha"):
        assert commentary_texts(month=MARCH)["summary"].startswith("Marzo de 2026 trajo")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "New leads rose by 4 against February 2026, from 4 to 8."),
    ("es", "Leads nuevos: 4 más que en febrero de 2026, de 4 a 8."),
])
def test_the_draft_gives_a_small_count_its_change_as_a_number_not_a_percentage(two_months, staff_a, language, expected):
    """4 → 8 new leads read "rose 100.0 %" in the commentary while the tile said "+4": the draft staff
    start from follows "What changed" (kpis.formatting.small_base), in the words it writes into the box."""
    commentary_draft_apply(client=two_months, month=MARCH, user=staff_a, language=language)
    with schema_context("alpha"):
        wins = commentary_texts(month=MARCH)["wins"]
    assert f"- {expected}" in wins.splitlines(), wins
    assert "100.0 %" not in wins and "100,0 %" not in wins.replace("\xa0", " ")


def test_a_tracking_check_resolved_or_not_explains_the_moves_instead_of_the_channel_split(two_months, staff_a) -> None:
    """Leads without UTM tags count as Direct: the draft read Direct's "conversion" and a cost per
    lead moved by the channel split as results. With the month's tracking check stored (resolved:
    staff looked, the tags are still missing), no move is explained by a channel; the fault is said."""
    with schema_context("alpha"):
        CheckResult.objects.create(
            month=MARCH, key="tracking.leads_unattributed", subject="", family="tracking", severity="medium",
            figures={"count": 6, "leads": 8, "share": 0.75}, link="/scorecard/breakdowns/channel/?month=2026-03",
            computed_at=timezone.now(), resolved_at=timezone.now(),
        )  # fmt: skip
        draft = month_draft_for(client=two_months, month=MARCH, language="en")
    texts = [line.text for line in draft.lines()]
    said = ("6 of the 8 new leads of March 2026 arrived without a source tag, so the split by channel and campaign is "
            "not reliable for that month.")
    assert said in texts, texts
    assert not any(line.key.startswith("driver_") for line in draft.lines())
    page = browser_for(staff_a, two_months, language="en").get("/reports/2026-03/").content.decode()
    assert "arrived without a source tag" in page
