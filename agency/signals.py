"""Signals of the client registry that the apps above listen to (agency imports none of them).

``client_timezone_changed`` is sent by :func:`agency.services.client_timezone_set` after a
client's zone changed, with ``client`` and ``at`` (the instant of the change): what is scheduled
by the client's local time moves to the new zone (clients: the connections' nightly syncs).

``client_economics_changed`` is sent by :func:`agency.services.client_economics_set` after the
client's gross margin or LTV horizon changed, with ``client``: the months whose figures read them
(ROMI, the lifetime values) are computed again (kpis).
"""

from __future__ import annotations

from django.dispatch import Signal

client_timezone_changed = Signal()
client_economics_changed = Signal()
