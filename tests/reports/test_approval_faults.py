"""Approval under faults, against the real database with committed data: a process killed inside
the approval's transaction leaves the month not approved and nothing queued (and a full run
leaves it approved and queued, never in between); two approvals at once approve once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from django_tenants.utils import schema_context

from clients.models import OutboxEmail
from portfolio.models import ClientMonthClose
from reports.models import MonthReport, ReportVersion
from reports.services import ApprovalRefused, month_approve, month_review_start
from tests.reports.conftest import MARCH

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

APPROVE = textwrap.dedent(
    """
    import datetime, os, pathlib, sys, time
    import django
    django.setup()
    from agency.models import Client
    import reports.services as services
    marker, pause = pathlib.Path(sys.argv[1]), sys.argv[2] == "pause"
    real = services.month_close_mirror
    def mirror_then_wait(**kwargs):
        real(**kwargs)  # the version, the state and the queued emails are written by now
        if pause:
            marker.write_text("inside the transaction")
            time.sleep(120)
    services.month_close_mirror = mirror_then_wait
    services.month_approve(client=Client.objects.get(slug="alpha"), month=datetime.date(2026, 3, 1), user=None)
    marker.write_text("done")
    """
)


def _env() -> dict[str, str]:
    db = connection.settings_dict
    user, password, host = (quote(str(db[key] or ""), safe="") for key in ("USER", "PASSWORD", "HOST"))
    port = f":{db['PORT']}" if db["PORT"] else ""
    socket = f"?host={quote(db['OPTIONS']['host'], safe='/')}" if db["OPTIONS"].get("host") else ""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agency.settings",
        "DATABASE_URL": f"postgres://{user}:{password}@{host}{port}/{db['NAME']}{socket}",
        "REDIS_URL": settings.REDIS_URL,
    }


def _approve_in_a_process(marker: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", APPROVE, str(marker), mode], cwd=ROOT, env=_env(), stderr=subprocess.PIPE, start_new_session=True
    )


def _wait_for(marker: Path, text: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text() == text:
            return
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode())
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {text!r}")


def _seen(tenant) -> tuple[str, int, int, str]:
    with schema_context(tenant.schema_name):
        state = MonthReport.objects.get(month=MARCH).state
        versions, emails = ReportVersion.objects.count(), OutboxEmail.objects.count()
    return state, versions, emails, ClientMonthClose.objects.get(client=tenant, month=MARCH).state


def test_a_process_killed_inside_the_approval_leaves_it_not_approved_then_a_full_run_approves_and_queues(
    march, clean_tenant_tables, tmp_path
) -> None:
    month_review_start(client=march, month=MARCH, at=march.created_at)
    marker = tmp_path / "marker"
    process = _approve_in_a_process(marker, "pause")
    try:
        _wait_for(marker, "inside the transaction", process)
        assert _seen(march) == ("in_review", 0, 0, "in_review")  # nothing visible before the commit
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    time.sleep(0.5)  # the server notices the dead connection and rolls its transaction back
    assert _seen(march) == ("in_review", 0, 0, "in_review")
    process = _approve_in_a_process(marker, "go")
    _wait_for(marker, "done", process)
    process.wait(timeout=30)
    assert _seen(march) == ("approved", 1, 1, "approved")  # approved and queued, together


def test_two_approvals_at_once_approve_once(march, staff_a, admin_user, clean_tenant_tables) -> None:
    month_review_start(client=march, month=MARCH, at=march.created_at)
    barrier, outcomes = threading.Barrier(2), []

    def approve(user) -> None:
        try:
            barrier.wait()
            outcomes.append(month_approve(client=march, month=MARCH, user=user).number)
        except ApprovalRefused as error:
            outcomes.append(error.messages[0])
        except Exception as error:  # any other outcome fails the test below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (staff_a, admin_user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes, key=str) == [1, "These figures are already approved."]
    assert _seen(march) == ("approved", 1, 1, "approved")
