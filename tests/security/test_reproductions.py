"""Issue #10 items 3 and 5: every reproduction, as a regression test.

Each would answer 500 (or write and then fail, or leave a job running) before the fixes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client as HttpClient

from clients.api.services import api_token_create
from clients.models import CriteriaVersion, Job, Lead
from kpis.models import Snapshot
from tests.conftest import host_of, signed_in


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def token_a(tenant_a) -> str:
    return api_token_create(client=tenant_a, name="fuzz")[1]


def _api(tenant, token: str, body: bytes | str):
    http = HttpClient(HTTP_HOST=host_of(tenant))
    return http.post("/api/v1/leads", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")


def _as(user, tenant=None) -> HttpClient:
    return signed_in(user, tenant)


def _lead_count(tenant) -> int:
    connection.set_tenant(tenant)
    try:
        return Lead.objects.count()
    finally:
        connection.set_schema_to_public()


# --- client user -----------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1999-12", "2101-01", "2026-13", "-001-01", "２０２６-01"])
def test_scorecard_month_out_of_range_is_not_a_500(client_user_a, tenant_a, month) -> None:
    response = _as(client_user_a, tenant_a).get("/scorecard/", {"month": month})
    assert response.status_code in {200, 400}


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_portfolio_month_out_of_range_is_not_a_500(staff_a, month) -> None:
    """Found by the fuzz suite: the console's portfolio read ?month= like the scorecard did."""
    assert _as(staff_a).get("/portfolio/", {"month": month}).status_code == 200


@pytest.mark.parametrize("path", ["/leads/%00/", "/leads/a%00b/", "/personas/%00/", "/contracts/%00/"])
def test_a_nul_in_a_path_is_not_a_500(staff_a, tenant_a, path) -> None:
    assert _as(staff_a, tenant_a).get(path).status_code == 404


def test_a_nul_in_a_query_is_not_a_500(client_user_a, tenant_a) -> None:
    assert _as(client_user_a, tenant_a).get("/leads/", {"q": "a\x00b"}).status_code == 400


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        '{"id": "x\\u0000y", "created_at": "2026-03-04T09:30:00", "email": "a@example.com"}',
        '{"id": "x", "created_at": "2026-03-04T09:30:00", "email": "a\\u0000@example.com"}',
        '{"id": "x\\ud800", "created_at": "2026-03-04T09:30:00", "email": "a@example.com"}',
        '{"id": "x", "created_at": "9999-12-31T23:59:59-12:00", "email": "a@example.com"}',
        '{"id": "x", "created_at": "0001-01-02T10:00:00", "email": "a@example.com"}',
        '{"id": "x", "created_at": "2026-03-04T09:30:00", "employees": 1e309}',
        b'{"id": "x", "created_at": "2026-03-04T09:30:00", "email": "\xff"}',
    ],
    ids=["deep", "nul-id", "nul-email", "surrogate", "max-ts", "year-1", "1e309", "latin1"],
)
def test_api_refuses_bad_bodies_with_400_and_writes_nothing(tenant_a, token_a, body) -> None:
    response = _api(tenant_a, token_a, body)
    assert response.status_code == 400, response.content[:300]
    assert "errors" in response.json()
    assert _lead_count(tenant_a) == 0


def test_api_names_the_field_out_of_range(tenant_a, token_a) -> None:
    response = _api(tenant_a, token_a, json.dumps({"id": "x", "created_at": "0001-01-02T10:00:00", "email": "a@b.co"}))
    assert "created_at" in response.json()["errors"]


# --- importer ------------------------------------------------------------------------------------


def _preview(http: HttpClient, content: bytes, kind: str = "leads"):
    response = http.post("/imports/", {"kind": kind, "file": SimpleUploadedFile("data.csv", content, "text/csv")})
    assert response.status_code == 302, response.content[:500]
    return http.get(response["Location"])


@pytest.mark.parametrize(
    "content",
    [
        b"id,created_at,email\nl1,2026-03-04T09:30:00,a\x00b@example.com\n",
        b"id,created_at,email\nl\x001,2026-03-04T09:30:00,a@example.com\n",
        b"id,created_at,email\nl1,2026-03-04T09:30:00," + b"x" * (10 * 1024 * 1024) + b"\n",
        b'id,created_at,email\nl1,2026-03-04T09:30:00,"' + b"y" * (11 * 1024 * 1024) + b'"\n',
        b"id,created_at,email\nl1,0001-01-02T10:00:00,a@example.com\n",
    ],
    ids=["nul-cell", "nul-key", "10mb-field", "11mb-quoted", "year-1"],
)
def test_import_preview_shows_bad_cells_not_a_500(staff_a, tenant_a, media, content) -> None:
    page = _preview(_as(staff_a, tenant_a), content)
    assert page.status_code == 200
    assert _lead_count(tenant_a) == 0


def test_the_importer_refuses_dates_outside_the_portals_range(in_tenant_a, tmp_path) -> None:
    from clients.services import data_import

    def run(kind: str, text: str):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text)
        return data_import(kind=kind, path_or_file=path, client=in_tenant_a)

    rows = "id,created_at,email\nl1,0001-01-02T10:00:00,a@example.com\nl2,2026-01-02T10:00:00,b@example.com\n"
    result = run("leads", rows)
    assert not result.ok
    assert [(error.line, error.column) for error in result.errors] == [(2, "created_at")]
    assert not Lead.objects.exists()
    result = run("spend", "id,date,category,amount\ns1,2101-01-01,media,10\n")
    assert any(error.column == "date" and "outside the dates" in error.reason for error in result.errors)


def test_a_contract_running_past_the_portals_dates_is_refused(in_tenant_a, tmp_path, staff_a) -> None:
    """Found while hunting: a term of 2^31-1 months made every later snapshot fail in SQL."""
    from clients.models import Contract
    from clients.services import data_import

    path = tmp_path / "contracts.csv"
    path.write_text("id,account,kind,start_date,term_months,monthly_fee\nk1,acme,retainer,2026-01-01,2147483647,100\n")
    result = data_import(kind="contracts", path_or_file=path, client=in_tenant_a)
    assert [error.column for error in result.errors] == ["term_months"]
    connection.set_schema_to_public()
    response = _as(staff_a, in_tenant_a).post("/contracts/new/", {
        "id": "k2", "account": "acme", "kind": "retainer", "start_date": "2026-01-01", "term_months": "2147483647",
        "monthly_fee": "100"})
    assert response.status_code in {200, 422} and "term_months" in response.content.decode()
    connection.set_tenant(in_tenant_a)
    assert not Contract.objects.exists()


# --- planner, criteria, recompute ------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last"), [("9999-12", "9999-12"), ("0001-01", "0001-02"), ("2026-01", "9999-12")])
def test_planner_months_out_of_range_are_field_errors(staff_a, tenant_a, first, last) -> None:
    response = _as(staff_a, tenant_a).post(
        "/planner/", {"revenue_goal": "1000", "average_deal": "100", "first_month": first, "last_month": last}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"mode": "json", "json": "[" * 50_000 + "]" * 50_000, "effective_from": "2026-01-01"}, "deep"),
        ({"mode": "json", "json": '{"fit": {}, "threshold": 1e309, "points": [], "sales_ready_actions": []}',
          "effective_from": "2026-01-01"}, "inf"),
        ({"mode": "json", "json": '{"fit": {}, "threshold": 30, "points": [], "sales_ready_actions": []}',
          "effective_from": "0001-01-01"}, "year-1"),
        ({"mode": "json", "json": '{"fit": {}, "threshold": 30, "points": [], "sales_ready_actions": []}',
          "effective_from": "9999-12-31"}, "year-9999"),
        ({"mode": "json", "json": '{"fit": {}, "threshold": NaN, "points": [], "sales_ready_actions": []}',
          "effective_from": "2026-01-01"}, "nan"),
    ],
)
def test_criteria_editor_refuses_bad_input_and_saves_nothing(admin_user, tenant_a, data, reason) -> None:
    response = _as(admin_user, tenant_a).post("/criteria/new/", data)
    assert response.status_code == 422, reason
    connection.set_tenant(tenant_a)
    assert not CriteriaVersion.objects.exists()


def test_criteria_backtest_refuses_deep_json(admin_user, tenant_a) -> None:
    response = _as(admin_user, tenant_a).post("/criteria/backtest/", {"mode": "json", "json": "[" * 50_000})
    assert response.status_code == 422


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_recompute_of_an_out_of_range_month_is_refused_and_leaves_no_job(staff_a, tenant_a, month) -> None:
    response = _as(staff_a, tenant_a).post("/scorecard/recompute/", {"month": month})
    assert response.status_code == 400
    connection.set_tenant(tenant_a)
    assert not Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()


def test_a_recompute_job_that_fails_is_marked_failed_not_running(in_tenant_a) -> None:
    """A job whose months cannot be computed ends "failed", never stays "running"."""
    from kpis import tasks

    job = Job.objects.create(kind="recompute", params={"months": ["0001-01"]}, total=1)
    with pytest.raises(ValueError, match=r"outside the portal's dates|is not a month"):
        tasks.snapshot_recompute_job.apply(kwargs={"client_slug": in_tenant_a.slug, "job_id": job.id}, throw=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.finished_at is not None


def test_one_bad_month_does_not_block_the_others_in_the_debounced_recompute(in_tenant_a, monkeypatch, caplog) -> None:
    """Item 3: a queued month that raises is logged and dropped; the other months are still computed."""
    from agency.redis_client import redis_client
    from kpis import recompute, tasks

    real = recompute.snapshot_compute

    def compute(*, client, months):
        if any(month.year < 2000 for month in months):
            raise ValueError("year 1 is out of range")
        return real(client=client, months=months)

    monkeypatch.setattr(recompute, "snapshot_compute", compute)
    pending = recompute._keys(in_tenant_a)[0]
    redis_client().sadd(pending, "0001-01", "2026-01", "2026-02")
    with caplog.at_level(logging.ERROR, logger="kpis.recompute"):
        done = tasks.snapshot_recompute_pending.apply(kwargs={"client_slug": in_tenant_a.slug}, throw=True).get()
    assert done == 2
    assert set(Snapshot.objects.values_list("month", flat=True)) == {dt.date(2026, 1, 1), dt.date(2026, 2, 1)}
    assert "0001-01" in caplog.text
    assert recompute.recompute_pending(client=in_tenant_a) == []  # not retried forever


# --- issue #24 -------------------------------------------------------------------------------


def test_a_post_to_a_url_without_its_slash_is_not_a_500_in_development(staff_a, tenant_a, settings) -> None:
    settings.DEBUG = True  # scripts/run: Django raised RuntimeError for such a POST
    http = HttpClient(HTTP_HOST=host_of(tenant_a), raise_request_exception=False)
    http.force_login(staff_a)
    answer = http.post("/scorecard/targets", {"kpi": "cpl"})
    assert answer.status_code == 301 and answer["Location"] == "/scorecard/targets/"


@pytest.mark.parametrize("path", ["/reports/%ED%A0%80/", "/leads/%ED%A0%80/", "/scorecard/?month=%ED%A0%80",
                                  "/reports/2026-13/", "/scorecard/?month=2026-13"])
def test_bytes_no_text_holds_and_invalid_months_are_not_a_500(staff_a, tenant_a, path) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a), raise_request_exception=False)
    http.force_login(staff_a)
    assert http.get(path).status_code in {200, 400, 404}
