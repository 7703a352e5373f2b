"""Fetching a scheduled source's CSV from a URL, safely.

A scheduled source is an address typed by agency staff (a Google Sheets "publish to the web"
link, a shared folder's link to a report). The worker fetches it, so without care it could be
pointed at the portal's own network (the database, a cloud metadata service). Hence:

- only ``http`` and ``https``; the host is resolved once and every address it resolves to
  must be public (none of IANA's special-purpose ranges: ``SPECIAL_PURPOSE``)
  unless ``settings.PORTAL_SOURCES_ALLOW_PRIVATE`` is true (development and tests); the
  connection goes to the address that was checked, so a second DNS answer cannot swap it;
- at most ``MAX_REDIRECTS`` redirects, each new address checked the same way;
- the body is streamed to a file and the fetch stops at ``PORTAL_SOURCES_MAX_BYTES`` and
  ``PORTAL_SOURCES_TIMEOUT`` seconds for the whole fetch — connecting, the status line and
  headers, and the body (a watchdog cuts the connection at the deadline) — never reading more
  than the limit;
- an answer that is not a CSV (an HTML sign-in or error page) is refused;
- the address is only ever logged or shown through :func:`url_redact`, which drops the
  user name, password, query string and fragment (where such links carry their secret).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext_noop

from agency.reasons import Words, say

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 3
CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that did not give a CSV file; ``str()`` is a message for people (no secret in it).

    ``words`` keeps it translatable where it is read (a fetch runs in a worker, in English), ``kind``
    chooses the advice shown with it (clients.sources.schedule.source_failure), ``said`` is what the
    address answered itself (its status line), shown apart."""

    def __init__(self, reason: str | Words, *, kind: str = "", said: str = "") -> None:
        super().__init__(str(reason))
        self.words = reason if isinstance(reason, Words) else Words(str(reason))
        self.kind, self.said = kind, said

    def to_json(self) -> dict[str, object]:
        return {**self.words.to_json(), "kind": self.kind, "said": self.said}


# The kinds of a failed fetch (each has its advice).
FETCH_SIGN_IN, FETCH_NOT_FOUND, FETCH_LIMITED, FETCH_UNAVAILABLE, FETCH_NOT_CSV = (
    "sign-in", "not-found", "rate-limited", "unavailable", "not-csv")


@dataclass(frozen=True)
class Fetched:
    path: Path
    size: int
    url: str  # redacted: the final address after redirects
    content_type: str


def url_redact(url: str) -> str:
    """The address without user name, password, query string or fragment: safe for logs and screens."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(invalid address)"
    if ":" in host:
        host = f"[{host}]"
    tail = "?…" if parts.query else ""
    return f"{parts.scheme}://{host}{port}{parts.path}{tail}"


def host_addresses(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the DNS is the outside world: tests replace this)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


# IANA's special-purpose registries (RFC 6890 and later): none of these is a public host on the
# internet. ``is_global`` alone lets some through (6to4 2002::/16, which embeds any IPv4 address;
# the deprecated site-local fec0::/10; 192.0.0.0/24 beyond its first /29), so they are listed.
SPECIAL_PURPOSE = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    "::/128", "::1/128", "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20",
    "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
))
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_is_public(address: str) -> bool:
    """True for an address on the public internet; false for every special-purpose range (private,
    loopback, link-local, shared, documentation, benchmarking, 6to4, Teredo, site-local, multicast…).
    An IPv4 address written inside IPv6 (mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::a.b.c.d``) is
    judged as that IPv4 address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in network for network in SPECIAL_PURPOSE if network.version == ip.version):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def url_check(url: str) -> tuple[str, str, int, str]:
    """Check an address before connecting: returns (scheme, host, port, checked IP address).

    Raises :class:`FetchError` for a scheme other than http(s), an address with no host, a host
    that does not resolve, or one that resolves to a non-public address (unless allowed).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchError(say(gettext_noop("This is not a valid web address."))) from None
    if parts.scheme not in {"http", "https"}:
        raise FetchError(say(gettext_noop("Only http:// and https:// addresses can be fetched.")))
    host = parts.hostname
    if not host:
        raise FetchError(say(gettext_noop("The address has no host name.")))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = host_addresses(host, port)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchError(say(gettext_noop("The host %(host)s could not be found."), host=host)) from None
    if not addresses:
        raise FetchError(say(gettext_noop("The host %(host)s could not be found."), host=host))
    if not getattr(settings, "PORTAL_SOURCES_ALLOW_PRIVATE", False):
        for address in addresses:
            if not address_is_public(address):
                raise FetchError(say(
                    gettext_noop("%(url)s leads to a private or local network address (%(address)s); only public "
                                 "addresses are fetched."), url=url_redact(url), address=address))
    return parts.scheme, host, port, addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a checked IP address, with the certificate still verified for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def url_fetch(url: str, *, target: Path, max_bytes: int | None = None, timeout: float | None = None) -> Fetched:
    """Download ``url`` into ``target`` within the limits above; raises :class:`FetchError` otherwise.

    Nothing is left at ``target`` when the fetch fails.
    """
    max_bytes = max_bytes or settings.PORTAL_SOURCES_MAX_BYTES
    timeout = timeout or settings.PORTAL_SOURCES_TIMEOUT
    deadline = time.monotonic() + timeout
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port, address = url_check(current)
            parts = urlsplit(current)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
            conn = connection_class(host, port, address, timeout=max(0.1, deadline - time.monotonic()))
            watchdog = _Watchdog(conn, deadline)
            try:
                conn.request("GET", path, headers={
                    "User-Agent": "agency-portal-source-fetcher", "Accept": "text/csv, text/plain;q=0.9, */*;q=0.1",
                    "Accept-Encoding": "identity",
                })
                response = conn.getresponse()
                if response.status in REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(say(gettext_noop("The address redirected without saying where to.")))
                    current = urljoin(current, location)
                    logger.info("source fetch: %s redirects to %s", url_redact(url), url_redact(current))
                    continue
                if response.status != 200:
                    raise _status_error(response.status, response.reason)
                content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
                if content_type in {"text/html", "application/xhtml+xml"}:
                    raise FetchError(say(NOT_CSV), kind=FETCH_NOT_CSV)
                declared = response.getheader("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(say(gettext_noop("The file is larger than the %(limit)s MB allowed."),
                                 limit=_megabytes(max_bytes)))
                size = _stream_to(response, target, max_bytes=max_bytes, deadline=deadline)
                if watchdog.expired:  # the line was cut at the deadline: what came is not the whole file
                    raise TimeoutError
                _refuse_html(target)
                return Fetched(path=target, size=size, url=url_redact(current), content_type=content_type)
            except (OSError, http.client.HTTPException):
                if watchdog.expired:
                    raise TimeoutError from None
                raise
            finally:
                watchdog.cancel()
                conn.close()
        raise FetchError(say(gettext_noop("The address redirected more than %(count)s times."),
                             count=MAX_REDIRECTS))
    except FetchError:
        target.unlink(missing_ok=True)
        raise
    except TimeoutError:
        target.unlink(missing_ok=True)
        raise FetchError(say(gettext_noop("The address took longer than %(seconds)s seconds to answer."),
                             seconds=int(timeout)), kind=FETCH_UNAVAILABLE) from None
    except (OSError, http.client.HTTPException) as error:
        target.unlink(missing_ok=True)
        logger.info("source fetch of %s failed: %s", url_redact(url), type(error).__name__)
        raise FetchError(say(gettext_noop("The address could not be reached.")), kind=FETCH_UNAVAILABLE,
                         said=type(error).__name__) from None


NOT_CSV = gettext_noop("The address answered with a web page, not a CSV file (is the sheet published as CSV?).")


def _status_error(status: int, reason: str) -> FetchError:
    """An answer other than 200, by kind: a sign-in asked, nothing there, a limit, the server failing."""
    said = f"HTTP {status} {reason}".strip()
    if status in {401, 403, 407}:
        return FetchError(say(gettext_noop("The address asks for a sign-in or refused access to the file.")),
                          kind=FETCH_SIGN_IN, said=said)
    if status in {404, 410}:
        return FetchError(say(gettext_noop("There is no file at this address (any more).")), kind=FETCH_NOT_FOUND,
                          said=said)
    if status == 429:
        return FetchError(say(gettext_noop("The server at this address is limiting how often it may be asked.")),
                          kind=FETCH_LIMITED, said=said)
    if status >= 500:
        return FetchError(say(gettext_noop("The server at this address was unavailable (an error on its side).")),
                          kind=FETCH_UNAVAILABLE, said=said)
    return FetchError(say(gettext_noop("The address did not answer with a CSV file.")), said=said)


class _Watchdog:
    """Cuts the connection at the fetch's deadline, whatever it is waiting for.

    A socket timeout bounds each read, not their sum: a server sending its headers one byte a
    second never trips it (issue #24: 30 s against a 5 s limit). The connect is bounded by its
    timeout (the time left); this timer shuts the socket down at the deadline, so a read of the
    status line, the headers or the body ends at once and the fetch reports the time limit."""

    def __init__(self, conn: http.client.HTTPConnection, deadline: float) -> None:
        self.conn, self.expired = conn, False
        self.timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self.timer.daemon = True
        self.timer.start()

    def _expire(self) -> None:
        self.expired = True
        sock = self.conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self.timer.cancel()


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g}"


def _stream_to(response: http.client.HTTPResponse, target: Path, *, max_bytes: int, deadline: float) -> int:
    size = 0
    with target.open("wb") as handle:
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK)
            if not chunk:
                return size
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(say(gettext_noop("The file is larger than the %(limit)s MB allowed."),
                                 limit=_megabytes(max_bytes)))
            handle.write(chunk)


def _refuse_html(path: Path) -> None:
    """A server that labels its sign-in page as text/plain still sends HTML: look at the start."""
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")):
        raise FetchError(say(NOT_CSV), kind=FETCH_NOT_CSV)
