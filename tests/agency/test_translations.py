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
