"""Helpers for the client-data tests: CSV files written to a temporary directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from agency.models import Client
from clients.importing import ImportResult
from clients.models import Campaign, Contract, Lead, Persona
from clients.services import data_import


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    counter = {"n": 0}

    def write(text: str, *, bom: bool = False) -> Path:
        counter["n"] += 1
        path = tmp_path / f"file{counter['n']}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return write


@pytest.fixture
def run_import(in_tenant_a: Client, write_csv: Callable[..., Path]) -> Callable[..., ImportResult]:
    """Import CSV text of a kind into client A (the connection stays in A's schema)."""

    def run(kind: str, text: str, **kwargs: object) -> ImportResult:
        return data_import(kind=kind, path_or_file=write_csv(text, **kwargs), client=in_tenant_a)

    return run


@pytest.fixture
def base_data(in_tenant_a: Client) -> None:
    """Rows that files refer to: a campaign, a persona, a lead and a retainer contract."""
    Campaign.objects.create(id="spring", name="Spring", channel="email")
    Persona.objects.create(code="cfo", name="Finance lead", priority=1)
    Lead.objects.create(id="L0", created_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC))
    Contract.objects.create(
        id="K0", account="acme", kind="retainer", start_date=dt.date(2025, 1, 1), term_months=12, monthly_fee=1000
    )
