"""The mapping editor's logic, apart from its view: reading the form into a mapping, and the preview.

The editor works on an uploaded file (kept under the client's imports folder by its token).
:func:`editor_state` turns the posted form into the engine's mapping data (see
:class:`clients.sources.mapping.Mapping`) and the choices the page shows;
:func:`mapping_preview` runs that mapping over the file's first rows, then checks the
canonical rows as the importer does, so the preview shows the rows and errors an import would.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.importing import KINDS, SPECS, RowError, RowParser
from clients.mappings.saved import fixed_value_problem, vocabulary_of
from clients.sources.detection import detect
from clients.sources.files import identifier_columns, number_columns, preview_cell
from clients.sources.mapping import Compiled, Mapping, canonical_text, required_targets, targets_of
from clients.sources.reading import SourceError, data_rows, head, header_candidates, normalized, open_text
from clients.words import column_name, value_label

PREVIEW_ROWS = 20
DISTINCT_SCAN = 500  # data lines read for the values to map
DISTINCT_MAX = 30  # value table rows shown per column

DATE_CHOICES = (
    ("%Y-%m-%d", "2026-03-31"), ("%d/%m/%Y", "31/03/2026"), ("%m/%d/%Y", "03/31/2026"), ("%d.%m.%Y", "31.03.2026"),
    ("%Y%m%d", "20260331"), ("%d/%m/%y", "31/03/26"), ("%m/%d/%y", "03/31/26"), ("%b %d, %Y", "Mar 31, 2026"),
    ("%d %b %Y", "31 Mar 2026"),
)

CARRIED_RULE = ("minus", "other", "lower", "fallback", "only_with")
CARRIED_SPEC = ("currency", "keep", "total_if_empty", "social_network")

DECIMAL_CHOICES = ((".", gettext_lazy("1,234.56 (dot for decimals)")), (",", gettext_lazy("1.234,56 (comma for decimals)")))


@dataclass
class FileHead:
    """The uploaded file's header and how it is written (found by the sources' reader)."""

    header: list[str]
    header_line: int
    delimiter: str
    text_file: Any
    distinct: dict[int, list[str]] = field(default_factory=dict)


def file_head(path: Path) -> FileHead:
    """The header line of a file no source recognized: the first line that looks like one.

    Raises :class:`clients.sources.reading.SourceError` for a file that does not decode or has no header.
    """
    text_file = open_text(path)
    for line, delimiter, cells in header_candidates(head(text_file)):
        return FileHead(header=cells, header_line=line, delimiter=delimiter, text_file=text_file)
    raise SourceError([RowError(1, "", "", _("no header line: the file has no line with two or more columns"))])


def distinct_values(head_: FileHead, index: int) -> list[str]:
    """The different values of one column among the first data lines (for its value table)."""
    if index in head_.distinct:
        return head_.distinct[index]
    seen: dict[str, str] = {}
    for count, (_line, cells) in enumerate(
        data_rows(head_.text_file, header_line=head_.header_line, delimiter=head_.delimiter, width=len(head_.header))
    ):
        if count >= DISTINCT_SCAN or len(seen) >= DISTINCT_MAX:
            break
        if index < len(cells) and cells[index].strip():
            seen.setdefault(" ".join(cells[index].lower().split()), cells[index].strip())
    head_.distinct[index] = list(seen.values())
    return head_.distinct[index]


def _plain(text: str) -> str:
    return normalized(text).replace("_", " ")


COMMA_DECIMAL = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+),\d+$")  # 12,5 · 1.234,56
DOT_DECIMAL = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$")  # 12.5 · 1,234.56


def guess_decimal(head_: FileHead | None) -> str:
    """The decimal mark the file's first data lines use: "," when its numbers read 12,5 or 1.234,56 more
    often than 12.5 (a Spanish export defaulted to the dot read 12,5 as 125), else "."."""
    if head_ is None:
        return "."
    comma = dot = 0
    rows = data_rows(head_.text_file, header_line=head_.header_line, delimiter=head_.delimiter, width=len(head_.header))
    for count, (_line, cells) in enumerate(rows):
        if count >= DISTINCT_SCAN:
            break
        for cell in cells:
            text = cell.strip()
            comma += bool(COMMA_DECIMAL.match(text))
            dot += bool(DOT_DECIMAL.match(text))
    return "," if comma > dot else "."


def guess_spec(kind: str, header: list[str], head_: FileHead | None = None) -> dict[str, Any]:
    """A first mapping for the editor: canonical columns named like a file column are mapped to it, and
    the decimal mark the file's numbers use."""
    plain = {_plain(name): name for name in header}
    columns = {target: {"column": plain[_plain(target)]} for target in targets_of(kind) if _plain(target) in plain}
    return {"kind": kind, "columns": columns, "date_format": "%Y-%m-%d", "decimal": guess_decimal(head_)}


def source_spec(path: Path, source: str, mappings: Any = ()) -> dict[str, Any] | None:
    """The mapping a built-in source reads this file with (the client's additions applied), to remap it."""
    try:
        detection = detect(path, source=source, mappings=mappings)
    except SourceError:
        return None
    return detection.mapping.to_dict()


def _time_format(date_format: str) -> str:
    return "|".join((f"{date_format} %H:%M", f"{date_format} %H:%M:%S", f"{date_format}T%H:%M:%S", date_format))


def editor_state(data: Any, head_: FileHead, *, initial: dict[str, Any] | None = None) -> dict[str, Any]:
    """The mapping the form describes (``spec``) and every choice the editor shows for it.

    ``data`` is the posted form (a QueryDict) or None for a first visit (then ``initial``,
    a stored mapping or a guess, fills the form).
    """
    header = head_.header
    initial = initial or {}
    kind = (data.get("kind") if data is not None else initial.get("kind")) or "leads"
    if kind not in KINDS:
        kind = "leads"
    if data is not None and data.get("previous_kind") not in (None, kind):
        initial, data = guess_spec(kind, header, head_), None  # another kind: start again from a guess
    init_columns = initial.get("columns") or {}
    required = {t for entry in required_targets(kind) for t in ((entry,) if isinstance(entry, str) else entry)}
    index_of = {name: index for index, name in enumerate(header)}
    columns: dict[str, dict[str, Any]] = {}
    rows = []
    for target in targets_of(kind):
        if data is not None:
            choice = data.get(f"src_{target}", "")
            fixed = data.get(f"fixed_{target}", "").strip()
        else:
            stored_rule = init_columns.get(target) or {}
            choice = "fixed" if stored_rule.get("value") else ""
            if stored_rule.get("column") in index_of:
                choice = f"col:{index_of[stored_rule['column']]}"
            fixed = stored_rule.get("value", "")
        rule: dict[str, Any] = {}
        column_index = None
        if choice.startswith("col:") and choice[4:].isdigit() and int(choice[4:]) < len(header):
            column_index = int(choice[4:])
            rule["column"] = header[column_index]
            stored_rule = init_columns.get(target) or {}
            if stored_rule.get("column") == rule["column"]:
                # A built-in source's rule kept as it was (bounced = sessions − engaged; unknown values → other).
                rule.update({key: stored_rule[key] for key in CARRIED_RULE if key in stored_rule})
        elif choice == "fixed" and fixed:
            rule["value"] = fixed
        table_rows = []
        vocabulary = vocabulary_of(target)
        fixed_error = ""
        if rule.get("value") and vocabulary and rule["value"] not in vocabulary:
            # A value typed before the menu (or posted by hand): shown as it is, chosen again from the menu.
            fixed_error = fixed_value_problem(kind, target, rule["value"])
        if column_index is not None and vocabulary:
            stored = {" ".join(k.lower().split()): v for k, v in ((init_columns.get(target) or {}).get("values") or {}).items()}
            values: dict[str, str] = {}
            for position, raw in enumerate(distinct_values(head_, column_index)):
                if data is not None:
                    chosen = data.get(f"vmap_{target}_{position}", "")
                else:
                    chosen = stored.get(" ".join(raw.lower().split()), raw if raw in vocabulary else "")
                if chosen and chosen in vocabulary:
                    values[raw] = chosen
                table_rows.append({"position": position, "raw": raw, "chosen": chosen})
            if values:
                rule["values"] = values
            carried = init_columns.get(target) or {}
            if carried.get("values") and carried.get("column") == rule.get("column"):
                # The source's whole table, beyond the values of the file's first lines, with the choices on top.
                rule["values"] = {**carried["values"], **values}
        if rule:
            columns[target] = rule
        rows.append({
            # "a fixed value →" stays chosen before its value is (the form is swapped on every change).
            "target": target, "required": target in required, "choice": choice if rule or choice == "fixed" else "",
            "options": [(f"col:{i}", name, bool(rule.get("column")) and choice == f"col:{i}") for i, name in enumerate(header)],
            "fixed": fixed, "fixed_error": fixed_error, "values": table_rows,
            "vocabulary": [(value, value_label(value)) for value in vocabulary],
            "label": column_name(kind, target), "hint": _target_hint(target),
        })
    date_choices = list(DATE_CHOICES)
    if initial.get("date_format") and initial["date_format"] not in dict(DATE_CHOICES):
        date_choices.insert(0, (initial["date_format"], _("as the source reads it (%(formats)s)")
                                % {"formats": initial["date_format"].replace("|", " · ")}))
    date_format = (data.get("date_format") if data is not None else initial.get("date_format")) or "%Y-%m-%d"
    if date_format not in dict(date_choices):
        date_format = "%Y-%m-%d"
    decimal = (data.get("decimal") if data is not None else initial.get("decimal")) or "."
    campaign_channel = (data.get("campaign_channel") if data is not None else initial.get("channel")) or ""
    spec = {
        "kind": kind, "columns": columns, "date_format": date_format, "time_format": _time_format(date_format),
        "decimal": decimal if decimal in {".", ","} else ".", "header": list(header),
        "channel": campaign_channel if campaign_channel in vocabulary_of("channel") else "",
    }
    if initial.get("kind") == kind:
        # What a built-in source's mapping says that the form has no field for (Meta's currency in its header, …).
        spec.update({key: initial[key] for key in CARRIED_SPEC if initial.get(key)})
        if initial.get("date_format") == date_format and initial.get("time_format"):
            spec["time_format"] = initial["time_format"]
    return {
        "spec": spec, "kind": kind, "rows": rows, "header": list(enumerate(header)), "date_format": date_format,
        "decimal": spec["decimal"], "campaign_channel": spec["channel"], "creates_campaigns": kind in {"spend", "email"},
        "channels": [(value, value_label(value)) for value in vocabulary_of("channel")], "date_choices": date_choices,
    }


def _target_hint(target: str) -> str:
    """What a column the engine adds to a kind's own does, under its name."""
    hints = {
        "campaign_id": _("Matched to the client's campaigns; one not found is created."),
        "campaign_name": _("Matched to the client's campaigns; one not found is created."),
        "currency": _("ISO code; empty: the client's currency."),
    }
    return hints.get(target, "")


def mapping_preview(*, spec: dict[str, Any], head_: FileHead, zone: ZoneInfo, limit: int = PREVIEW_ROWS) -> dict[str, Any]:
    """The first canonical rows the mapping makes of the file, each with its errors.

    Values are converted by the engine (dates, numbers, value tables), then checked as the
    canonical importer checks them (vocabularies, required values, row rules). References to
    campaigns and leads are checked by the import itself.
    """
    mapping = Mapping.from_dict(spec)
    problems = mapping.problems()
    compiled = Compiled(mapping, head_.header, header_line=head_.header_line)
    kind_spec = SPECS[mapping.kind]
    canonical = [target for target in compiled.targets if target in kind_spec.by_name]
    parser = RowParser(kind_spec, canonical, zone)
    column_to_target = {plan.rule.column: plan.target for plan in compiled.plans if plan.rule.column}
    # Where each target's value is read from in a row: a date is shown the reader's way with the file's own
    # cell beneath ("1 mar 2026" over 01/03/2026), the read the date format above decides.
    read_from = {plan.target: head_.header.index(plan.rule.column) for plan in compiled.plans
                 if plan.rule.column and plan.rule.column in head_.header}
    valued = {plan.target for plan in compiled.plans if plan.rule.column and vocabulary_of(plan.target)}
    rows = []
    for count, (line, cells) in enumerate(
        data_rows(head_.text_file, header_line=head_.header_line, delimiter=head_.delimiter, width=len(head_.header))
    ):
        if count >= limit:
            break
        if compiled.is_total(cells):
            continue
        values, errors = compiled.convert(line, cells)
        by_target: dict[str, str] = {}
        raw: dict[str, str] = {}  # a value not read, as the file writes it, shown beside why
        row_errors: list[str] = []
        for error in errors:
            target = column_to_target.get(error.column, error.column)
            if target in compiled.targets:
                by_target.setdefault(target, error.reason)
                raw.setdefault(target, error.value)
            else:
                row_errors.append(error.reason)
        texts = {target: canonical_text(values.get(target)) for target in compiled.targets}
        if not errors:
            _parsed, checked = parser.parse([texts[target] for target in canonical])
            for name, value, reason in checked:
                if name in valued and value and value not in vocabulary_of(name):
                    # The importer lists the codes a file of the portal's kind must write; here the value
                    # comes from the file and its meaning is chosen in the value table.
                    reason = _("Choose what it means in the column's table of values, above.")
                if name in compiled.targets:
                    by_target.setdefault(name, reason)
                else:
                    row_errors.append(reason)
        cell_of = {target: cells[index] for target, index in read_from.items() if index < len(cells)}
        rows.append({
            "line": line, "bad": bool(by_target or row_errors), "row_errors": row_errors, "values": values,
            "errors": by_target, "raw": raw, "cells": cell_of,
        })
    # Written, aligned and wrapped as the import previews write theirs (clients.sources.files): amounts and
    # counts grouped in the reader's language (18,000.50 / 18 000,50) and right-aligned, a date-time in the
    # client's zone with the zone named, an id never split, a vocabulary's value in words, its code beneath.
    numeric = number_columns(list(compiled.targets), [row["values"] for row in rows])
    codes = identifier_columns(mapping.kind, list(compiled.targets))
    for row in rows:
        values, by_target, raw, file_cells = row.pop("values"), row.pop("errors"), row.pop("raw"), row.pop("cells")
        row["cells"] = [{**preview_cell(target, values.get(target), zone, num=target in numeric, code=target in codes),
                         "error": by_target.get(target, ""), "name": column_name(mapping.kind, target),
                         "file_cell": file_cells.get(target, "") if isinstance(values.get(target), dt.date) else "",
                         **({"value": raw[target], "words": ""} if values.get(target) is None and raw.get(target) else {})}
                        for target in compiled.targets]
    return {
        "columns": compiled.targets,
        "heads": [{"name": column_name(mapping.kind, target), "num": target in numeric} for target in compiled.targets],
        "rows": rows, "problems": problems,
        "header_errors": [f"{error.column}: {error.reason}" for error in compiled.errors],
        "bad_rows": sum(row["bad"] for row in rows),
    }
