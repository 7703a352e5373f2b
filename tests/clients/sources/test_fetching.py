"""Fetching a scheduled source: a real local HTTP server (port 0) and resolver-level address checks."""

from __future__ import annotations

import logging
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from clients.sources import fetching
from clients.sources.fetching import FetchError, address_is_public, url_check, url_fetch, url_redact
from tests.clients.local_http import CSV, allow_private_fixture, body, redirect, server_fixture  # noqa: F401 - fixtures


def test_a_csv_is_downloaded(server, allow_private, tmp_path: Path) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = body(CSV)
    fetched = url_fetch(f"{base}/sheet.csv?output=csv&token=s3cret", target=tmp_path / "f.csv")
    assert fetched.path.read_bytes() == CSV
    assert fetched.size == len(CSV)
    assert "s3cret" not in fetched.url


def test_404_is_refused_and_nothing_is_left(server, allow_private, tmp_path: Path) -> None:
    base, _handler = server
    with pytest.raises(FetchError, match="There is no file at this address") as refused:
        url_fetch(f"{base}/gone.csv", target=tmp_path / "f.csv")
    assert refused.value.kind == "not-found" and refused.value.said.startswith("HTTP 404")
    assert not (tmp_path / "f.csv").exists()


def test_an_html_page_is_not_a_csv(server, allow_private, tmp_path: Path) -> None:
    base, handler = server
    handler.routes["/login"] = body(b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html; charset=utf-8")
    with pytest.raises(FetchError, match="web page"):
        url_fetch(f"{base}/login", target=tmp_path / "f.csv")


def test_html_labelled_as_text_is_still_refused(server, allow_private, tmp_path: Path) -> None:
    base, handler = server
    handler.routes["/sneaky.csv"] = body(b"\n  <html><head><title>Error</title></head></html>", "text/plain")
    with pytest.raises(FetchError, match="web page"):
        url_fetch(f"{base}/sneaky.csv", target=tmp_path / "f.csv")
    assert not (tmp_path / "f.csv").exists()


def test_redirects_are_followed_up_to_three(server, allow_private, tmp_path: Path) -> None:
    base, handler = server
    handler.routes["/a"] = redirect("/b")
    handler.routes["/b"] = redirect(f"{base}/c")
    handler.routes["/c"] = redirect("/final.csv")
    handler.routes["/final.csv"] = body(CSV)
    assert url_fetch(f"{base}/a", target=tmp_path / "f.csv").path.read_bytes() == CSV
    handler.routes["/z"] = redirect("/a")  # four redirects
    with pytest.raises(FetchError, match="more than 3"):
        url_fetch(f"{base}/z", target=tmp_path / "g.csv")


def test_a_redirect_to_a_private_address_is_refused_before_connecting(
    server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Private addresses are NOT allowed here: the test server's own address is let through by name only."""
    base, handler = server
    port = int(base.rsplit(":", 1)[1])
    real_resolve, real_public = fetching.host_addresses, fetching.address_is_public
    monkeypatch.setattr(
        fetching, "host_addresses", lambda host, p: ["127.0.0.1"] if host == "files.example" else real_resolve(host, p)
    )
    monkeypatch.setattr(fetching, "address_is_public", lambda a: a == "127.0.0.1" or real_public(a))
    handler.routes["/ok.csv"] = body(CSV)
    assert url_fetch(f"http://files.example:{port}/ok.csv", target=tmp_path / "ok.csv").size == len(CSV)
    handler.routes["/report.csv"] = redirect("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(FetchError, match="private or local network address"):
        url_fetch(f"http://files.example:{port}/report.csv", target=tmp_path / "f.csv")
    handler.routes["/internal.csv"] = redirect(f"http://10.1.2.3:{port}/x.csv")
    with pytest.raises(FetchError, match=r"10\.1\.2\.3"):
        url_fetch(f"http://files.example:{port}/internal.csv", target=tmp_path / "f.csv")
    assert handler.requests == ["/ok.csv", "/report.csv", "/internal.csv"]


def test_the_local_server_itself_is_refused_without_the_setting(server, tmp_path: Path) -> None:
    base, handler = server
    handler.routes["/sheet.csv"] = body(CSV)
    with pytest.raises(FetchError, match=r"127\.0\.0\.1"):
        url_fetch(f"{base}/sheet.csv", target=tmp_path / "f.csv")
    assert handler.requests == []


def test_200_megabytes_are_stopped_at_the_limit_without_reading_them_all(server, allow_private, tmp_path: Path) -> None:
    base, handler = server
    total = 200 * 1024 * 1024

    def huge(h: BaseHTTPRequestHandler) -> None:  # no Content-Length: the size is only known by reading
        h.send_response(200)
        h.send_header("Content-Type", "text/csv")
        h.end_headers()
        chunk = b"2026-03-01,x,1\n" * 4096
        try:
            while handler.sent["bytes"] < total:
                h.wfile.write(chunk)
                handler.sent["bytes"] += len(chunk)
        except OSError:
            return

    handler.routes["/huge.csv"] = huge
    started = time.monotonic()
    with pytest.raises(FetchError, match="larger than the 1 MB"):
        url_fetch(f"{base}/huge.csv", target=tmp_path / "f.csv", max_bytes=1_000_000)
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    assert handler.sent["bytes"] < 50 * 1024 * 1024  # the server was cut off long before 200 MB
    assert not (tmp_path / "f.csv").exists()


def test_a_declared_size_over_the_limit_is_refused_before_the_body(server, allow_private, tmp_path: Path) -> None:
    base, handler = server

    def declared(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/csv")
        h.send_header("Content-Length", str(200 * 1024 * 1024))
        h.end_headers()

    handler.routes["/big.csv"] = declared
    with pytest.raises(FetchError, match="larger than"):
        url_fetch(f"{base}/big.csv", target=tmp_path / "f.csv", max_bytes=1_000_000)


def test_a_slow_server_hits_the_time_limit(server, allow_private, tmp_path: Path) -> None:
    base, handler = server

    def slow(h: BaseHTTPRequestHandler) -> None:
        time.sleep(2)
        try:
            body(CSV)(h)
        except OSError:
            return  # the fetcher gave up first, as it should

    handler.routes["/slow.csv"] = slow
    with pytest.raises(FetchError, match="longer than"):
        url_fetch(f"{base}/slow.csv", target=tmp_path / "f.csv", timeout=0.5)


@pytest.mark.parametrize("where", ["status line", "headers", "body"])
def test_the_time_limit_covers_the_status_line_the_headers_and_the_body(server, allow_private, tmp_path: Path,
                                                                        where: str) -> None:
    """A server trickling one byte at a time never trips a socket timeout; the whole fetch still stops
    at its deadline (issue #24: 30 s against a 5 s limit)."""
    base, handler = server
    start = b"HTTP/1.0 200 OK\r\n"
    headers = b"Content-Type: text/csv\r\nX-Padding: " + b"x" * 40 + b"\r\n\r\n"
    trickled = {"status line": start, "headers": headers, "body": CSV * 4}[where]
    before = {"status line": b"", "headers": start, "body": start + headers}[where]

    def trickle(h: BaseHTTPRequestHandler) -> None:
        try:
            h.wfile.write(before)
            h.wfile.flush()
            for byte in trickled:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            return

    handler.routes["/trickle.csv"] = trickle
    began = time.monotonic()
    with pytest.raises(FetchError, match="longer than"):
        url_fetch(f"{base}/trickle.csv", target=tmp_path / "f.csv", timeout=1)
    assert time.monotonic() - began < 2
    assert not (tmp_path / "f.csv").exists()


def test_no_credential_reaches_the_log(server, allow_private, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    base, handler = server
    handler.routes["/r"] = redirect("/gone?sig=topsecret2")
    url = base.replace("http://", "http://agency:hunter2@") + "/r?key=topsecret1"
    with caplog.at_level(logging.DEBUG, logger="clients.sources.fetching"), pytest.raises(FetchError) as raised:
        url_fetch(url, target=tmp_path / "f.csv")
    text = caplog.text + str(raised.value)
    assert "redirects to" in caplog.text
    for secret in ("hunter2", "topsecret1", "topsecret2", "agency:"):
        assert secret not in text


# --- resolver level: the address checks, with the DNS replaced -------------------------------

@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.5", "172.16.3.4", "192.168.1.10", "169.254.169.254",
        "0.0.0.0",  # noqa: S104 - an address that must be refused, not one bound to
        "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "100.64.0.1", "224.0.0.1",
        # issue #24: what is_global let through, and the rest of IANA's special-purpose registries
        "2002:7f00:1::", "2002:a00:1::1", "fec0::1", "192.0.0.8", "192.0.0.170", "192.88.99.1", "198.18.0.1",
        "2001::1", "2001:db8::1", "64:ff9b::a00:1", "64:ff9b:1::1", "100::1", "3fff::1", "5f00::1", "::", "ff02::1",
        "240.0.0.1", "255.255.255.255", "192.0.2.1", "198.51.100.7", "203.0.113.9", "192.31.196.1", "192.175.48.1",
    ],
)
def test_non_public_addresses_are_refused(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "host_addresses", lambda host, port: [address])
    assert not address_is_public(address)
    with pytest.raises(FetchError, match="private or local"):
        url_check("https://sheets.example/export?format=csv")


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::5db8:d822", "1.1.1.1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_is_public(address)


def test_a_host_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetching, "host_addresses", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(FetchError, match=r"10\.0\.0\.7"):
        url_check("https://mixed.example/file.csv")


def test_a_public_address_passes_and_the_setting_allows_private(monkeypatch: pytest.MonkeyPatch, settings) -> None:
    monkeypatch.setattr(fetching, "host_addresses", lambda host, port: ["93.184.216.34"])
    assert url_check("https://docs.example/pub?output=csv") == ("https", "docs.example", 443, "93.184.216.34")
    monkeypatch.setattr(fetching, "host_addresses", lambda host, port: ["192.168.1.10"])
    settings.PORTAL_SOURCES_ALLOW_PRIVATE = True
    assert url_check("http://nas.local:8080/x.csv")[3] == "192.168.1.10"


@pytest.mark.parametrize("url", ["ftp://files.example/a.csv", "file:///etc/passwd", "gopher://x/", "https:///nohost", "http://[::1"])
def test_other_schemes_and_broken_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        url_check(url)


def test_an_unknown_host_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def fail(host: str, port: int) -> list[str]:
        raise socket.gaierror("no such host")

    monkeypatch.setattr(fetching, "host_addresses", fail)
    with pytest.raises(FetchError, match="could not be found"):
        url_check("https://nowhere.example/a.csv")


def test_url_redact() -> None:
    assert url_redact("https://u:p@docs.example:8443/a/b.csv?key=1#frag") == "https://docs.example:8443/a/b.csv?…"
    assert url_redact("http://[::1]/x") == "http://[::1]/x"
    assert url_redact("http://[::1") == "(invalid address)"
