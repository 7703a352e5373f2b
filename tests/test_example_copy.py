"""The tests' copy of the worked example is the spec's, file for file."""

from __future__ import annotations

from tests.example import COPY, spec_beside_repository_or_skip


def _files(root):
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_copy_of_the_worked_example_matches_the_spec() -> None:
    spec = spec_beside_repository_or_skip("shared/spec/example")
    assert _files(COPY) == _files(spec)


def test_the_example_in_use_has_its_eight_expected_months() -> None:
    from tests.example import EXAMPLE

    months = sorted(p.stem for p in (EXAMPLE / "expected").glob("*.json"))
    assert len(months) == 8 and (months[0], months[-1]) == ("2025-09", "2026-04")
