"""The campaign table's marketing spend column adds up to less than the month's marketing spend when
some spend names no campaign (kpis.md leaves it out of that breakdown: fees, tools, content). A client
adding the column up found €41,658.22 against the tile's €48,867.87 with nothing said; the table now
says how much is tied to no campaign, on the page, the PDF and in both languages."""

from __future__ import annotations

import pytest
from django.utils import translation

from kpis.breakdowns_shown import campaign_spend_note, drilldown_tables
from kpis.models import Snapshot


def _snapshot(total: float, *campaigns: float) -> Snapshot:
    members = {
        f"c{i}": {"marketing_spend": spend, "new_leads": 3, "cpl": spend / 3, "mqls": 1, "customers": 0}
        for i, spend in enumerate(campaigns)
    }
    return Snapshot(document={"kpis": {"marketing_spend": total, "new_leads": 3 * len(campaigns)},
                              "breakdowns": {"campaign": members}})


@pytest.mark.parametrize(("language", "said"), [
    ("en", "€7,209.65 of this month's €48,867.87 marketing spend is tied to no campaign"),
    ("es", "7\u00a0209,65\u00a0€ de los 48\u00a0867,87\u00a0€ de inversión en marketing de este mes no están ligados a "
           "ninguna campaña"),
])
def test_the_campaign_table_says_the_spend_it_leaves_out(language, said) -> None:
    snapshot = _snapshot(48_867.87, 30_000.00, 11_658.22)
    with translation.override(language):
        note = campaign_spend_note(snapshot, "campaign", "EUR")
        tables = drilldown_tables(snapshot, currency="EUR", names={})
    assert said in note, note
    campaign = next(t for t in tables if t["dimension"] == "campaign")
    assert campaign["left_out_note"] == note  # the PDF's table carries it as the page's does


def test_nothing_is_said_when_the_campaigns_hold_all_the_spend_or_for_another_table() -> None:
    assert campaign_spend_note(_snapshot(1_000.0, 600.0, 400.0), "campaign", "EUR") == ""
    assert campaign_spend_note(_snapshot(1_000.0, 600.0), "channel", "EUR") == ""
    assert campaign_spend_note(_snapshot(1_000.0), "campaign", "EUR") == ""  # no campaign row: no table to add up
    assert campaign_spend_note(None, "campaign", "EUR") == ""
