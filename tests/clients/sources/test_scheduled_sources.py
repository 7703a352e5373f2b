"""Scheduled sources: a CSV at a URL fetched through the upload's import path, with a history of runs
and a failure shown on the client's page and the agency portfolio. A real local HTTP server (port 0)."""

from __future__ import annotations

import html

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from clients.models import Campaign, ScheduledSource, SourceRun
from clients.sources import fetching
from clients.sources.schedule import scheduled_source_save, scheduled_sources_due, source_run
from clients.tasks import dispatch_scheduled_sources, scheduled_sources_client
from portfolio.models import SourceFailure
from tests.clients.local_http import CSV, allow_private_fixture, body, server_fixture  # noqa: F401 - fixtures
from tests.conftest import host_of


def add_source(client, url, **kwargs):
    return scheduled_source_save(client=client, name=kwargs.pop("name", "Campaign sheet"), url=url,
                                 kind=kwargs.pop("kind", "campaigns"), **kwargs)


def test_a_run_imports_the_file_and_records_it(server, allow_private, tenant_a, media) -> None:
    base, handler = server
    handler.routes["/pub"] = body(CSV + b"summer,Summer,paid_search\n")
    source = add_source(tenant_a, f"{base}/pub?output=csv&token=secret")
    run = source_run(client=tenant_a, source_id=source.pk)
    assert run.ok and run.rows == 2 and run.error_count == 0 and run.size > 0 and run.duration >= 0
    assert "2 rows read, 2 added" in run.message
    connection.set_tenant(tenant_a)
    assert set(Campaign.objects.values_list("id", flat=True)) == {"spring", "summer"}
    assert run.job.params["scheduled_source"] == source.pk and run.job.status == "done"
    source.refresh_from_db()
    assert source.last_ok is True
    assert not SourceFailure.objects.exists()
    # The same file again: the import path is idempotent.
    again = source_run(client=tenant_a, source_id=source.pk)
    assert again.ok and "0 added, 0 updated" in again.message


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (None, "There is no file at this address"),
        (body(b"<html><body>Sign in to continue</body></html>", "text/html"), "web page"),
        (body(b"id,name,channel\nx,X,television\n"), "Nothing was written: 1 problem: line 2, channel 'television'"),
    ],
    ids=["404", "html", "bad-row"],
)
def test_a_failed_run_is_recorded_and_shown(server, allow_private, tenant_a, media, route, expected,
                                            staff_a, admin_user) -> None:
    base, handler = server
    if route is not None:
        handler.routes["/pub"] = route
    source = add_source(tenant_a, f"{base}/pub")
    run = source_run(client=tenant_a, source_id=source.pk)
    assert not run.ok and expected in run.message
    connection.set_tenant(tenant_a)
    assert not Campaign.objects.exists()
    connection.set_schema_to_public()
    failure = SourceFailure.objects.get(client=tenant_a)
    assert failure.source_name == "Campaign sheet" and expected in failure.message
    # On the client's home page and on the portfolio.
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    home = http.get("/").content.decode()
    assert 'id="source-failures"' in home and "Campaign sheet" in home
    console = HttpClient(HTTP_HOST=host_of(None))
    console.force_login(admin_user)
    portfolio = console.get("/portfolio/").content.decode()
    assert 'id="portfolio-source-failures"' in portfolio and "Alpha Analytics" in portfolio
    # Fixed at the source: the next run succeeds and the notice goes.
    handler.routes["/pub"] = body(CSV)
    assert source_run(client=tenant_a, source_id=source.pk).ok
    assert not SourceFailure.objects.exists()
    assert 'id="source-failures"' not in http.get("/").content.decode()


def test_a_redirect_to_a_private_address_fails_the_run(server, tenant_a, media, monkeypatch) -> None:
    base, handler = server
    port = int(base.rsplit(":", 1)[1])
    real = fetching.address_is_public
    monkeypatch.setattr(fetching, "host_addresses", lambda host, p: ["127.0.0.1"] if host == "sheets.example" else ["10.0.0.9"])
    monkeypatch.setattr(fetching, "address_is_public", lambda a: a == "127.0.0.1" or real(a))
    handler.routes["/pub"] = body(b"", "text/csv")
    from tests.clients.local_http import redirect

    handler.routes["/pub"] = redirect("http://intranet.example/export.csv")
    source = add_source(tenant_a, f"http://sheets.example:{port}/pub")
    run = source_run(client=tenant_a, source_id=source.pk)
    assert not run.ok and "private or local network address (10.0.0.9)" in run.message


def test_the_address_is_checked_when_saved(tenant_a, monkeypatch) -> None:
    monkeypatch.setattr(fetching, "host_addresses", lambda host, port: ["192.168.0.10"])
    with pytest.raises(ValidationError) as raised:
        scheduled_source_save(client=tenant_a, name="NAS", url="http://nas.example/x.csv", kind="campaigns")
    assert "private or local" in raised.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as raised:
        scheduled_source_save(client=tenant_a, name="", url="file:///etc/passwd", kind="tv")
    assert set(raised.value.message_dict) == {"name", "url", "kind"}
    connection.set_tenant(tenant_a)
    assert not ScheduledSource.objects.exists()


def test_history_keeps_every_run_and_beat_runs_only_due_sources(server, allow_private, tenant_a, media) -> None:
    base, handler = server
    handler.routes["/pub"] = body(CSV)
    with time_machine.travel("2026-04-01 01:00:00Z", tick=False):
        source = add_source(tenant_a, f"{base}/pub")
        assert scheduled_sources_client.apply(kwargs={"client_slug": tenant_a.slug}).get() == 1
        # Within the day it is not due again.
        assert scheduled_sources_client.apply(kwargs={"client_slug": tenant_a.slug}).get() == 0
    with time_machine.travel("2026-04-02 01:00:00Z", tick=False):
        connection.set_tenant(tenant_a)
        assert [s.pk for s in scheduled_sources_due()] == [source.pk]
        connection.set_schema_to_public()
        assert scheduled_sources_client.apply(kwargs={"client_slug": tenant_a.slug}).get() == 1
    connection.set_tenant(tenant_a)
    assert SourceRun.objects.filter(source=source, ok=True).count() == 2


def test_beat_dispatches_one_task_per_ready_client(monkeypatch, tenants) -> None:
    sent = []
    monkeypatch.setattr("agency.tasks.enqueue_for_client", lambda task, *, client, **kw: sent.append(client.slug))
    assert dispatch_scheduled_sources.apply().get() == len(sent) >= 2
    from agency.celery import app

    assert any(e["task"] == "clients.tasks.dispatch_scheduled_sources" for e in app.conf.beat_schedule.values())


def test_staff_manage_sources_on_their_page(
    server, allow_private, staff_a, tenant_a, media, django_capture_on_commit_callbacks
) -> None:
    base, handler = server
    handler.routes["/pub"] = body(CSV)
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    assert http.get("/sources/scheduled/").status_code == 200
    bad = http.post("/sources/scheduled/", {"name": "Sheet", "url": "ftp://x/y.csv", "how": "kind:campaigns", "active": "on"})
    assert bad.status_code == 422 and "Only http" in bad.content.decode()
    response = http.post("/sources/scheduled/", {"name": "Sheet", "url": f"{base}/pub?key=hidden", "how": "kind:campaigns",
                                                 "active": "on"})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    source = ScheduledSource.objects.get()
    connection.set_schema_to_public()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert http.post(f"/sources/scheduled/{source.pk}/run/").status_code == 302
    assert len(callbacks) == 1
    source_run(client=tenant_a, source_id=source.pk)
    page = http.get(f"/sources/scheduled/{source.pk}/").content.decode()
    assert 'id="source-runs"' in page and "imported" in page
    assert f"<code>{base}/pub?…</code>" in page  # shown without its query string (the edit form holds it)
    assert http.post(f"/sources/scheduled/{source.pk}/remove/").status_code == 302
    connection.set_tenant(tenant_a)
    assert not ScheduledSource.objects.exists()


def _status(code: int) -> object:
    def route(h) -> None:
        h.send_response(code)
        h.end_headers()

    return route


NOTICE_CASES = [
    (500, "en", "The server at this address was unavailable (an error on its side).",
     "Nothing to do: the portal fetches it again by itself", "The address answered: “HTTP 500 Internal Server Error”"),
    (500, "es", "El servidor de esta dirección no estaba disponible (un error de su lado).",
     "No hace falta hacer nada: el portal lo vuelve a descargar solo",
     "La dirección respondió: «HTTP 500 Internal Server Error»"),
    (401, "en", "The address asks for a sign-in or refused access to the file.",
     "The file must open without signing in", "The address answered: “HTTP 401 Unauthorized”"),
    (401, "es", "La dirección pide iniciar sesión o denegó el acceso al archivo.",
     "El archivo debe abrirse sin iniciar sesión", "La dirección respondió: «HTTP 401 Unauthorized»"),
]


@pytest.mark.parametrize(("code", "language", "what", "todo", "said"), NOTICE_CASES)
def test_the_failing_sources_notice_says_what_happened_and_what_to_do_in_the_readers_language(
    server, allow_private, tenant_a, media, staff_a, client_user_a, code, language, what, todo, said
) -> None:
    base, handler = server
    handler.routes["/pub"] = _status(code)
    source = add_source(tenant_a, f"{base}/pub")
    source_run(client=tenant_a, source_id=source.pk)  # the worker's language: English
    http = HttpClient(HTTP_HOST=host_of(tenant_a))
    http.force_login(staff_a)
    for page in (http.get("/", HTTP_ACCEPT_LANGUAGE=language), http.get(reverse("scheduled_source_detail", args=[source.pk]),
                                                                         HTTP_ACCEPT_LANGUAGE=language)):
        text = page.content.decode()
        assert what in text and todo in text and said in text
        if language == "es":
            assert "The server at this address" not in text and "The address asks" not in text
    reader = HttpClient(HTTP_HOST=host_of(tenant_a))
    reader.force_login(client_user_a)
    home = reader.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert what in home and todo not in home  # the client reads what happened; what to do is the agency's


@pytest.mark.parametrize(("code", "language", "what", "todo", "said"), NOTICE_CASES)
def test_the_portfolios_failing_sources_note_says_what_happened_and_what_to_do_as_the_clients_pages_do(
    server, allow_private, tenant_a, tenant_b, media, staff_a, code, language, what, todo, said
) -> None:
    base, handler = server
    handler.routes["/pub"] = _status(code)
    source = add_source(tenant_a, f"{base}/pub")
    source_run(client=tenant_a, source_id=source.pk)  # the worker's language: English
    other = add_source(tenant_b, f"{base}/pub", name="Beta sheet")
    source_run(client=tenant_b, source_id=other.pk)
    console = HttpClient(HTTP_HOST=host_of(None))
    console.force_login(staff_a)
    page = html.unescape(console.get("/portfolio/", HTTP_ACCEPT_LANGUAGE=language).content.decode())
    note = page[page.index('id="portfolio-source-failures"'):]
    note = note[:note.index("</div>")]
    assert what in note and todo in note and said in note
    assert note.index(what) < note.index(todo) < note.index(said)  # what happened, what to do, then the words apart
    assert "Beta sheet" not in note  # another client's source: not this staff member's
    # The link opens the source in the client's portal.
    switch = reverse("client_switch", urlconf="agency.urls_public", args=[tenant_a.slug])
    assert f'href="{switch}?next=/sources/scheduled/{source.pk}/"' in note
    if language == "es":
        assert "The server at this address" not in note and "The address asks" not in note
        assert "Nothing to do" not in note and "The file must" not in note
