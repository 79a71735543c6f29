"""A small web site on 127.0.0.1 for the monitoring tests: routes answer fixed bodies, honour `If-None-Match`,
and can redirect, dribble slowly or declare a huge length. Every request is logged with its time."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str = ""
    location: str = ""
    delay_per_chunk: float = 0.0  # seconds between 1 KB chunks
    declared_length: int | None = None


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    base: str = ""

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> list[tuple[float, str, dict[str, str]]]:
        return [request for request in self.requests if request[1] == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {k.lower(): v for k, v in self.headers.items()}
            site.requests.append((time.monotonic(), self.path, headers))
            route = site.routes.get(self.path)
            with suppress(OSError):
                self._answer(route, headers)

        def _answer(self, route: Route | None, headers: dict[str, str]) -> None:
            if route is None:
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            if route.etag and headers.get("if-none-match") == route.etag:
                self.send_response(304)
                self.send_header("etag", route.etag)
                self.end_headers()
                return
            self.send_response(route.status)
            if route.location:
                self.send_header("location", route.location)
            if route.etag:
                self.send_header("etag", route.etag)
            self.send_header("content-type", route.content_type)
            length = route.declared_length if route.declared_length is not None else len(route.body)
            self.send_header("content-length", str(length))
            self.end_headers()
            for start in range(0, len(route.body), 1024):
                self.wfile.write(route.body[start : start + 1024])
                self.wfile.flush()
                if route.delay_per_chunk:
                    time.sleep(route.delay_per_chunk)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def site_running() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
