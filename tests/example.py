"""Where the tests find the spec's worked example (../shared/spec/example).

A copy lives in ``tests/fixtures/example`` so that a clone anywhere runs the example's tests
instead of skipping them; ``PORTAL_SPEC_DIR`` points them at another spec folder, and
``tests/test_example_copy.py`` fails when the copy differs from the spec beside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

COPY = Path(__file__).resolve().parent / "fixtures" / "example"


def example_dir() -> Path:
    if os.environ.get("PORTAL_SPEC_DIR"):
        return Path(os.environ["PORTAL_SPEC_DIR"]) / "example"
    return COPY


def spec_beside_repository(*, named_by_environment: bool = False) -> Path | None:
    """``shared/spec/example`` beside a parent folder of the repository, if there is one (or, with
    ``named_by_environment``, first the ``example`` folder of ``PORTAL_SPEC_DIR`` when it is set)."""
    if named_by_environment and os.environ.get("PORTAL_SPEC_DIR"):
        candidate = Path(os.environ["PORTAL_SPEC_DIR"]) / "example"
        return candidate if candidate.is_dir() else None
    for parent in Path(__file__).resolve().parents:
        if (candidate := parent / "shared" / "spec" / "example").is_dir():
            return candidate
    return None


def spec_beside_repository_or_skip(what: str) -> Path:
    """:func:`spec_beside_repository` (named by the environment first), or the test skipped saying
    how to run it: ``what`` names what is compared ("shared/spec")."""
    import pytest

    spec = spec_beside_repository(named_by_environment=True)
    if spec is None:
        pytest.skip(
            f"no {what} beside this clone to compare with; the copy is used as it is. To run this test, "
            "clone the repository inside the workspace that holds shared/ (any parent folder of the clone), "
            "or set PORTAL_SPEC_DIR=/path/to/spec"
        )
    return spec


EXAMPLE = example_dir()
