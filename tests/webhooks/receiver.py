"""A webhook receiver for tests: a threaded HTTP server on 127.0.0.1 that verifies Standard Webhooks signatures
with the `standardwebhooks` library (which also refuses timestamps more than five minutes old) and applies each
`webhook-id` once, as a real receiver should."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str | None = None
    statuses: list[int] = field(default_factory=list)  # answers in turn; 200 once they run out
    hold: Callable[[Received], bool] | None = None  # hold the request (never answer) while this is true
    received: list[Received] = field(default_factory=list)
    effects: dict[str, Any] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def verify(self, body: bytes, headers: dict[str, str]) -> Any:
        assert self.secret
        return Webhook(self.secret).verify(body, headers)

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            status = self.statuses.pop(0) if self.statuses else 200
            if self.secret:
                try:
                    payload = self.verify(body, headers)
                except WebhookVerificationError as error:
                    self.rejected.append(str(error))
                    status = 400
            if status == 200 and self.secret:
                self.effects.setdefault(headers["webhook-id"], payload)
            item = Received(at=time.monotonic(), headers=headers, body=body, status=status)
            self.received.append(item)
        self.arrived.set()
        if self.hold and self.hold(item):
            self.release.wait(60)
        return status

    def wait_for(self, predicate: Callable[[Receiver], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.05)
        return predicate(self)


def receiver_start(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status = receiver.handle({k.lower(): v for k, v in self.headers.items()}, body)
            try:
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
            except OSError:
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def receiver_running() -> Iterator[Receiver]:
    """A receiver listening on loopback for the duration of the block; blocked handlers are released at the end."""
    receiver = Receiver()
    server = receiver_start(receiver)
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
