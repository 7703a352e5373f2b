"""Issue #10 item 6: a development portal is neither signed with a published key nor open to
the network unless asked."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from agency.secret import development_secret_key

ROOT = Path(__file__).resolve().parents[2]
OLD_PUBLIC_KEY = "dev-only-insecure-secret-key-never-used-in-production-0123456789"


def _portal_script():
    spec = importlib.util.spec_from_file_location("portal_script", ROOT / "scripts" / "portal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_development_key_is_made_once_per_install_and_private(tmp_path) -> None:
    path = tmp_path / ".local" / "secret_key"
    key = development_secret_key(path)
    assert len(key) >= 50 and key != OLD_PUBLIC_KEY
    assert development_secret_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert development_secret_key(tmp_path / "other" / "secret_key") != key


def test_this_install_does_not_sign_with_the_published_key() -> None:
    assert settings.SECRET_KEY != OLD_PUBLIC_KEY


def test_settings_without_secret_key_use_the_install_key_or_refuse_in_production(tmp_path) -> None:
    code = "import django; from django.conf import settings; django.setup(); print(settings.SECRET_KEY)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings"}
    env.pop("SECRET_KEY", None)
    env["DEBUG"] = "true"
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == (ROOT / ".local" / "secret_key").read_text().strip()
    env["DEBUG"] = "false"
    refused = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr


def test_scripts_run_listens_on_loopback_unless_told_otherwise(monkeypatch) -> None:
    monkeypatch.delenv("PORTAL_BIND", raising=False)
    portal = _portal_script()
    assert portal.parse_options([]).bind == "127.0.0.1"
    monkeypatch.setenv("PORTAL_BIND", "192.0.2.10")
    assert portal.parse_options([]).bind == "192.0.2.10"
    assert portal.parse_options(["--bind", "::1"]).bind == "::1"
