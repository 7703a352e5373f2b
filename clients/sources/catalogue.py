"""The built-in sources as the upload page lists them (from their declarations in clients.sources.builtin)."""

from __future__ import annotations

from typing import Any

from clients.sources.builtin import SOURCES
from clients.words import column_name

# Columns declared twice for two targets (GA4's Sessions gives sessions and bounced sessions): listed once.
_REPEATED = {"ga4_traffic": ("bounced_sessions",)}


def _names(aliases: tuple[str, ...]) -> str:
    """Header names as a person reads them: the currency in the header as CUR, the client's own group as …."""
    return " / ".join(alias.replace("{currency}", "CUR").replace("{any}", "…") for alias in aliases)


def builtin_sources() -> list[dict[str, Any]]:
    """Each built-in source: its name, the kind it becomes, what to add to the report, its columns (English / Spanish)."""
    found = []
    for source in SOURCES.values():
        columns = [
            {"target": ", ".join(targets), "label": ", ".join(column_name(source.kind, t) for t in targets),
             "en": _names(column.en), "es": _names(column.es), "required": column.required, "daily": column.daily}
            for column in source.columns if column.target not in _REPEATED.get(source.slug, ())
            for targets in [source.fed_by(column.target) if column.target.startswith("_") else (column.target,)]
        ]
        found.append({"slug": source.slug, "label": str(source.label), "kind": source.kind,
                      "segment": str(source.segment or ""), "columns": columns})
    return found
