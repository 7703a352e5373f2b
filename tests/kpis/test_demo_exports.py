"""The export files the demo's Umbrella is fed from are kept for a newcomer to try the upload with.

The walk "a new client from nothing to its first approved report" starts by bringing in its data;
scripts/run said "umbrella: imported the platforms' export files (docs/importing.md)" and the
files were gone (a temporary folder), their copies kept only as numbered uploads under Umbrella's
media. They are now kept under the media root's ``demo-exports`` and the run names the folder."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from clients.models import Job
from clients.sources.demo import FILES
from kpis.demo import DemoClient, _demo_data, demo_exports_dir

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_the_export_fed_demo_client_keeps_its_files_and_says_where(tenant_b, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    demo = DemoClient(tenant_b.slug, tenant_b.name, "Europe/Madrid", "EUR", "uma@example.com", from_sources=True)
    said = io.StringIO()
    with time_machine.travel("2026-12-07 06:00:00Z", tick=False):
        _demo_data(client=tenant_b, demo=demo, months=2, leads_per_month=40, stdout=said)
    folder = tmp_path / "media" / "demo-exports"
    assert demo_exports_dir() == folder
    assert {name for name in FILES if (folder / name).is_file()} == set(FILES)
    assert str(folder) in said.getvalue() and "Imports page" in said.getvalue()
    connection.set_tenant(tenant_b)
    imported = Job.objects.filter(kind="import").count()
    connection.set_schema_to_public()
    assert imported == len(FILES)

    # A demo seeded before the files were kept: they are written again, nothing is imported twice.
    for name in FILES:
        (folder / name).unlink()
    with time_machine.travel("2026-12-07 06:00:00Z", tick=False):
        _demo_data(client=tenant_b, demo=demo, months=2, leads_per_month=40, stdout=io.StringIO())
    assert all((folder / name).is_file() for name in FILES)
    connection.set_tenant(tenant_b)
    assert Job.objects.filter(kind="import").count() == imported
    connection.set_schema_to_public()


def test_the_run_names_the_folder_once_the_demo_wrote_it(tmp_path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    sys.modules.pop("portal", None)
    import portal

    monkeypatch.setenv("PORTAL_MEDIA_ROOT", str(tmp_path))
    assert portal.demo_exports_line() == ""  # --no-demo, or a demo from before: no line
    (tmp_path / "demo-exports").mkdir()
    (tmp_path / "demo-exports" / "google_ads_es.csv").write_text("Informe de campañas\n")
    line = portal.demo_exports_line()
    assert f"{tmp_path}/demo-exports/" in line and "new client's Imports page" in line
