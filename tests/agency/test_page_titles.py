"""A page's title is plain words: the browser's tab and history show the <title> text as it is, so
markup there reads as "<span class="brand-name" …>Acme</span> · Marketing portal" (the client
name's cap in the bar had slipped into every client page's title)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client as HttpClient

from tests.conftest import host_of

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.mark.parametrize("path", ["/", "/imports/", "/reports/", "/criteria/", "/personas/", "/scorecard/", "/leads/"])
def test_a_client_pages_title_is_words_naming_the_client(staff_a, tenant_a, path) -> None:
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    response = http.get(path)
    assert response.status_code == 200, path
    [title] = TITLE.findall(response.content.decode())
    text = html.unescape(title)
    assert "<" not in text and ">" not in text, text
    assert tenant_a.name in text and text.endswith("Marketing portal"), text
    assert 'rel="icon"' in response.content.decode()  # the tab's icon, not a 404 for /favicon.ico
