"""Writes of one client's data (its own schema).

Every function names the client it writes for and switches to that client's schema itself,
so a command, a Celery task, a view and a test all write to the right place whatever schema
the connection was in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import KINDS, ImportResult, import_csv, import_records
from clients.models import Holiday
from clients.signals import data_imported


def data_changed(*, client: Client, kind: str, months: set[str]) -> None:
    """Tell subscribers (qualification, snapshots) that ``kind`` rows of ``months`` changed.

    The one hook every writer calls after it wrote: it sends
    :data:`clients.signals.data_imported` in the client's schema.
    """
    with tenant_context(client):
        data_imported.send(sender=Client, client=client, kind=kind, months=set(months))


def data_import(
    *,
    kind: str,
    path_or_file: str | Any | IO[Any],
    client: Client,
    progress: Callable[[int], None] | None = None,
    dry_run: bool = False,
    limit: int | None = None,
    sample: int = 0,
) -> ImportResult:
    """Import one CSV file of ``kind`` (formats.md) into ``client``'s data, all or nothing.

    Used by ``import_data``, the web upload task, the demo generator and the benchmark. On a
    file with bad rows nothing is written and ``result.errors`` lists every one. When rows
    were written, :func:`data_changed` is called with the months they touch. ``dry_run``
    checks everything and rolls back (the web preview, with ``limit`` and ``sample`` rows).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    with tenant_context(client):
        result = import_csv(kind=kind, source=path_or_file, zone=ZoneInfo(client.timezone), progress=progress,
                            dry_run=dry_run, limit=limit, sample=sample)
    if result.ok and not dry_run and result.written:
        data_changed(client=client, kind=kind, months=result.months)
    return result


def data_records_import(
    *, kind: str, client: Client, header: list[str], records: Iterable[tuple[int, list[str]]],
) -> ImportResult:
    """Import rows that did not come from a file (the ingestion API): same checks, same upsert.

    ``records`` are (position, cells) with cells in ``header`` order; errors carry the position.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    with tenant_context(client):
        result = import_records(kind=kind, header=header, records=records, zone=ZoneInfo(client.timezone))
    if result.ok and result.written:
        data_changed(client=client, kind=kind, months=result.months)
    return result


def holidays_set(*, client: Client, dates: Iterable[dt.date | str]) -> list[dt.date]:
    """Replace the client's non-working days (they change leads per working day)."""
    parsed: set[dt.date] = set()
    errors = []
    for value in dates:
        if isinstance(value, dt.date):
            parsed.add(value)
            continue
        try:
            if len(value) != 10:
                raise ValueError
            parsed.add(dt.date.fromisoformat(value))
        except ValueError:
            errors.append(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value})
    if errors:
        raise ValidationError({"dates": errors})
    with tenant_context(client), transaction.atomic():
        old = set(Holiday.objects.values_list("date", flat=True))
        Holiday.objects.exclude(date__in=parsed).delete()
        Holiday.objects.bulk_create([Holiday(date=day) for day in sorted(parsed - old)])
    changed = old ^ parsed
    if changed:
        data_changed(client=client, kind="holidays", months={day.strftime("%Y-%m") for day in changed})
    return sorted(parsed)
