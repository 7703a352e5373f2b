"""Reading an export file: its encoding, its separator, where its header is, and its data lines.

sources.md "Reading a file": UTF-8 (with or without a byte-order mark), UTF-16 (with a BOM)
or Windows-1252; comma, semicolon or tab, found from the header line; lines before the header
(a title, a date range, ``#`` comments, blank lines) are skipped, and so are total rows and
the trailing lines after the data. Files are read as streams, never whole into memory.
"""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from clients.importing import RowError

csv.field_size_limit(10 * 1024 * 1024)

DELIMITERS = ("\t", ";", ",")
HEAD_LINES = 60
CHUNK = 1 << 20

# A total row: its first non-empty cell is one of these words, alone or followed by ":" or "(".
TOTAL_INITIALS = frozenset("TtGgRr")
TOTAL_ROW = re.compile(r"^(total|totales|grand totals?|total general|resultados totales)(\s*[:(].*)?$", re.IGNORECASE)


class SourceError(Exception):
    """The file cannot be read as a source at all; ``errors`` say where and why."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


@dataclass(frozen=True)
class TextFile:
    path: Path
    encoding: str  # the Python codec
    label: str  # as shown to people: "UTF-8", "UTF-16", "Windows-1252"


def normalized(name: str) -> str:
    """A header cell as compared with the declarations: lower case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip().strip('"'))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().split())


def open_text(path: str | Path) -> TextFile:
    """Find the file's encoding and check the whole file decodes (a streaming pass).

    A file that does not decode (a truncated UTF-16 file, bytes no encoding explains) is
    refused with the line where decoding failed.
    """
    path = Path(path)
    with path.open("rb") as handle:
        start = handle.read(4)
    if start.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8")]
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8"), ("cp1252", "Windows-1252")]
    failure: RowError | None = None
    for encoding, label in candidates:
        failure = _decode_check(path, encoding, label)
        if failure is None:
            return TextFile(path, encoding, label)
    assert failure is not None
    raise SourceError([failure])


def _decode_check(path: Path, encoding: str, label: str) -> RowError | None:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 1
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                # The lines before the bad bytes (in UTF-16 the error is at the end, all counted already).
                partial = error.object[: error.start].decode(encoding, errors="ignore") if encoding != "utf-16" else ""
                line = lines + partial.count("\n")
                if error.reason == "truncated data" or (encoding == "utf-16" and not chunk):
                    reason = _("the file ends in the middle of a character: it is truncated (%(encoding)s)") % {
                        "encoding": label}
                else:
                    reason = _("bytes that are not %(encoding)s text") % {"encoding": label}
                return RowError(line, "", error.object[error.start:error.start + 8].hex(" "), reason)
            lines += text.count("\n")
            if not chunk:
                return None


def head(text_file: TextFile, count: int = HEAD_LINES) -> list[str]:
    """The first ``count`` lines, decoded, without line endings."""
    lines = []
    with text_file.path.open(encoding=text_file.encoding, newline="") as handle:
        for line in handle:
            lines.append(line.rstrip("\r\n"))
            if len(lines) >= count:
                break
    return lines


def split_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def header_candidates(lines: list[str]) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, delimiter, cells) for every line that could be a header, earliest first."""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip().lstrip("\ufeff")
        if not stripped or stripped.startswith("#"):
            continue
        for delimiter in DELIMITERS:
            if delimiter not in stripped:
                continue
            cells = split_line(stripped, delimiter)
            if len(cells) >= 2:
                yield number, delimiter, [cell.strip().lstrip("\ufeff") for cell in cells]


def data_rows(
    text_file: TextFile, *, header_line: int, delimiter: str, width: int, totals: list[tuple[int, list[str]]] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The data lines after the header as (line number, cells).

    Skipped: blank lines, total rows, and the trailing lines after the data (lines with one
    value at the end of the file, or everything from a ``#`` line on, as GA4 appends more
    tables there). A one-value line followed by more data is data (and so a bad row).
    ``totals``: a list that receives the total rows skipped (the month's checks compare them
    with the rows, docs/monthly-close.md "Checks").
    """
    with text_file.path.open(encoding=text_file.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        previous_end = 0
        held: list[tuple[int, list[str]]] = []
        for row in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if start <= header_line or not row:
                continue
            first = row[0].strip()
            filled: int | None = None
            if not first:  # the first cell is empty: look for the first value
                values = [cell.strip() for cell in row if cell.strip()]
                if not values:
                    continue
                first, filled = values[0], len(values)
            if first[0] == "#":
                break
            if first[0] in TOTAL_INITIALS and TOTAL_ROW.match(first):
                if totals is not None:
                    totals.append((start, row))
                continue
            if width > 2 and len(row) < width:
                if filled is None:
                    filled = sum(1 for cell in row if cell.strip())
                if filled == 1:
                    held.append((start, row))
                    continue
            if held:
                yield from held
                held = []
            yield start, row
