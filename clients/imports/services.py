"""Writes of the web uploads and import jobs: a pending upload kept until confirmed, the job that
imports it with progress, its errors file. Files stay under the client's own media folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import KINDS, ImportResult
from clients.imports.selectors import import_pending_path, job_progress_key
from clients.jobs import FILE_GONE, job_heartbeat
from clients.models import Job
from clients.services import data_import
from clients.sources.files import source_file_import
from clients.storage import imports_dir

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

    The caller queues :func:`clients.tasks.import_run` for the job once this has committed. The
    job keeps the language active now (the uploader's): its problems are written in it.
    """
    if kind not in KINDS and kind != "source":
        raise ValueError(f"unknown kind {kind!r}")
    pending = import_pending_path(client=client, token=token)
    if pending is None:
        raise FileNotFoundError(token)
    with tenant_context(client):
        job = Job.objects.create(
            kind="import",
            params={**params, "kind": kind, "filename": filename[:200], "language": translation.get_language() or ""},
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
    """Run a queued import job: count the rows, import with progress, store the result.

    The rows' problems are stored as words, so they are written in the language of the person who
    confirmed the upload (``params["language"]``), not in the worker's.
    """
    with tenant_context(client):
        language = (Job.objects.filter(id=job_id).values_list("params__language", flat=True).first()
                    or settings.LANGUAGE_CODE)
    with tenant_context(client), translation.override(language):
        job = Job.objects.filter(id=job_id, kind="import").first()
        if job is None or job.status in {Job.Status.DONE, Job.Status.FAILED}:
            return None
        path = imports_dir(client=client) / job.params.get("file", "")
        if not job.params.get("file") or not path.is_file():
            # The stored upload vanished (cleaned away, a restored server): the job can never run, so
            # it fails now with its reason rather than stay "queued" (the batch path does the same).
            Job.objects.filter(id=job.id).update(
                status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": FILE_GONE})
            return None
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
    read by the source detected from its header (clients.sources.files). ``decimal`` (``.`` or
    ``,``): how a source file writes its numbers, as the user said when it was refused for an
    amount that reads two ways.
    """
    if params.get("mapping") or params.get("source") or params.get("kind") not in KINDS:
        return source_file_import(
            client=client, path=path, source=params.get("source") or None, mapping_id=params.get("mapping") or None,
            progress=progress, dry_run=dry_run, limit=limit, sample=sample, decimal=params.get("decimal") or None,
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
