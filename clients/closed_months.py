"""Which months an import or a sync touched are already approved: a rule the monthly close registers.

An import (or a sync) that writes rows of an approved month changes nothing the client sees: the
month's figures are recomputed and a revision waits for staff (docs/monthly-close.md). The import's
result page says so, naming the months, and so does a connection on the Imports page for its last
sync that wrote rows, so that staff learn it where they are and not only on the close board. The
close lives in ``reports``, above ``clients``, which may not import it:
``reports.apps`` registers its reader here at start-up; with none registered, no month is approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from agency.months import Month

# (first days of months, an instant or None) -> those of them with an approved version (with
# ``since``: none of it approved at or after that instant), in the current client's schema
ApprovedAmong = Callable[[list[dt.date], dt.datetime | None], list[dt.date]]

_readers: list[ApprovedAmong] = []


def approved_months_register(reader: ApprovedAmong) -> None:
    """Called once by the app that owns the close (reports.apps.ReportsConfig.ready)."""
    _readers[:] = [reader]


def approved_months_among(*, months: Iterable[str], since: dt.datetime | None = None) -> list[dt.date]:
    """The months of ``months`` (``"YYYY-MM"``, as an import's result and a sync run store them) that
    were approved, oldest first: one query of the current client's schema, none for no months.
    ``since``: only those not approved again at or after it (a sync's notice, shown until the month
    is approved after the sync: then what it restated is approved)."""
    firsts = sorted({Month.parse(month).first_day for month in months})
    if not firsts or not _readers:
        return []
    return sorted(_readers[0](firsts, since))
