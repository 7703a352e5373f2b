"""What the upload screen and the scheduled sources need from the sources core, in one place.

- :func:`file_recognize`: what a file is — a canonical file of a kind (its header is that
  kind's columns), a built-in source or a saved mapping (``clients.sources.detection``) —
  with a summary for people: rows, first and last day, campaigns it would create.
- :func:`source_file_import`: import it through the core's source import (all or nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import SPECS, ImportResult, RowError

DATE_TARGETS = ("date", "created_at", "occurred_at", "start_date")


@dataclass
class Recognized:
    """What a file was recognized as, and what it holds (counted without writing anything)."""

    kind: str
    label: str  # "Google Ads campaign report", "Saved mapping: Salesforce leads", "Canonical file: Leads"
    language: str = ""  # "Spanish", "English", or "" (a mapping, a canonical file)
    source: str = ""  # the built-in source's slug
    mapping_id: int | None = None
    encoding: str = ""
    rows: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    new_campaigns: list[str] = field(default_factory=list)
    left_out: int = 0

    @property
    def params(self) -> dict[str, Any]:
        """The import job's parameters for this file (clients.services.job_file_import)."""
        if self.source or self.mapping_id:
            return {"kind": self.kind, "source": self.source, **({"mapping": self.mapping_id} if self.mapping_id else {})}
        return {"kind": self.kind}


class NotRecognized(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def canonical_kind_of(path: Path) -> str | None:
    """The canonical kind whose columns this file's header has exactly (formats.md), if any."""
    import csv

    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (UnicodeDecodeError, OSError, csv.Error):
        return None
    if not header:
        return None
    names = {name.strip() for name in header}
    for kind, spec in SPECS.items():
        public = set(getattr(spec, "public", None) or spec.by_name)
        if names <= public and set(spec.required) <= names:
            return kind
    return None


def file_recognize(*, client: Client, path: Path, mapping_id: int | None = None) -> Recognized:
    """Recognize an uploaded file and count what it holds; raises :class:`NotRecognized`."""
    from clients.forms_imports import KIND_LABELS
    from clients.mappings import saved_mappings
    from clients.models import SavedMapping
    from clients.sources.detection import detect
    from clients.sources.mapping import Mapping
    from clients.sources.reading import SourceError

    if mapping_id is None:
        kind = canonical_kind_of(path)
        if kind is not None:
            return _canonical_summary(client=client, path=path, kind=kind, label=str(KIND_LABELS[kind]))
    with tenant_context(client):
        stored = {m.pk: m for m in ([SavedMapping.objects.get(pk=mapping_id)] if mapping_id else saved_mappings())}
    engines = {pk: Mapping.from_dict({**m.spec, "name": m.name, "header": m.header}) for pk, m in stored.items()}
    try:
        forced = {"mapping": engines[mapping_id]} if mapping_id else {"mappings": list(engines.values())}
        detection = detect(path, **forced)
    except SourceError as error:
        raise NotRecognized(error.errors) from None
    found_id = next((pk for pk, engine in engines.items() if engine is detection.mapping), None)
    if detection.source is not None:
        recognized = Recognized(kind=detection.kind, label=str(detection.source.label), language=detection.language_label,
                                source=detection.source.slug, encoding=detection.encoding)
    else:
        recognized = Recognized(kind=detection.kind, label=_("Saved mapping: %(name)s") % {"name": detection.mapping.name},
                                mapping_id=found_id, encoding=detection.encoding)
    _count(client=client, detection=detection, recognized=recognized)
    return recognized


def _count(*, client: Client, detection: Any, recognized: Recognized) -> None:
    """Rows, days and the campaigns the file names that the client does not have (one streaming pass)."""
    from clients.models import Campaign
    from clients.sources.mapping import Compiled
    from clients.sources.reading import data_rows

    compiled = Compiled(detection.mapping, detection.header, header_line=detection.header_line)
    date_target = next((t for t in DATE_TARGETS if t in compiled.targets), None)
    keep = detection.mapping.keep
    campaigns: dict[str, str] = {}
    for line, cells in data_rows(detection.text_file, header_line=detection.header_line, delimiter=detection.delimiter,
                                 width=len(detection.header)):
        if compiled.is_total(cells):
            continue
        values, _errors = compiled.convert(line, cells)
        if any(values.get(target) is not None and str(values.get(target)) not in allowed for target, allowed in keep.items()):
            recognized.left_out += 1
            continue
        recognized.rows += 1
        day = values.get(date_target) if date_target else None
        if isinstance(day, dt.datetime):
            day = day.date()
        if isinstance(day, dt.date):
            recognized.first_day = min(recognized.first_day or day, day)
            recognized.last_day = max(recognized.last_day or day, day)
        campaign_id = values.get("campaign_id") or values.get("campaign")
        name = values.get("campaign_name") or ""
        if campaign_id or name:
            campaigns.setdefault(str(campaign_id or name).strip(), str(name or campaign_id).strip())
    if campaigns:
        with tenant_context(client):
            known_ids = set(Campaign.objects.filter(id__in=list(campaigns)).values_list("id", flat=True))
            known_names = {n.strip().lower() for n in Campaign.objects.values_list("name", flat=True)}
        recognized.new_campaigns = sorted(
            name for key, name in campaigns.items() if key not in known_ids and name.strip().lower() not in known_names
        )


def _canonical_summary(*, client: Client, path: Path, kind: str, label: str) -> Recognized:
    """A canonical file: rows and days from a dry run of the importer (nothing written)."""
    from clients.services import data_import

    result = data_import(kind=kind, path_or_file=path, client=client, dry_run=True)
    recognized = Recognized(kind=kind, label=_("Canonical file: %(kind)s") % {"kind": label}, encoding="UTF-8",
                            rows=result.rows)
    days = sorted(result.months)
    if days:
        recognized.first_day = dt.date.fromisoformat(days[0] + "-01")
        recognized.last_day = dt.date.fromisoformat(days[-1] + "-01")
    return recognized


def source_file_import(
    *, client: Client, path: Path, source: str | None = None, mapping_id: int | None = None,
    progress: Callable[[int], None] | None = None, dry_run: bool = False, limit: int | None = None, sample: int = 0,
) -> ImportResult:
    """Import a source file (a built-in source, a saved mapping, or detected) through the core's import."""
    from clients.mappings import saved_mappings_as_engine
    from clients.models import SavedMapping
    from clients.services import source_import

    mapping = None
    if mapping_id:
        with tenant_context(client):
            stored = SavedMapping.objects.filter(pk=mapping_id).first()
        if stored is None:
            result = ImportResult(kind="")
            result.errors.append(RowError(None, "", str(mapping_id), _("the saved mapping no longer exists")))
            return result
        from clients.sources.mapping import Mapping

        mapping = Mapping.from_dict({**stored.spec, "name": stored.name, "header": stored.header})
    with tenant_context(client):
        mappings = saved_mappings_as_engine()
    return source_import(client=client, path=path, source=source, mapping=mapping, mappings=mappings,
                         progress=progress, dry_run=dry_run, limit=limit, sample=sample)
