"""The portal's Spanish speaks to its reader one way, as "tú" (for Spain and Latin America alike).

Strings added over time said "usted" here and there ("Elija", "Resuelva… o déjelo", "Su nuevo token",
"los que usted gestiona"), and Django's own form and sign-in errors say it too ("Introduzca un número
entero", "Asegúrese de que…"): a page that says "Elige" above an error that says "Introduzca" reads as
two voices. Same thing, same word: a saved mapping is a "correspondencia", a header a "cabecera", a
lead "se cualifica", a retainer an "iguala"."""

from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.test import Client as HttpClient
from django.utils import translation

from kpis.sentences import sentence
from tests.conftest import host_of

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"

# Forms that only ever say "usted" to the reader: imperatives, enclitic imperatives, the pronoun.
USTED = re.compile(
    r"\b(usted|ustedes|vuestr[oa]s?|Elija|elija|Suba|suba|Escriba|escriba|Revise|revise|Vuelva|vuelva|Haga|haga|"
    r"Inicie|inicie|Pulse|pulse|Introduzca|introduzca|Seleccione|seleccione|Compruebe|compruebe|Asegúrese|"
    r"asegúrese|Corrija|corrija|Indique|indique|Envíe|envíe|Resuelva|resuelva|Diga|Compare|Cambie|cambie|"
    r"Conecte|conecte|Ingrese|ingrese|Escoja|escoja|Cópielo|cópielo|Impórtelo|impórtelo|Déjelo|déjelo|Léalo|"
    r"léalo|Edítelo|edítelo|Apruébelo|apruébelo|Resuélvala|resuélvala|Súbalo|súbalo|Apruebe|apruebe|Pase|pase|"
    r"Asigne|asigne|Elíjalo|elíjalo|le hemos|Le hemos|le enviamos|le invitamos|le recomendamos|le avisaremos|"
    r"Descárguelo|descárguelo|importe las|importe los|importe sus|importe el|Use|use)\b"
)

# The same words where they are not addressed to the reader: each with the context that makes it so.
ALLOWED = {
    "revise": ["que los revise"],  # "pide a un administrador… que los revise": the admin reviews
    "corrija": ["hasta que se corrija"],  # impersonal: "nada se escribirá hasta que se corrija"
    # "verás la lista antes de que se envíe nada"; "necesita que tu navegador envíe": the browser sends
    "envíe": ["antes de que se envíe", "que tu navegador envíe", "para que no envíe"],
    "cambie": ["antes de que cambie nada", "cuyas cifras cambien"],  # "nada" changes
    "vuelva": ["Hasta que vuelva a sincronizarse", "cuando se vuelva a conectar", "alguien la vuelva a conectar"],
    "pase": ["antes de que un mes cerrado pase", "Antes de que un mes cerrado pase"],  # a month moves on
    "apruebe": ["a que el equipo lo apruebe"],  # the team approves
    "haga": ["en cuanto lo haga"],  # "tu agencia… en cuanto lo haga": the agency does
}

# Terms the portal uses for one thing, and the strays it replaced.
STRAY_TERMS = {
    "asignación guardada": "correspondencia guardada",
    "encabezado": "cabecera",
    "califica": "cualifica",
    "del retainer": "de la iguala",
    "buyer persona": "perfil de comprador",
    "Buyer persona": "Perfil de comprador",
}

# One Spanish for Spain, Mexico and the rest of Latin America: words only Spain says (or says for
# something else), each with the neutral word the portal uses instead.
SPAIN_ONLY = {
    r"\bordenador(es)?\b": "equipo (\"en un equipo compartido\")",
    r"\b[Cc]ostes?\b": "costo",
    r"\b[Ii]ntroduc\w*|\b[Ii]ntroduzca\w*": "escribir",
    r"\bratón\b": "cursor",
    r"\b[Ff]icheros?\b": "archivo",
    r"\b[Cc]og(er|e|ió|ido|iste)\b": "tomar",
    r"\b(vosotros|vuestr[oa]s?|os)\b": "tú",
    r"\b[Pp]inch(a|ar|e)\b|\b[Pp]ulsa(r)?\b": "haz clic / elige",
    r"\b(en|desde|un|el|tu) (los )?móvil(es)?\b": "dispositivos móviles, teléfono",
    r"\b[Vv]ale\b(?! la pena)": "de acuerdo",
}


def _catalogue(tmp_path: Path) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mo = tmp_path / "django.mo"
    module.compile_catalog(PO, mo)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    return {(key[0] if isinstance(key, tuple) else key): text for key, text in catalog._catalog.items() if key}


def _usted_left(text: str) -> list[str]:
    found = []
    for match in USTED.finditer(text):
        word = match.group(0)
        if any(context in text for context in ALLOWED.get(word.lower(), [])):
            continue
        found.append(word)
    return found


def test_no_spanish_string_says_usted(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path)
    usted = {msgid: words for msgid, text in catalogue.items() if (words := _usted_left(text))}
    assert not usted, f"{len(usted)} Spanish strings say usted: {list(usted.items())[:8]}"


def test_strings_that_say_your_say_tu_not_su(tmp_path: Path) -> None:
    """"Your note", "your approval", "Your new token": the reader's, so "tu", never "su"."""
    catalogue = _catalogue(tmp_path)
    su = {msgid: text for msgid, text in catalogue.items()
          if re.search(r"\byour\b", msgid, re.IGNORECASE) and re.search(r"\b[Ss]us?\b", text)}
    assert not su, su


def test_one_thing_has_one_word(tmp_path: Path) -> None:
    catalogue = _catalogue(tmp_path)
    strays = {(stray, msgid) for msgid, text in catalogue.items() for stray in STRAY_TERMS if stray in text}
    assert not strays, f"say {[STRAY_TERMS[s] for s, _ in strays]}: {strays}"


def test_a_buyer_persona_is_a_perfil_de_comprador_everywhere(tmp_path: Path) -> None:
    """"Buyer personas" was left in English on the Spanish pages and PDF (the list's title, the breakdown's
    button and column, the import's notes): every message about a persona says "perfil de comprador"; only
    the leads file's column keeps its name, «persona»."""
    catalogue = _catalogue(tmp_path)
    about = {msgid: text for msgid, text in catalogue.items() if re.search(r"\b[Pp]ersonas?\b", msgid)}
    assert len(about) > 20
    left = {msgid: text for msgid, text in about.items()
            if not re.search(r"\b[Pp]erfil(es)? de comprador\b", text) and "«persona»" not in text}
    assert not left, left
    assert catalogue["Buyer personas"] == "Perfiles de comprador" and catalogue["Persona"] == "Perfil de comprador"


def test_spanish_says_no_word_only_spain_says(tmp_path: Path) -> None:
    """"Iniciaste sesión en un ordenador compartido", "Coste por lead": Spain's words, read as foreign
    in Mexico, where Globex is written to in Spanish."""
    catalogue = _catalogue(tmp_path)
    found = {(msgid[:60], SPAIN_ONLY[pattern]) for msgid, text in catalogue.items()
             for pattern in SPAIN_ONLY if re.search(pattern, text)}
    assert not found, f"{len(found)} Spanish strings use a word only Spain says (say instead): {sorted(found)[:8]}"


def test_the_spain_only_check_catches_spains_words() -> None:
    caught = [text for text in ("Iniciaste sesión en un ordenador compartido.", "Coste por lead",
                                "Introduce tus credenciales.", "Pasa el ratón por la frase.", "Sesiones desde móviles")
              if any(re.search(pattern, text) for pattern in SPAIN_ONLY)]
    assert len(caught) == 5
    assert not any(re.search(pattern, "Cuota móvil: sesiones desde dispositivos móviles; vale la pena")
                   for pattern in SPAIN_ONLY)


def test_the_check_catches_an_usted_string() -> None:
    assert _usted_left("Resuelva cada uno con una nota, o déjelo.") == ["Resuelva", "déjelo"]
    assert _usted_left("A estos clientes (los que usted gestiona)") == ["usted"]
    assert _usted_left("Pide a un administrador de la agencia que los revise.") == []
    assert _usted_left("Si alguna cuenta usa esa dirección, le hemos enviado un enlace.") == ["le hemos"]


@pytest.mark.parametrize("language", ["es", "es-mx"])
def test_djangos_own_form_errors_say_tu(language: str) -> None:
    """Django's Spanish catalogue says "Introduzca un número entero"; the portal's wins over it."""
    with translation.override(language):
        cases = [
            (forms.IntegerField(), "x", "Escribe un número entero."),
            (forms.DecimalField(max_digits=3, decimal_places=2), "x", "Escribe un número."),
            (forms.DateField(), "x", "Escribe una fecha válida."),
            (forms.ChoiceField(choices=[("a", "A")]), "b", "Elige una opción válida: b no es una de las opciones disponibles."),
            (forms.IntegerField(max_value=5), "9", "Este valor debe ser menor o igual que 5."),
            (forms.CharField(max_length=2), "abc", "Este valor debe tener como mucho 2 caracteres (tiene 3)."),
        ]
        for field, value, message in cases:
            with pytest.raises(forms.ValidationError) as error:
                field.clean(value)
            assert error.value.messages == [message]
            assert not _usted_left(message)
        invalid_login = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": "nombre de usuario"}
    assert invalid_login.startswith("Escribe un nombre de usuario y una contraseña correctos.")


@pytest.mark.django_db
def test_the_refused_form_page_says_tu(tenant_a) -> None:
    """A form posted without its CSRF cookie (a browser refusing cookies) got Django's "vuelva a habilitarlas"."""
    http = HttpClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="es")
    response = http.post("/accounts/login/", {"username": "x", "password": "y"}, HTTP_HOST=host_of(tenant_a))
    page = response.content.decode()
    assert response.status_code == 403
    assert "vuelve a activarlas" in page and not _usted_left(page)


def test_the_drafts_watch_step_reads_as_spanish() -> None:
    """"Vigilar costo por MQL el próximo mes" lacked its article (English word order): the KPI now follows a colon."""
    with translation.override("es"):
        text = str(sentence("step_watch").text) % {"kpi_lower": "costo por MQL", "after": "656,94 €"}
    assert text == ("A vigilar el próximo mes: costo por MQL, que empeoró (656,94 €) sin que un solo canal o "
                    "campaña lo explique.")


def test_the_close_board_is_tablero_and_the_report_informe(tmp_path: Path) -> None:
    """Two pages, one word each, the same in Spain and Latin America: the console's close board is the
    *tablero* (de cierre), a client's report the *informe*; neither is called by the other's word, so a
    reader never takes one for the other. The report was the *cuadro de mando* in its menu and heading
    while its links, the emails and the PDF said *informe*: one page, one name."""
    catalogue = _catalogue(tmp_path)
    # A message's context (before "\x04") is a note to translators, not words of the page.
    board = {m: text for m, text in catalogue.items() if re.search(r"\bboard\b", m.split("\x04")[-1], re.IGNORECASE)}
    report = {msgid: text for msgid, text in catalogue.items() if re.search(r"\b(scorecard|report)\b", msgid, re.IGNORECASE)}
    assert board and report
    assert not {m: t for m, t in board.items() if "tablero" not in t.lower()}  # a board's words may name its reports
    assert not {m: t for m, t in catalogue.items() if "cuadro de mando" in t.lower()}
    assert catalogue["Report"] == "Informe" and catalogue["Read the report"] == "Leer el informe"
