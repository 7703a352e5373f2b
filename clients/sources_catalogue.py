"""The built-in sources as the upload page lists them (from their declarations in clients.sources.builtin)."""

from __future__ import annotations

from typing import Any

from clients.sources.builtin import SOURCES


def builtin_sources() -> list[dict[str, Any]]:
    """Each built-in source: its name, the kind it becomes, what to add to the report, its columns (English / Spanish)."""
    found = []
    for source in SOURCES.values():
        columns = [
            {"target": column.target, "en": " / ".join(column.en), "es": " / ".join(column.es), "required": column.required,
             "daily": column.daily}
            for column in source.columns if not column.target.startswith("_")
        ]
        found.append({"slug": source.slug, "label": str(source.label), "kind": source.kind,
                      "segment": str(source.segment or ""), "columns": columns})
    return found
