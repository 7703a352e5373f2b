"""plan_funnel and the saved plans: given rates, trailing 12-month defaults, months and working days."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import call_command

from clients.models import Holiday, Lead
from kpis.services import plan_compute


def test_plan_funnel_prints_the_plan_with_given_rates(tenant_a) -> None:
    out = io.StringIO()
    call_command(
        "plan_funnel",
        "alpha",
        "--revenue-goal",
        "100000",
        "--average-deal",
        "7000",
        "--from",
        "2026-01",
        "--to",
        "2026-02",
        "--sql-to-customer",
        "0.25",
        "--mql-to-sql",
        "0.4",
        "--lead-to-mql",
        "0.3",
        "--traffic-to-lead",
        "0.02",
        stdout=out,
    )
    plan = json.loads(out.getvalue())
    assert [plan[k] for k in ("deals", "sqls", "mqls", "leads", "sessions")] == [15, 58, 143, 477, 23810]
    assert plan["rates"] == {"sql_to_customer": 0.25, "mql_to_sql": 0.4, "lead_to_mql": 0.3, "traffic_to_lead": 0.02}
    assert set(plan["months"]) == {"2026-01", "2026-02"}
    assert plan["months"]["2026-01"]["working_days"] == 22 and plan["months"]["2026-02"]["working_days"] == 20
    assert {"leads", "leads_per_working_day", "mqls", "sessions_per_working_day"} <= set(plan["months"]["2026-01"])


def test_rates_not_given_are_the_trailing_twelve_months(in_tenant_a) -> None:
    at = dt.datetime(2025, 6, 10, tzinfo=dt.UTC)
    Lead.objects.bulk_create(
        [Lead(id=f"l{i}", created_at=at, mql_at=at if i < 4 else None, sql_at=at if i < 2 else None) for i in range(10)]
    )
    Holiday.objects.create(date=dt.date(2026, 1, 6))
    plan = plan_compute(
        client=in_tenant_a,
        revenue_goal=10000,
        average_deal=1000,
        first_month=dt.date(2026, 1, 1),
        last_month=dt.date(2026, 1, 1),
        rates={"sql_to_customer": 0.5},
    )
    assert plan["rates"]["lead_to_mql"] == 0.4 and plan["rates"]["mql_to_sql"] == 0.5
    assert plan["rates"]["traffic_to_lead"] is None  # no sessions: undefined, and so are sessions
    assert (plan["deals"], plan["sqls"], plan["mqls"], plan["leads"]) == (10, 20, 40, 100)
    assert plan["sessions"] is None
    assert plan["months"]["2026-01"]["working_days"] == 21
    assert plan["rates"]["sql_to_customer"] == 0.5  # a given rate is used as given
