"""docs/sources.md lists every header name each built-in source accepts (sources.md "Names change")."""

from __future__ import annotations

import re
from pathlib import Path

from clients.sources import SOURCES

DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


def _plain(text: str) -> str:
    return re.sub(r"[\s*`]+", " ", text).lower()


def test_docs_name_every_accepted_header():
    doc = _plain(DOC.read_text(encoding="utf-8"))
    missing = [
        f"{source.slug}: {alias}" for source in SOURCES.values() for column in source.columns
        for alias in (*column.en, *column.es)
        if _plain(alias.replace("{currency}", "CUR").replace("{any}", "…")) not in doc
    ]
    assert missing == []
