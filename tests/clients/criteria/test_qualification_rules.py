"""Qualification semantics (kpis.md) and criteria validation, on leads made for each case."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from clients.criteria.rules import criteria_problems
from clients.criteria.services import criteria_version_create, leads_requalify, personas_set
from clients.models import Activity, Campaign, Lead

MADRID = ZoneInfo("Europe/Madrid")
T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MADRID)
CRITERIA = {
    "fit": {
        "all": [
            {"field": "employees", "op": "between", "value": [50, 1000]},
            {
                "any": [
                    {"field": "vertical", "op": "in", "value": ["saas"]},
                    {"field": "channel", "op": "eq", "value": "paid_search"},
                ]
            },
        ]
    },
    "threshold": 40,
    "points": [
        {"action": "content_download", "points": 10},
        {"action": "webinar_signup", "points": 20},
        {"field": "employees", "op": "gte", "value": 200, "points": 15},
        {"field": "interests", "op": "contains", "value": "seo", "points": 30},
    ],
    "sales_ready_actions": ["demo_request"],
}


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def activity(lead: str, action: str, at: dt.datetime, n: int) -> Activity:
    return Activity(id=f"{lead}-{n}", lead_id=lead, action=action, occurred_at=at)


@pytest.fixture
def judged(in_tenant_a):
    def run(leads: list[Lead], activities: list[Activity] = (), criteria: dict = CRITERIA):
        Campaign.objects.get_or_create(id="ads", defaults={"name": "Ads", "channel": "paid_search"})
        Lead.objects.bulk_create(leads)
        Activity.objects.bulk_create(activities)
        criteria_version_create(criteria=criteria, effective_from=dt.date(2020, 1, 1), client=in_tenant_a)
        return {lead.id: lead for lead in Lead.objects.all()}

    return run


def test_attributes_alone_reach_the_threshold_at_creation(judged) -> None:
    leads = judged([Lead(id="a", created_at=T0, employees=300, vertical="saas", interests=["seo"])])
    assert leads["a"].mql_at == T0 and leads["a"].sales_ready_at is None


def test_accumulated_actions_reach_it_at_the_crossing_activity(judged) -> None:
    leads = judged(
        [Lead(id="b", created_at=T0, employees=300, vertical="saas")],  # 15 points
        [
            activity("b", "content_download", hours(-1), 1),  # before creation: counts at creation (25)
            activity("b", "content_download", hours(2), 2),  # 35
            activity("b", "content_download", hours(5), 3),
        ],  # 45: crosses 40 here
    )
    assert leads["b"].mql_at == hours(5)


def test_a_buying_signal_fast_tracks(judged) -> None:
    leads = judged(
        [Lead(id="c", created_at=T0, employees=60, campaign_id="ads")],  # fits through the campaign's channel
        [activity("c", "demo_request", hours(3), 1), activity("c", "webinar_signup", hours(4), 2)],
    )
    assert leads["c"].sales_ready_at == hours(3) and leads["c"].mql_at == hours(3)


def test_a_buying_signal_before_creation_counts_at_creation(judged) -> None:
    leads = judged([Lead(id="d", created_at=T0, employees=60, vertical="saas")], [activity("d", "demo_request", hours(-5), 1)])
    assert leads["d"].sales_ready_at == T0 and leads["d"].mql_at == T0


def test_a_lead_that_does_not_fit_never_qualifies(judged) -> None:
    leads = judged(
        [Lead(id="e", created_at=T0, employees=5000, vertical="saas", interests=["seo"])],
        [activity("e", "demo_request", hours(1), 1)] + [activity("e", "webinar_signup", hours(2), n) for n in range(2, 9)],
    )
    assert leads["e"].mql_at is None and leads["e"].sales_ready_at is None


def test_versions_judge_leads_by_their_creation_in_the_client_zone(in_tenant_a) -> None:
    strict = {**CRITERIA, "threshold": 1000}
    lenient = {"fit": {}, "threshold": 0, "points": [], "sales_ready_actions": []}
    before = dt.datetime(2026, 4, 30, 23, 30, tzinfo=MADRID)  # 21:30 UTC: still April 30 in Madrid
    after = dt.datetime(2026, 5, 1, 0, 30, tzinfo=MADRID)  # 22:30 UTC on April 30, but May 1 in Madrid
    early = dt.datetime(2019, 1, 1, tzinfo=MADRID)  # before the first version: judged by the first
    Lead.objects.bulk_create(
        [Lead(id="before", created_at=before), Lead(id="after", created_at=after), Lead(id="early", created_at=early)]
    )
    first = criteria_version_create(criteria=strict, effective_from=dt.date(2026, 1, 1), client=in_tenant_a)
    second = criteria_version_create(criteria=lenient, effective_from=dt.date(2026, 5, 1), client=in_tenant_a)
    leads = {lead.id: lead for lead in Lead.objects.all()}
    assert (leads["before"].criteria_version, leads["before"].mql_at) == (first.version, None)
    assert (leads["after"].criteria_version, leads["after"].mql_at) == (second.version, after)
    assert leads["early"].criteria_version == first.version


def test_persona_is_the_given_code_else_the_first_matching_in_priority(judged, in_tenant_a) -> None:
    personas_set(
        personas=[
            {"code": "big", "name": "Big", "match": {"field": "employees", "op": "gte", "value": 500}},
            {"code": "saas", "name": "SaaS", "match": {"field": "vertical", "op": "eq", "value": "saas"}},
        ],
        client=in_tenant_a,
    )
    leads = judged(
        [
            Lead(id="p1", created_at=T0, employees=900, vertical="saas"),
            Lead(id="p2", created_at=T0, employees=90, vertical="saas"),
            Lead(id="p3", created_at=T0, employees=900, persona_given="saas"),
            Lead(id="p4", created_at=T0, employees=10),
        ]
    )
    assert [leads[i].persona for i in ("p1", "p2", "p3", "p4")] == ["big", "saas", "saas", ""]


def test_judging_runs_in_the_named_client_only(judged, tenant_b) -> None:
    judged([Lead(id="a", created_at=T0, employees=300, vertical="saas", interests=["seo"])])
    with schema_context("beta"):
        Lead.objects.create(id="a", created_at=T0, employees=300, vertical="saas", interests=["seo"])
    leads_requalify(client=tenant_b)  # beta has no criteria: nobody qualifies there
    with schema_context("beta"):
        assert Lead.objects.get(id="a").mql_at is None
    with schema_context("alpha"):
        assert Lead.objects.get(id="a").mql_at == T0


@pytest.mark.parametrize(
    ("criteria", "path"),
    [
        ({"fit": {"field": "employees", "op": "contains", "value": 3}, "threshold": 1}, "fit.op"),
        ({"fit": {"field": "shoe_size", "op": "eq", "value": 3}, "threshold": 1}, "fit.field"),
        ({"fit": {"field": "vertical", "op": "gt", "value": "a"}, "threshold": 1}, "fit.op"),
        (
            {"fit": {"all": [{"any": [{"field": "age", "op": "between", "value": [9, 1]}]}]}, "threshold": 1},
            "fit.all[0].any[0].value",
        ),
        ({"fit": {}, "threshold": "forty"}, "threshold"),
        ({"fit": {}, "threshold": 1, "points": [{"action": "dance", "points": 3}]}, "points[0].action"),
        ({"fit": {}, "threshold": 1, "sales_ready_actions": ["call_me"]}, "sales_ready_actions[0]"),
    ],
)
def test_invalid_criteria_are_refused_with_the_path_at_fault(in_tenant_a, criteria, path) -> None:
    assert any(problem.startswith(path) for problem in criteria_problems(criteria)), criteria_problems(criteria)
    with pytest.raises(ValidationError):
        criteria_version_create(criteria=criteria, effective_from=dt.date(2026, 1, 1), client=in_tenant_a)


def test_valid_criteria_have_no_problems() -> None:
    assert criteria_problems(CRITERIA) == []
    assert criteria_problems({"fit": {}, "threshold": 0}) == []
