"""The time zones a person picks from: the canonical IANA zones, by region, with their UTC offset.

``zoneinfo.available_timezones()`` is about 600 names, among them links kept for old systems
("US/Eastern", "Cuba"), specials ("Factory", "localtime", "posixrules") and the Etc/ offsets whose
sign reads backwards. A menu offers the zones of the tz database's zone.tab (one or more per country,
the names its maintainers call canonical) plus UTC, grouped by region and labelled
"(UTC−06:00) America/Mexico_City". Any name zoneinfo knows is still accepted, so a value stored
before (a link such as "US/Eastern") stays valid and is shown as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REGIONS = {
    "Africa": _("Africa"),
    "America": _("America"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}
LEGACY_PREFIXES = ("Etc/", "SystemV/", "US/", "posix/", "right/", "Brazil/", "Canada/", "Chile/", "Mexico/")


@functools.cache
def canonical_zones() -> frozenset[str]:
    """The zones of the tz database's zone.tab that this system knows, and UTC; without a zone.tab,
    the region/city names that are not legacy links."""
    known = zoneinfo.available_timezones()
    for folder in zoneinfo.TZPATH:
        path = os.path.join(folder, "zone.tab")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as table:
                names = {line.split("\t")[2].strip() for line in table if line.strip() and not line.startswith("#")}
            return frozenset(names & known) | {"UTC"}
    return frozenset(
        name for name in known if name.split("/")[0] in REGIONS and not name.startswith(LEGACY_PREFIXES)
    ) | {"UTC"}


def offset_label(name: str, now: dt.datetime | None = None) -> str:
    """"(UTC−06:00) America/Mexico_City": the zone's offset now (summer time included) and its name."""
    offset = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(name)).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "−" if minutes < 0 else "+"
    return f"(UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}) {name}"


def timezone_choices(keep: str | None = None, now: dt.datetime | None = None) -> list[Any]:
    """UTC first, then one group per region (zones by name); ``keep``, a stored zone that is valid but
    not canonical, in a last group of its own so that the form shows and keeps it."""
    now = now or timezone.now()
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(canonical_zones() - {"UTC"}):
        groups.setdefault(name.split("/")[0], []).append((name, offset_label(name, now)))
    choices: list[Any] = [("UTC", offset_label("UTC", now))]
    choices += [(REGIONS.get(region, region), zones) for region, zones in groups.items()]
    if keep and keep not in canonical_zones() and keep in zoneinfo.available_timezones():
        choices.append((_("Other"), [(keep, offset_label(keep, now))]))
    return choices


class TimeZoneField(forms.ChoiceField):
    """A menu of the canonical zones; any zone zoneinfo knows validates (a stored legacy name)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=timezone_choices, **kwargs)

    def keep(self, value: str | None) -> None:
        """Show ``value`` (the stored zone) among the choices even when it is a legacy name."""
        if value and value not in canonical_zones():
            self.choices = timezone_choices(keep=value)

    def valid_value(self, value: Any) -> bool:
        special = value in {"Factory", "localtime", "posixrules"}
        return (value in zoneinfo.available_timezones() and not special) or super().valid_value(value)
