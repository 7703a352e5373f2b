"""Helpers for the source tests: the fixture files, rates and an import into client A (EUR, Madrid)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client as HttpClient

from agency.models import Client
from clients.sources import SourceImport, rates_import, source_import
from tests.conftest import host_of

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"


@pytest.fixture
def staff_http(staff_a, tenant_a: Client, settings, tmp_path: Path) -> HttpClient:
    """Staff of client A signed in at its host, uploads under this test's own folder."""
    settings.MEDIA_ROOT = tmp_path
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    return http


@pytest.fixture
def fixture_path() -> Callable[[str], Path]:
    return lambda name: FIXTURES / name


@pytest.fixture
def ecb_rates(db: None) -> None:
    assert rates_import(path=FIXTURES / "eurofxref-hist.csv").ok


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[..., Path]:
    counter = {"n": 0}

    def write(text: str | bytes, *, encoding: str = "utf-8", bom: bytes = b"") -> Path:
        counter["n"] += 1
        path = tmp_path / f"export{counter['n']}.csv"
        data = text if isinstance(text, bytes) else text.encode(encoding)
        path.write_bytes(bom + data)
        return path

    return write


@pytest.fixture
def import_a(in_tenant_a: Client) -> Callable[..., SourceImport]:
    def run(path: Path, **kwargs: object) -> SourceImport:
        return source_import(client=in_tenant_a, path=path, **kwargs)

    return run
