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
    # Required targets a loosely recognized file lacks (a renamed column), with the headers looked for.
    missing: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extension: Mapping | None = None  # the client's additions to the built-in source, when applied

    def uses(self) -> list[tuple[str, list[str]]]:
        """Every column of the file's header with the canonical columns it gives ([]: ignored).

        A column subtracted from a target is marked ``−target``, one added to it ``+target``, one
        that says on which lines a target counts ``?target``.
        """
        given: dict[str, list[str]] = {}
        for target, rule in self.mapping.columns.items():
            for name in (rule.column, rule.fallback):
                if name:
                    given.setdefault(normalized(name), []).append(target)
            if rule.minus:
                given.setdefault(normalized(rule.minus), []).append(f"−{target}")
            if rule.plus:
                given.setdefault(normalized(rule.plus), []).append(f"+{target}")
            if rule.when:
                given.setdefault(normalized(rule.when), []).append(f"?{target}")
        return [(cell, given.get(normalized(cell), [])) for cell in self.header if cell.strip()]

    @property
    def ignored(self) -> list[str]:
        return [cell for cell, targets in self.uses() if not targets]

    def lacking(self) -> list[tuple[str, list[str], str]]:
        """Optional columns a KPI needs that the file lacks: (target, its known names, what that leaves empty)."""
        if self.source is None:
            return []
        return [(target, self.source.aliases(target), str(reason)) for target, reason in self.source.needed.items()
                if target not in self.mapping.columns]

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
    names = [str(source.label) for source in sources]  # in words: the slug is the command line's, not a reader's
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
    if mapping is not None and mapping.extends:  # a client's additions named as the mapping: its source with them
        source, mappings, mapping = mapping.extends, [mapping], None
    extensions = [m for m in mappings if m.extends]
    if mapping is not None:
        return _detect_mapping(text_file, lines, mapping)
    if source is not None and source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    candidates = [SOURCES[source]] if source else list(SOURCES.values())
    saved = [] if source else [m for m in mappings if not m.extends]
    loose: tuple[Match, int, str, list[str]] | None = None
    for line, delimiter, cells in header_candidates(lines):
        # A mapping the client saved for exactly this header comes first: it was made to read it differently.
        for saved_mapping in saved:
            if saved_mapping.matches_header(cells):
                return Detection(text_file, None, saved_mapping, "", line, cells, delimiter)
        matches = [match for candidate in candidates if (match := candidate.match(cells)) is not None]
        complete = [match for match in matches if match.complete]
        if complete:
            best = max(complete, key=lambda match: (not match.missing_daily, match.score))
            return _from_match(text_file, best, line, delimiter, cells, extensions)
        if matches and loose is None:
            loose = (max(matches, key=lambda match: (not match.missing_daily, match.score)), line, delimiter, cells)
    if loose is not None:
        return _from_match(text_file, *loose, extensions)
    first = next(((number, text) for number, text in enumerate(lines, start=1) if text.strip()), (1, ""))
    if source:
        reason = _("this is not a %(source)s: no header line has its columns (%(columns)s)") % {
            "source": SOURCES[source].label,
            "columns": ", ".join(col.en[0] for col in SOURCES[source].columns if col.required and not col.target.startswith("_"))}
    else:
        reason = _("no source recognizes this file's header; compared with: %(sources)s. Map its columns by hand"
                   " (a saved mapping), or write it in one of the portal's own file kinds (listed on the Imports "
                   "page).") % {
            "sources": _compared(candidates, saved)}
    raise SourceError([RowError(first[0], "", first[1][:200], reason)])


def _from_match(
    text_file: TextFile, match: Match, line: int, delimiter: str, cells: list[str], extensions: list[Mapping],
) -> Detection:
    source = match.source
    if match.missing_daily:
        column = source.daily_column(match.language)
        raise SourceError([RowError(line, column, "", _(
            "this %(source)s has no daily date (no “%(column)s” column): add %(segment)s and download it again;"
            " spend and traffic are monthly figures and need their days") % {
            "source": source.label, "column": column, "segment": source.segment})])
    mapping = source.mapping(match)
    extension = next((m for m in extensions if m.extends == source.slug), None)
    if extension is not None:
        mapping = mapping.extended_by(extension, cells)
    absent: dict[str, tuple[str, ...]] = {}
    for column in match.missing:
        for target in source.fed_by(column.target) if column.target.startswith("_") else [column.target]:
            if target not in mapping.columns:
                absent[target] = absent.get(target, ()) + tuple(dict.fromkeys((*column.en, *column.es)))
    return Detection(text_file, source, mapping, match.language, line, cells, delimiter, tuple(absent.items()),
                     extension)


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
