"""Light formatting for the commentary: a tiny subset of Markdown, rendered by escaping first.

Staff write plain text; ``**bold**``, ``*italic*``, lines starting with ``- `` (a list) and blank
lines (paragraphs) are the only formatting. Every character is HTML-escaped *before* the few
tags are added, so nothing a writer types can become markup, a link or a script: there is no
HTML to sanitize, only text to escape. Pure: no database, no Django settings.
"""

from __future__ import annotations

import re
from html import escape

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")
MAX_LENGTH = 5000


def _inline(line: str) -> str:
    html = escape(line, quote=True)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    return _ITALIC.sub(r"<em>\1</em>", html)


def light_html(text: str) -> str:
    """The commentary as HTML: paragraphs, lists, bold and italic; everything else escaped."""
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(_inline(line[2:].strip()))
        else:
            if items:
                flush()
            paragraph.append(_inline(line))
    flush()
    return "".join(blocks)


def plain(text: str) -> str:
    """The commentary as plain text (emails' text part, the PDF): the markers taken out."""
    text = _BOLD.sub(r"\1", text or "")
    return _ITALIC.sub(r"\1", text).strip()
