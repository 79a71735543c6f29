"""Freshness: from the commit of an approval to (1) visible in the messages API, (2) found by the search API,
(3) the webhook received (signature verified) by a receiver on 127.0.0.1.

Each approval publishes a new Arabic message through the real path (`message_draft_save`, then Wagtail's
`revision.publish()` with the project's publish action, which writes the outbox event in the same transaction).
The clock starts in the first on-commit callback. The background processes are laid out as in production: a
worker on the `celery` queue (concurrency 2, one per core) runs the relay the commit enqueues, which fans the
webhooks out and then indexes the message; a worker on the `webhooks` queue (concurrency 2) sends the
deliveries; beat runs the repair entries (outbox sweep, webhook retries, index catch-up), so a relay or delivery
lost with the broker is re-sent within the sweeper's grace plus one period instead of never. Before the first
approval the outbox is settled (events left unprocessed by earlier runs are relayed by the sweeper), so the
measurement starts on idle workers. Approvals are paced; the API and the search API are each polled every
20 ms after the previous answer, by threads of their own, bounded by a timeout.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench.api_pull import api_key_create, fetch
from bench.processes import REPAIR_BEAT_ENTRIES, celery_beat, celery_worker, free_port, gunicorn
from bench.search_latency import percentiles

POLL_SECONDS = 0.02
TIMEOUT = 30.0
ENDPOINTS = 10
PACE_SECONDS = 1.5
RELAY_CONCURRENCY = 2  # the `celery` queue: relays (fan-out, then the engine round trip), sweeps
WEBHOOK_CONCURRENCY = 2  # the `webhooks` queue: deliveries, mostly waiting on the receiver
SETTLE_TIMEOUT = 300.0
# Marks read back from the rows, each counted from the outbox event's creation (see `_stages`).
STAGES = (
    "fan_out_first_row",  # the relay's first delivery row: its queue wait, its start and one payload
    "fan_out_last_row",  # every endpoint's row written: the engine update starts after this
    "relay_done",  # the engine updated too; the message becomes searchable at the next refresh
    "bench_endpoint_attempt_started",  # the bench endpoint's delivery taken by the `webhooks` worker
    "bench_endpoint_attempt_finished",  # its signed POST answered
)


class Receiver:
    """Records when each endpoint first received a delivery for a message, after verifying the signature."""

    def __init__(self) -> None:
        self.received: dict[tuple[str, int], float] = {}
        self.secrets: dict[int, str] = {}
        self.invalid = 0
        self.port = free_port()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                from standardwebhooks import Webhook

                at = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                endpoint = int(self.path.rstrip("/").rsplit("/", 1)[-1])
                try:
                    Webhook(receiver.secrets[endpoint]).verify(body, dict(self.headers))
                    message_id = json.loads(body)["data"]["message_id"]
                    receiver.received.setdefault((message_id, endpoint), at)
                except Exception:
                    receiver.invalid += 1
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def _endpoints_create(receiver: Receiver, institution: Any) -> list[Any]:
    from institutions.models import Institution
    from webhooks.services import endpoint_create

    others = list(Institution.objects.exclude(pk=institution.pk).order_by("pk")[: ENDPOINTS - 1])
    created = []
    for n, owner in enumerate([institution, *others]):
        endpoint = endpoint_create(institution=owner, url=f"http://127.0.0.1:{receiver.port}/hook/{n}",
                                   description="bench freshness receiver")  # fmt: skip
        receiver.secrets[n] = endpoint.secret
        created.append(endpoint)
    return created


def _approve(n: int, token: str, people: dict[str, Any], template: Any) -> tuple[str, float]:
    """Publish one new message; returns its id and the perf_counter time of the commit."""
    from django.db import transaction

    from messaging.models import Message
    from messaging.services.messages import message_draft_save

    message = Message(
        locale=template.locale, title=f"رسالة قياس الحداثة {n} {token}",
        key_message=f"{token} {template.key_message}"[:290],
        body=template.body.raw_data, topic=template.topic, owner=template.owner, audience_all=True,
    )  # fmt: skip
    revision = message_draft_save(message=message, user=people["communicator"])
    committed: list[float] = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        revision.publish(user=people["approver"])
    return str(message.translation_key), committed[0]


def _outbox_settle(log: Any) -> dict[str, Any]:
    """Wait until beat's first outbox sweep has relayed the events earlier runs left unprocessed (a broker
    restart, an interrupted benchmark), so that they do not share the workers with the measured approvals."""
    from messaging.models import MessageEvent

    pending = MessageEvent.objects.filter(processed_at__isnull=True)
    before = pending.count()
    started = time.perf_counter()
    if before:
        log(f"freshness: {before} outbox events left unprocessed by earlier runs; waiting for the sweeper")
    while pending.exists() and time.perf_counter() < started + SETTLE_TIMEOUT:
        time.sleep(1.0)
    left = pending.count()
    if left:
        log(f"freshness: {left} outbox events still unprocessed after {SETTLE_TIMEOUT:.0f} s; measuring anyway")
    return {"events": before, "left": left, "seconds": round(time.perf_counter() - started, 1)}


def _unprocessed_since(results: list[dict[str, Any]]) -> int:
    """Events of the measured approvals that the relay had not finished (both handlers) by the end."""
    from messaging.models import MessageEvent

    ids = [out["id"] for out in results]
    return MessageEvent.objects.filter(translation_key__in=ids, processed_at__isnull=True).count()


def _stages(results: list[dict[str, Any]], first: Any) -> dict[str, Any]:
    """Where the time goes, from the rows' own timestamps (one clock, the database's writers' `now()`), counted
    from the outbox event's creation (inside the approval's transaction, just before its commit)."""
    from django.db.models import Max, Min

    from messaging.models import MessageEvent
    from webhooks.models import WebhookAttempt, WebhookDelivery

    samples: dict[str, list[float]] = {name: [] for name in STAGES}
    events = MessageEvent.objects.filter(translation_key__in=[out["id"] for out in results], kind="message.published")
    for event in events:
        deliveries = WebhookDelivery.objects.filter(event=event).aggregate(
            first=Min("created_at"), last=Max("created_at")
        )
        attempt = WebhookAttempt.objects.filter(delivery__event=event, delivery__endpoint=first, number=1).first()
        marks = {
            "fan_out_first_row": deliveries["first"],
            "fan_out_last_row": deliveries["last"],
            "relay_done": event.processed_at,
            "bench_endpoint_attempt_started": attempt.started_at if attempt else None,
            "bench_endpoint_attempt_finished": attempt.finished_at if attempt else None,
        }
        for name, at in marks.items():
            if at is not None:
                samples[name].append((at - event.created_at).total_seconds() * 1000)
    return {name: percentiles(values) if values else None for name, values in samples.items()}


def _poll_api(base: str, key: str, message_id: str, started: float, out: dict[str, Any]) -> None:
    headers = {"Authorization": f"Api-Key {key}"}
    while time.perf_counter() < started + TIMEOUT:
        if fetch(f"{base}/api/v1/messages/{message_id}/", headers)[0] == 200:
            out["api"] = time.perf_counter() - started
            return
        time.sleep(POLL_SECONDS)


def _poll_search(base: str, key: str, message_id: str, token: str, started: float, out: dict[str, Any]) -> None:
    headers = {"Authorization": f"Api-Key {key}"}
    search = "/api/v1/search/?" + urllib.parse.urlencode({"q": token, "locale": "ar"})
    while time.perf_counter() < started + TIMEOUT:
        status, _, body = fetch(base + search, headers)
        if status == 200 and any(r["id"] == message_id for r in json.loads(body)["results"]):
            out["search"] = time.perf_counter() - started
            return
        time.sleep(POLL_SECONDS)


def run(*, approvals: int, log: Any) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from messaging.models import Message

    key, institution = api_key_create("bench-freshness")
    people = {name: get_user_model().objects.get(username=name) for name in ("communicator", "approver")}
    template = Message.objects.filter(live=True, locale__language_code="ar", audience_all=True).order_by("pk").first()
    results: list[dict[str, Any]] = []
    with (
        Receiver() as receiver,
        celery_worker(concurrency=RELAY_CONCURRENCY, queues="celery", name="celery"),
        celery_worker(concurrency=WEBHOOK_CONCURRENCY, queues="webhooks", name="celery-webhooks"),
        celery_beat(),
        gunicorn() as server,
    ):
        settled = _outbox_settle(log)
        endpoints = _endpoints_create(receiver, institution)
        try:
            pollers = []
            for n in range(approvals):
                token = "fresh" + uuid.uuid4().hex[:10]
                message_id, committed = _approve(n, token, people, template)
                out: dict[str, Any] = {"id": message_id, "committed": committed}
                for thread in (
                    threading.Thread(target=_poll_api, args=(server.base, key, message_id, committed, out)),
                    threading.Thread(target=_poll_search, args=(server.base, key, message_id, token, committed, out)),
                ):
                    thread.start()
                    pollers.append(thread)
                results.append(out)
                time.sleep(PACE_SECONDS)
            for thread in pollers:
                thread.join()
            deadline = time.perf_counter() + TIMEOUT
            while time.perf_counter() < deadline and len(receiver.received) < approvals * len(endpoints):
                time.sleep(0.1)
            stages = _stages(results, endpoints[0])
        finally:
            for endpoint in endpoints:
                endpoint.delete()
    first_endpoint, all_endpoints, missing = [], [], {"api": 0, "search": 0, "webhook": 0}
    for out in results:
        times = [receiver.received.get((out["id"], n)) for n in range(len(endpoints))]
        if times[0] is None:
            missing["webhook"] += 1
        else:
            first_endpoint.append(times[0] - out["committed"])
        if all(t is not None for t in times):
            all_endpoints.append(max(t for t in times if t is not None) - out["committed"])
        for name in ("api", "search"):
            missing[name] += name not in out
    seconds = {
        "api": [out["api"] for out in results if "api" in out],
        "search": [out["search"] for out in results if "search" in out],
        "webhook": first_endpoint,
        "webhook_all_endpoints": all_endpoints,
    }
    summary = {name: percentiles([s * 1000 for s in values]) if values else None for name, values in seconds.items()}
    targets = {"api": 1000, "search": 3000, "webhook": 5000}
    p95 = {name: (block or {}).get("p95_ms") for name, block in summary.items()}
    result = {
        "approvals": approvals,
        "pace_seconds": PACE_SECONDS,
        "workers": {
            "celery": f"prefork, concurrency {RELAY_CONCURRENCY} (event relay: webhook fan-out, then indexing)",
            "webhooks": f"prefork, concurrency {WEBHOOK_CONCURRENCY} (deliveries)",
            "beat": ", ".join(REPAIR_BEAT_ENTRIES),
        },
        "outbox_settled_before_start": settled,
        "events_left_unprocessed": _unprocessed_since(results),
        "webhook_endpoints": len(endpoints),
        "invalid_signatures": receiver.invalid,
        "missing_within_timeout": missing,
        "latency": summary,
        "stages_from_event_ms": stages,
        "targets": {
            name: {"target": f"p95 <= {limit / 1000:g} s", "met": missing[name] == 0 and (p95[name] or 1e9) <= limit}
            for name, limit in targets.items()
        },
    }
    log(f"freshness p95: api {p95['api']} ms, search {p95['search']} ms, webhook {p95['webhook']} ms")
    return result
