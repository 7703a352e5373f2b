"""The KPI catalogue is kpis.md's list of keys, once each, and the screens take their facts from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from django.utils import translation

from kpis import catalogue
from kpis.catalogue import GROUPS, KPI_KEYS, KPIS, Better, Unit, grouped_choices, headline_kpis, kpi, kpis_in
from kpis.glossary import not_loaded_sentence
from tests.example import spec_beside_repository_or_skip

SPEC_COPY = Path(__file__).resolve().parents[2] / "fixtures" / "kpis.md"
# kpis.md's sections that hold snapshot keys, and the catalogue group each belongs to.
SECTIONS = {
    "Traffic": "traffic",
    "Leads and funnel": "funnel",
    "Email": "email",
    "Cost and revenue": "cost_and_revenue",
    "Paid media": "paid_media",
    "Recurring revenue": "recurring_revenue_and_value",
    "Contract lifetime value with churn factors": "recurring_revenue_and_value",
}


def spec_keys(text: str) -> list[tuple[str, str]]:
    """(group, key) in kpis.md's order: the first cell of each section's table ("a, b" names
    several keys), and the contract section's "The snapshot also carries `…`" list and `contract_ltv`."""
    found = []
    for section in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _newline, body = section.partition("\n")
        group = next((g for title, g in SECTIONS.items() if heading.startswith(title)), None)
        if group is None:
            continue
        cells = [line.split("|")[1].strip() for line in body.splitlines() if line.startswith("|")]
        for cell in cells[2:]:  # after the header and the rule
            found += [(group, key.strip()) for key in cell.split(",")]
        carried = re.search(r"The snapshot also carries (.*?), and the\s+same per segment", body, flags=re.DOTALL)
        if carried:
            found += [(group, key) for key in re.findall(r"`(\w+)`", carried.group(1))]
            found.append((group, "contract_ltv"))
    return found


def test_the_catalogue_declares_every_key_of_kpis_md_once_in_its_order_and_group() -> None:
    expected = spec_keys(SPEC_COPY.read_text(encoding="utf-8"))
    declared = [(k.group, k.key) for k in KPIS if not k.beyond_spec]
    twice = [key for key, count in Counter(k.key for k in KPIS).items() if count > 1]
    assert twice == [], f"declared twice in kpis/catalogue.py: {twice}"
    missing = [key for _group, key in expected if key not in KPI_KEYS]
    assert missing == [], f"keys of kpis.md missing from kpis/catalogue.py: {missing}"
    extra = [key for _group, key in declared if (_group, key) not in expected]
    assert extra == [], f"in kpis/catalogue.py but not in kpis.md (mark them beyond_spec=True if meant): {extra}"
    assert declared == expected  # same order, same group
    assert len(declared) >= 78  # the parser read kpis.md's tables (78 keys before paid media)


def test_the_parser_would_notice_a_missing_or_doubled_key() -> None:
    text = SPEC_COPY.read_text(encoding="utf-8")
    assert ("traffic", "bounce_rate") not in spec_keys(text.replace("| bounce_rate |", "| |"))
    doubled = text.replace("| sessions | sum of sessions in m |", "| sessions, sessions | sum of sessions in m |")
    assert [key for _g, key in spec_keys(doubled)].count("sessions") == 2


def test_the_tests_copy_of_kpis_md_is_the_specs() -> None:
    spec = spec_beside_repository_or_skip("shared/spec")
    assert SPEC_COPY.read_bytes() == (spec.parent / "kpis.md").read_bytes()


def test_every_kpi_is_fully_declared() -> None:
    for k in KPIS:
        assert k.label and k.definition, k.key
        assert isinstance(k.unit, Unit) and isinstance(k.better, Better), k.key
    # Counts and sums are never null (kpis.md), so they have no reason to be; every ratio has one.
    # Paid media's sums are null when no ad row gives their column (kpis.md), and say so; so is the emails
    # delivered when no email row of the month gives it (docs/kpis.md "Email counts that may be missing").
    assert [k.key for k in KPIS if k.unit == Unit.COUNT and k.null_reasons] == [
        "emails_delivered", "impressions", "clicks", "platform_conversions"]
    assert [k.key for k in KPIS if k.unit in (Unit.RATE, Unit.RATIO) and not k.null_reasons] == []


def test_lookups() -> None:
    assert kpi("cpl").unit == Unit.MONEY and kpi("cpl").better == Better.DOWN and kpi("cpl").headline
    assert [k.key for k in kpis_in("email")][:2] == ["emails_sent", "emails_delivered"]
    assert [k.key for k in headline_kpis()] == [
        "sessions", "new_leads", "mqls", "sqls", "customers", "marketing_spend", "cpl", "cac", "revenue", "romi",
        "gross_mrr_churn_rate", "contract_ltv",
    ]
    with pytest.raises(KeyError):
        kpi("not_a_kpi")
    assert kpi("roi").range == (-1e6, 1e6) and kpi("open_rate").range == (0.0, 1.0)
    assert kpi("working_days").whole and not kpi("leads_per_working_day").whole
    choices = grouped_choices(only=(kpi("cpl"), kpi("open_rate")))
    assert [(str(title), keys) for title, keys in ((t, [c[0] for c in o]) for t, o in choices)] == [
        ("Email", ["open_rate"]),
        ("Cost and revenue", ["cpl"]),
    ]


def test_labels_are_translated() -> None:
    with translation.override("es"):
        assert str(kpi("new_leads").label) == "Leads nuevos"
        assert str(kpi("cac").null_reasons[0]) == "No hay clientes nuevos este mes."
        assert str(kpi("sessions").definition) == "Sesiones en el sitio web durante el mes."


def test_the_typed_headline_columns_are_the_catalogues_headline_kpis() -> None:
    from portfolio.models import HeadlineFigures

    columns = {f.name for f in HeadlineFigures._meta.get_fields() if f.concrete and not f.primary_key}
    assert columns == {k.key for k in headline_kpis()} == set(HeadlineFigures.HEADLINE)


@pytest.fixture
def changed(monkeypatch):
    """Change a KPI's declaration in the catalogue for one test: the consumers must follow it."""

    def change(key: str, **facts) -> None:
        monkeypatch.setitem(catalogue._BY_KEY, key, dataclasses.replace(kpi(key), **facts))

    return change


def test_the_scorecards_formatting_direction_and_reasons_come_from_the_catalogue(changed) -> None:
    from kpis.formatting import change, format_value
    from kpis.scorecard import target_status

    with translation.override("en"):
        assert format_value("cpl", 12.5, "EUR") == "€12.50"
        assert change("cpl", 400.0, 500.0)["good"] is True and target_status("cpl", 50.0, 60.0) is True
        changed("cpl", unit=Unit.RATE, better=Better.UP)
        assert format_value("cpl", 0.125, "EUR") == "12.5 %"
        assert change("cpl", 400.0, 500.0)["good"] is False and target_status("cpl", 50.0, 60.0) is False
        changed("sessions", better=Better.NEUTRAL)
        assert change("sessions", 10, 20)["flat"] is True


def test_the_scorecards_tiles_take_labels_definitions_and_reasons_from_the_catalogue(changed) -> None:
    import datetime as dt

    from kpis.scorecard import Scorecard, tiles

    changed("cac", label="Acquisition cost", definition="What a customer costs.", null_reasons=("Nobody bought.",))
    card = Scorecard(month=dt.date(2026, 3, 1), compare_to=dt.date(2026, 2, 1), snapshot=None, history={})
    groups = tiles(card, currency="EUR", benchmarks={})
    assert [str(g["title"]) for g in groups] == [str(g.title) for g in GROUPS]
    assert [t["key"] for g in groups for t in g["tiles"]] == list(KPI_KEYS)
    cac = next(t for g in groups for t in g["tiles"] if t["key"] == "cac")
    assert (cac["label"], cac["definition"], cac["reason"]) == ("Acquisition cost", "What a customer costs.", "Nobody bought.")


def test_the_target_forms_choices_and_checks_come_from_the_catalogue(changed) -> None:
    from kpis.forms import TargetForm, TargetsForm

    def errors(kpi_key: str, value: str) -> list[str]:
        form = TargetForm({"month": "2026-03", "kpi": kpi_key, "value": value})
        form.is_valid()
        return form.errors.get("value", [])

    with translation.override("en"):
        form = TargetForm()
        # every KPI but the facts of the calendar (working days, growth needed per working day: no target means anything)
        assert [(str(title), [key for key, _label in options]) for title, options in form.fields["kpi"].choices] == [
            (str(g.title), [k.key for k in kpis_in(g.key) if k.compared and k.key != "working_days"]) for g in GROUPS
        ]
        assert "working_days" not in TargetsForm(month=dt.date(2026, 3, 1)).fields
        assert errors("new_leads", "20.5") and not errors("new_leads", "20")  # counts are whole
        assert errors("open_rate", "25") and not errors("roi", "2.5")  # a share is 0–1; ROI is not limited
        changed("open_rate", bounds=(None, None))
        assert not errors("open_rate", "25")


def test_portfolio_columns_come_from_the_catalogue() -> None:
    from kpis.portfolio import COLUMNS

    assert tuple(k.key for k in headline_kpis()) == COLUMNS


def test_the_snapshot_computes_each_kpi_by_its_declared_formula(changed) -> None:
    from kpis.catalogue import of
    from kpis.snapshot import kpi_values

    inputs = {name: 0 for k in KPIS for name in (k.key, *(k.formula.args if k.formula else ()),
                                                  *(n for _a, n in (k.formula.kwargs if k.formula else ())))}
    inputs.update(marketing_spend=1000.0, new_leads=40, marketing_revenue_before=None)
    assert kpi_values(inputs)["cpl"] == 25.0
    changed("cpl", formula=of(lambda spend, leads: spend / leads / 2, "marketing_spend", "new_leads"))
    assert kpi_values(inputs)["cpl"] == 12.5
    changed("new_leads", formula=of(lambda: 8))  # a KPI a formula names is computed first, by its own formula
    assert kpi_values(inputs)["cpl"] == 62.5 and kpi_values(inputs)["new_leads"] == 8


def test_leads_per_working_day_of_the_month_in_progress_has_its_pace() -> None:
    """On 7 December, 50 leads in the month's first 5 of its 22 working days: the snapshot's leads per
    working day is 50 ÷ 22 = 2.27 (kpis.md divides by the month's working days), a rate the month is far
    above. Like a count it scales with the leads, so its pace to the month's end is 50 ÷ 5 = 10 a day."""
    import datetime as dt

    from kpis.report import Period

    running = Period(month=dt.date(2026, 12, 1), complete=False, day=7, days=31, working_elapsed=5, working_total=22)
    assert running.projected("leads_per_working_day", 50 / 22) == pytest.approx(10.0)
    assert running.projected("growth_needed_per_working_day", 0.05) is None  # a calendar ratio: as it stands


def test_pace_revenue_funnel_and_plan_come_from_the_catalogue(changed) -> None:
    import datetime as dt

    from kpis.catalogue import plan_targets
    from kpis.report import Period, summary_keys
    from kpis.scorecard import funnel_labels

    running = Period(month=dt.date(2026, 3, 1), complete=False, day=10, days=31, working_elapsed=5, working_total=20)
    assert running.projected("new_leads", 10) == 40 and running.projected("cpl", 10) is None
    changed("cpl", paced=True)
    assert running.projected("cpl", 10) == 40

    client = type("C", (), {"headline_kpis": []})()
    assert "romi" in summary_keys(client, has_revenue=True) and "romi" not in summary_keys(client, has_revenue=False)
    changed("romi", revenue_based=False)
    assert "romi" in summary_keys(client, has_revenue=False)

    assert [key for key, _label in funnel_labels()] == ["sessions", "new_leads", "mqls", "sqls", "customers"]
    changed("sals", funnel=5)
    changed("customers", funnel=6)
    assert [key for key, _label in funnel_labels()][-2:] == ["sals", "customers"]

    assert plan_targets()["deals"] == "customers"
    changed("sals", plan="deals")
    changed("customers", plan="")
    assert plan_targets()["deals"] == "sals"


def test_the_mql_to_sql_rate_says_it_divides_the_months_sqls_by_its_mqls_and_can_pass_100() -> None:
    """Not the criteria editor's backtest (a cohort of the same leads): its definition says so."""
    definition = kpi("mql_to_sql_rate").definition
    assert str(definition).startswith("This month's SQLs ÷ this month's MQLs.")
    assert "not the same leads" in str(definition) and "can exceed 100 %" in str(definition)
    with translation.override("es"):
        assert str(definition).startswith("SQL de este mes ÷ MQL de este mes.")
        assert "No son los mismos leads" in str(definition) and "puede superar el 100 %" in str(definition)


@pytest.mark.parametrize(
    ("key", "english", "spanish"),
    [
        ("arpa", "Average revenue per account", "Ingreso medio por cuenta"),
        ("cltv", "Customer lifetime value", "Valor de vida del cliente"),
        ("ltv_to_cac", "Customer lifetime value against the cost", "Valor de vida del cliente frente al costo"),
    ],
)
def test_an_abbreviations_definition_spells_it_out_before_its_formula(key, english, spanish) -> None:
    """The PDF's details and the tiles show the definition under the name: an abbreviation a client
    may not know (ARPA, CLTV, LTV : CAC) is said in words there, not only as a formula."""
    with translation.override("en"):
        assert str(kpi(key).definition).startswith(english)
    with translation.override("es"):
        assert str(kpi(key).definition).startswith(spanish)


def test_no_spanish_label_or_definition_groups_a_number_with_a_dot() -> None:
    """Spanish (Mexico) writes 243,759 and 2.7 %: beside them "Costo por 1.000 impresiones" read as
    one, with three decimals. The words write no grouped number (mil, 1000) in either Spanish."""
    with translation.override("es"):
        texts = [str(text) for k in KPIS for text in (k.label, k.definition)]
    assert not [text for text in texts if re.search(r"\d[.,]\d{3}\b", text)]
    with translation.override("es"):
        assert str(kpi("cpm").label) == "Costo por mil impresiones"


@pytest.mark.parametrize(("language", "row"), [("en", r"\brows?\b"), ("es", r"\bfilas?\b")])
def test_no_definition_or_reason_a_client_reads_speaks_of_rows(language, row) -> None:
    """A client reads the definitions and the "—" reasons (tiles, glossary, PDF): "Spend of the ad platforms'
    rows" spoke of the agency's files, not of what the figure means to a marketer."""
    with translation.override(language):
        texts = [str(k.definition) for k in KPIS]
        for reason in (r for k in KPIS for r in k.null_reasons):
            texts += [str(reason.text)] + [str(t) for t in (reason.dated, reason.of_month) if t is not None]
        texts.append(str(catalogue.DEFAULT_REASON))
    assert [text for text in texts if re.search(row, text, re.IGNORECASE)] == []
    with translation.override(language):
        assert not re.search(row, not_loaded_sentence(staff=False), re.IGNORECASE)  # the glossary's opening
    with translation.override("en"):
        assert str(kpi("ad_spend").definition) == "Spend on the ad platforms in the month."
    with translation.override("es"):
        assert str(kpi("ad_spend").definition) == "Inversión en las plataformas de anuncios durante el mes."


@pytest.mark.parametrize(("language", "agencys_word"), [
    ("en", r"\bthe client'?s?\b"),
    ("es", r"\bfestivos del cliente\b"),  # "cliente" is a customer too (valor de vida del cliente)
])
def test_no_definition_a_client_reads_calls_it_the_client(language, agencys_word) -> None:
    """Working days read "Monday to Friday, minus the client's holidays." on the client's own report and
    glossary: the agency's word for the reader. Its own company's holidays, as either reader says it."""
    with translation.override(language):
        said = [str(k.definition) for k in KPIS if re.search(agencys_word, str(k.definition), re.IGNORECASE)]
        assert said == []
        assert str(kpi("working_days").definition) == {
            "en": "Monday to Friday, minus the company's holidays.",
            "es": "De lunes a viernes, menos los festivos de la empresa."}[language]
