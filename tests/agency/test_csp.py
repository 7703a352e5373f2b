"""Every page carries the Content-Security-Policy and has no inline script or inline handler.

Crawls the pages reachable by links from each role's home (console and client hosts) and fails
on an inline ``<script>`` (one without ``src``), an ``on…=`` attribute, a ``javascript:`` URL,
or htmx's ``hx-on`` (which evaluates code), so a template that brings one back fails here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client as HttpClient

from agency.csp import POLICY
from tests.conftest import host_of

SKIP = ("/accounts/logout/", "/accounts/sign-out-everywhere/", "/static/", "export", "errors.csv", "/api/")
MAX_PAGES = 120


class _Inline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}='javascript:…'>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


CONSENT_PAGE = re.compile(r"^/imports/connections/[a-z_]+/connect/$")  # clients.connectors.views_oauth: one origin more


def _crawl(http: HttpClient, host: str, start: str = "/") -> dict[str, list[str]]:
    seen, queue, found = set(), [start], {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or any(part in path for part in SKIP):
            continue
        seen.add(path)
        response = http.get(path, HTTP_HOST=host)
        assert response.status_code < 500, (host, path)
        expected = POLICY
        if CONSENT_PAGE.match(path) and response["Content-Security-Policy"] != POLICY:  # OAuth: the consent screen
            added = re.search(r"form-action 'self' (https?://[^\s;]+);", response["Content-Security-Policy"])
            assert added, (host, path)
            expected = POLICY.replace("form-action 'self'", f"form-action 'self' {added.group(1)}")
        assert response["Content-Security-Policy"] == expected, (host, path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Inline()
        parser.feed(response.content.decode())
        if parser.problems:
            found[f"{host}{path}"] = parser.problems
        for link in parser.links:
            target = urlsplit(urljoin(path, link))
            if not target.netloc and target.path.startswith("/"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    assert len(seen) > 3, seen
    return found


@pytest.mark.parametrize("who", ["admin_user", "staff_a", "client_user_a"])
def test_no_page_has_an_inline_script_or_handler(who, request, tenant_a) -> None:
    user = request.getfixturevalue(who)
    problems: dict[str, list[str]] = {}
    hosts = [host_of(tenant_a)] if who == "client_user_a" else [host_of(None), host_of(tenant_a)]
    for host in hosts:
        http = HttpClient()
        http.force_login(user)
        problems |= _crawl(http, host)
    assert problems == {}


def test_the_sign_in_page_carries_the_policy_and_htmx_is_configured_for_it(db) -> None:
    response = HttpClient().get("/accounts/login/", HTTP_HOST=host_of(None))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert '"allowEval": false' in response.content.decode()
    assert '"includeIndicatorStyles": false' in response.content.decode()
