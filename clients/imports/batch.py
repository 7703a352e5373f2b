"""Several files uploaded at once: each recognized as a single upload is, each imported as its own
all-or-nothing job, one after the other in the order that lets references resolve.

Setting up a client from its exports meant seven uploads one by one. A batch is a ``Job`` of kind
``import-batch`` that remembers every file and its outcome; the files it can import become
ordinary import jobs (same params, same importer, same idempotency) run in sequence by
``clients.tasks.import_batch_run``. A file that needs a mapping keeps its pending upload and links
to the same detection page a single upload reaches; a bad file is refused alone.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from pathlib import Path
from typing import Any

from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.imports.kind_docs import KIND_ORDER
from clients.imports.selectors import import_batch_refused, import_number_format_unsure, import_pending_path
from clients.imports.services import import_job_create, import_job_run
from clients.jobs import QUEUE_FAILED, job_enqueue
from clients.models import Job
from clients.sources.files import NotRecognized, file_recognize
from clients.storage import imports_dir

BATCH_KIND = "import-batch"
logger = logging.getLogger(__name__)


def import_order_key(kind: str) -> int:
    """Where a file of ``kind`` goes in a batch: campaigns before what names them, leads before activities."""
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def import_batch_create(*, client: Client, uploads: list[tuple[str, str]], user: Any = None) -> Job:
    """Recognize every uploaded file (``(token, filename)`` pairs, as picked) and queue the importable ones.

    Returns the batch job; its ``params["jobs"]`` are the import jobs in the order to run them
    (the caller queues :func:`clients.tasks.import_batch_run` once this has committed). A file
    no source, mapping or canonical kind reads, or one whose columns need mapping, is kept
    pending (``state`` "mapping") for the detection page; nothing of it is written.
    """
    entries: list[dict[str, Any]] = []
    for position, (token, filename) in enumerate(uploads):
        path = import_pending_path(client=client, token=token)
        if path is None:  # the caller has just stored it
            raise FileNotFoundError(token)
        entries.append({"filename": filename[:200], "token": token, "picked": position,
                        **_recognized(client=client, path=path)})
    importable = sorted((entry for entry in entries if entry["state"] == "import"),
                        key=lambda entry: (import_order_key(entry["kind"]), entry["picked"]))
    job_ids = []
    for entry in importable:
        job = import_job_create(client=client, kind=entry["kind"], token=entry.pop("token"),
                                filename=entry["filename"], user=user, **entry.pop("params"))
        entry["job"] = job.id
        job_ids.append(job.id)
    others = [entry for entry in entries if entry["state"] != "import"]
    with tenant_context(client):
        batch = Job.objects.create(
            kind=BATCH_KIND, params={"files": [*importable, *others], "jobs": job_ids},
            total=len(entries), created_by=user if getattr(user, "pk", None) else None,
        )
    return batch


def _recognized(*, client: Client, path: Path) -> dict[str, Any]:
    """A file's state in the batch: importable (with its kind, label and job params) or needing a mapping."""
    try:
        recognized = file_recognize(client=client, path=path)
    except NotRecognized as error:
        return {"state": "mapping", "reason": str(error.errors[0].reason) if error.errors else ""}
    detection = getattr(recognized.check, "detection", None)
    if detection is not None and detection.missing:
        # A known source or mapping whose file lacks columns: its detection page maps them.
        return {"state": "mapping", "kind": recognized.kind, "label": str(recognized.label), "reason": "",
                "source": recognized.source}
    # A canonical file is named by its kind alone; a platform's export or a mapping's file by what read it.
    label = "" if recognized.is_canonical else str(recognized.label)
    return {"state": "import", "kind": recognized.kind, "label": label, "params": recognized.params}


def import_batch_run(*, client: Client, batch_id: int) -> None:
    """Run a batch's import jobs one after the other; a job that fails does not stop the next ones.

    Each job is its own transaction (all or nothing); a job already done or failed is skipped,
    so a batch run again after its worker died carries on where it stopped.
    """
    with tenant_context(client):
        batch = Job.objects.filter(pk=batch_id, kind=BATCH_KIND).first()
        if batch is None:
            return
        Job.objects.filter(pk=batch_id).update(status=Job.Status.RUNNING)
    for job_id in batch.params.get("jobs", []):
        try:
            import_job_run(client=client, job_id=job_id)
        except (OperationalError, InterfaceError):
            raise  # the database went away: the task runs the batch again from this job (nothing written)
        except Exception as error:  # nothing written (one transaction); the others go on
            logger.exception("import job %s of batch %s failed", job_id, batch_id)
            with tenant_context(client):  # failed before it started (its file gone): said so, not "waiting"
                Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
                    status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": str(error)[:500]}
                )
    with tenant_context(client):
        Job.objects.filter(pk=batch_id).update(status=Job.Status.DONE)


def import_batch_queue(*, client: Client, batch: Job, task: Any) -> None:
    """Queue a batch; with the queue unreachable its imports are failed at once, each with *Try again*."""
    if job_enqueue(task=task, client=client, job=batch):
        return
    with tenant_context(client):
        Job.objects.filter(pk__in=batch.params.get("jobs", []), status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), result={"ok": False, "failure": QUEUE_FAILED}
        )


def import_batch_again(
    *, client: Client, batch: Job, user: Any = None, job_id: int | None = None, decimal: str | None = None,
) -> Job | None:
    """A new batch importing again the refused files of ``batch``, from the copies kept of them.

    A first upload is often refused for what the portal does not have yet (the buyer personas or
    campaigns a file names); once they are added, the same files are imported again without picking
    them from disk. Each file becomes a new import job of the same kind, source or mapping (its own
    all-or-nothing run, the same idempotent upsert: a file already imported changes nothing), in the
    batch's order; the refused jobs stay as they were, in the history. None when no refused file
    is left on the server. The caller queues the new batch once this has committed.

    A file refused for an amount that reads two ways (``24,500``) would be refused the same way: it is
    left out, unless ``job_id`` names it with ``decimal``, how the user says it writes numbers (``.``
    1,234.56 or ``,`` 1.234,56); then only it is imported again, read that way.
    """
    if decimal not in {None, ".", ","}:
        raise ValueError(f"unknown decimal mark {decimal!r}")
    uploads = []
    directory = imports_dir(client=client)
    for entry in import_batch_refused(batch=batch):
        if job_id is not None and entry["job"].id != job_id:
            continue
        if import_number_format_unsure(job=entry["job"]) and not (job_id is not None and decimal):
            continue
        stored = directory / str(entry["job"].params.get("file") or "")
        if not entry["job"].params.get("file") or not stored.is_file():
            continue
        token = uuid.uuid4().hex
        shutil.copyfile(stored, directory / f"pending-{token}.csv")  # the refused job keeps its own copy
        uploads.append((token, entry, entry["job"].params))
    if not uploads:
        return None
    files, job_ids = [], []
    for position, (token, entry, params) in enumerate(uploads):
        kept = {key: value for key, value in params.items() if key not in {"kind", "filename", "language", "file"}}
        if decimal:
            kept["decimal"] = decimal
        job = import_job_create(client=client, kind=params.get("kind") or entry["kind"], token=token,
                                filename=entry["filename"], user=user, **kept)
        files.append({"filename": entry["filename"], "kind": entry.get("kind", ""), "label": entry.get("label", ""),
                      "state": "import", "picked": position, "job": job.id})
        job_ids.append(job.id)
    with tenant_context(client):
        return Job.objects.create(
            kind=BATCH_KIND, params={"files": files, "jobs": job_ids, "again_of": batch.id},
            total=len(files), created_by=user if getattr(user, "pk", None) else None,
        )
