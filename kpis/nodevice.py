"""CRM leads that record no device: what the device breakdown's lead figures then say (and how many
leads the device and persona breakdowns leave out).

A CRM export may carry no device (HubSpot's contacts export; formats.md: a lead's device is optional).
kpis.md leaves leads without a device out of the device breakdown, so in a month where none of the
new leads records one, every device's new leads is 0 and its traffic → lead 0 % by construction: read as
"no device brought a lead", which nobody knows. The snapshot keeps kpis.md's values (and the CSV
export with them); the page and the PDF show "—" with the reason (kpis.breakdowns_shown.breakdown_cell), and
when only some leads record a device, say how many of the month's new leads the table leaves out, as
the persona table does of the leads that match no persona.
Read from the document alone (its new leads and its device rows), so an approved version says what it
said when it was approved. Pure: documents in, answers out.
"""

from __future__ import annotations

from typing import Any

# The device breakdown's figures counted from the CRM's leads (kpis.catalogue.BREAKDOWN_KEYS["device"]).
DEVICE_LEAD_FIGURES = frozenset({"new_leads", "traffic_to_lead"})


def leads_left_out(document: dict[str, Any] | None, dimension: str) -> tuple[int, int] | None:
    """``(left out, new leads)``: how many of the month's new leads the ``dimension`` breakdown leaves out
    (kpis.md: a lead without a device, or matching no persona), and the month's new leads; None when it
    leaves none out, when the month has none, or when the device breakdown has no rows (no table to leave
    them out of; a persona table has rows only from leads, so its empty table leaves them all out)."""
    if not document:
        return None
    members = (document.get("breakdowns") or {}).get(dimension) or {}
    new_leads = int((document.get("kpis") or {}).get("new_leads") or 0)
    if (not members and dimension == "device") or not new_leads:
        return None
    recorded = sum(int(figures.get("new_leads") or 0) for figures in members.values())
    left_out = new_leads - recorded
    return (left_out, new_leads) if left_out > 0 else None


def leads_without_device(document: dict[str, Any] | None) -> tuple[int, int] | None:
    """leads_left_out of the device breakdown."""
    return leads_left_out(document, "device")


def device_leads_unknown(document: dict[str, Any] | None) -> int | None:
    """The month's new leads when none of them records a device (each device's new leads and traffic → lead
    are then unknown, not 0), else None."""
    found = leads_without_device(document)
    return found[1] if found and found[0] == found[1] else None
