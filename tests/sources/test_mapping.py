"""Saved mappings are data: JSON round trip, recognized by their header, run by the same engine."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from clients.models import Campaign, Spend
from clients.sources import (
    Mapping,
    Rule,
    detect,
    register_mapping_provider,
    required_targets,
    saved_mappings,
    targets_of,
)
from clients.sources import mapping as mapping_module

SHEET = Mapping(
    kind="spend", name="pipedrive-costs", decimal=",", date_format="%d/%m/%Y", currency="USD",
    header=("Fecha", "Campaña", "Importe"), channel="events",
    columns={"date": Rule(column="Fecha"), "campaign_name": Rule(column="Campaña"), "amount": Rule(column="Importe"),
             "category": Rule(value="marketing")},
)


@pytest.fixture
def provider():
    def mappings(client):
        return [SHEET]

    register_mapping_provider(mappings)
    yield
    mapping_module._MAPPING_PROVIDERS.remove(mappings)


def test_a_mapping_survives_json():
    assert Mapping.from_dict(json.loads(json.dumps(SHEET.to_dict()))) == SHEET
    assert SHEET.problems() == []


def test_targets_of_a_kind():
    assert targets_of("spend")[-3:] == ("campaign_id", "campaign_name", "currency")
    assert ("campaign", "campaign_id", "campaign_name") in required_targets("email")
    assert "id" not in required_targets("spend")


def test_a_saved_mapping_is_recognized_by_its_header_and_converts(provider, in_tenant_a, import_a, write_file, ecb_rates):
    path = write_file("Coste de eventos\nfecha;campaña;importe\n03/03/2026;Feria Madrid;1.080,00\n"
                      "03/03/2026;feria madrid ;108,00\n")
    assert detect(path, mappings=[SHEET]).mapping is SHEET
    # The registered providers: this test's and the saved-mappings feature's (none saved for this client).
    outcome = import_a(path, mappings=saved_mappings(client=in_tenant_a))
    assert outcome.ok, outcome.errors
    assert outcome.detection.label == "pipedrive-costs" and outcome.detection.header_line == 2
    assert list(Campaign.objects.values_list("id", "name", "channel")) == [("Feria Madrid", "Feria Madrid", "events")]
    spend = Spend.objects.get()
    # 1,080 + 108 USD on 3 March at 1.08 USD per EUR = 1,100 EUR; the id is NAME:DATE:CAMPAIGN.
    assert (spend.id, spend.category, spend.amount, spend.original_amount, spend.currency, spend.rate_date) == (
        "pipedrive-costs:2026-03-03:Feria Madrid", "marketing", Decimal("1100"), Decimal("1188"), "USD",
        dt.date(2026, 3, 3))
