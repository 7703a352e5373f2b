"""Web upload of CSV files for agency staff: upload, preview, confirm, progress, result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agency.decorators import client_staff_required
from agency.http import HtmxHttpRequest, found
from agency.months import Month
from clients.closed_months import approved_months_among
from clients.connectors.health import connections_context
from clients.importing import KINDS
from clients.imports.batch import import_batch_again, import_batch_create, import_batch_queue
from clients.imports.forms import KIND_LABELS, ImportUploadForm
from clients.imports.kind_docs import EXAMPLES, KIND_ORDER, kind_columns, kind_example_csv
from clients.imports.selectors import (
    import_batch_files,
    import_batch_get,
    import_batch_refused,
    import_jobs_recent,
    import_number_format_unsure,
    import_pending_path,
    job_get,
    job_progress,
)
from clients.imports.services import import_job_create, import_upload_store
from clients.jobs import job_enqueue, job_retry, jobs_stale_fail
from clients.mappings.saved import source_extension_save
from clients.models import Job
from clients.services import data_import
from clients.sources.builtin import SOURCES
from clients.sources.catalogue import builtin_sources
from clients.sources.files import (
    NotRecognized,
    display_value,
    extension_choices,
    file_recognize,
    identifier_columns,
    number_columns,
    source_file_report,
    source_rows_preview,
)
from clients.sources.numbers import SEPARATORS, ValueProblem, number
from clients.storage import imports_dir
from clients.tasks import import_batch_run, import_run
from clients.words import coded_value_label, column_name

PREVIEW_ROWS = 20


@client_staff_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = form.cleaned_data["file"]
        if len(files) > 1:
            return _batch_start(request, files)
        token = import_upload_store(client=request.tenant, uploaded=files[0])
        request.session[f"import-name-{token}"] = files[0].name
        if form.cleaned_data["kind"]:
            return redirect("import_preview", kind=form.cleaned_data["kind"], token=token)
        return redirect("import_detected", token=token)
    status = 422 if request.method == "POST" else 200
    jobs = list(import_jobs_recent())
    sources = {source["slug"]: source["label"] for source in builtin_sources()}
    for job in jobs:  # in words: "Inversión · Informe de campañas de Google Ads", not "spend · google_ads_campaigns"
        job.kind_label = KIND_LABELS.get(job.params.get("kind"), job.params.get("kind", ""))
        job.source_label = sources.get(job.params.get("source"), job.params.get("source", ""))
    context = {"form": form, "jobs": jobs, "max_files": settings.PORTAL_UPLOAD_MAX_FILES, **_reference(),
                **connections_context(client=request.tenant)}
    return render(request, "clients/imports/start.html", context, status=status)


def _batch_start(request: HttpRequest, files: list) -> HttpResponse:
    """Several files: each stored and recognized, the importable ones queued in order; then the result page."""
    uploads = []
    for uploaded in files:
        token = import_upload_store(client=request.tenant, uploaded=uploaded)
        request.session[f"import-name-{token}"] = uploaded.name  # a file to map goes on as a single upload
        uploads.append((token, uploaded.name))
    batch = import_batch_create(client=request.tenant, uploads=uploads, user=request.user)
    client = request.tenant
    transaction.on_commit(lambda: import_batch_queue(client=client, batch=batch, task=import_batch_run))
    return redirect("import_batch", batch_id=batch.id)


def _source_words(entry: dict[str, Any]) -> str:
    """What read a batch's file, in the reader's language: the batch keeps the words of whoever
    uploaded it ("Google Ads campaign report" on a Spanish page), so a built-in source is named again
    from its slug; a saved mapping keeps its own name."""
    slug = (entry["job"].params.get("source") if entry["job"] else entry.get("source")) or ""
    source = SOURCES.get(slug)
    return str(source.label) if source is not None else entry.get("label", "")


def _approved_touched(results: list[dict[str, Any] | None]) -> list[dict[str, Any]]:
    """The approved months the finished imports wrote rows of (their result's ``months``: rows added
    or changed, not those unchanged): their figures are recomputed and a revision waits for staff,
    which the result page says with a link to each month's close."""
    months = {month for result in results if result and result.get("ok") for month in result.get("months") or []}
    return [{"month": first, "slug": str(Month.of(first))} for first in approved_months_among(months=months)]


def _plain(value: Decimal) -> Decimal:
    """24.500 as 24.5 and 24500 as 24500 (not 2.45E+4)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _number_choices(result: dict[str, Any]) -> list[dict[str, str]]:
    """The two ways of writing numbers a file refused for an amount that reads two ways may use, each with
    what its first such amount would then be ("Like 1,234.56: “24,500” is 24500"), the other way first:
    the way its language said is the one that failed to be sure."""
    value = (result.get("two_ways") or [""])[0]
    choices = []
    for decimal in sorted(SEPARATORS, key=lambda mark: mark == result.get("decimal")):
        try:
            read = number(value, decimal=decimal)
        except ValueProblem:
            read = None
        choices.append({"decimal": decimal, "example": SEPARATORS[decimal][1], "value": value,
                        "read": number_format(_plain(read)) if read is not None else ""})
    return choices


def _left_out(result: dict[str, Any] | None) -> int:
    """Rows a source reads and leaves out on purpose (GA4's smart-tv rows): said beside the counts,
    so that "10,025 rows read, 9,624 added" does not leave 401 rows unexplained."""
    return sum(((result or {}).get("skipped") or {}).values())


@client_staff_required
@require_GET
def import_batch(request: HtmxHttpRequest, batch_id: int) -> HttpResponse:
    """Every file of a several-file upload with its outcome in words; polls while any is still importing."""
    batch = found(import_batch_get(batch_id=batch_id))
    files = import_batch_files(batch=batch)
    jobs_stale_fail(job_ids=[entry["job"].id for entry in files if entry["job"]])
    files = import_batch_files(batch=batch)
    for entry in files:
        entry["kind_label"] = KIND_LABELS.get(entry.get("kind"), "")
        entry["left_out"] = _left_out(entry["job"].result if entry["job"] else None)
        entry["label"] = _source_words(entry)
        if import_number_format_unsure(job=entry["job"]):
            entry["number_choices"] = _number_choices(entry["job"].result)
    pending = any(entry["job"] and entry["job"].status in {Job.Status.QUEUED, Job.Status.RUNNING} for entry in files)
    context = {"batch": batch, "files": files, "pending": pending,
               "imported": [entry for entry in files if entry["job"]],
               "to_map": [entry for entry in files if not entry["job"]],
               "refused": [] if pending else [entry for entry in import_batch_refused(batch=batch)
                                              if not import_number_format_unsure(job=entry["job"])],
               "approved_touched": _approved_touched([entry["job"].result for entry in files
                                                      if entry["job"] and entry["job"].status == Job.Status.DONE])}
    template = "clients/imports/batch.html#files" if request.htmx and not request.htmx.history_restore_request \
        else "clients/imports/batch.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@client_staff_required
@require_POST
def import_batch_again_start(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Import a batch's refused files again (after adding what they named), from the copies kept; or one
    file refused for an amount that reads two ways (``job``), read the way the user says it writes numbers."""
    batch = found(import_batch_get(batch_id=batch_id))
    job_id, decimal = request.POST.get("job", ""), request.POST.get("decimal", "")
    if job_id:
        if not job_id.isdigit():
            raise Http404
        if decimal not in SEPARATORS:
            messages.error(request, _("Choose how the file writes its numbers, then import it again."))
            return redirect("import_batch", batch_id=batch.id)
    again = import_batch_again(client=request.tenant, batch=batch, user=request.user,
                               job_id=int(job_id) if job_id else None, decimal=decimal or None)
    if again is None:
        messages.error(request, _("No refused file of this upload is left on the server: upload them again."))
        return redirect("import_batch", batch_id=batch.id)
    client = request.tenant
    transaction.on_commit(lambda: import_batch_queue(client=client, batch=again, task=import_batch_run))
    return redirect("import_batch", batch_id=again.id)


def _reference() -> dict:
    """The upload page's reference: every canonical kind's columns and example, and the built-in sources."""
    kinds = [{"kind": kind, "label": KIND_LABELS[kind], "columns": kind_columns(kind)} for kind in KIND_ORDER]
    # Each source's kind in words, its code beside it as "the portal's own file types" show it.
    sources = [{**source, "kind_label": KIND_LABELS.get(source["kind"], source["kind"])} for source in builtin_sources()]
    return {"kinds_reference": kinds, "builtin_sources": sources}


@client_staff_required
@require_GET
def import_example(request: HttpRequest, kind: str) -> HttpResponse:
    """A small valid example file of a canonical kind, to download and fill in."""
    if kind not in EXAMPLES:
        raise Http404
    response = HttpResponse(kind_example_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="example-{kind}.csv"'
    return response


@client_staff_required
@require_http_methods(["GET", "POST"])
def import_detected(request: HttpRequest, token: str) -> HttpResponse:
    """What an uploaded file was recognized as, what it holds, its first canonical rows; confirm to import."""
    path = import_pending_path(client=request.tenant, token=token)
    if path is None:
        raise Http404
    filename = request.session.get(f"import-name-{token}", path.name)
    mapping_id = int(request.GET["mapping"]) if request.GET.get("mapping", "").isdigit() else None
    try:
        recognized = file_recognize(client=request.tenant, path=path, mapping_id=mapping_id)
    except NotRecognized as error:
        return render(request, "clients/imports/not_recognized.html",
                      {"errors": error.errors, "token": token, "filename": filename}, status=422)
    extend_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "extend" and recognized.source:
        try:
            source_extension_save(client=request.tenant, source=recognized.source, header=recognized.check.detection.header,
                                  user=request.user, **extension_choices(request.POST, recognized))
        except ValidationError as error:
            extend_errors = error.messages
        else:
            messages.success(request, _("Saved for this client: files of this source are read with these additions."))
            return redirect("import_detected", token=token)
    elif request.method == "POST":
        job = import_job_create(client=request.tenant, kind=recognized.kind, token=token, filename=filename,
                                user=request.user, **recognized.params)
        client = request.tenant
        transaction.on_commit(lambda: job_enqueue(task=import_run, client=client, job=job))
        return redirect("import_job", job_id=job.id)
    context = {"recognized": recognized, "filename": filename, "kind_label": KIND_LABELS.get(recognized.kind, ""),
               "token": token}
    if recognized.is_canonical:
        result = data_import(kind=recognized.kind, path_or_file=path, client=request.tenant, dry_run=True,
                             limit=PREVIEW_ROWS, sample=PREVIEW_ROWS)
        context.update(_preview_rows(result), heads=_column_heads(recognized.kind, result))
    else:
        context.update(source_rows_preview(client=request.tenant, path=path, recognized=recognized, limit=PREVIEW_ROWS))
        errors = recognized.check.errors
        if recognized.check.detection is not None and recognized.check.detection.missing:
            errors = []  # the columns report names the missing columns, with the form that maps them
        context.update({"header_errors": [], "other_errors": errors[:20], "error_count": len(errors),
                        "report": source_file_report(client=request.tenant, recognized=recognized),
                        "extend_errors": extend_errors})
    with timezone.override(ZoneInfo(request.tenant.timezone)):
        return render(request, "clients/imports/detected.html", context, status=422 if extend_errors else 200)


def _sample_rows(result: object) -> list[dict]:
    """The preview's sampled rows, each cell with its error (the first one per column)."""
    by_line: dict[int, dict[str, str]] = {}
    for error in result.errors:
        by_line.setdefault(error.line or 0, {}).setdefault(error.column, error.reason)
    rows = []
    numeric = number_columns(result.columns, [values for _line, values, _errors in result.sample])
    codes = identifier_columns(result.kind, result.columns)  # an id never wraps at its hyphens
    for line, values, _cell_errors in result.sample:
        errors = by_line.get(line, {})
        rows.append({
            "line": line, "bad": bool(errors),
            "cells": [{"value": _shown(column, values.get(column)), "error": errors.get(column, ""), "column": column,
                       "name": column_name(result.kind, column),
                       "words": "" if column in errors else coded_value_label(column, values.get(column)),
                       "num": column in numeric, "whole": column in codes or _a_date(values.get(column))}
                      for column in result.columns],
            # Errors not about one column of the header (wrong number of values, a composite key).
            "row_errors": [(column, reason) for column, reason in errors.items() if column not in result.columns],
        })
    return rows


def _a_date(value: object) -> bool:
    """A day (not a moment) stays on one line, as the platform exports' preview keeps it
    (clients.sources.files.preview_cell): "1 de / marzo de / 2026" read badly; a moment may wrap after
    its date ("Mar 2, 2026, / 10 a.m. CET") there and here."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _column_heads(kind: str, result: object) -> list[dict[str, Any]]:
    """A portal-format file's columns by their names in the reader's language, each with its code (the
    file's own header, what a person fixing the file looks for) small beneath; an unnamed one by its code.
    A column of numbers is headed right-aligned over its numbers (``num``)."""
    numeric = number_columns(result.columns, [values for _line, values, _errors in result.sample])
    heads = []
    for code in result.columns:
        name = column_name(kind, code)
        heads.append({"name": name, "code": code if name != code else "", "num": code in numeric})
    return heads


def _preview_rows(result: object) -> dict:
    header_errors = [error for error in result.errors if error.line in (None, 1) and not result.sample]
    rows = _sample_rows(result)
    sampled = {line for line, _values, _errors in result.sample}
    other_errors = [error for error in result.errors if error.line not in sampled and error not in header_errors]
    return {"columns": result.columns, "rows": rows, "header_errors": header_errors, "other_errors": other_errors[:20],
            "bad_rows": sum(row["bad"] for row in rows)}


@client_staff_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, kind: str, token: str) -> HttpResponse:
    if kind not in KINDS:  # a platform export goes through import_detected
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
    result = data_import(kind=kind, path_or_file=path, client=request.tenant, dry_run=True, limit=PREVIEW_ROWS,
                         sample=PREVIEW_ROWS)
    header_errors = [error for error in result.errors if error.line == 1]
    rows = _sample_rows(result)
    context = {
        "kind": kind, "kind_label": KIND_LABELS[kind], "filename": filename, "columns": result.columns,
        "heads": _column_heads(kind, result), "rows": rows, "header_errors": header_errors,
        "bad_rows": sum(row["bad"] for row in rows),
    }
    with timezone.override(ZoneInfo(request.tenant.timezone)):
        return render(request, "clients/imports/preview.html", context)


def _shown(column: str, value: object) -> object:
    """A preview cell as the platform export's preview writes it: an amount or a count through
    clients.sources.files' display_value (grouped, the language's decimal mark: "18,000.50",
    "18 000,50"), a date or a moment left to the template (DATETIME_FORMAT in the client's zone)."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a nurture flag as stored: "yes"/"sí", not Python's "True"
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, (Decimal, int)):
        return display_value(column, value)
    return value


@client_staff_required
@require_GET
def import_job(request: HtmxHttpRequest, job_id: int) -> HttpResponse:
    jobs_stale_fail(job_ids=[job_id])  # a job whose worker died unnoticed (clients.jobs)
    job = found(job_get(job_id=job_id, kind="import"))
    progress, total = job_progress(job=job)
    context = {
        "job": job, "progress": progress, "total": total,
        "percent": int(progress * 100 / total) if total else (100 if job.status == Job.Status.DONE else 0),
        "finished": job.status in {Job.Status.DONE, Job.Status.FAILED},
        "kind_label": KIND_LABELS.get(job.params.get("kind"), ""), "result": job.result,
        "left_out": _left_out(job.result),
        "errors_file": (imports_dir(client=request.tenant) / f"{job.id}.errors.csv").is_file(),
        "approved_touched": _approved_touched([job.result]) if job.status == Job.Status.DONE else [],
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
    job = found(job_get(job_id=job_id, kind="import", status=Job.Status.FAILED))
    client = request.tenant
    transaction.on_commit(lambda: job_retry(client=client, job=job, task=import_run))
    return redirect("import_job", job_id=job.id)


@client_staff_required
@require_GET
def import_job_errors(request: HttpRequest, job_id: int) -> FileResponse:
    job = found(job_get(job_id=job_id, kind="import"))
    path = imports_dir(client=request.tenant) / f"{job.id}.errors.csv"
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"import-{job.id}-errors.csv",
                        content_type="text/csv")
