"""Property: a lead's "why it qualified" page tells the same story as the SQL engine.

The engine judges every lead in one statement (clients.criteria.qualification); the lead page explains
one lead step by step in Python (clients.records.selectors.lead_qualification_explain). They share the
rule table but not the scoring, so on random criteria and random leads with activities before
and after their creation, the explanation's MQL and sales-ready moments must be the ones the
engine wrote.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients.criteria.rules import criteria_problems
from clients.criteria.services import criteria_version_create
from clients.models import Activity, Campaign, Lead
from clients.records.selectors import lead_qualification_explain
from tests.properties import db_examples, rolled_back

ZONE = "Europe/Madrid"
T0 = dt.datetime(2026, 3, 27, 9, 0, tzinfo=ZoneInfo(ZONE))  # the days around the March DST change
ACTIONS = ["content_download", "webinar_signup", "demo_request", "contact_request", "pricing_view"]

number_leaf = st.one_of(
    st.builds(
        lambda op, v: {"field": "employees", "op": op, "value": v},
        st.sampled_from(["eq", "ne", "gt", "gte", "lt", "lte"]),
        st.integers(0, 1000),
    ),
    st.builds(
        lambda a, b: {"field": "employees", "op": "between", "value": sorted([a, b])}, st.integers(0, 1000), st.integers(0, 1000)
    ),
    st.builds(
        lambda op, v: {"field": "employees", "op": op, "value": v},
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from([10, 200, 500]), min_size=1, max_size=2),
    ),
    st.builds(lambda v: {"field": "employees", "op": "exists", "value": v}, st.booleans()),
)
text_leaf = st.one_of(
    st.builds(
        lambda f, op, v: {"field": f, "op": op, "value": v},
        st.sampled_from(["vertical", "channel"]),
        st.sampled_from(["eq", "ne"]),
        st.sampled_from(["saas", "retail", "paid_search", "email", "direct"]),
    ),
    st.builds(
        lambda f, op, v: {"field": f, "op": op, "value": v},
        st.sampled_from(["vertical", "channel"]),
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from(["saas", "retail", "paid_search", "direct"]), min_size=1, max_size=2),
    ),
    st.builds(lambda v: {"field": "vertical", "op": "exists", "value": v}, st.booleans()),
    st.just({"field": "campaign", "op": "eq", "value": "ads"}),
)
list_leaf = st.one_of(
    st.builds(lambda v: {"field": "interests", "op": "contains", "value": v}, st.sampled_from(["seo", "ppc"])),
    st.builds(lambda v: {"field": "interests", "op": "exists", "value": v}, st.booleans()),
)
leaf = st.one_of(number_leaf, text_leaf, list_leaf)
rule_tree = st.one_of(
    st.just({}),
    st.recursive(
        leaf,
        lambda children: st.builds(
            lambda group, members: {group: members}, st.sampled_from(["all", "any"]), st.lists(children, min_size=1, max_size=3)
        ),
        max_leaves=5,
    ),
)
criteria_strategy = st.builds(
    lambda fit, threshold, action_points, attribute_points, ready: {
        "fit": fit,
        "threshold": threshold,
        "points": [{"action": a, "points": p} for a, p in action_points]
        + [{**rule, "points": p} for rule, p in attribute_points],
        "sales_ready_actions": ready,
    },
    rule_tree,
    st.integers(0, 60),
    st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(-10, 30)), max_size=4),
    st.lists(st.tuples(leaf, st.integers(-10, 30)), max_size=3),
    st.lists(st.sampled_from(["demo_request", "contact_request"]), max_size=2, unique=True),
)
lead_strategy = st.fixed_dictionaries(
    {
        "created": st.integers(0, 60 * 24 * 4),
        "employees": st.none() | st.sampled_from([10, 200, 500, 999]),
        "vertical": st.sampled_from(["", "saas", "retail"]),
        "channel": st.sampled_from(["", "paid_search", "email"]),
        "campaign": st.sampled_from([None, "ads"]),
        "interests": st.lists(st.sampled_from(["seo", "ppc"]), unique=True),
        # Minutes from the lead's creation; negative ones happened before it (kpis.md counts them at creation).
        "activities": st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(-600, 60 * 24 * 3)), max_size=5),
    }
)


@pytest.mark.django_db
@db_examples(25, slow_ok=True)
@given(criteria=criteria_strategy, specs=st.lists(lead_strategy, min_size=1, max_size=10))
def test_the_explanation_of_every_lead_agrees_with_the_sql_engine(in_tenant_a, criteria, specs) -> None:
    assert criteria_problems(criteria) == []  # the strategy only makes criteria an agency could save
    outcomes = {}
    with rolled_back():
        Campaign.objects.create(id="ads", name="Ads", channel="paid_search")
        leads, activities = [], []
        for index, spec in enumerate(specs):
            created = T0 + dt.timedelta(minutes=spec["created"])
            leads.append(
                Lead(
                    id=f"L{index}",
                    created_at=created,
                    employees=spec["employees"],
                    vertical=spec["vertical"],
                    channel=spec["channel"],
                    campaign_id=spec["campaign"],
                    interests=spec["interests"],
                )
            )
            activities += [
                Activity(
                    id=f"L{index}-{n}", lead_id=f"L{index}", action=action, occurred_at=created + dt.timedelta(minutes=after)
                )
                for n, (action, after) in enumerate(spec["activities"])
            ]
        Lead.objects.bulk_create(leads)
        Activity.objects.bulk_create(activities)
        criteria_version_create(criteria=criteria, effective_from=dt.date(2020, 1, 1), client=in_tenant_a)
        for lead in Lead.objects.all():
            story = lead_qualification_explain(lead=lead, timezone=ZONE)
            outcomes[lead.id] = ((lead.mql_at, lead.sales_ready_at), (story["mql_at"], story["ready_at"]))
    for lead_id, (engine, explanation) in outcomes.items():
        assert explanation == engine, (lead_id, criteria)
