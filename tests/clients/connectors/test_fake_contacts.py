"""The fake HubSpot's contacts move down the funnel up to the day it serves: the demo's last complete
month had no SQL at all (a lead had to be 55 days old to move), which opened anomaly checks on every
seeded demo."""

from __future__ import annotations

import datetime as dt

from clients.connectors.fake_server import make_contacts

STAGES = ("hs_v2_date_entered_salesqualifiedlead", "hs_v2_date_entered_opportunity", "hs_v2_date_entered_customer")


def test_the_last_month_has_sales_and_no_stage_is_in_the_future() -> None:
    first, last = dt.datetime(2025, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    contacts = make_contacts(1800, first=first, last=last, seed=42)
    entered = [dt.datetime.fromisoformat(c["properties"][s].replace("Z", "+00:00"))
               for c in contacts for s in STAGES if s in c["properties"]]
    assert entered and max(entered) < last
    november_sqls = [c for c in contacts if c["properties"].get(STAGES[0], "").startswith("2026-11")]
    october_sqls = [c for c in contacts if c["properties"].get(STAGES[0], "").startswith("2026-10")]
    assert len(november_sqls) > len(october_sqls) / 2  # not the cliff to 0
