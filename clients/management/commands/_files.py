"""Shared by the import commands: the file named on the command line, and a file refused."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError


def existing_file(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    return path


def refused(command: BaseCommand, errors: Iterable[Any], path: Path) -> NoReturn:
    """Every error on stderr, one a line, then a non-zero exit: the import wrote nothing."""
    errors = list(errors)
    for error in errors:
        command.stderr.write(str(error))
    raise CommandError(f"nothing written: {len(errors)} error(s) in {path}")
