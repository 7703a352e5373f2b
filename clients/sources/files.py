"""What the upload screen, the scheduled sources and the demo need from the sources core, in one place.

- :func:`file_recognize`: what a file is — a canonical file of a kind (its header is that
  kind's columns), a built-in source or a saved mapping (the core's detection) — with what it
  holds, from a dry run of the whole file: rows, first and last day, campaigns it would create.
- :func:`source_rows_preview`: its first canonical rows with their errors.
- :func:`source_file_import`: import it through the core's ``source_import`` (all or nothing),
  given the client's saved mappings (through the provider ClientsConfig.ready registers with the
  core) so that a file with a saved header is recognized.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context

from agency.models import Client
from clients.importing import SPECS, ImportResult, RowError, import_csv
from clients.imports.forms import KIND_LABELS
from clients.mappings.saved import vocabulary_of
from clients.models import SavedMapping
from clients.sources import Mapping, saved_mappings, source_import, source_preview
from clients.sources.mapping import canonical_text, targets_of
from clients.words import coded_value_label, column_name, value_label


@dataclass
class Recognized:
    """What a file was recognized as, and what it holds (counted without writing anything)."""

    kind: str
    label: str  # "Google Ads campaign report", "Saved mapping: Salesforce leads", "Portal's own format: Leads"
    language: str = ""  # "Spanish", "English", or "" (a mapping, a canonical file)
    source: str = ""  # the built-in source's slug
    mapping_id: int | None = None
    encoding: str = ""
    rows: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    new_campaigns: list[str] = field(default_factory=list)  # their names, as the client knows them (the id if none)
    left_out: int = 0
    check: Any = None  # the dry run of the whole file (the core's SourceImport), for a source file

    @property
    def params(self) -> dict[str, Any]:
        """The import job's parameters for this file (clients.imports.services.job_file_import)."""
        if self.source or self.mapping_id:
            return {"source": self.source, **({"mapping": self.mapping_id} if self.mapping_id else {})}
        return {}

    @property
    def is_canonical(self) -> bool:
        return self.check is None


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
    """Recognize an uploaded file and check all of it without writing; raises :class:`NotRecognized`."""
    if mapping_id is None:
        kind = canonical_kind_of(path)
        if kind is not None:
            return _canonical_summary(client=client, path=path, kind=kind, label=str(KIND_LABELS[kind]))
    check = source_file_import(client=client, path=path, mapping_id=mapping_id, dry_run=True)
    detection = getattr(check, "detection", None)
    if detection is None:
        raise NotRecognized(check.errors)
    mapping_found = None
    if detection.source is None:
        with tenant_context(client):
            mapping_found = SavedMapping.objects.filter(name=detection.mapping.name).values_list("pk", flat=True).first()
    if detection.source is not None:
        label = str(detection.source.label)
    else:
        label = _("Saved mapping: %(name)s") % {"name": detection.mapping.name}
    return Recognized(
        kind=detection.kind, label=label, language=detection.language_label if detection.source else "",
        source=detection.source.slug if detection.source else "", mapping_id=mapping_found,
        encoding=detection.encoding, rows=check.rows, first_day=check.first_day, last_day=check.last_day,
        new_campaigns=[check.campaign_names.get(campaign_id) or campaign_id for campaign_id in check.campaigns_created],
        left_out=check.skipped_total, check=check,
    )


def _canonical_summary(*, client: Client, path: Path, kind: str, label: str) -> Recognized:
    """A canonical file: its rows from a dry run of the importer (nothing written)."""
    with tenant_context(client):
        result = import_csv(kind=kind, source=path, zone=ZoneInfo(client.timezone), dry_run=True)
    return Recognized(kind=kind, label=_("Portal's own format: %(kind)s") % {"kind": label}, encoding="UTF-8", rows=result.rows)


def source_rows_preview(*, client: Client, path: Path, recognized: Recognized, limit: int = 20) -> dict[str, Any]:
    """The first canonical rows of a source file with their errors (the detection page's table)."""
    mapping = _engine_mapping(client, recognized.mapping_id) if recognized.mapping_id else None
    mappings = saved_mappings(client=client)  # the registered provider's (ClientsConfig.ready)
    _outcome, rows = source_preview(client=client, path=path, source=recognized.source or None, mapping=mapping,
                                    mappings=mappings, limit=limit)
    columns: list[str] = []
    for _line, values, _errors in rows:
        columns += [name for name in values if name not in columns]
    # The conversion columns only when some amount was in another currency than the client's.
    if not any(values.get("currency") not in (None, "", client.currency) for _line, values, _errors in rows):
        columns = [name for name in columns if name not in {"original_amount", "currency", "exchange_rate", "rate_date"}]
    # Columns empty in every row shown are named under the table instead of taking its width.
    empty = [name for name in columns if rows and all(values.get(name) in (None, "", []) for _l, values, _e in rows)]
    columns = [name for name in columns if name not in empty]
    shown = []
    zone = ZoneInfo(client.timezone)
    numeric = number_columns(columns, [values for _line, values, _errors in rows])
    codes = identifier_columns(recognized.kind, columns)
    for line, values, errors in rows:
        reasons: dict[str, str] = {}
        for error in errors:
            reasons.setdefault(error.column, error.reason)
        shown.append({
            "line": line, "bad": bool(errors),
            "cells": [preview_cell(column, values.get(column), zone, num=column in numeric, code=column in codes)
                      for column in columns],
            "row_errors": list(reasons.items()),
        })
    # The portal's columns by their names in the reader's language (the code is the portal's own files' header).
    name = {column: column_name(recognized.kind, column) for column in [*columns, *empty]}
    heads = [{"name": name[column], "num": column in numeric} for column in columns]
    return {"columns": columns, "column_heads": heads, "rows": shown,
            "bad_rows": sum(row["bad"] for row in shown), "empty_columns": [name[column] for column in empty]}


def number_columns(columns: list[str], rows: list[dict[str, Any]]) -> set[str]:
    """The previewed columns that hold numbers (amounts, counts: every value given in the rows shown is
    one), right-aligned as every other table's numbers are (class ``num``): both previews, one rule."""
    def number(value: Any) -> bool:
        return isinstance(value, (Decimal, int)) and not isinstance(value, bool)

    given = {column: [row.get(column) for row in rows if row.get(column) not in (None, "", [])] for column in columns}
    return {column for column, values in given.items() if values and all(number(value) for value in values)}


def identifier_columns(kind: str, columns: list[str]) -> set[str]:
    """The previewed columns of codes: a row's own id, the campaign, lead, contract or persona it names
    (``references``), a campaign's id in the platform. A code is one word to the person checking it: it never
    wraps at its hyphens ("cmp-2026-" / "11-a"); a table too wide for it scrolls in its box. Every preview,
    one rule."""
    spec = SPECS[kind].by_name if kind in SPECS else {}
    return {column for column in columns
            if column == "id" or column.endswith("_id") or (column in spec and spec[column].references)}


def preview_cell(column: str, value: Any, zone: ZoneInfo, *, num: bool = False, code: bool = False) -> dict[str, Any]:
    """A preview cell; a date, a code (``identifier_columns``) or a short value never wraps (counts), a long
    one may.

    A date-time stays a moment (a wall-clock time the file gave is the client's): the page writes it as
    the portal-format preview writes its own (the template's DATETIME_FORMAT in the client's zone, the
    zone named: "Mar 2, 2026, 10 a.m. CET"), not one way of its own. A date likewise stays a date, for
    the template's DATE_FORMAT ("Mar 1, 2026", "1 mar 2026"): these previews wrote the ISO
    text ("2026-03-01") where the portal-format preview and every other page write the reader's way."""
    if isinstance(value, dt.datetime):
        moment = value if timezone.is_aware(value) else value.replace(tzinfo=zone)
        return {"value": moment, "error": "", "words": "", "whole": False, "num": False, "column": column}
    if isinstance(value, dt.date):  # on one line, as the ISO date was: "1 de / marzo de / 2026" read badly
        return {"value": value, "error": "", "words": "", "whole": True, "num": False, "column": column}
    text = display_value(column, value)
    words = coded_value_label(column, value)  # a vocabulary's value in words, its code beneath
    return {"value": text, "error": "", "words": words, "num": num, "column": column,
            "whole": code or len(words or text) <= 10}


def display_value(column: str, value: Any) -> str:
    """A preview cell: amounts rounded to cents and rates to 6 decimals for reading (stored values stay exact),
    numbers written the reader's language's way with the filter the file's totals above use
    (``floatformat``, grouped: "1,234.50", Spain's "1234,50", Mexico's "1,234.50"): one page, one way."""
    if isinstance(value, Decimal):
        return str(floatformat(value, "6g" if column == "exchange_rate" else "2g"))
    if isinstance(value, int) and not isinstance(value, bool):  # counts; ids are text, as the file writes them
        return str(floatformat(value, "-2g"))
    return canonical_text(value)


def source_file_report(*, client: Client, recognized: Recognized) -> dict[str, Any]:
    """What the preview says about a source file beyond its rows (sources.md "Nothing is lost in silence").

    Every column of the file as used (for which canonical columns) or ignored; required columns
    a loosely recognized file lacks; optional columns a KPI needs that it lacks and what that
    leaves empty; values outside a value table with their row counts and where they went; the
    totals to check against the platform's screen; and, for the additions form, the columns an
    ignored one may give and each value table's vocabulary.
    """
    check = recognized.check
    detection = getattr(check, "detection", None)
    if detection is None:
        return {}
    kind = detection.kind
    columns = [{"index": index, "name": cell, "targets": [_shown_target(target, kind) for target in targets]}
               for index, (cell, targets) in enumerate(detection.uses())]
    unmapped = [
        {"target": target, "went": check.unmapped_to.get(target, ""), "name": column_name(kind, target),
         "went_label": value_label(check.unmapped_to.get(target, "")),
         "vocabulary": [(value, value_label(value)) for value in vocabulary_of(target)],
         "values": sorted(values.items(), key=lambda item: (-item[1], item[0]))}
        for target, values in sorted(check.unmapped.items())
    ]
    totals = [(TOTAL_LABELS[name], check.totals[name]) for name in TOTAL_LABELS if name in check.totals]
    if kind == "leads":
        totals.insert(0, (_("Contacts"), check.rows - check.skipped_total))
    return {
        "columns_used": columns, "ignored_count": sum(1 for column in columns if not column["targets"]),
        "missing": [(column_name(kind, target), " / ".join(names)) for target, names in detection.missing],
        "lacking": [(target, " / ".join(names), reason) for target, names, reason in detection.lacking()],
        "unmapped": unmapped, "totals": totals,
        "spend_by_currency": sorted(check.spend_by_currency.items()), "client_currency": client.currency,
        "converted": any(code != client.currency for code in check.spend_by_currency),
        "amount": check.totals.get("amount"), "dropped": check.dropped.get("deal_value", 0),
        "customers_without_deal": check.customers_without_deal,
        "extend_targets": [(target, column_name(kind, target)) for target in targets_of(kind) if target not in {"id"}],
        "extension": detection.extension.name if detection.extension is not None else "",
        "source": detection.source.slug if detection.source is not None else "",
    }


def _shown_target(target: str, kind: str) -> str:
    """The portal column a file's column gives, by its name in the reader's language (not its code)."""
    if target.startswith("−"):  # a column subtracted: engaged sessions, for bounced sessions
        return _("%(target)s (subtracted from it)") % {"target": column_name(kind, target[1:])}
    if target.startswith("+"):  # a column added: LinkedIn's lead-gen form leads, to conversions
        return _("%(target)s (added to it)") % {"target": column_name(kind, target[1:])}
    if target.startswith("?"):  # Meta's Result indicator: which lines' Results are conversions
        return _("%(target)s (which lines count)") % {"target": column_name(kind, target[1:])}
    return column_name(kind, target)


def extension_choices(data: Any, recognized: Recognized) -> dict[str, Any]:
    """The additions form's choices: ``use_<n>`` = the target the file's n-th column gives (empty: stays
    ignored), ``means_<target>_<n>`` = the meaning of ``value_<target>_<n>``; as source_extension_save takes them."""
    header = recognized.check.detection.header
    columns: dict[str, str] = {}
    for index, cell in enumerate(header):
        target = (data.get(f"use_{index}") or "").strip()
        if target:
            columns[target] = cell
    values: dict[str, dict[str, str]] = {}
    for key in data:
        if key.startswith("means_") and (meaning := (data.get(key) or "").strip()):
            target, _sep, position = key[len("means_"):].rpartition("_")
            raw = (data.get(f"value_{target}_{position}") or "").strip()
            if target and raw:
                values.setdefault(target, {})[raw] = meaning
    return {"columns": columns, "values": values}


TOTAL_LABELS = {
    "impressions": gettext_lazy("Impressions"), "clicks": gettext_lazy("Clicks"),
    "conversions": gettext_lazy("Conversions"), "conversion_value": gettext_lazy("Conversion value"),
    "sessions": gettext_lazy("Sessions"), "bounced_sessions": gettext_lazy("Bounced sessions"),
    "sent": gettext_lazy("Emails sent"), "delivered": gettext_lazy("Delivered"),
    "unique_opens": gettext_lazy("Unique opens"), "unique_clicks": gettext_lazy("Unique clicks"),
    "unsubscribes": gettext_lazy("Unsubscribes"), "deal_value": gettext_lazy("Deal value of customers"),
}


def _engine_mapping(client: Client, mapping_id: int) -> Any:
    with tenant_context(client):
        stored = SavedMapping.objects.filter(pk=mapping_id).first()
    if stored is None:
        return None
    return Mapping.from_dict({**stored.spec, "name": stored.name, "header": stored.header})


def source_file_import(
    *, client: Client, path: Path, source: str | None = None, mapping_id: int | None = None,
    progress: Callable[[int], None] | None = None, dry_run: bool = False, decimal: str | None = None, **_ignored: Any,
) -> Any:
    """Import a source file (a built-in source, a saved mapping, or detected) through the core's import.

    ``decimal``: how the file writes numbers, as the person importing it said (a file refused for an
    amount that reads two ways); None: as its language or mapping says.

    Returns the core's ``SourceImport`` (``ok``, ``errors``, ``rows``, ``as_dict()``, as an ImportResult has).
    """
    mapping = None
    if mapping_id:
        mapping = _engine_mapping(client, mapping_id)
        if mapping is None:
            result = ImportResult(kind="")
            result.errors.append(RowError(None, "", str(mapping_id), _("the saved mapping no longer exists")))
            return result
    mappings = saved_mappings(client=client)  # the registered provider's (ClientsConfig.ready)
    return source_import(client=client, path=path, source=source, mapping=mapping, mappings=mappings,
                         progress=progress, dry_run=dry_run, decimal=decimal if decimal in {".", ","} else None)
