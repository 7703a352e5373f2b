"""Production settings pass Django's deployment checklist with no warnings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings() -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "PORTAL_TESTING": "false",
        "SECRET_KEY": "x9!prod-like-" + "k" * 60,
        "PORTAL_SECRETS_KEY": "7dwDU5uI1OyV2sOc5T6xSWCj2YzxJQ2Xc8tlSX9y5Hw=",  # connectors' vault (docs/connectors.md)
        "PORTAL_BASE_HOST": "portal.agency.example",
        # The servers are not contacted by the checks; the URLs only have to be well-formed.
        "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**os.environ, "DEBUG": "false", "DATABASE_URL": "postgres://x@h/db", "REDIS_URL": "redis://h:6379/0"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
