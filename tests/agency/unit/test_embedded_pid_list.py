"""An interrupted run must not keep the next ``scripts/run`` from starting its PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agency.embedded import pid_list_repair


@pytest.mark.parametrize("left", ["", "[12, 3", "{}", "null"])
def test_an_empty_or_cut_pid_list_is_started_again_empty(tmp_path: Path, left: str) -> None:
    (tmp_path / ".handle_pids.json").write_text(left)
    pid_list_repair(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == []


def test_a_readable_pid_list_is_left_as_it_is(tmp_path: Path) -> None:
    (tmp_path / ".handle_pids.json").write_text("[4242, 4343]")
    pid_list_repair(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [4242, 4343]


def test_no_pid_list_is_not_created(tmp_path: Path) -> None:
    pid_list_repair(tmp_path)
    assert not (tmp_path / ".handle_pids.json").exists()


def test_a_process_scripts_run_started_reuses_its_url_without_pgserver(tmp_path: Path, monkeypatch) -> None:
    """Only the supervisor registers pgserver's exit hook: the children's hooks raced on stop."""
    from agency import embedded

    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(embedded.STARTED_URL, "postgresql://postgres:@/portal?host=/somewhere")
    assert embedded.postgres_url() == "postgresql://postgres:@/portal?host=/somewhere"
    assert not (tmp_path / "pg").exists()
