"""Every translatable string in the code and the templates is in the Spanish catalogue.

Babel extracts what ``makemessages`` would (the Python keywords Django's gettext functions use;
templates turned into Python by Django's own ``templatize``, as ``makemessages`` does), and
each message must have a Spanish entry, translated and not fuzzy, in
``locale/es/LC_MESSAGES/django.po``. A string added without its Spanish fails here with its file
and line, before any page shows it in English.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
APPS = ("agency", "clients", "kpis", "portfolio", "reports")
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Django's translation functions, as xgettext is told by makemessages (Babel's keyword spec:
# which arguments are the message, its plural and its context).
KEYWORDS = {
    **dict.fromkeys(("_", "gettext", "gettext_lazy", "gettext_noop"), None),
    **dict.fromkeys(("ngettext", "ngettext_lazy"), (1, 2)),
    **dict.fromkeys(("pgettext", "pgettext_lazy"), ((1, "c"), 2)),
    **dict.fromkeys(("npgettext", "npgettext_lazy"), ((1, "c"), 2, 3)),
}
Message = tuple[str | None, str, str | None]  # (context, msgid, plural)


def _messages(source: bytes) -> list[tuple[int, Message]]:
    found = []
    for line, message, _comments, context in extract("python", io.BytesIO(source), keywords=KEYWORDS):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        if singular:
            found.append((line, (context, singular, plural)))
    return found


def extracted() -> dict[Message, str]:
    """Every message of the code and the templates, with the first place it appears."""
    where: dict[Message, str] = {}
    files = [path for app in APPS for path in sorted((ROOT / app).rglob("*.py")) if "migrations" not in path.parts]
    for path in files:
        for line, message in _messages(path.read_bytes()):
            where.setdefault(message, f"{path.relative_to(ROOT)}:{line}")
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            # templatize writes each message as gettext(%r) on one line; its indentation is noise to Python's tokenizer.
            python = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            code = "\n".join(line.lstrip() for line in python.splitlines())
            for line, message in _messages(code.encode("utf-8")):
                where.setdefault(message, f"{path.relative_to(ROOT)}:{line}")
    return where


def missing(where: dict[Message, str], po: bytes) -> list[str]:
    catalog = read_po(io.BytesIO(po))
    problems = []
    for (context, singular, plural), place in sorted(where.items(), key=lambda item: item[1]):
        entry = catalog.get((singular, plural) if plural else singular, context=context)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else [getattr(entry, "string", "")]
        if entry is None or entry.fuzzy or not all(strings):
            problems.append(f"{place}: {singular!r}" + (f" (context {context!r})" if context else ""))
    return problems


def test_every_translatable_string_is_in_the_spanish_catalogue() -> None:
    problems = missing(extracted(), PO.read_bytes())
    assert problems == [], f"{len(problems)} message(s) without Spanish in {PO.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_extraction_sees_code_templates_plurals_and_contexts() -> None:
    where = extracted()
    assert (None, "Sign in", None) in where  # a template's {% translate %}
    assert any(place.startswith("kpis/catalogue.py") for place in where.values())  # gettext_lazy as _
    assert any(plural for _context, _singular, plural in where)  # ngettext / {% blocktranslate count %}


def test_a_string_without_its_spanish_is_reported_with_its_place() -> None:
    source = b'from django.utils.translation import gettext as _, pgettext\n_("Sign in")\n_("Not in the catalogue")\n' \
             b'pgettext("month", "May")\n'
    where = {message: f"x.py:{line}" for line, message in _messages(source)}
    po = b'msgid ""\nmsgstr ""\n\nmsgid "Sign in"\nmsgstr "Iniciar sesi\xc3\xb3n"\n\nmsgctxt "month"\nmsgid "May"\nmsgstr ""\n'
    assert missing(where, po) == ["x.py:3: 'Not in the catalogue'", "x.py:4: 'May' (context 'month')"]
