"""Signals of the KPI engine that higher apps listen to (kpis may not import them).

``snapshots_computed`` is sent by :func:`kpis.services.snapshot_upsert` inside the transaction
that stored the snapshots, in the client's schema, with ``client`` and ``months`` (first days).
The monthly close (reports.receivers) notes there that an approved month's figures moved, in
the same transaction.
"""

from __future__ import annotations

from django.dispatch import Signal

snapshots_computed = Signal()
