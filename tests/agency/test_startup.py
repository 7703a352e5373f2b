"""Start-up without side effects: production never starts an embedded server, and commands meet a migrated database.

Each case runs ``manage.py`` in a subprocess with the environment of that kind of run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from agency import embedded

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false", "PORTAL_TESTING": "false", "SECRET_KEY": "x9!prod-like-" + "k" * 60,
    "PORTAL_SECRETS_KEY": "7dwDU5uI1OyV2sOc5T6xSWCj2YzxJQ2Xc8tlSX9y5Hw=",
}


def manage(*args: str, env: dict[str, str], unset: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name not in {"DJANGO_ALLOW_ASYNC_UNSAFE", *unset}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "DATABASE_URL and REDIS_URL"),
        ({"DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://cache.internal:6379/0"}, "DATABASE_URL"),
    ],
)
def test_production_without_a_service_url_stops_with_one_sentence_and_starts_nothing(
    tmp_path: Path, given: dict[str, str], missing: str
) -> None:
    data = tmp_path / "data"
    result = manage("check", env={**PRODUCTION, **given, "PORTAL_DATA_DIR": str(data)}, unset=("DATABASE_URL", "REDIS_URL"))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"DEBUG is false, so set {missing}: the embedded PostgreSQL and Redis run only in development and tests."
    )
    assert not data.exists()  # no embedded server was started (it would have made its data folder)


def test_debug_forgotten_is_production_and_fails_loudly(tmp_path: Path) -> None:
    """No DEBUG in the environment (a forgotten variable): not development, so no embedded server."""
    data = tmp_path / "data"
    env = {**{name: value for name, value in PRODUCTION.items() if name != "DEBUG"}, "PORTAL_DATA_DIR": str(data)}
    result = manage("check", env=env, unset=("DEBUG", "DATABASE_URL", "REDIS_URL"))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("DEBUG is false, so set DATABASE_URL and REDIS_URL")
    assert not data.exists()
    without_key = manage("check", env={"PORTAL_TESTING": "false"}, unset=("DEBUG", "SECRET_KEY", "DATABASE_URL"))
    assert "SECRET_KEY must be set when DEBUG is false." in without_key.stderr


def test_production_without_a_secrets_key_refuses_to_start(tmp_path: Path) -> None:
    without = {name: value for name, value in PRODUCTION.items() if name != "PORTAL_SECRETS_KEY"}
    env = {**without, "DATABASE_URL": _embedded_url("postgres"), "REDIS_URL": settings.REDIS_URL}
    result = manage("check", env=env, unset=("PORTAL_SECRETS_KEY",))
    assert result.returncode == 1
    assert result.stderr.strip() == "PORTAL_SECRETS_KEY must be set when DEBUG is false (docs/connectors.md)."


def _embedded_url(database: str) -> str:
    """A URL to another database of the test run's embedded PostgreSQL."""
    url = embedded.postgres_url()
    return url.replace(f"/{embedded.DATABASE_NAME}?", f"/{database}?")


def test_a_command_on_a_database_never_migrated_says_what_to_run(tmp_path: Path) -> None:
    # The maintenance database of the test server has none of the portal's tables.
    env = {**PRODUCTION, "DATABASE_URL": _embedded_url("postgres"), "REDIS_URL": settings.REDIS_URL}
    result = manage("compute_snapshots", "alpha", "--all", env=env)
    assert result.returncode == 1
    assert result.stderr.strip() == "The database is not migrated: run `python manage.py migrate_schemas` first."


def test_in_development_a_command_migrates_a_fresh_embedded_database_first(tmp_path: Path) -> None:
    env = {"DEBUG": "true", "PORTAL_TESTING": "false", "PORTAL_DATA_DIR": str(tmp_path), "REDIS_URL": settings.REDIS_URL}
    try:
        first = manage("create_client", "gamma", "--name", "Gamma", env=env, unset=("DATABASE_URL",))
        assert first.returncode == 0, first.stderr
        assert "the database is not migrated: migrating it first" in first.stderr
        again = manage("export_snapshot", "gamma", "--month", "2026-03", env=env, unset=("DATABASE_URL",))
        assert "migrating" not in again.stderr  # migrated now: nothing to do before the command
        assert "gamma has no snapshot for 2026-03" in again.stderr  # the command itself ran
    finally:
        subprocess.run(
            [sys.executable, "-c", "from agency import embedded; embedded.postgres_stop()"],
            cwd=ROOT,
            env={**os.environ, "PORTAL_DATA_DIR": str(tmp_path)},
            capture_output=True,
            timeout=60,
        )


def test_receivers_are_connected_when_the_apps_are_ready_not_when_a_module_is_imported() -> None:
    probe = (
        "import django; django.setup()\n"
        "from clients.signals import data_imported, leads_requalified\n"
        "uids = sorted(key[0] for key, *_ in data_imported.receivers + leads_requalified.receivers)\n"
        "print(uids)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "agency.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    uids = "['clients.requalify_after_import', 'kpis.recompute_on_import', 'kpis.recompute_on_requalify']"
    assert result.stdout.split("\n")[-2] == uids
