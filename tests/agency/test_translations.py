"""The Spanish catalog is complete, and the setup's compiler (Babel, no GNU gettext) reads it right."""

from __future__ import annotations

import gettext
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"


def _compiler():
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_a_spanish_translation() -> None:
    text = PO.read_text(encoding="utf-8")
    catalog = _compiler().read(PO)
    declared = text.count("\nmsgid ") - 1  # minus the header
    assert len(catalog) == declared, "an entry of django.po was read twice or not at all (a duplicate msgid?)"
    untranslated = _compiler().untranslated(catalog)
    assert not untranslated, f"{len(untranslated)} messages lack a Spanish translation: {untranslated[:5]}"


def test_compiled_catalog_translates(tmp_path: Path) -> None:
    mo = tmp_path / "django.mo"
    _compiler().compile_catalog(PO, mo)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Sign in") == "Iniciar sesión"
    assert catalog.gettext("No client matches “%(q)s”.") == "Ningún cliente coincide con «%(q)s»."
    assert catalog.info()["language"] == "es"


# Directories whose files hold no message of the portal (tests and benchmarks may quote messages).
NOT_SOURCE = {".venv", ".git", ".local", "tests", "bench", "test-artifacts", "node_modules", "locale", "static"}


def _project_files(suffixes: set[str]) -> list[Path]:
    return [path for path in ROOT.rglob("*") if path.suffix in suffixes and path.is_file()
            and not NOT_SOURCE & set(path.relative_to(ROOT).parts)]


def _python_strings() -> set[str]:
    """Every string constant of the portal's Python, implicit concatenations joined: the messages
    marked for translation and those translated from a variable (``gettext(band.label)`` of the
    benchmarks' seed, ``pgettext(context, …)``, ``_lazy(…)``, a call inside an f-string)."""
    import ast

    found: set[str] = set()
    for path in _project_files({".py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def _template_messages() -> set[str]:
    """The messages of the templates, as makemessages reads them (Django's templatize:
    ``{% blocktranslate %}`` variables become ``%(name)s``, plurals both forms)."""
    import ast
    import re

    from django.utils.translation.template import templatize

    string = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    call = re.compile(rf"\b(?:n?p?gettext)\(((?:\s*{string}\s*,?)+)")
    literal = re.compile(string)
    found: set[str] = set()
    for path in _project_files({".html", ".txt"}):
        for arguments in call.findall(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
            found.update(ast.literal_eval(text) for text in literal.findall(arguments))
    return found


def _django_and_apps_messages() -> set[str]:
    """The messages of Django and the installed apps: the .po overrides some of them on purpose
    (Django's Spanish says usted; the portal says tú), and those stay though no file of ours says them."""
    from django.apps import apps

    found: set[str] = set()
    roots = [Path(__import__("django").__file__).parent / "conf" / "locale"]
    roots += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    for root in roots:
        for mo in root.glob("es*/LC_MESSAGES/*.mo"):
            with mo.open("rb") as handle:
                keys = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            for key in keys:
                message = key[0] if isinstance(key, tuple) else key
                found.add(message.split("\x04", 1)[-1])
    return found


def test_no_message_of_the_catalog_is_stale() -> None:
    """A message the portal no longer says is a translation nobody keeps up: 71 of them had piled up
    (old wordings of messages since reworded, pages since removed). Each msgid of the .po is said
    by a file of the portal, or is Django's (or an installed app's) own, kept for its tú form."""
    catalog = _compiler().read(PO)
    said = _python_strings() | _template_messages() | _django_and_apps_messages()
    stale = [message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id]
    stale = [msgid for msgid in stale if msgid not in said]
    assert not stale, f"{len(stale)} messages of django.po are said nowhere (remove them): {stale[:6]}"
