"""Reads of the web uploads and import jobs: pending files, recent jobs, progress."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from clients.models import Job
from clients.storage import imports_dir


def import_pending_path(*, client: Any, token: str) -> Path | None:
    """The uploaded, not yet confirmed file named by ``token`` in this client's folder, if any."""
    if not re.fullmatch(r"[0-9a-f]{32}", token or ""):
        return None
    path = imports_dir(client=client) / f"pending-{token}.csv"
    return path if path.is_file() else None


def import_jobs_recent(*, limit: int = 20) -> QuerySet[Job]:
    return Job.objects.filter(kind="import").select_related("created_by")[:limit]


def job_progress_key(*, job_id: int) -> str:
    # The cache's key function adds the schema, so the same id at another client is another key.
    return f"job-progress:{job_id}"


def job_progress(*, job: Job) -> tuple[int, int]:
    """(rows processed, total) of a job: live from the cache while it runs (its transaction is open)."""
    if job.status == Job.Status.RUNNING:
        return int(cache.get(job_progress_key(job_id=job.id)) or job.progress), job.total
    return job.progress, job.total


def job_get(*, job_id: int, kind: str, status: str | None = None) -> Job | None:
    """One job of ``kind`` (an import, a recompute), with who started it; of ``status`` if given
    (a retry is only for a failed one). Read again after queuing: a queue found unreachable at
    commit has marked it failed by then."""
    jobs = Job.objects.select_related("created_by").filter(pk=job_id, kind=kind)
    return (jobs.filter(status=status) if status else jobs).first()


def import_batch_get(*, batch_id: int) -> Job | None:
    return Job.objects.filter(pk=batch_id, kind="import-batch").first()


def import_batch_files(*, batch: Job) -> list[dict[str, Any]]:
    """Every file of a batch in the order it is imported, each with its import job (if it has one)."""
    jobs = Job.objects.in_bulk(batch.params.get("jobs", []))
    return [{**entry, "job": jobs.get(entry["job"]) if entry.get("job") else None}
            for entry in batch.params.get("files", [])]


def import_batch_refused(*, batch: Job) -> list[dict[str, Any]]:
    """A batch's files that were read and refused (nothing written), in the batch's order."""
    return [entry for entry in import_batch_files(batch=batch)
            if entry["job"] is not None and entry["job"].status == Job.Status.DONE and not (entry["job"].result or {}).get("ok")]


def import_number_format_unsure(*, job: Job | None) -> bool:
    """Whether a refused import was refused for an amount that reads two ways (``24,500``): importing it
    again as it is fails the same way, so the user is asked how the file writes numbers instead."""
    result = (job.result or {}) if job is not None else {}
    return job is not None and job.status == Job.Status.DONE and not result.get("ok") and bool(result.get("two_ways"))
