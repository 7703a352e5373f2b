"""The worked example's expected snapshot documents (2025-09 … 2026-04) as tenant alpha's snapshots."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django_tenants.utils import schema_context

from agency.months import Month
from tests.example import EXAMPLE


@pytest.fixture
def example_snapshots(tenant_a):
    """Write the expected documents as alpha's snapshots through the engine's upsert (no computing).
    The worked example loaded spend from its first month: one spend row says so, or its costs would
    read "—" for want of spend (kpis.nospend)."""
    from clients.models import Spend
    from kpis.services import snapshot_row, snapshot_upsert

    expected = EXAMPLE / "expected"
    rows = []
    for path in sorted(expected.glob("*.json")):
        month = Month.parse(path.stem).first_day
        document = {"client": "alpha", "month": path.stem, "computed_at": "2026-05-01T02:00:00Z", "criteria_version": 1}
        document.update(json.loads(path.read_text()))
        rows.append(snapshot_row(month=month, document=document, computed_at=dt.datetime(2026, 5, 1, 2, tzinfo=dt.UTC)))
    with schema_context("alpha"):
        Spend.objects.create(id="example-spend", date=min(row.month for row in rows), category="media", amount=0)
        snapshot_upsert(client=tenant_a, rows=rows)
    return tenant_a
