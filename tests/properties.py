"""Property tests against the database (hypothesis): how many examples, and each example's rows undone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings


def db_examples(default: int, *, slow_ok: bool = False) -> settings:
    """Settings for a test that writes rows in each example: ``default`` examples, the same ones
    every run (PORTAL_HYPOTHESIS_EXAMPLES=N: N random ones), no deadline (PostgreSQL's timing is
    the machine's), the function-scoped tenant fixture allowed since each example undoes its rows
    (:func:`rolled_back`); ``slow_ok`` when building the data is slow on purpose."""
    checks = [HealthCheck.function_scoped_fixture, *([HealthCheck.too_slow] if slow_ok else [])]
    return settings(
        max_examples=int(os.environ.get("PORTAL_HYPOTHESIS_EXAMPLES", str(default))),
        deadline=None,
        derandomize=not os.environ.get("PORTAL_HYPOTHESIS_EXAMPLES"),
        suppress_health_check=checks,
    )


class _Undo(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """What the block writes is undone when it ends, so that the next example starts from the same rows."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass
