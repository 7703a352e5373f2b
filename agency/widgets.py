"""Form widgets the portal's pages share.

A native ``<input type="file">`` draws its button and "No file chosen" in the browser's own
language (Chromium's English on a Spanish page): ``ChooseFileInput`` keeps the input (it is still
what the keyboard reaches and what the form sends) but shows it as a label in the page's
language with the chosen file's name beside it (``static/js/portal.js`` writes the name; the
CSS in ``static/css/portal.css`` hides the native button and rings the label when the input
has the focus)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy


class ChooseFileInput(forms.FileInput):
    """A file input with a translated "Choose file" button and the chosen file's name."""

    choose_label = _lazy("Choose file")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> str:
        attrs = dict(attrs or {})
        input_id = attrs.get("id") or f"id_{name}"
        chosen_id = f"{input_id}_chosen"
        described = " ".join(part for part in (attrs.get("aria-describedby"), chosen_id) if part)
        classes = " ".join(part for part in (attrs.get("class"), "file-pick-input") if part)
        attrs.update({"id": input_id, "class": classes, "aria-describedby": described, "data-file-pick": chosen_id})
        empty = _("No file chosen")
        return format_html(
            '<span class="file-pick">{}<label for="{}" class="button secondary file-pick-button">{}</label> '
            '<span class="file-pick-name" id="{}" data-empty="{}">{}</span></span>',
            super().render(name, value, attrs, renderer),
            input_id,
            self.choose_label,
            chosen_id,
            empty,
            empty,
        )


class ChooseFilesInput(ChooseFileInput):
    """The same for several files at once (``<input multiple>``): every chosen file's name beside it."""

    allow_multiple_selected = True
    choose_label = _lazy("Choose files")
