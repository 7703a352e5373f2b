"""Compile locale/*/LC_MESSAGES/django.po to .mo with Babel, without GNU gettext.

Django's ``compilemessages`` runs GNU ``msgfmt``, which a fresh machine lacks (Debian's
``gettext`` package); Babel is a pinned Python package, so ``scripts/bootstrap`` and a
production build compile the catalogs with nothing else installed. Importing nothing of the
project, it does not start the embedded services either. Fuzzy entries are left out, as msgfmt
does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def read(po: Path) -> Catalog:
    with po.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def untranslated(catalog: Catalog) -> list[str]:
    """The messages that would show in English: no translation, or only a fuzzy one."""
    return [
        str(message.id)
        for message in catalog
        if message.id and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]


def compile_catalog(po: Path, mo: Path) -> None:
    with mo.open("wb") as handle:
        write_mo(handle, read(po), use_fuzzy=False)


def main() -> int:
    for po in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        compile_catalog(po, po.with_suffix(".mo"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
