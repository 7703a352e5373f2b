"""Shared by set_criteria and set_personas: read a JSON file or stop with a clear message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError


def json_file_read(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
