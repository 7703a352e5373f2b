"""Signals other parts of the portal subscribe to when a client's data changes.

``data_imported`` is sent by :func:`data_changed` (also reachable as
``clients.services.data_changed``) after rows were written (by a CSV import, the web upload,
the API, a source file or the demo generator), in the client's schema,
with keyword arguments:

- ``client``: the :class:`agency.models.Client`;
- ``kind``: the file kind (``"leads"``, ``"activities"``, ... or ``"holidays"``);
- ``months``: the set of ``"YYYY-MM"`` months (client time zone) whose figures may change,
  old and new values of updated rows included.

It is sent after the import's own transaction has ended; when the caller is itself inside a
transaction (a test, an API view in a request transaction) that transaction is still open,
so a receiver that queues work for another process should wrap it in
``transaction.on_commit``. Receivers that recompute in-process (qualification) can run at once.

``leads_requalified`` is sent by :func:`clients.criteria.services.leads_requalify` when the
qualification engine changed some leads' MQL or sales-ready time or persona, with ``client``
and ``months`` (the ``"YYYY-MM"`` months whose funnel figures moved).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal
from django_tenants.utils import tenant_context

data_imported = Signal()
leads_requalified = Signal()
# Sent after each run of a scheduled source (clients.sources.schedule), and with ok=True when one is
# removed: ``client``, ``source_id``, ``source_name``, ``ok``, ``message``, ``words`` (the reason as
# agency.reasons.Words with its kind and what the address said, when kept), ``at``. kpis keeps the
# portfolio's list of failing sources from it.
scheduled_source_result = Signal()
# Sent after each sync of a connection (clients.connectors.sync) and when one is removed: ``client``,
# ``platform``, ``label`` (the platform's name), ``state`` ("" once disconnected), ``reason``,
# ``last_success_at``, ``failing_since``, ``token_expires_at``, ``at``. kpis mirrors it for the portfolio.
connection_health = Signal()
# Sent when a sync wrote rows: ``client``, ``platform``, ``label``, ``kind``, ``months`` ("YYYY-MM" touched),
# ``synced_on`` (the sync's date). reports names the platform and the sync in a restated month's reason.
connection_synced = Signal()


def data_changed(*, client: Any, kind: str, months: set[str]) -> None:
    """Tell subscribers (qualification, snapshots) that ``kind`` rows of ``months`` changed.

    The one hook every writer calls after it wrote: it sends :data:`data_imported` in the
    client's schema. (Here rather than in clients.services so that the sources, which
    clients.services uses, can call it too.)
    """
    with tenant_context(client):
        data_imported.send(sender=type(client), client=client, kind=kind, months=set(months))
