"""Writes of one client's data (its own schema): rows imported from a file or the API, the demo data.

The writes of one topic live in its package (``clients.imports.services``, ``clients.criteria.services``,
``clients.records.services``, ``clients.api.services``, ``clients.sources.services``).

Every function names the client it writes for and switches to that client's schema itself,
so a command, a Celery task, a view and a test all write to the right place whatever schema
the connection was in.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.criteria.services import criteria_version_create, personas_set
from clients.demo import demo_criteria, demo_personas, demo_word, month_list, write_demo_files
from clients.importing import KINDS, ImportResult, import_csv, import_records
from clients.models import CriteriaVersion, Persona
from clients.signals import data_changed  # data_changed: re-exported


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
    # The rows and what they set off (qualification, the recompute request) commit together: a
    # connection cut between the two would keep rows that nothing recomputes (issue #10).
    with transaction.atomic():
        with tenant_context(client):
            result = import_csv(
                kind=kind,
                source=path_or_file,
                zone=ZoneInfo(client.timezone),
                progress=progress,
                dry_run=dry_run,
                limit=limit,
                sample=sample,
            )
        if result.ok and not dry_run and result.written:
            data_changed(client=client, kind=kind, months=result.months)
    return result


def data_records_import(
    *,
    kind: str,
    client: Client,
    header: list[str],
    records: Iterable[tuple[int, list[str]]],
) -> ImportResult:
    """Import rows that did not come from a file (the ingestion API): same checks, same upsert.

    ``records`` are (index, cells) with cells in ``header`` order; errors carry the index as ``line``.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    # One transaction with what the rows set off (as data_import): an API client told 500 because
    # the database went away has had nothing written, and may send the same rows again.
    with transaction.atomic():
        with tenant_context(client):
            result = import_records(kind=kind, header=header, records=records, zone=ZoneInfo(client.timezone),
                                    positions="index")
        if result.ok and result.written:
            data_changed(client=client, kind=kind, months=result.months)
    return result


# --- demo data ------------------------------------------------------------------------------

DEMO_ORDER = ("campaigns", "spend", "leads", "activities", "traffic", "email", "contracts")


def demo_data_generate(
    *,
    client: Client,
    months: int,
    leads_per_month: int,
    seed: int = 1,
    marker: str = "",
    end: dt.date | None = None,
    out_dir: Path | None = None,
) -> dict[str, Any]:
    """Write seeded demo data for every kind as CSV files and import them like any upload.

    Personas and criteria are stored first (so imported leads are judged as they arrive);
    their JSON files are written next to the CSV files too. A Spanish-speaking client's words (personas,
    campaigns, verticals…) are written in Spanish (clients.demo.SPANISH). Returns the import results and the folder.
    Raises ``ValueError`` (naming the file) if an import refuses a generated file.
    """
    zone = ZoneInfo(client.timezone)
    now_local = timezone.now().astimezone(zone).replace(tzinfo=None, microsecond=0)
    end = end or now_local.date()
    language = client.language or ""
    personas, criteria = demo_personas(language), demo_criteria(language)
    temporary = None
    if out_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix=f"demo-{client.schema_name}-")
        out_dir = Path(temporary.name)
    try:
        files = write_demo_files(
            out_dir, months=months, leads_per_month=leads_per_month, seed=seed, marker=marker, end=end, now=now_local,
            language=language,
        )
        results: dict[str, Any] = {"directory": str(out_dir), "files": files.counts, "imports": {}}
        with tenant_context(client):
            latest = CriteriaVersion.objects.order_by("-version").first()
            same_personas = [
                {"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority")
            ] == [{"code": p["code"], "name": p["name"], "match": p.get("match") or {}} for p in personas]
        results["qualification"] = "unchanged"
        if not same_personas:
            personas_set(personas=personas, client=client)
            results["qualification"] = "stored"
        if latest is None or latest.criteria != criteria:
            criteria_version_create(
                criteria=criteria, effective_from=month_list(end, months)[0], change_note=demo_word("Demo data", language),
                client=client,
                saved_via=CriteriaVersion.SavedVia.DEMO,
            )
            results["qualification"] = "stored"
        for kind in DEMO_ORDER:
            result = data_import(kind=kind, path_or_file=files.path(kind), client=client)
            if not result.ok:
                raise ValueError(f"{kind}: the generated file was refused: " + "; ".join(map(str, result.errors[:5])))
            results["imports"][kind] = result
        return results
    finally:
        if temporary is not None:
            temporary.cleanup()
