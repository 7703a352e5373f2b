"""Scheduled sources: a CSV at a URL, fetched daily by Celery beat and imported like an upload.

Writes (services) and reads (selectors) of the scheduled sources live together here, being
small. Each run fetches the file safely (:mod:`clients.sources.fetching`) into the client's imports
folder, then imports it through the same import job as a web upload (detection, saved mapping
or canonical kind), and records a :class:`clients.models.SourceRun`. A failed run is also
announced (``clients.signals.scheduled_source_result``); kpis keeps a note of it in the public
``portfolio.SourceFailure`` table so the agency portfolio shows it, and a run that succeeds
removes that note.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import KINDS
from clients.imports.services import import_job_create_from_path, import_job_run
from clients.models import Job, SavedMapping, ScheduledSource, SourceRun
from clients.signals import scheduled_source_result
from clients.sources.fetching import FetchError, url_check, url_fetch, url_redact
from clients.storage import imports_dir

logger = logging.getLogger(__name__)
RUN_EVERY = dt.timedelta(hours=20)  # "daily", with room for the beat's own drift
HISTORY_KEPT = 100


def scheduled_source_save(
    *, client: Client, name: str, url: str, kind: str = "", mapping_id: int | None = None,
    active: bool = True, source: ScheduledSource | None = None, user: Any = None,
) -> ScheduledSource:
    """Add or change a scheduled source; the address is checked now (scheme, host, public address)."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the source a name.")]
    try:
        url_check((url or "").strip())
    except FetchError as error:
        errors["url"] = [str(error)]
    if kind and kind not in KINDS:
        errors["kind"] = [_("Unknown kind of data.")]
    with tenant_context(client):
        mapping = SavedMapping.objects.filter(pk=mapping_id).first() if mapping_id else None
        if mapping_id and mapping is None:
            errors["mapping"] = [_("That saved mapping does not exist.")]
        clash = ScheduledSource.objects.filter(name=name).exclude(pk=getattr(source, "pk", None)).exists()
        if clash:
            errors.setdefault("name", []).append(_("Another scheduled source has this name."))
        if errors:
            raise ValidationError(errors)
        source = source or ScheduledSource(created_by=user if getattr(user, "pk", None) else None)
        source.name, source.url, source.kind, source.mapping, source.active = name, url.strip(), kind, mapping, active
        source.save()
    return source


def scheduled_source_delete(*, client: Client, source_id: int) -> None:
    with tenant_context(client):
        ScheduledSource.objects.filter(pk=source_id).delete()
    scheduled_source_result.send(sender=Client, client=client, source_id=source_id, source_name="", ok=True,
                                 message="", at=timezone.now())


def scheduled_sources_due(*, now: dt.datetime | None = None) -> list[ScheduledSource]:
    """Active sources of the current schema not run in the last day."""
    now = now or timezone.now()
    return list(
        ScheduledSource.objects.filter(active=True).exclude(last_run_at__gt=now - RUN_EVERY).order_by("pk")
    )


def source_run(*, client: Client, source_id: int) -> SourceRun | None:
    """Fetch one scheduled source and import it; records the run (and the portfolio's failure note)."""
    with tenant_context(client):
        source = ScheduledSource.objects.select_related("mapping").filter(pk=source_id).first()
        if source is None:
            return None
        started, clock = timezone.now(), time.monotonic()
        run = SourceRun.objects.create(source=source, started_at=started)
        target = imports_dir(client=client) / f"fetch-{run.pk}.csv"
        logger.info("scheduled source %s of %s: fetching %s", source.pk, client.slug, url_redact(source.url))
        try:
            fetched = url_fetch(source.url, target=target)
        except FetchError as error:
            return _finish(client, source, run, clock, ok=False, message=str(error))
        job = import_job_create_from_path(
            client=client, path=fetched.path, filename=f"{source.name}.csv", kind=source.kind,
            mapping_id=source.mapping_id, scheduled_source=source.pk,
        )
        run.job, run.size = job, fetched.size
        result = import_job_run(client=client, job_id=job.pk)
        job.refresh_from_db()
        if result is None or job.status == Job.Status.FAILED:
            message = job.result.get("failure") or job.result.get("message") or _("The import failed.")
            return _finish(client, source, run, clock, ok=False, message=message)
        rows, errors = job.result.get("rows", 0), job.result.get("error_count", 0)
        if job.result.get("ok"):
            message = _("%(rows)s rows read, %(inserted)s added, %(updated)s updated.") % {
                "rows": rows, "inserted": job.result.get("inserted", 0), "updated": job.result.get("updated", 0)}
        else:
            first = (job.result.get("errors") or [[None, "", "", job.result.get("message", "")]])[0]
            message = ngettext("Nothing was written: %(count)s problem: %(first)s",
                               "Nothing was written: %(count)s problems, the first: %(first)s", errors) % {
                "count": errors, "first": _error_text(first)}
        return _finish(client, source, run, clock, ok=bool(job.result.get("ok")), message=message, rows=rows, errors=errors)


def _error_text(error: list[Any]) -> str:
    line, column, value, reason = [*list(error), "", "", "", ""][:4]
    where = _("line %(line)s") % {"line": line} if line else _("file")
    return f"{where}, {column} '{value}': {reason}" if column else f"{where}: {reason}"


def _finish(
    client: Client, source: ScheduledSource, run: SourceRun, clock: float, *, ok: bool, message: str,
    rows: int = 0, errors: int = 0,
) -> SourceRun:
    now = timezone.now()
    run.finished_at, run.duration, run.ok = now, round(time.monotonic() - clock, 3), ok
    run.rows, run.error_count, run.message = rows, errors, message[:2000]
    with transaction.atomic():
        run.save()
        ScheduledSource.objects.filter(pk=source.pk).update(last_run_at=now, last_ok=ok, last_message=run.message)
        old = SourceRun.objects.filter(source=source).order_by("-started_at", "-id").values_list("pk", flat=True)[HISTORY_KEPT:]
        SourceRun.objects.filter(pk__in=list(old)).delete()
    # The portfolio keeps a note of failing sources (kpis.receivers writes it: clients knows no portfolio).
    scheduled_source_result.send(sender=Client, client=client, source_id=source.pk, source_name=source.name, ok=ok,
                                 message=run.message, at=now)
    if not ok:
        logger.warning("scheduled source %s of %s failed: %s", source.pk, client.slug, run.message)
    return run


# --- reads ----------------------------------------------------------------------------------

def scheduled_sources_list() -> list[ScheduledSource]:
    """The current schema's scheduled sources with their last runs (for the sources page)."""
    return list(ScheduledSource.objects.select_related("mapping").order_by("name"))


def scheduled_source_get(*, source_id: int) -> ScheduledSource | None:
    """A scheduled source of the current schema, to show, run now or remove."""
    return ScheduledSource.objects.filter(pk=source_id).first()


def source_runs_recent(*, source: ScheduledSource, limit: int = 20) -> list[SourceRun]:
    return list(source.runs.order_by("-started_at", "-id")[:limit])


def scheduled_sources_failing() -> list[ScheduledSource]:
    """Sources of the current schema whose last run failed (the client's home page shows them)."""
    return list(ScheduledSource.objects.filter(last_ok=False, active=True).order_by("name"))


