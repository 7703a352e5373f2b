"""A real HTTP server on a free local port (port 0), for the scheduled-source tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CSV = b"id,name,channel\nspring,Spring,email\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    routes: dict = {}
    requests: list = []
    sent: dict = {}

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        route(self)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(name="server")
def server_fixture() -> Iterator[tuple[str, type[Handler]]]:
    handler = type("TestHandler", (Handler,), {"routes": {}, "requests": [], "sent": {"bytes": 0}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(name="allow_private")
def allow_private_fixture(settings) -> None:
    settings.PORTAL_SOURCES_ALLOW_PRIVATE = True


def body(data: bytes, content_type: str = "text/csv") -> object:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return route


def redirect(location: str) -> object:
    def route(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.end_headers()

    return route
