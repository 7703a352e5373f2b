"""Words staff typed, shown to a client inside a sentence of the reader's language.

A revision's reason is typed once by staff ("hubspot corrected the october leads") and read by the client
on its pages, the revision email and the PDF, possibly in another language than the page's. Shown bare
("Revised 5 Dec: hubspot corrected…") it read as the portal's own broken sentence; inside a sentence of
the page's language that says whose words they are, quoted as typed (trimmed, first letter capitalised,
a full stop added when it has no closing mark), it reads as the agency's note. Pure: no database.
"""

from __future__ import annotations

from django.utils.translation import gettext

# A note that already closes its sentence keeps its own mark ("Why did the leads change?"); "..." too.
CLOSING = ("?", "!", "…", "...", "?»", "!»", "?”", "!”")


def typed_note(text: str) -> tuple[str, bool]:
    """``text`` trimmed (inner runs of spaces and line breaks made one space) with its first letter
    capitalised, and whether it closes its own sentence; a single trailing full stop is taken off (the
    sentence around it puts the stop where its language wants it: “….” in English, «…». in Spanish)."""
    text = " ".join((text or "").split())
    if not text:
        return "", False
    first = next((i for i, c in enumerate(text) if c.isalpha()), None)  # "¿por qué…?": its p, not the ¿
    if first is not None:
        text = text[:first] + text[first].upper() + text[first + 1:]
    if text.endswith(CLOSING):
        return text, True
    if text.endswith("."):
        text = text[:-1].rstrip()
    return text, False


def revision_note(reason: str, *, staff: bool = False) -> str:
    """A revision's reason as its reader sees it, in the active language: a client reads it as its agency's
    note ("Your agency's note on this revision: “HubSpot corrected the October leads.”"), staff, who typed
    it, as what the client was told. "" when there is none."""
    note, closed = typed_note(reason)
    if not note:
        return ""
    if staff:
        said = gettext("Reason given to the client: “%(note)s”") if closed else gettext(
            "Reason given to the client: “%(note)s.”")
    else:
        said = gettext("Your agency's note on this revision: “%(note)s”") if closed else gettext(
            "Your agency's note on this revision: “%(note)s.”")
    return said % {"note": note}
