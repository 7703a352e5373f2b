"""Web upload of CSV files for agency staff: upload, preview, confirm, progress, result."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from agency.decorators import client_staff_required
from clients.forms_imports import KIND_LABELS, UPLOAD_KINDS, ImportUploadForm
from clients.models import Job
from clients.selectors import import_jobs_recent, import_pending_path, job_progress
from clients.services import data_import, import_job_create, import_upload_store
from clients.services_jobs import job_enqueue, job_retry
from clients.sources import source_preview
from clients.storage import imports_dir
from clients.tasks import import_run

PREVIEW_ROWS = 20


@client_staff_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = import_upload_store(client=request.tenant, uploaded=form.cleaned_data["file"])
        request.session[f"import-name-{token}"] = form.cleaned_data["file"].name
        return redirect("import_preview", kind=form.cleaned_data["kind"], token=token)
    status = 422 if request.method == "POST" else 200
    return render(request, "clients/imports/start.html", {"form": form, "jobs": import_jobs_recent()}, status=status)


@client_staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    if kind not in UPLOAD_KINDS:
        raise Http404
    path = import_pending_path(client=request.tenant, token=token)
    if path is None:
        raise Http404
    filename = request.session.get(f"import-name-{token}", path.name)
    if request.method == "POST":
        job = import_job_create(client=request.tenant, kind=kind, token=token, filename=filename, user=request.user)
        client = request.tenant
        transaction.on_commit(lambda: job_enqueue(task=import_run, client=client, job=job))
        return redirect("import_job", job_id=job.id)
    if kind == "source":
        return _source_preview(request, path, filename)
    result = data_import(kind=kind, path_or_file=path, client=request.tenant, dry_run=True, limit=PREVIEW_ROWS,
                         sample=PREVIEW_ROWS)
    header_errors = [error for error in result.errors if error.line == 1]
    by_line: dict[int, dict[str, str]] = {}
    for error in result.errors:
        by_line.setdefault(error.line or 0, {}).setdefault(error.column, error.reason)
    rows = []
    for line, values, _cell_errors in result.sample:
        errors = by_line.get(line, {})
        rows.append({
            "line": line, "bad": bool(errors),
            "cells": [{"value": _shown(values.get(column)), "error": errors.get(column, "")} for column in result.columns],
            # Errors not about one column of the header (wrong number of values, a composite key).
            "row_errors": [(column, reason) for column, reason in errors.items() if column not in result.columns],
        })
    context = {
        "kind": kind, "kind_label": KIND_LABELS[kind], "filename": filename, "columns": result.columns,
        "rows": rows, "header_errors": header_errors, "bad_rows": sum(row["bad"] for row in rows),
    }
    with timezone.override(ZoneInfo(request.tenant.timezone)):
        return render(request, "clients/imports/preview.html", context)


def _source_preview(request: HttpRequest, path: object, filename: str) -> HttpResponse:
    """A platform export: what was detected and its first rows as canonical rows (minimal; see clients.sources)."""
    outcome, rows = source_preview(client=request.tenant, path=path, limit=PREVIEW_ROWS)
    columns: list[str] = []
    for _line, values, _errors in rows:
        columns.extend(name for name in values if name not in columns)
    shown = [{"line": line, "bad": bool(errors), "cells": [_shown(values.get(name)) for name in columns],
              "errors": errors} for line, values, errors in rows]
    context = {"filename": filename, "detection": outcome.detection, "file_errors": outcome.errors,
               "columns": columns, "rows": shown, "campaigns": outcome.campaigns_created,
               "kind_label": KIND_LABELS["source"]}
    with timezone.override(ZoneInfo(request.tenant.timezone)):
        return render(request, "clients/imports/source_preview.html", context)


def _shown(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return value


@client_staff_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(Job.objects.select_related("created_by"), id=job_id, kind="import")
    progress, total = job_progress(job=job)
    context = {
        "job": job, "progress": progress, "total": total,
        "percent": int(progress * 100 / total) if total else (100 if job.status == Job.Status.DONE else 0),
        "finished": job.status in {Job.Status.DONE, Job.Status.FAILED},
        "kind_label": KIND_LABELS.get(job.params.get("kind"), ""), "result": job.result,
        "errors_file": (imports_dir(client=request.tenant) / f"{job.id}.errors.csv").is_file(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "clients/imports/job.html#progress", context)
    else:
        response = render(request, "clients/imports/job.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@client_staff_required
@require_http_methods(["POST"])
def import_job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Run a failed import again (its worker died, or the queue was unreachable): all-or-nothing, so safe."""
    job = get_object_or_404(Job, id=job_id, kind="import", status=Job.Status.FAILED)
    client = request.tenant
    transaction.on_commit(lambda: job_retry(client=client, job=job, task=import_run))
    return redirect("import_job", job_id=job.id)


@client_staff_required
def import_job_errors(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_object_or_404(Job, id=job_id, kind="import")
    path = imports_dir(client=request.tenant) / f"{job.id}.errors.csv"
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"import-{job.id}-errors.csv",
                        content_type="text/csv")
