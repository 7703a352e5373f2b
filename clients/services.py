"""Writes of one client's data (its own schema).

Every function names the client it writes for and switches to that client's schema itself,
so a command, a Celery task, a view and a test all write to the right place whatever schema
the connection was in.
"""

from __future__ import annotations

import csv
import datetime as dt
import secrets
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.dates import date_in_range, date_range_message
from agency.models import Client
from agency.months import Month, local_midnight
from clients.criteria.qualification import leads_judge
from clients.criteria.rules import criteria_validate, personas_problems
from clients.demo import CRITERIA, PERSONAS, month_list, write_demo_files
from clients.importing import KINDS, ImportResult, import_csv, import_records
from clients.jobs import job_heartbeat
from clients.models import ApiToken, CriteriaVersion, Holiday, Job, Persona
from clients.selectors import api_token_hash, import_pending_path, job_progress_key
from clients.signals import data_changed, leads_requalified  # data_changed: re-exported
from clients.sources.files import source_file_import
from clients.storage import imports_dir


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


def holidays_set(*, client: Client, dates: Iterable[dt.date | str]) -> list[dt.date]:
    """Replace the client's non-working days (they change leads per working day)."""
    parsed: set[dt.date] = set()
    errors = []
    for value in dates:
        if isinstance(value, dt.date):
            if date_in_range(value):
                parsed.add(value)
            else:
                errors.append(f"{value}: {date_range_message()}")
            continue
        try:
            if len(value) != 10:
                raise ValueError
            day = dt.date.fromisoformat(value)
        except ValueError:
            errors.append(_("“%(value)s” is not a date in the form YYYY-MM-DD.") % {"value": value})
            continue
        if not date_in_range(day):
            errors.append(f"{value}: {date_range_message()}")
        else:
            parsed.add(day)
    if errors:
        raise ValidationError({"dates": errors})
    with tenant_context(client), transaction.atomic():
        old = set(Holiday.objects.values_list("date", flat=True))
        Holiday.objects.exclude(date__in=parsed).delete()
        Holiday.objects.bulk_create([Holiday(date=day) for day in sorted(parsed - old)])
    changed = old ^ parsed
    if changed:
        data_changed(client=client, kind="holidays", months={str(Month.of(day)) for day in changed})
    return sorted(parsed)


# --- web uploads (files kept under the client's own media folder) ---------------------------

MAX_ERRORS_KEPT = 10_000
PENDING_MAX_AGE = dt.timedelta(days=1)


def import_upload_store(*, client: Client, uploaded: Any) -> str:
    """Keep an uploaded file until it is confirmed; returns the token naming it.

    Unconfirmed uploads older than a day are removed on the way.
    """
    directory = imports_dir(client=client)
    cutoff = time.time() - PENDING_MAX_AGE.total_seconds()
    for stale in directory.glob("pending-*.csv"):
        if stale.stat().st_mtime < cutoff:
            stale.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    with (directory / f"pending-{token}.csv").open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    return token


def import_job_create(
    *, client: Client, kind: str, token: str, filename: str, user: Any = None, **params: Any
) -> Job:
    """Turn a confirmed upload into a queued import job; the file is renamed ``<job id>.csv``.

    The caller queues :func:`clients.tasks.import_run` for the job once this has committed.
    """
    if kind not in KINDS and kind != "source":
        raise ValueError(f"unknown kind {kind!r}")
    pending = import_pending_path(client=client, token=token)
    if pending is None:
        raise FileNotFoundError(token)
    with tenant_context(client):
        job = Job.objects.create(
            kind="import",
            params={**params, "kind": kind, "filename": filename[:200]},
            created_by=user if getattr(user, "pk", None) else None,
        )
        target = imports_dir(client=client) / f"{job.id}.csv"
        pending.rename(target)
        job.params["file"] = target.name
        job.save(update_fields=["params"])
    return job


def import_job_create_from_path(
    *, client: Client, path: Path, filename: str, kind: str = "", mapping_id: int | None = None, **params: Any
) -> Job:
    """A queued import job for a file already in the client's imports folder (a scheduled fetch)."""
    with tenant_context(client):
        job = Job.objects.create(kind="import", params={
            "kind": kind, "filename": filename[:200], **({"mapping": mapping_id} if mapping_id else {}), **params,
        })
        target = imports_dir(client=client) / f"{job.id}.csv"
        Path(path).rename(target)
        job.params["file"] = target.name
        job.save(update_fields=["params"])
    return job


def import_job_run(*, client: Client, job_id: int) -> Any:
    """Run a queued import job: count the rows, import with progress, store the result."""
    with tenant_context(client):
        job = Job.objects.filter(id=job_id, kind="import").first()
        if job is None or job.status in {Job.Status.DONE, Job.Status.FAILED}:
            return None
        path = imports_dir(client=client) / job.params["file"]
        total = _count_records(path)
        Job.objects.filter(id=job.id).update(status=Job.Status.RUNNING, started_at=timezone.now(), total=total, progress=0)
        key = job_progress_key(job_id=job.id)

        def progress(rows: int) -> None:
            cache.set(key, rows, timeout=6 * 3600)

        try:
            with job_heartbeat(client=client, job_id=job.id):
                result = job_file_import(client=client, params=job.params, path=path, progress=progress)
        except (OperationalError, InterfaceError):
            # The database connection died: nothing was written (one transaction), and the task
            # is retried (clients.tasks.import_run); the job stays "running" meanwhile.
            raise
        except Exception as error:
            Job.objects.filter(id=job.id).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": str(error)[:500]}
            )
            raise
        if result.errors:
            _errors_file_write(path.with_suffix(".errors.csv"), result)
        stored = result.as_dict(max_errors=MAX_ERRORS_KEPT)
        params = dict(job.params)
        if not params.get("kind") and stored.get("kind") in KINDS:
            # A detected file: the history names what it was recognized as.
            params.update(kind=stored["kind"], source=stored.get("source") or params.get("source", ""))
        Job.objects.filter(id=job.id).update(
            status=Job.Status.DONE,
            finished_at=timezone.now(),
            progress=result.rows,
            total=max(total, result.rows),
            result=stored,
            params=params,
        )
        cache.delete(key)
    return result


def job_file_import(
    *, client: Client, params: dict[str, Any], path: Path, progress: Callable[[int], None] | None = None,
    dry_run: bool = False, limit: int | None = None, sample: int = 0,
) -> ImportResult:
    """Import a stored file the way its job says: a canonical kind as is, else through a source.

    ``params`` may name a canonical ``kind``, a saved ``mapping`` (id) or a built-in ``source``;
    with neither a mapping nor a source, a file that is not of the canonical kind given is
    read by the source detected from its header (clients.sources.files).
    """
    if params.get("mapping") or params.get("source") or params.get("kind") not in KINDS:
        return source_file_import(
            client=client, path=path, source=params.get("source") or None, mapping_id=params.get("mapping") or None,
            progress=progress, dry_run=dry_run, limit=limit, sample=sample,
        )
    return data_import(kind=params["kind"], path_or_file=path, client=client, progress=progress, dry_run=dry_run,
                       limit=limit, sample=sample)


def _count_records(path: Path) -> int:
    """Data rows of a CSV file (a quick streaming pass, for the progress bar's total)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return max(sum(1 for row in csv.reader(handle) if row) - 1, 0)
    except (UnicodeDecodeError, csv.Error):
        return 0


def _errors_file_write(path: Path, result: ImportResult) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "column", "value", "reason"])
        for error in result.errors:
            # Written for spreadsheets: a value that looks like a formula is quoted so it is never run.
            writer.writerow([error.line or "", error.column, _spreadsheet_safe(error.value), error.reason])


def _spreadsheet_safe(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


# --- API tokens -----------------------------------------------------------------------------

TOKEN_PREFIX = "cpt_"  # noqa: S105 - a marker that makes leaked tokens recognisable, not a secret


def api_token_create(*, client: Client, name: str, user: Any = None) -> tuple[ApiToken, str]:
    """A new API token for ``client``: returns it and its secret, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the token a name, such as the form or CRM that will use it.")]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with tenant_context(client):
        token = ApiToken.objects.create(
            name=name[:100],
            prefix=secret[:12],
            token_hash=api_token_hash(secret),
            created_by=user if getattr(user, "pk", None) else None,
        )
    return token, secret


def api_token_revoke(*, client: Client, token_id: int) -> None:
    """Revoke a token of ``client`` at once; its requests get 401 from now on."""
    with tenant_context(client):
        ApiToken.objects.filter(id=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


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
    their JSON files are written next to the CSV files too. Returns the import results and the folder.
    Raises ``ValueError`` (naming the file) if an import refuses a generated file.
    """
    zone = ZoneInfo(client.timezone)
    now_local = timezone.now().astimezone(zone).replace(tzinfo=None, microsecond=0)
    end = end or now_local.date()
    temporary = None
    if out_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix=f"demo-{client.schema_name}-")
        out_dir = Path(temporary.name)
    try:
        files = write_demo_files(
            out_dir, months=months, leads_per_month=leads_per_month, seed=seed, marker=marker, end=end, now=now_local
        )
        results: dict[str, Any] = {"directory": str(out_dir), "files": files.counts, "imports": {}}
        with tenant_context(client):
            latest = CriteriaVersion.objects.order_by("-version").first()
            same_personas = [
                {"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority")
            ] == [{"code": p["code"], "name": p["name"], "match": p.get("match") or {}} for p in PERSONAS]
        results["qualification"] = "unchanged"
        if not same_personas:
            personas_set(personas=PERSONAS, client=client)
            results["qualification"] = "stored"
        if latest is None or latest.criteria != CRITERIA:
            criteria_version_create(
                criteria=CRITERIA, effective_from=month_list(end, months)[0], change_note="Demo data", client=client
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


# --- qualification: criteria versions and personas ------------------------------------------


def leads_requalify(*, client: Client, months: Iterable[str] | None = None, created_from: dt.datetime | None = None) -> set[str]:
    """Re-judge the client's leads (all, or those an import touched) and announce the months that moved."""
    with tenant_context(client):
        touched = leads_judge(timezone=client.timezone, months=months, created_from=created_from)
        if touched:
            leads_requalified.send(sender=Client, client=client, months=touched)
    return touched


def criteria_version_create(
    *, criteria: dict, effective_from: dt.date | str, author: Any = None, change_note: str = "", client: Client | None = None
) -> CriteriaVersion:
    """Store a new version of the qualification criteria and judge again the leads it governs.

    Runs in the current schema (or ``client``'s). Invalid criteria raise ValidationError with
    every problem and its JSON path; nothing is saved.
    """
    criteria_validate(criteria)
    if isinstance(effective_from, str):
        try:
            effective_from = dt.date.fromisoformat(effective_from)
        except ValueError:
            raise ValidationError({"effective_from": [_("Use a date, YYYY-MM-DD.")]}) from None
    if not date_in_range(effective_from):  # checked before anything is written
        raise ValidationError({"effective_from": [date_range_message()]})
    client = client or connection.tenant
    with tenant_context(client), transaction.atomic():
        latest = CriteriaVersion.objects.select_for_update().order_by("-version").first()
        first = not CriteriaVersion.objects.exists()
        version = CriteriaVersion.objects.create(
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            criteria=criteria,
            author=author if getattr(author, "pk", None) else None,
            author_name=getattr(author, "username", "") or "",
            change_note=change_note,
        )
    created_from = None if first else local_midnight(effective_from, ZoneInfo(client.timezone))
    leads_requalify(client=client, created_from=created_from)
    # Snapshots from the effective month on name the version in effect: they are recomputed too.
    data_changed(client=client, kind="criteria", months={str(Month.of(effective_from))})
    return version


def personas_set(*, personas: list[dict], client: Client | None = None) -> list[Persona]:
    """Replace the client's personas (in priority order) and judge every lead's persona again."""
    problems = personas_problems(personas)
    if problems:
        raise ValidationError({"personas": problems})
    client = client or connection.tenant
    with tenant_context(client), transaction.atomic():
        Persona.objects.all().delete()
        stored = Persona.objects.bulk_create(
            Persona(code=p["code"], name=p["name"], match=p.get("match") or {}, priority=index)
            for index, p in enumerate(personas)
        )
    leads_requalify(client=client)
    return stored


# --- personas and contracts, one at a time (staff screens) --------------------------------------


def persona_save(*, client: Client, code: str, name: str, match: dict, original_code: str | None = None) -> list[Persona]:
    """Add or change one persona (kept in its priority place) through :func:`personas_set`."""
    with tenant_context(client):
        current = [{"code": p.code, "name": p.name, "match": p.match} for p in Persona.objects.order_by("priority", "code")]
    if original_code is None and any(p["code"] == code for p in current):
        raise ValidationError({"code": [_("A persona with code “%(code)s” already exists.") % {"code": code}]})
    replaced = [{"code": code, "name": name, "match": match} if p["code"] == original_code else p for p in current]
    if original_code is None:
        replaced.append({"code": code, "name": name, "match": match})
    return personas_set(personas=replaced, client=client)


def _contract_months(contract: Any) -> set[str]:
    return {str(Month.of(day)) for day in (contract.start_date, contract.end_date, contract.cancelled_on) if day}


def contract_save(*, client: Client, contract: Any, created: bool) -> Any:
    with tenant_context(client):
        contract.save(force_insert=created)
    data_changed(client=client, kind="contracts", months=_contract_months(contract))
    return contract


def contract_cancel(*, client: Client, contract: Any, cancelled_on: dt.date) -> Any:
    """End a contract early (or on its last day); the months from then on are recomputed."""
    if cancelled_on < contract.start_date:
        raise ValidationError({"cancelled_on": [_("A contract cannot be cancelled before it starts.")]})
    contract.cancelled_on = cancelled_on
    with tenant_context(client):
        contract.save(update_fields=["cancelled_on"])
    data_changed(client=client, kind="contracts", months=_contract_months(contract))
    return contract
