"""connect_source / sync_source / disconnect_source, as connectors.md writes them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.connectors.fake_server import FakePlatforms
from clients.models import Connection, Lead
from tests.clients.connectors.conftest import HUBSPOT_TOKEN, MAILCHIMP_KEY

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_connect_sync_and_disconnect_from_the_command_line(
    tenant_a: Client, hubspot: FakePlatforms, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    token_file.write_text(json.dumps({"access_token": HUBSPOT_TOKEN}))
    assert _run("connect_source", "alpha", "hubspot", "--account", "4242", "--token-file", str(token_file)).strip() == (
        "connected: 250 contacts, portal 4242")
    out = _run("sync_source", "alpha", "hubspot", "--from", "2026-10-01", "--to", "2026-10-31")
    lines = out.splitlines()
    assert lines[0].startswith("rows: leads ")
    assert lines[1].startswith("months touched: ") and "2026-10" in lines[1]
    with tenant_context(tenant_a):
        assert Lead.objects.exists()
    assert _run("disconnect_source", "alpha", "hubspot").strip() == "disconnected hubspot of alpha"
    with tenant_context(tenant_a):
        assert not Connection.objects.exists()
    with pytest.raises(CommandError, match="alpha has no hubspot connection"):
        _run("disconnect_source", "alpha", "hubspot")


def test_refused_credentials_and_bad_token_files_are_clear_errors(
    tenant_a: Client, mailchimp: FakePlatforms, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"api_key": MAILCHIMP_KEY.replace("0123", "9999")}))
    with pytest.raises(CommandError, match="not connected: Mailchimp refused the credentials"):
        _run("connect_source", "alpha", "mailchimp", "--account", "alpha", "--token-file", str(bad))
    bad.write_text(json.dumps({"password": "x"}))
    with pytest.raises(CommandError, match="unknown key"):
        _run("connect_source", "alpha", "mailchimp", "--account", "alpha", "--token-file", str(bad))
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"api_key": MAILCHIMP_KEY}))
    assert "account Alpha News" in _run("connect_source", "alpha", "mailchimp", "--account", "alpha",
                                        "--token-file", str(good))
    mailchimp.expired.add("mailchimp")
    with pytest.raises(CommandError, match="sync failed: Mailchimp refused the credentials"):
        _run("sync_source", "alpha", "mailchimp")


def test_connect_source_names_the_other_client_of_a_shared_portal_and_goes_on_with_shared(
    tenant_a: Client, tenant_b: Client, hubspot: FakePlatforms, tmp_path: Path
) -> None:
    token_file = tmp_path / "token.json"
    token_file.write_text(json.dumps({"access_token": HUBSPOT_TOKEN}))
    _run("connect_source", "alpha", "hubspot", "--account", "4242", "--token-file", str(token_file))
    with pytest.raises(CommandError, match=r"already connected to Alpha Analytics.*--shared"):
        _run("connect_source", "beta", "hubspot", "--account", "4242", "--token-file", str(token_file))
    assert _run("connect_source", "beta", "hubspot", "--account", "4242", "--token-file", str(token_file),
                "--shared").startswith("connected: ")
