"""The Imports page's reference names each portal column in the reader's language beside its code: the
built-in sources' tables by name first (the code small beneath, as the mapping editor shows it), the
portal's own file kinds by code first (what a file's header writes) with its name beneath; the example
file's link names the kind in words, not by its code."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

CASES = {
    "en": ("Date", "Amount", "Download an example file: Spend", "Creation date"),
    "es": ("Fecha", "Importe", "Descargar un archivo de ejemplo: Inversión", "Fecha de creación"),
}


@pytest.mark.parametrize("language", list(CASES))
def test_the_reference_names_the_portals_columns_in_the_readers_language(staff_http, language) -> None:
    date, amount, download, created = CASES[language]
    page = html.unescape(staff_http.get(reverse("imports"), HTTP_ACCEPT_LANGUAGE=language).content.decode())
    # Google Ads' report: the portal's column by its name, the code beneath.
    assert re.search(rf"<td>{date} \*<small class=\"column-code\"><code>date</code></small></td>", page)
    assert re.search(rf"<td>{amount} \*<small class=\"column-code\"><code>amount</code></small></td>", page)
    # The portal's own leads file: the header's code, then its name.
    assert f'<strong>created_at</strong><small class="column-name">{created}</small>' in page
    assert download in page and "archivo de ejemplo de spend" not in page
