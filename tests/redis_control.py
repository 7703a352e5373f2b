"""Stopping and starting the suite's own embedded Redis (``.local/test``), for degrade tests."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

from agency import degrade, embedded


def redis_answers() -> bool:
    return embedded._redis_answers(embedded._redis_socket())


def redis_stop() -> None:
    embedded.redis_stop()
    deadline = time.monotonic() + 20
    while redis_answers() or _pid_alive():
        if time.monotonic() > deadline:
            raise AssertionError("embedded Redis did not stop")
        time.sleep(0.05)


def _pid_alive() -> bool:
    import os

    pidfile = embedded._redis_socket().parent / "redis.pid"
    try:
        os.kill(int(pidfile.read_text().strip()), 0)
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return False
    return True


def redis_start() -> None:
    embedded.redis_url()
    degrade.reset_for_tests()


@contextlib.contextmanager
def redis_down() -> Iterator[None]:
    """Redis stopped for the block (saved to disk, as a restart would), started again after."""
    redis_stop()
    try:
        yield
    finally:
        redis_start()
