"""The client's data in words: rules as sentences, criteria problems located in words, the
criteria versions' periods in force, contract fees with their currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.test import Client as HttpClient
from django.utils import translation
from django_tenants.utils import schema_context

from clients.criteria.selectors import criteria_periods
from clients.words import problem_words, rule_sentence, rules_sentence
from tests.conftest import host_of


def test_rules_read_as_sentences() -> None:
    assert rule_sentence({"field": "employees", "op": "between", "value": [50, 1000]}) == "Employees between 50 and 1,000"
    assert rule_sentence({"field": "vertical", "op": "in", "value": ["saas", "fintech"]}) == "Industry is “saas” or “fintech”"
    assert rule_sentence({"field": "channel", "op": "eq", "value": "paid_search"}) == "Channel is “Paid search”"
    tree = {
        "all": [
            {"field": "employees", "op": "gte", "value": 50},
            {"any": [{"field": "age", "op": "exists"}, {"field": "interests", "op": "contains", "value": "ai"}]},
        ]
    }
    assert rules_sentence(tree) == "Employees at least 50 and (Age is known or Interests include “ai”)"
    with translation.override("es"):
        assert rule_sentence({"field": "employees", "op": "between", "value": [50, 1000]}) == "Empleados entre 50 y 1\xa0000"
        # Spanish quotes, as the rest of the Spanish pages («…»), not the English “…”
        assert rule_sentence({"field": "vertical", "op": "in", "value": ["saas", "retail"]}) == "Sector es «saas» o «retail»"


def test_criteria_problems_say_where_in_words() -> None:
    assert (
        problem_words("fit.all[1].any[2].field: unknown field “x”") == "Fit rules › rule 2 › rule 3, the field: unknown field “x”"
    )
    assert (
        problem_words("points[0].action: unknown action “dance”") == "Scoring rules › rule 1, the action: unknown action “dance”"
    )
    assert problem_words("threshold: a number is required") == "Threshold: a number is required"


def version(number: int, day: str) -> SimpleNamespace:
    return SimpleNamespace(version=number, effective_from=dt.date.fromisoformat(day))


def test_each_version_shows_when_it_is_in_force_and_a_range_cut_short_is_flagged() -> None:
    rows = {
        row["version"].version: row
        for row in criteria_periods([version(1, "2026-01-01"), version(2, "2026-06-01"), version(3, "2026-03-01")])
    }
    assert rows[1]["since"] is None and rows[1]["until"] == dt.date(2026, 2, 28)
    assert rows[3]["since"] == dt.date(2026, 3, 1) and rows[3]["until"] == dt.date(2026, 5, 31)
    assert rows[3]["cut_short"] and rows[3]["cut_by"].version == 2  # saved after v2, but v2 starts later
    assert rows[2]["until"] is None and not rows[2]["cut_short"]
    same_day = {
        row["version"].version: row
        for row in criteria_periods([version(1, "2026-01-01"), version(2, "2026-03-01"), version(3, "2026-03-01")])
    }
    assert same_day[2]["never"] and not same_day[3]["never"]


def test_contract_fees_show_with_currency_and_separators(staff_a, tenant_a) -> None:
    from clients.models import Contract

    with schema_context("alpha"):
        Contract.objects.create(
            id="k1", account="a", kind="retainer", start_date=dt.date(2025, 1, 1), term_months=6, monthly_fee=Decimal("44080.81")
        )
    http = HttpClient()
    http.force_login(staff_a)
    body = http.get("/contracts/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "€44,080.81" in body and "44080.81" not in body and "Retainer" in body


def test_a_social_network_reads_by_its_brand_name_not_its_code() -> None:
    from clients.words import member_label

    assert member_label("social_network", "linkedin") == "LinkedIn"  # the demo's campaigns write it so
    assert member_label("social_network", "Instagram") == "Instagram" and member_label("social_network", "x") == "X (Twitter)"
    assert member_label("social_network", "mastodon") == "mastodon"  # one it does not know: as written
