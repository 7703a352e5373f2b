"""Which source (or saved mapping) a file is, decided from its header line (sources.md "Detection")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from clients.importing import RowError
from clients.sources.builtin import LANGUAGES, SOURCES, Match, Source
from clients.sources.mapping import Mapping
from clients.sources.reading import SourceError, TextFile, head, header_candidates, normalized, open_text

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class Detection:
    """What a file was recognized as, and how it will be read.

    ``source`` is the built-in source (None for a saved mapping); ``mapping`` is what runs;
    ``language`` is ``en``/``es`` for a source ("" for a mapping); ``header_line`` is the
    file's line number of the header.
    """

    text_file: TextFile
    source: Source | None
    mapping: Mapping
    language: str
    header_line: int
    header: list[str]
    delimiter: str

    @property
    def label(self) -> str:
        if self.source is not None:
            return str(self.source.label)
        return self.mapping.name

    @property
    def language_label(self) -> str:
        return str(LANGUAGES.get(self.language, ""))

    @property
    def encoding(self) -> str:
        return self.text_file.label

    @property
    def kind(self) -> str:
        return self.mapping.kind


def _compared(sources: Iterable[Source], mappings: Iterable[Mapping]) -> str:
    names = [f"{source.label} ({source.slug})" for source in sources]
    names += [_("saved mapping “%(name)s”") % {"name": mapping.name} for mapping in mappings]
    return "; ".join(names)


def detect(
    path: str | Path | TextFile, *, source: str | None = None, mapping: Mapping | None = None,
    mappings: Iterable[Mapping] = (),
) -> Detection:
    """Recognize a file from its header line: a built-in source, or one of ``mappings`` by its header.

    ``source`` (a slug) or ``mapping`` forces the choice: the file must then fit it. Raises
    :class:`SourceError` naming the line, column and value: a file nothing recognizes (with the
    sources it was compared with), a source file without its daily column (with the segment
    to add), a file that does not decode.
    """
    text_file = path if isinstance(path, TextFile) else open_text(path)
    lines = head(text_file)
    mappings = list(mappings)
    if mapping is not None:
        return _detect_mapping(text_file, lines, mapping)
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    candidates = [SOURCES[source]] if source else list(SOURCES.values())
    saved = [] if source else mappings
    for line, delimiter, cells in header_candidates(lines):
        matches = [match for candidate in candidates if (match := candidate.match(cells)) is not None]
        if matches:
            best = max(matches, key=lambda match: (not match.missing_daily, match.score))
            return _from_match(text_file, best, line, delimiter, cells)
        for saved_mapping in saved:
            if saved_mapping.matches_header(cells):
                return Detection(text_file, None, saved_mapping, "", line, cells, delimiter)
    first = next(((number, text) for number, text in enumerate(lines, start=1) if text.strip()), (1, ""))
    if source:
        reason = _("this is not a %(source)s: no header line has its columns (%(columns)s)") % {
            "source": SOURCES[source].label,
            "columns": ", ".join(col.en[0] for col in SOURCES[source].columns if col.required and not col.target.startswith("_"))}
    else:
        reason = _("no source recognizes this file's header; compared with: %(sources)s. Map its columns by hand"
                   " (a saved mapping) or use the canonical format of the kind.") % {
            "sources": _compared(candidates, saved)}
    raise SourceError([RowError(first[0], "", first[1][:200], reason)])


def _from_match(text_file: TextFile, match: Match, line: int, delimiter: str, cells: list[str]) -> Detection:
    source = match.source
    if match.missing_daily:
        column = source.daily_column(match.language)
        raise SourceError([RowError(line, column, "", _(
            "this %(source)s has no daily date (no “%(column)s” column): add %(segment)s and download it again;"
            " spend and traffic are monthly figures and need their days") % {
            "source": source.label, "column": column, "segment": source.segment})])
    return Detection(text_file, source, source.mapping(match), match.language, line, cells, delimiter)


def _detect_mapping(text_file: TextFile, lines: list[str], mapping: Mapping) -> Detection:
    wanted = {normalized(rule.column) for rule in mapping.columns.values() if rule.column}
    wanted |= {normalized(rule.minus) for rule in mapping.columns.values() if rule.minus}
    best: tuple[int, int, str, list[str]] | None = None
    for line, delimiter, cells in header_candidates(lines):
        found = len(wanted & {normalized(cell) for cell in cells})
        if found == len(wanted):
            return Detection(text_file, None, mapping, "", line, cells, delimiter)
        if best is None or found > best[0]:
            best = (found, line, delimiter, cells)
    if best is None or best[0] == 0:
        first = next(((n, t) for n, t in enumerate(lines, start=1) if t.strip()), (1, ""))
        raise SourceError([RowError(first[0], "", first[1][:200], _("no header line has the columns of the mapping"
                                                                     " “%(name)s”") % {"name": mapping.name})])
    _found, line, delimiter, cells = best
    return Detection(text_file, None, mapping, "", line, cells, delimiter)
