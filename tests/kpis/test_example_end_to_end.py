"""The worked example through the documented commands, against every value of its expected files."""

from __future__ import annotations

import io
import json
import math

import pytest
from django.core.management import call_command

from agency.models import Client
from tests.example import EXAMPLE

MONTHS = sorted(p.stem for p in (EXAMPLE / "expected").glob("*.json"))
pytestmark = pytest.mark.django_db(transaction=True)


def same(actual: object, expected: object) -> bool:
    if expected is None or actual is None:
        return actual is expected
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def exported(django_db_blocker, django_db_setup) -> dict[str, dict]:
    """create_client, set_holidays, set_criteria, set_personas, import_data × 7, compute_snapshots --all, export."""
    settings = json.loads((EXAMPLE / "client.json").read_text())
    with django_db_blocker.unblock():
        Client.objects.filter(slug="example").delete()
        call_command(
            "create_client",
            "example",
            name="Worked example",
            timezone=settings["timezone"],
            currency=settings["currency"],
            gross_margin=str(settings["gross_margin"]),
            horizon_months=str(settings["horizon_months"]),
        )
        try:
            call_command("set_holidays", "example", *settings["holidays"])
            call_command("set_criteria", "example", str(EXAMPLE / "criteria.json"), effective_from="2025-01-01")
            call_command("set_personas", "example", str(EXAMPLE / "personas.json"))
            for kind in ("campaigns", "spend", "leads", "activities", "traffic", "email", "contracts"):
                call_command("import_data", "example", kind, str(EXAMPLE / f"{kind}.csv"), stdout=io.StringIO())
            call_command("compute_snapshots", "example", "--all", stdout=io.StringIO())
            documents = {}
            for month in MONTHS:
                out = io.StringIO()
                call_command("export_snapshot", "example", month=month, stdout=out)
                documents[month] = json.loads(out.getvalue())
        finally:
            Client.objects.get(slug="example").delete(force_drop=True)
    return documents


@pytest.mark.parametrize("month", MONTHS)
def test_every_expected_kpi(exported, month) -> None:
    expected = json.loads((EXAMPLE / "expected" / f"{month}.json").read_text())
    document = exported[month]
    assert document["month"] == month and document["client"] == "example"
    wrong = {
        key: (document["kpis"].get(key, "missing"), value)
        for key, value in expected["kpis"].items()
        if key not in document["kpis"] or not same(document["kpis"][key], value)
    }
    assert not wrong, f"{month}: (ours, expected) {wrong}"


@pytest.mark.parametrize("month", MONTHS)
def test_every_expected_breakdown_member(exported, month) -> None:
    expected = json.loads((EXAMPLE / "expected" / f"{month}.json").read_text())
    wrong = {}
    for dimension, members in expected["breakdowns"].items():
        for member, figures in members.items():
            ours = exported[month]["breakdowns"][dimension].get(member, {})
            for key, value in figures.items():
                if key not in ours or not same(ours[key], value):
                    wrong[f"{dimension}.{member}.{key}"] = (ours.get(key, "missing"), value)
    assert not wrong, f"{month}: (ours, expected) {wrong}"


@pytest.mark.parametrize("month", MONTHS)
def test_every_key_of_the_catalogue_is_in_the_export(exported, month) -> None:
    """formats.md: every key of kpis.md is present in ``kpis`` (null where undefined), and every
    breakdown dimension is present, also those the expected files do not list (paid media, platform)."""
    from kpis.catalogue import BREAKDOWN_KEYS, KPI_KEYS

    document = exported[month]
    assert [key for key in KPI_KEYS if key not in document["kpis"]] == []
    assert set(BREAKDOWN_KEYS) <= set(document["breakdowns"])


PAID_MEDIA_UNDEFINED = (
    "impressions", "clicks", "ctr", "cpc", "cpm", "platform_conversions", "cost_per_conversion",
    "click_conversion_rate", "conversion_value", "roas", "paid_lead_match_rate",
)  # fmt: skip


@pytest.mark.parametrize("month", MONTHS)
def test_the_example_without_ad_rows_has_no_paid_media_figures(exported, month) -> None:
    """The example's spend rows give no ``platform``: no ad rows (kpis.md "Paid media"), which its
    expected files leave out. Sums over no rows are 0; a figure whose input column no ad row gives is
    null, never 0; no platform member; the campaigns' delivery figures null."""
    kpis = exported[month]["kpis"]
    assert kpis["ad_spend"] == 0 and kpis["paid_leads"] == 0
    assert {key: kpis[key] for key in PAID_MEDIA_UNDEFINED} == dict.fromkeys(PAID_MEDIA_UNDEFINED)
    breakdowns = exported[month]["breakdowns"]
    assert breakdowns["platform"] == {}
    delivery = ("impressions", "clicks", "ctr", "cpc", "platform_conversions", "cost_per_conversion", "roas")
    for member, figures in breakdowns["campaign"].items():
        assert {key: figures[key] for key in delivery} == dict.fromkeys(delivery), member
