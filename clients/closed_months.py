"""Which months an import or a sync touched are already approved: a rule the monthly close registers.

An import (or a sync) that writes rows of an approved month changes nothing the client sees: the
month's figures are recomputed and a revision waits for staff (docs/monthly-close.md). The import's
result page says so, naming the months, and so does a connection on the Imports page for the
approved months its syncs restated since their approval (until the revision is approved), so that
staff learn it where they are and not only on the close board. The
close lives in ``reports``, above ``clients``, which may not import it:
``reports.apps`` registers its reader here at start-up; with none registered, no month is approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from agency.models import Client
from agency.months import Month

# first days of months -> those of them with an approved version, in the current client's schema
ApprovedAmong = Callable[[list[dt.date]], list[dt.date]]

# (the client, a connection's id) -> the approved months its syncs restated since their approval that a
# revision still waits on, each with when the last of those syncs ended, oldest first (the client's schema)
RestatedBySyncs = Callable[[Client, int], list[tuple[dt.date, dt.datetime]]]

_readers: list[ApprovedAmong] = []
_restated_readers: list[RestatedBySyncs] = []


def approved_months_register(reader: ApprovedAmong, restated: RestatedBySyncs | None = None) -> None:
    """Called once by the app that owns the close (reports.apps.ReportsConfig.ready)."""
    _readers[:] = [reader]
    _restated_readers[:] = [restated] if restated else []


def months_restated(*, client: Client, connection_id: int) -> list[tuple[dt.date, dt.datetime]]:
    """The approved months the connection's syncs wrote rows of since each month's latest approval,
    while a revision waits on them or their recompute is still to come
    (reports.selectors.months_restated_by_syncs): each with when the last of those syncs ended,
    oldest first, in the current schema (``client``'s). Every such sync counts, not only the last: a
    later sync of other months leaves the close's revision waiting, so the notice stays too. None
    without a registered reader."""
    return list(_restated_readers[0](client, connection_id)) if _restated_readers else []


def approved_months_among(*, months: Iterable[str]) -> list[dt.date]:
    """The months of ``months`` (``"YYYY-MM"``, as an import's result and a sync run store them) that
    were approved, oldest first: one query of the current client's schema, none for no months. (What a
    connection's syncs restated since each month's approval is ``months_restated``.)"""
    firsts = sorted({Month.parse(month).first_day for month in months})
    if not firsts or not _readers:
        return []
    return sorted(_readers[0](firsts))
