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
from django.utils.translation import gettext_noop, ngettext
from django_tenants.utils import tenant_context

from agency.models import Client
from agency.reasons import Words, say
from clients.importing import KINDS
from clients.imports.services import import_job_create_from_path, import_job_run
from clients.models import Job, SavedMapping, ScheduledSource, SourceRun
from clients.signals import scheduled_source_result
from clients.sources.fetching import (
    FETCH_LIMITED,
    FETCH_NOT_CSV,
    FETCH_NOT_FOUND,
    FETCH_SIGN_IN,
    FETCH_UNAVAILABLE,
    FetchError,
    url_check,
    url_fetch,
    url_redact,
)
from clients.storage import imports_dir
from clients.words import next_run_words

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
            return _finish(client, source, run, clock, ok=False, message=str(error), words=error.to_json())
        job = import_job_create_from_path(
            client=client, path=fetched.path, filename=f"{source.name}.csv", kind=source.kind,
            mapping_id=source.mapping_id, scheduled_source=source.pk,
        )
        run.job, run.size = job, fetched.size
        result = import_job_run(client=client, job_id=job.pk)
        job.refresh_from_db()
        if result is None or job.status == Job.Status.FAILED:
            words = say(gettext_noop("The file was fetched but its import stopped before the end; nothing was "
                                     "written."))
            return _finish(client, source, run, clock, ok=False, message=str(words),
                           words={**words.to_json(), "kind": "import-failed"})
        rows, errors = job.result.get("rows", 0), job.result.get("error_count", 0)
        if job.result.get("ok"):
            done = say(gettext_noop("%(rows)s rows read, %(inserted)s added, %(updated)s updated."), rows=rows,
                       inserted=job.result.get("inserted", 0), updated=job.result.get("updated", 0))
            message = str(done)
        else:
            first = (job.result.get("errors") or [[None, "", "", job.result.get("message", "")]])[0]
            message = ngettext("Nothing was written: %(count)s problem: %(first)s",
                               "Nothing was written: %(count)s problems, the first: %(first)s", errors) % {
                "count": errors, "first": _error_text(first)}
        # A refused file: its problems are in the file, said in the job's language; the advice points to them.
        words = done.to_json() if job.result.get("ok") else {"msgid": message, "params": {}, "kind": "refused-file"}
        return _finish(client, source, run, clock, ok=bool(job.result.get("ok")), message=message, rows=rows,
                       errors=errors, words=words)


def _error_text(error: list[Any]) -> str:
    line, column, value, reason = [*list(error), "", "", "", ""][:4]
    where = _("line %(line)s") % {"line": line} if line else _("file")
    return f"{where}, {column} '{value}': {reason}" if column else f"{where}: {reason}"


def _finish(
    client: Client, source: ScheduledSource, run: SourceRun, clock: float, *, ok: bool, message: str,
    rows: int = 0, errors: int = 0, words: dict[str, Any] | None = None,
) -> SourceRun:
    now = timezone.now()
    run.finished_at, run.duration, run.ok = now, round(time.monotonic() - clock, 3), ok
    run.rows, run.error_count, run.message, run.words = rows, errors, message[:2000], words or {}
    with transaction.atomic():
        run.save()
        ScheduledSource.objects.filter(pk=source.pk).update(last_run_at=now, last_ok=ok, last_message=run.message,
                                                            last_words={} if ok else (words or {}))
        old = SourceRun.objects.filter(source=source).order_by("-started_at", "-id").values_list("pk", flat=True)[HISTORY_KEPT:]
        SourceRun.objects.filter(pk__in=list(old)).delete()
    # The portfolio keeps a note of failing sources (kpis.receivers writes it: clients knows no portfolio).
    scheduled_source_result.send(sender=Client, client=client, source_id=source.pk, source_name=source.name, ok=ok,
                                 message=run.message, words=run.words, at=now)
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
    """The last runs, each with ``shown``: its message in the reader's language (older runs: as stored)."""
    runs = list(source.runs.order_by("-started_at", "-id")[:limit])
    for run in runs:
        run.shown = str(Words.from_json(run.words)) if (run.words or {}).get("msgid") else run.message
    return runs


def scheduled_sources_failing() -> list[ScheduledSource]:
    """Sources of the current schema whose last run failed (the client's home page shows them), each
    with its failure in the reader's words (:func:`source_failure`)."""
    sources = list(ScheduledSource.objects.filter(last_ok=False, active=True).order_by("name"))
    for source in sources:
        source.failure = source_failure(source=source)
    return sources


def scheduled_source_next_fetch(*, source: ScheduledSource) -> dt.datetime:
    """When the daily dispatcher (01:00 UTC, agency.celery) next fetches a source run at ``last_run_at``."""
    return source_next_fetch(last_run_at=source.last_run_at)


def source_next_fetch(*, last_run_at: dt.datetime | None) -> dt.datetime:
    """When the daily dispatcher (01:00 UTC, agency.celery) next fetches a source last run at ``last_run_at``."""
    after = (last_run_at or timezone.now()) + RUN_EVERY
    moment = after.astimezone(dt.UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    return moment if moment >= after else moment + dt.timedelta(days=1)


def source_failure(*, source: ScheduledSource) -> dict[str, str]:
    """A failed run for people: what happened, what to do (by the kind of failure), what the address said."""
    return source_failure_described(words=source.last_words, message=source.last_message,
                                    last_run_at=source.last_run_at)


def source_failure_described(*, words: dict[str, Any] | None, message: str,
                             last_run_at: dt.datetime | None, zone_named: bool = False) -> dict[str, str]:
    """What happened, what to do (by the kind of failure) and what the address said, of a run that failed
    at ``last_run_at`` with ``words`` (its stored reason): the sources' pages and the agency's portfolio.

    Runs recorded before the words were kept show their stored message, in the worker's language. The
    next fetch is said in the active time zone, the zone named after the time ("1 a.m. CET") when
    ``zone_named``: the portfolio lists clients of many zones (as connectors.advice's ``failure_advice``)."""
    stored = words or {}
    reason = str(Words.from_json(stored)) if stored.get("msgid") else message
    kind, said = str(stored.get("kind") or ""), str(stored.get("said") or "")
    values = next_run_words(source_next_fetch(last_run_at=last_run_at), zone_named=zone_named)
    advice = {
        FETCH_SIGN_IN: _("The file must open without signing in: in Google Sheets use File › Share › Publish to "
                         "the web, as CSV, and put that link in the source's address."),
        FETCH_NOT_FOUND: _("Open the address in a browser: if the file moved, put its new address in the "
                           "source; if the sheet was unpublished, publish it again."),
        FETCH_NOT_CSV: _("Put the link to the CSV itself in the source's address (in Google Sheets: Publish to "
                         "the web, as CSV), not the link to the page that shows it."),
        # The time before the day: "1:00 a.m." ending a sentence would read "a.m.."
        FETCH_LIMITED: _("Nothing to do: the portal fetches it again by itself at %(time)s %(day)s.") % values,
        FETCH_UNAVAILABLE: _("Nothing to do: the portal fetches it again by itself at %(time)s %(day)s. If it "
                             "keeps failing, check that the address still opens in a browser.") % values,
        "refused-file": _("Open the source to see the file's problems, fix them where the file is made; the next "
                          "fetch imports it."),
        "import-failed": _("Choose Fetch now on the source's page to try again."),
    }.get(kind, "")
    return {"reason": reason, "advice": advice, "said": said}


