"""Playwright driving Debian's Chromium against pytest-django's live server.

Client hosts are ``<slug>.localhost:<port>``: Chromium resolves ``*.localhost`` to loopback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/lib/chromium/chromium"
ARTIFACTS = Path(os.environ.get("PORTAL_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is missing at {CHROMIUM}: scripts/test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still
    # synchronous and safe. Allowed while the browser runs, i.e. for the browser tests only.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def portal(live_server, settings, tenants, clean_tenant_tables):
    """The live server's base URLs, with the portal's absolute links pointing at it."""
    port = live_server.url.rsplit(":", 1)[1]
    settings.PORTAL_PORT = port

    class Portal:
        console = f"http://localhost:{port}"

        @staticmethod
        def client(slug: str) -> str:
            return f"http://{slug}.localhost:{port}"

    return Portal


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
