"""Streaming, all-or-nothing, idempotent import of one kind of rows into the current schema.

How a file goes in, with memory that does not grow with the file:

1. One streaming pass parses and checks each row on its own (types, vocabularies, required
   values, the row rules of formats.md) and COPYs it into a temporary staging table, with its
   line number and key. A bad row is staged with its key only, so duplicates are still found.
2. Set-based SQL on the staging table finds what needs the whole file or the database:
   duplicate keys inside the file and references to unknown campaigns, leads, contracts or
   personas (a renewal may name a contract of the same file).
3. If any row is bad, the transaction is rolled back: nothing is written, every bad row is
   reported. Otherwise the rows that are new are INSERTed and those that differ from the stored
   ones are upserted with ``INSERT … ON CONFLICT DO UPDATE``; unchanged rows are not touched, so
   importing the same file twice changes nothing.

Columns missing from the header are left as they are on rows that already exist (and take
their defaults on new rows); a column present with an empty cell means "not given".
Everything happens in one transaction on the current connection, in the current schema:
callers pick the client's schema (``clients.services.data_import`` does).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import NOT_PROVIDED
from django.utils.translation import gettext as _

from clients.importing.cells import CellError, cell_text, storable, timestamp, unstorable
from clients.importing.kinds import REFERENCE_TARGETS, SPECS, TIMESTAMP, KindSpec

STAGE = "_import_stage"
CHANGED = "_import_changed"
PROGRESS_EVERY = 2000
csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True)
class RowError:
    """One bad row (or header): where it is, which column, the value as given, and why."""

    line: int | None
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}, column {self.column}, value '{self.value}': {self.reason}"

    def as_list(self) -> list[Any]:
        return [self.line, self.column, self.value, self.reason]


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    months: set[str] = field(default_factory=set)
    columns: list[str] = field(default_factory=list)
    # The first rows as parsed, for the web preview: (line, {column: value}, {column: reason}).
    sample: list[tuple[int, dict[str, Any], dict[str, str]]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> int:
        return self.inserted + self.updated

    def as_dict(self, *, max_errors: int | None = None) -> dict[str, Any]:
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        return {
            "kind": self.kind, "ok": self.ok, "rows": self.rows, "inserted": self.inserted,
            "updated": self.updated, "unchanged": self.unchanged, "error_count": len(self.errors),
            "errors": [error.as_list() for error in errors], "months": sorted(self.months),
        }


class _Invalid(Exception):
    """Raised inside the transaction to roll it back when a row is bad."""


class _DryRun(Exception):
    """Raised inside the transaction to roll back a preview."""


# --- header and rows ------------------------------------------------------------------------

def header_check(spec: KindSpec, header: list[str], *, internal: bool = False) -> list[RowError]:
    """Unknown, repeated or missing required columns: the whole file is refused.

    ``internal``: the header comes from a source (clients.sources), which may also fill the
    internal columns (a spend row's original amount and currency).
    """
    errors = []
    known = spec.by_name if internal else {name: spec.by_name[name] for name in spec.public}
    seen: set[str] = set()
    for name in header:
        if name not in known:
            errors.append(RowError(1, storable(name), storable(name), _("unknown column for %(kind)s; expected: %(columns)s")
                                   % {"kind": spec.kind, "columns": ", ".join(known)}))
        elif name in seen:
            errors.append(RowError(1, storable(name), storable(name), _("column given twice")))
        seen.add(name)
    for name in spec.required:
        if name not in seen:
            errors.append(RowError(1, name, "", _("required column missing")))
    return errors


class RowParser:
    """Parses and checks one row of a given header; shared by the importer and the API."""

    def __init__(self, spec: KindSpec, header: list[str], zone: ZoneInfo) -> None:
        self.spec = spec
        self.header = header
        stamp = timestamp(zone)
        by_name = spec.by_name
        self.plan = [
            (name, stamp if by_name[name].parse is TIMESTAMP else by_name[name].parse,
             by_name[name].required, by_name[name].default)
            for name in header
        ]
        # For typed rows (the sources): a value already of the column's type is checked without its text.
        self.typed_plan = [(name, parse, getattr(parse, "check", None), required, default)
                           for name, parse, required, default in self.plan]
        self.width = len(header)
        self.positions = {name: index for index, name in enumerate(header)}
        self.key_positions = [self.positions.get(name) for name in spec.key]
        self.single_key = spec.key[0] if len(spec.key) == 1 else None

    def parse(self, raw: list[str]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
        """The row's values by column, and its errors as (column, value, reason)."""
        if len(raw) != self.width:
            return {}, [("", storable(",".join(raw)[:200]), _("%(found)s values where the header has %(want)s columns")
                         % {"found": len(raw), "want": self.width})]
        values: dict[str, Any] = {}
        errors: list[tuple[str, str, str]] = []
        for (name, parse, required, default), cell in zip(self.plan, raw, strict=True):
            text = cell.strip()
            reason = unstorable(text)
            if reason is not None:
                errors.append((name, storable(text)[:200], reason))
                continue
            if not text:
                if required:
                    errors.append((name, "", _("required value missing")))
                values[name] = default  # shared and never mutated (an empty list for interests)
                continue
            try:
                values[name] = parse(text)
            except CellError as error:
                errors.append((name, text, error.reason))
        if not errors:
            for rule in self.spec.rules:
                for name, reason in rule(values):
                    position = self.positions.get(name)
                    errors.append((name, storable(raw[position].strip()) if position is not None else "", reason))
        return values, errors

    def parse_typed(self, raw: list[Any]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
        """:meth:`parse` for a row of typed values in header order (None: not given), as the sources
        give them: the same checks and messages as their canonical text would get, without
        writing and parsing that text again."""
        values: dict[str, Any] = {}
        errors: list[tuple[str, str, str]] = []
        for (name, parse, check, required, default), cell in zip(self.typed_plan, raw, strict=True):
            if type(cell) is str:
                text = cell.strip()
                reason = unstorable(text)
                if reason is not None:
                    errors.append((name, storable(text)[:200], reason))
                    continue
                if not text:
                    if required:
                        errors.append((name, "", _("required value missing")))
                    values[name] = default
                    continue
                try:
                    values[name] = parse(text)
                except CellError as error:
                    errors.append((name, text, error.reason))
            elif cell is None:
                if required:
                    errors.append((name, "", _("required value missing")))
                values[name] = default
            else:
                try:
                    values[name] = check(cell) if check is not None else parse(cell_text(cell))
                except CellError as error:
                    errors.append((name, cell_text(cell), error.reason))
        if not errors:
            for rule in self.spec.rules:
                for name, reason in rule(values):
                    position = self.positions.get(name)
                    errors.append((name, storable(cell_text(raw[position]).strip()) if position is not None else "",
                                   reason))
        return values, errors

    def key(self, raw: list[Any], values: dict[str, Any] | None) -> str:
        single = self.single_key
        if single is not None and values is not None and single in values:
            return str(values[single])  # the common case: a good row of a kind keyed by its id
        parts = []
        for name, position in zip(self.spec.key, self.key_positions, strict=True):
            if values is not None and name in values:
                parts.append(str(values[name]))
            elif position is not None and position < len(raw):
                parts.append(storable(cell_text(raw[position]).strip()))
            else:
                parts.append("")
        return "\x1f".join(parts)


# --- sources --------------------------------------------------------------------------------

def text_stream(source: str | bytes | IO[Any] | Any) -> IO[str]:
    """A text stream over a path or a binary/text file, decoding UTF-8 with an optional BOM."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        return open(source, encoding="utf-8-sig", newline="")
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline="")


def csv_records(stream: IO[str]) -> tuple[list[str] | None, Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (line number, cells); blank lines are skipped."""
    reader = csv.reader(stream)
    header = next(reader, None)
    if header is not None:
        header = [name.strip().lstrip("\ufeff") for name in header]

    def records() -> Iterator[tuple[int, list[str]]]:
        previous_end = reader.line_num
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield start, row

    return header, records()


# --- the import -----------------------------------------------------------------------------

def import_csv(
    *, kind: str, source: Any, zone: ZoneInfo, progress: Callable[[int], None] | None = None,
    dry_run: bool = False, limit: int | None = None, sample: int = 0,
) -> ImportResult:
    """Import a CSV file (path or file object) of ``kind`` into the current schema."""
    result = ImportResult(kind=kind, dry_run=dry_run)
    stream = text_stream(source)
    opened_here = stream is not source
    try:
        try:
            header, records = csv_records(stream)
        except UnicodeDecodeError:
            result.errors.append(RowError(1, "", "", _("the file is not UTF-8 text")))
            return result
        except csv.Error as error:
            result.errors.append(RowError(1, "", "", _("not a CSV file: %(error)s") % {"error": error}))
            return result
        if not header or not any(header):
            result.errors.append(RowError(1, "", "", _("the file is empty: the first line must be the header")))
            return result
        return import_records(kind=kind, header=header, records=records, zone=zone, progress=progress,
                              dry_run=dry_run, limit=limit, sample=sample, result=result)
    finally:
        if opened_here:
            if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
                stream.close()
            else:
                stream.detach()  # leave the caller's file open


def import_records(
    *, kind: str, header: list[str], records: Iterable[tuple[int, list[str]]], zone: ZoneInfo,
    progress: Callable[[int], None] | None = None, dry_run: bool = False, limit: int | None = None,
    sample: int = 0, result: ImportResult | None = None, positions: str = "line",
    internal: bool = False, sum_duplicates: bool = False, typed: bool = False,
) -> ImportResult:
    """Import rows given as (line, cells) under ``header``: the core shared by files and the API.

    ``positions`` names what the numbers are in messages: file lines, or ``"index"`` for the API.
    ``internal`` and ``sum_duplicates`` are for the sources (clients.sources): the internal
    columns are allowed, and rows landing on the same key are added up (their ``summed``
    columns; the other columns are the first row's) instead of being duplicate-key errors.
    ``typed``: the cells are values already typed (None for "not given"; the sources' numbers,
    dates and times), checked as their canonical text would be but without parsing it again.
    """
    spec = SPECS[kind]
    result = result or ImportResult(kind=kind, dry_run=dry_run)
    result.columns = list(header)
    header_errors = header_check(spec, header, internal=internal)
    if header_errors:
        result.errors = header_errors
        return result
    try:
        with transaction.atomic():
            _stage(spec, header, records, zone, result, progress=progress, limit=limit, sample=sample, typed=typed)
            if sum_duplicates and not result.errors:
                _sum_stage(spec)
            _check_file(spec, header, result, positions=positions, partial=limit is not None)
            if result.errors:
                raise _Invalid
            with _work_mem():
                _write(spec, header, zone, result)
            if dry_run:
                raise _DryRun
            _drop_temp_tables()
    except _Invalid:
        result.errors.sort(key=lambda error: (error.line or 0, error.column))
    except _DryRun:
        pass
    except (csv.Error, UnicodeDecodeError) as error:
        # Found while streaming the rows (a field over the size limit, bytes that are not UTF-8):
        # the whole file is refused, nothing was written.
        result.inserted = result.updated = result.unchanged = 0
        result.months = set()
        result.sample = []
        reason = (_("the file is not UTF-8 text") if isinstance(error, UnicodeDecodeError)
                  else _("not a CSV file: %(error)s") % {"error": error})
        result.errors.append(RowError(None, "", "", reason))
    except IntegrityError as error:
        # Only reachable when a partial file (columns left out) meets stored values it conflicts with.
        result.inserted = result.updated = result.unchanged = 0
        result.months = set()
        result.errors.append(RowError(None, "", "", _("the rows conflict with the stored data: %(error)s")
                                      % {"error": str(error).splitlines()[0]}))
    return result


def _stage(
    spec: KindSpec, header: list[str], records: Iterable[tuple[int, list[str]]], zone: ZoneInfo,
    result: ImportResult, *, progress: Callable[[int], None] | None, limit: int | None, sample: int,
    typed: bool = False,
) -> None:
    parser = RowParser(spec, header, zone)
    parse = parser.parse_typed if typed else parser.parse
    key = parser.key
    names = [column.name for column in spec.columns]
    model = spec.model
    db_types = [model._meta.get_field(spec.by_name[name].field_name).db_type(connection) for name in names]
    ddl = ", ".join(f'"{spec.db_column(name)}" {db_type}' for name, db_type in zip(names, db_types, strict=True))
    # Only the file's columns (in the header's order) and the key's are COPYed; the others stay
    # NULL in the staging table and _write gives new rows their defaults: a narrow file stages
    # narrow rows. A key column the file lacks is staged with its default (the rows are matched on it).
    key_defaults = tuple(spec.by_name[name].default for name in spec.key if name not in header)
    staged = [*header, *(name for name in spec.key if name not in header)]
    column_list = ", ".join(f'"{spec.db_column(name)}"' for name in staged)
    staged_types = [re.sub(r"\(.*?\)", "", db_types[names.index(name)]) for name in staged]
    errors = result.errors
    count = 0
    with connection.cursor() as cursor:
        _drop_temp_tables(cursor)
        cursor.execute(f"CREATE TEMP TABLE {STAGE} (_line integer NOT NULL, _key text NOT NULL, _ok boolean NOT NULL,"
                       f" {ddl}) ON COMMIT DROP")
        empty = (None,) * len(staged)
        with cursor.cursor.copy(f"COPY {STAGE} (_line, _key, _ok, {column_list}) FROM STDIN") as copy:
            # Each column's dumper chosen once, not looked up for every value of every row.
            copy.set_types(["integer", "text", "boolean", *staged_types])
            write_row = copy.write_row
            for line, raw in records:
                if limit is not None and count >= limit:
                    break
                count += 1
                values, row_errors = parse(raw)
                if row_errors:
                    errors.extend(RowError(line, column, value, reason) for column, value, reason in row_errors)
                    write_row((line, key(raw, None), False, *empty))
                else:
                    write_row((line, key(raw, values), True, *map(values.__getitem__, header), *key_defaults))
                if sample and len(result.sample) < sample:
                    shown = dict(values)
                    shown.update((column, value) for column, value, _reason in row_errors if column)
                    result.sample.append((line, shown, {column: reason for column, _value, reason in row_errors}))
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(count)
    result.rows = count
    if progress is not None:
        progress(count)


def _check_file(
    spec: KindSpec, header: list[str], result: ImportResult, *, positions: str = "line", partial: bool = False,
) -> None:
    """Duplicate keys in the file and references to rows that do not exist, found in SQL.

    ``partial``: only the first rows were read (the preview), so a reference to a row of the
    same file (a renewal) may point further down: it is not judged then.
    """
    key_label = "+".join(spec.key)
    with connection.cursor() as cursor:
        # Keys that repeat, found by one hash aggregate (no sort of every staged row), then their later lines.
        cursor.execute(
            f"SELECT s._line, s._key, d.first FROM {STAGE} s JOIN (SELECT _key, min(_line) AS first FROM {STAGE}"
            f" GROUP BY _key HAVING count(*) > 1) d ON d._key = s._key WHERE s._line > d.first ORDER BY s._line"
        )
        for line, key, first in cursor.fetchall():
            result.errors.append(RowError(line, key_label, key.replace("\x1f", ","),
                                          _duplicate_reason(first, positions)))
        for name in header:
            target = spec.by_name[name].references
            if not target:
                continue
            model, key = REFERENCE_TARGETS[target]
            column = spec.db_column(name)
            same_file = ""
            if model is spec.model and partial:
                continue
            if model is spec.model:
                same_file = f" AND NOT EXISTS (SELECT 1 FROM {STAGE} s2 WHERE s2._ok AND s2.{key} = s.{column})"
            cursor.execute(
                f"SELECT s._line, s.{column} FROM {STAGE} s WHERE s._ok AND s.{column} IS NOT NULL AND s.{column} <> ''"
                f" AND NOT EXISTS (SELECT 1 FROM {model._meta.db_table} t WHERE t.{key} = s.{column}){same_file}"
                " ORDER BY s._line"
            )
            for line, value in cursor.fetchall():
                result.errors.append(RowError(line, name, value, _unknown_reason(target, value)))


def _unknown_reason(target: str, code: str) -> str:
    """A reference to nothing, in words that say what to load first (the target's name translated:
    "persona desconocido" was half English)."""
    reasons = {
        "campaign": _("unknown campaign “%(code)s”: add the campaigns first"),
        "lead": _("unknown lead “%(code)s”: add the leads first"),
        "contract": _("unknown contract “%(code)s”: add the contract it renews first"),
        "persona": _("unknown persona “%(code)s”: add it under Buyer personas first"),
    }
    return reasons[target] % {"code": code}


def _sum_stage(spec: KindSpec) -> None:
    """Rows staged on the same key become one: summed columns added up, the others the first row's.

    Only keys that repeat are rewritten (most files have none), so a large file costs one
    grouping pass over the keys.
    """
    parts = []
    for column in spec.columns:
        db = spec.db_column(column.name)
        parts.append(f"sum({db}) AS {db}" if column.summed else f"(array_agg({db} ORDER BY _line))[1] AS {db}")
    names = ", ".join(spec.db_column(column.name) for column in spec.columns)
    summed = f"{STAGE}_summed"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {summed} ON COMMIT DROP AS SELECT min(_line) AS _line, _key, bool_and(_ok) AS _ok,"
            f" {', '.join(parts)} FROM {STAGE} WHERE _key IN (SELECT _key FROM {STAGE} GROUP BY _key HAVING count(*) > 1)"
            " GROUP BY _key"
        )
        if cursor.rowcount:
            cursor.execute(f"DELETE FROM {STAGE} WHERE _key IN (SELECT _key FROM {summed})")
            cursor.execute(f"INSERT INTO {STAGE} (_line, _key, _ok, {names}) SELECT _line, _key, _ok, {names} FROM {summed}")
        cursor.execute(f"DROP TABLE {summed}")


def _duplicate_reason(first: int, positions: str) -> str:
    if positions == "index":
        return _("duplicate key: the same key is at index %(index)s") % {"index": first}
    return _("duplicate key: the same key is on line %(line)s") % {"line": first}


def _months_sql(spec: KindSpec, join: str, where: str) -> str:
    scalars = [expr for expr in spec.month_sql if not expr.startswith("ARRAY(")]
    arrays = [expr for expr in spec.month_sql if expr.startswith("ARRAY(")]
    parts = ([f"ARRAY[{', '.join(scalars)}]::text[]"] if scalars else []) + arrays
    if not join:  # the new rows, read from the changed rows themselves (inserted exactly as they are there)
        return (f"SELECT DISTINCT m FROM {CHANGED} t CROSS JOIN LATERAL unnest({' || '.join(parts)}) AS m"
                f" WHERE m IS NOT NULL {where}")
    return (
        f"SELECT DISTINCT m FROM {spec.model._meta.db_table} t JOIN {CHANGED} c ON {join}"
        f" CROSS JOIN LATERAL unnest({' || '.join(parts)}) AS m WHERE m IS NOT NULL {where}"
    )


def _write(spec: KindSpec, header: list[str], zone: ZoneInfo, result: ImportResult) -> None:
    """Upsert the staged rows that are new or differ; record the counts and the months touched."""
    model = spec.model
    table = model._meta.db_table
    names = [column.name for column in spec.columns]
    columns = [spec.db_column(name) for name in names]
    keys = [spec.db_column(name) for name in spec.key]
    present = [spec.db_column(name) for name in header if name not in spec.key]
    join = " AND ".join(f"t.{key} = c.{key}" for key in keys)
    stage_join = " AND ".join(f"t.{key} = s.{key}" for key in keys)
    differs = (
        f"OR ROW({', '.join(f't.{c}' for c in present)}) IS DISTINCT FROM ROW({', '.join(f's.{c}' for c in present)})"
        if present else ""
    )
    # Model fields no file gives (the qualification's results) still need their defaults on insert.
    extra: list[tuple[str, Any]] = []
    for model_field in model._meta.concrete_fields:
        if model_field.column not in columns and model_field.default is not NOT_PROVIDED:
            default = model_field.default() if callable(model_field.default) else model_field.default
            extra.append((model_field.column, default))
    # Columns of the kind the file lacks were not staged (NULL there): new rows take their defaults.
    given = {*header, *spec.key}
    defaults = {
        spec.db_column(name): (index, spec.by_name[name].default,
                               model._meta.get_field(spec.by_name[name].field_name).db_type(connection))
        for index, name in enumerate(names) if name not in given
    }
    params = {"tz": str(zone)}
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {CHANGED} ON COMMIT DROP AS SELECT s.*, (t.{keys[0]} IS NULL) AS _new"
            f" FROM {STAGE} s LEFT JOIN {table} t ON {stage_join} WHERE t.{keys[0]} IS NULL {differs}"
        )
        cursor.execute(f"SELECT count(*) FILTER (WHERE _new), count(*) FILTER (WHERE NOT _new) FROM {CHANGED}")
        result.inserted, result.updated = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {STAGE}")
        result.unchanged = cursor.fetchone()[0] - result.inserted - result.updated
        if not result.inserted and not result.updated:
            return
        months: set[str] = set()
        if result.updated:
            cursor.execute(_months_sql(spec, join, "AND NOT c._new"), params)
            months.update(row[0] for row in cursor.fetchall())
        insert_columns = columns + [column for column, _default in extra]
        select = ", ".join([f"CAST(%(default_{defaults[column][0]})s AS {defaults[column][2]})" if column in defaults
                            else f"c.{column}" for column in columns]
                           + ["%(extra_" + str(i) + ")s" for i in range(len(extra))])
        params.update({f"extra_{i}": value for i, (_column, value) in enumerate(extra)})
        params.update({f"default_{index}": value for index, value, _db_type in defaults.values()})
        update = ", ".join(f"{column} = EXCLUDED.{column}" for column in present)
        conflict = f"DO UPDATE SET {update}" if update else "DO NOTHING"
        insert = f"INSERT INTO {table} ({', '.join(insert_columns)}) SELECT {select} FROM {CHANGED} c"
        upsert = f" ON CONFLICT ({', '.join(keys)}) {conflict}"
        if result.inserted:
            # New rows by a plain INSERT: no speculative insertion per row (a quarter less of the
            # server's work for a large file). Should another transaction have stored one of these
            # keys since they were found new, the savepoint is rolled back and they are upserted.
            try:
                with transaction.atomic():
                    cursor.execute(f"{insert} WHERE c._new", params)
            except IntegrityError:
                cursor.execute(f"{insert} WHERE c._new{upsert}", params)
        if result.updated:
            cursor.execute(f"{insert} WHERE NOT c._new{upsert}", params)
        # After the upsert: the months of the rows as now stored. New rows are the changed rows as
        # they are (no join with the table); updated rows are read back (columns the file lacks kept).
        if result.inserted:
            cursor.execute(_months_sql(spec, "", "AND t._new"), {"tz": str(zone)})
            months.update(row[0] for row in cursor.fetchall())
        if result.updated:
            cursor.execute(_months_sql(spec, join, "AND NOT c._new"), {"tz": str(zone)})
            months.update(row[0] for row in cursor.fetchall())
    result.months = months


WORK_MEM = "64MB"


@contextmanager
def _work_mem() -> Iterator[None]:
    """The write's join of the staged rows with the stored ones in memory: with the default 4 MB,
    the hash of 200,000 stored leads spilled to temporary files (4 batches) on a re-import. Set for
    these statements only (``set_config(..., true)`` is transaction-local), then put back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), pg_size_bytes(current_setting('work_mem')) < pg_size_bytes(%s)",
                       [WORK_MEM])
        previous, lower = cursor.fetchone()
        if lower:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
    yield  # on an error the transaction (or savepoint) is rolled back, and the setting with it
    if lower:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])


def _drop_temp_tables(cursor: Any = None) -> None:
    if cursor is None:
        with connection.cursor() as own:
            own.execute(f"DROP TABLE IF EXISTS {STAGE}, {CHANGED}")
    else:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {CHANGED}")
