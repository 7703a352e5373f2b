"""Fault tests: real workers, Redis and PostgreSQL stopped and restarted. Marked ``fault``."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.fault)
