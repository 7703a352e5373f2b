"""Playwright driving Debian's Chromium against pytest-django's live server.

Client hosts are ``<slug>.localhost:<port>``: Chromium resolves ``*.localhost`` to loopback.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
def eager_tasks() -> Iterator[None]:
    """Celery tasks run in the web process: for tests about the screens, not the worker (the
    real-worker tests run the pipeline)."""
    from agency.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def new_page(browser, *, locale: str, viewport: dict | None = None) -> tuple[object, object]:
    """A page in a browser context of its own (``locale``, ``viewport``), 15 s for each wait:
    (context, page); the caller closes the context."""
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def sign_in_home(page, base: str, username: str) -> None:
    """Sign in through the login form's fields (whatever the page's language) and wait for the home page."""
    from tests.factories import PASSWORD

    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(base + "/")


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def opened(browser, portal, user, path: str, *, locale: str, viewport: dict[str, int]) -> Iterator[Any]:
    """A page of alpha's portal signed in as ``user`` at ``path``, in ``locale``; closed after."""
    context, page = new_page(browser, locale=locale, viewport=viewport)
    try:
        base = portal.client("alpha")
        sign_in_home(page, base, user.username)
        page.goto(base + path)
        yield page
    finally:
        context.close()


def board_of_fifty(tenants: dict, *, prefix: str, open_checks: frozenset[int] = frozenset()) -> None:
    """50 clients whose month that ended is in review with data and its checks run, none open but for
    the clients at the indexes ``open_checks`` (2 open each). The board reads the public mirror and
    summary only: the clients beyond ``tenants`` have no schema."""
    from django.utils import timezone

    from agency.models import Client
    from portfolio.models import ClientMonthClose, ClientMonthSummary
    from reports.board import board_months
    from tests.factories import checks_ran

    month = board_months(now=timezone.now())[0]
    clients = list(tenants.values())
    for index in range(50 - len(clients)):
        client = Client(schema_name=f"t_{prefix}_{index:02d}", slug=f"{prefix}-{index:02d}", name=f"Cliente {index:02d}",
                        is_ready=True)  # fmt: skip
        client.auto_create_schema = False
        client.save()
        clients.append(client)
    now = timezone.now()
    ClientMonthClose.objects.bulk_create([
        ClientMonthClose(client=client, month=month, state="in_review", in_review_since=now, figures_at=now) for client in clients
    ])  # fmt: skip
    ClientMonthSummary.objects.bulk_create([
        ClientMonthSummary(client=client, month=month, computed_at=now, new_leads=5, has_data=True) for client in clients
    ])  # fmt: skip
    for index, client in enumerate(clients):
        checks_ran(client=client, month=month, open=2 if index in open_checks else 0)
