"""Django's PostgreSQL backend, waiting a few seconds for a server that is restarting.

django-tenants' backend subclasses this one (``ORIGINAL_BACKEND``). When PostgreSQL restarts
(a fast shutdown cuts every connection, then a second or more until it accepts connections
again), a web request or task that opens a connection meanwhile would fail at once: a 500 for a
page that only arrived at the wrong second. Instead, opening a connection retries for up to
``PORTAL_DB_CONNECT_WAIT`` seconds (default 5; 0 turns it off) while the failure is one a
restart causes (no server on the socket or port, "starting up", "shutting down"); a wrong
password or a missing database fails at once. Persistent connections that the restart cut are
found by ``CONN_HEALTH_CHECKS`` at their next use and replaced through here.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger(__name__)
# SQLSTATE classes of a server going away or coming back: 08 connection exception, 57P01
# admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up / shutting down).
_RESTARTING = ("08", "57P01", "57P02", "57P03")


def _a_restart(error: Exception) -> bool:
    """True when ``error`` is what a PostgreSQL restart looks like from a client that connects."""
    state = getattr(error, "sqlstate", None)
    return state is None or state.startswith(_RESTARTING)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        wait = float(getattr(settings, "PORTAL_DB_CONNECT_WAIT", 0))
        deadline = time.monotonic() + wait
        pause = 0.1
        while True:
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError as error:
                if not _a_restart(error) or time.monotonic() + pause > deadline:
                    raise
                if pause == 0.1:  # once per connection, not once per attempt
                    logger.warning("PostgreSQL not accepting connections (%s); waiting up to %s s", error, wait)
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
