"""A revision's reason, typed by staff ("late google ads spend"), is read by the client inside a sentence
of its own language that says whose words they are, trimmed, its first letter capitalised and closed by a
full stop where its language puts it (kpis.notes)."""

from __future__ import annotations

import pytest
from django.utils import translation

from kpis.notes import revision_note, typed_note


@pytest.mark.parametrize(("typed", "note"), [
    ("late google ads spend", ("Late google ads spend", False)),
    ("  HubSpot corrected\n the October leads.  ", ("HubSpot corrected the October leads", False)),
    ("why did the leads change?", ("Why did the leads change?", True)),
    ("¿gasto tardío?", ("¿Gasto tardío?", True)),
    ("gasto tardío de Google Ads", ("Gasto tardío de Google Ads", False)),
    ("", ("", False)),
    ("   ", ("", False)),
])  # fmt: skip
def test_the_typed_reason_is_trimmed_capitalised_and_its_stop_left_to_the_sentence(typed, note) -> None:
    assert typed_note(typed) == note


@pytest.mark.parametrize(("language", "staff", "typed", "said"), [
    ("en", False, "late google ads spend", "Your agency's note on this revision: “Late google ads spend.”"),
    ("en", False, "Late spend.", "Your agency's note on this revision: “Late spend.”"),
    ("en", False, "gasto tardío", "Your agency's note on this revision: “Gasto tardío.”"),  # typed in Spanish
    ("en", False, "why the change?", "Your agency's note on this revision: “Why the change?”"),
    ("es", False, "late google ads spend", "Nota de tu agencia sobre esta revisión: «Late google ads spend»."),
    ("es", False, "Gasto tardío.", "Nota de tu agencia sobre esta revisión: «Gasto tardío»."),
    ("es", False, "¿por qué cambió?", "Nota de tu agencia sobre esta revisión: «¿Por qué cambió?»."),
    ("en", True, "late spend", "Reason given to the client: “Late spend.”"),  # staff typed it: what the client read
    ("es", True, "gasto tardío", "Motivo indicado al cliente: «Gasto tardío»."),
])  # fmt: skip
def test_the_reason_is_quoted_in_a_sentence_of_the_readers_language(language, staff, typed, said) -> None:
    with translation.override(language):
        assert revision_note(typed, staff=staff) == said


def test_no_reason_no_sentence() -> None:
    assert revision_note("  ") == ""
