"""Notes, targets, recompute with progress and the planner around the scorecard."""

from __future__ import annotations

import datetime as dt

from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from clients.models import Job, Lead
from kpis.models import Annotation, Snapshot
from kpis.services import snapshot_compute
from kpis.tasks import snapshot_recompute_job
from portfolio.models import Target
from tests.conftest import host_of, signed_in

MARCH = dt.date(2026, 3, 1)


def http_for(user) -> HttpClient:
    return signed_in(user)  # each request names its host


def test_staff_annotate_a_month_and_it_shows_on_the_scorecard_and_its_sparklines(staff_a, client_user_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"l{m}", created_at=dt.datetime(2026, m, 5, tzinfo=dt.UTC)) for m in (1, 2, 3)])
    snapshot_compute(client=tenant_a, months=[dt.date(2026, m, 1) for m in (1, 2, 3)])
    response = http_for(staff_a).post(
        "/scorecard/notes/", {"month": "2026-02", "text": "Site redesign launched"}, HTTP_HOST=host_of(tenant_a)
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        assert Annotation.objects.get().author_name == staff_a.display_name == "sam-staff@example.com"  # no name: the email
    body = http_for(client_user_a).get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Site redesign launched" in body and "<title>2026-02: Site redesign launched</title>" in body
    assert "Staff: annotate" not in body  # client users see the notes, not the staff tools


def test_targets_show_whether_they_are_met(staff_a, tenant_a) -> None:
    with schema_context("alpha"):
        Lead.objects.bulk_create([Lead(id=f"t{i}", created_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)) for i in range(5)])
    snapshot_compute(client=tenant_a, months=[MARCH])
    http = http_for(staff_a)
    assert (
        http.post(
            "/scorecard/targets/", {"month": "2026-03", "kpi": "new_leads", "value": "4"}, HTTP_HOST=host_of(tenant_a)
        ).status_code
        == 302
    )
    http.post("/scorecard/targets/", {"month": "2026-03", "kpi": "bounce_rate", "value": "0,4"}, HTTP_HOST=host_of(tenant_a))
    http.post("/scorecard/targets/", {"month": "2026-03", "kpi": "made_up", "value": "1"}, HTTP_HOST=host_of(tenant_a))
    assert set(Target.objects.filter(client=tenant_a).values_list("kpi", "value")) == {("new_leads", 4.0), ("bounce_rate", 0.4)}
    body = http.get("/scorecard/?month=2026-03", HTTP_HOST=host_of(tenant_a)).content.decode()
    tile = body[body.index('data-kpi="new_leads"') :]
    assert "Target 4 — met" in tile[: tile.index("</article>")]


def test_recompute_queues_a_job_whose_progress_the_page_polls(staff_a, tenant_a, django_capture_on_commit_callbacks) -> None:
    with schema_context("alpha"):
        Lead.objects.create(id="r1", created_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    http = http_for(staff_a)
    with django_capture_on_commit_callbacks(execute=False):
        queued = http.post("/scorecard/recompute/", {"month": "2026-03"}, HTTP_HOST=host_of(tenant_a))
    assert queued.status_code == 200 and 'hx-trigger="every 1s"' in queued.content.decode()
    with schema_context("alpha"):
        job = Job.objects.get(kind="recompute")
    snapshot_recompute_job.apply(kwargs={"client_slug": "alpha", "job_id": job.pk}, headers={"_schema_name": "alpha"})
    with schema_context("alpha"):
        assert Snapshot.objects.get(month=MARCH).new_leads == 1
    done = http.get(f"/scorecard/recompute/{job.pk}/", HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "Recomputed: the figures are being refreshed" in done and "every 1s" not in done
    assert 'hx-get="/scorecard/?month=2026-03"' in done and 'hx-target="#tiles"' in done  # swapped in, no reload


def test_the_planner_turns_a_goal_into_monthly_targets_in_one_click(staff_a, tenant_a) -> None:
    form = {
        "revenue_goal": "100000",
        "average_deal": "7000",
        "first_month": "2026-01",
        "last_month": "2026-02",
        "sql_to_customer": "0.25",
        "mql_to_sql": "0.4",
        "lead_to_mql": "0.3",
        "traffic_to_lead": "0.02",
    }
    http = http_for(staff_a)
    shown = http.post("/planner/", form, HTTP_HOST=host_of(tenant_a)).content.decode()
    assert "477" in shown and "Set these as the monthly targets" in shown
    assert http.post("/planner/", {**form, "apply": "1"}, HTTP_HOST=host_of(tenant_a)).status_code == 302
    january = dict(Target.objects.filter(client=tenant_a, month=dt.date(2026, 1, 1)).values_list("kpi", "value"))
    assert set(january) == {"customers", "sqls", "mqls", "new_leads", "sessions"} and january["new_leads"] > 0
    bad = http.post("/planner/", {**form, "last_month": "2025-12"}, HTTP_HOST=host_of(tenant_a))
    assert bad.status_code == 422 and "The plan ends before it starts." in bad.content.decode()


def test_the_planner_reads_rates_typed_with_a_decimal_comma_on_a_spanish_page(staff_a, tenant_a) -> None:
    """The walk of a new Spanish client: the targets page took "0,25" but the planner refused it."""
    form = {"revenue_goal": "100000", "average_deal": "7000", "first_month": "2026-01", "last_month": "2026-02",
            "sql_to_customer": "0,25", "mql_to_sql": "0,4", "lead_to_mql": "0.3", "traffic_to_lead": "0,02"}
    http = http_for(staff_a)
    page = http.get("/planner/", HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'name="sql_to_customer" inputmode="decimal"' in page or 'inputmode="decimal" name="sql_to_customer"' in page
    shown = http.post("/planner/", form, HTTP_HOST=host_of(tenant_a), HTTP_ACCEPT_LANGUAGE="es")
    assert shown.status_code == 200 and "477" in shown.content.decode()
