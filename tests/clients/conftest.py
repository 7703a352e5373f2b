"""Helpers for the client-data tests: CSV files written to a temporary directory, and uploads through
the web page by a signed-in staff member (media under a temporary directory)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient

from agency.models import Client
from clients.importing import ImportResult
from clients.models import Campaign, Contract, Lead, Persona
from clients.services import data_import
from tests.conftest import host_of


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


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """Uploaded and generated files under the test's own directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def staff_http(staff_a, tenant_a: Client, media: Path) -> HttpClient:
    """Client A's assigned staff member, signed in at A's host."""
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    return http


def upload(http: HttpClient, content: bytes | str, name: str = "report.csv", *, kind: str = "") -> object:
    """Drop a file on the imports page (``kind`` empty: let the portal detect what it is)."""
    data = content.encode() if isinstance(content, str) else content
    return http.post("/imports/", {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv")})
