"""Memory: proportional set size (PSS, /proc/<pid>/smaps_rollup) of one web worker and one Celery worker process,
after warm-up and after 10,000 requests or tasks.

Web: gunicorn with one gthread worker (4 threads), started by `scripts/serve` as in production (jemalloc preloaded);
the requests rotate over message list pages in both locales, conditional requests, message details and the change
feed. `web_glibc` is the same worker on glibc's allocator (`TAWASUL_JEMALLOC=off`), for comparison.
Celery: one prefork child; one task in five is an event relay (`messaging.tasks.event_relay`) of a bulk-loaded
event marked unprocessed again, so it reindexes its message in the engine and runs the webhook fan-out; the others
are the periodic webhook-retry and index catch-up sweeps (each a query or two).
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
import urllib.parse
from typing import Any

from bench.api_pull import api_key_create
from bench.processes import celery_worker, children_of, gunicorn, pss_kib

WARM_UP = 500
TASK_WARM_UP = 200


def _paths(sample_keys: list[str]) -> list[tuple[str, bool]]:
    paths: list[tuple[str, bool]] = []
    for locale in ("ar", "en"):
        paths += [(f"/api/v1/messages/?locale={locale}&page_size=20", False),
                  (f"/api/v1/messages/?locale={locale}&page_size=50", True)]  # fmt: skip
    paths += [(f"/api/v1/messages/{key}/", False) for key in sample_keys]
    paths += [("/api/v1/changes/?limit=100", False)]
    return paths


def drive(base: str, key: str, paths: list[tuple[str, bool]], total: int, threads: int = 4) -> dict[str, int]:
    """Exactly `total` requests over keep-alive connections, rotating over `paths`."""
    parts = urllib.parse.urlsplit(base)
    counter = itertools.count()
    statuses: dict[str, int] = {}
    etags: dict[str, str] = {}
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
        while (n := next(counter)) < total:
            path, conditional = paths[n % len(paths)]
            headers = {"Authorization": f"Api-Key {key}"}
            if conditional and path in etags:
                headers["If-None-Match"] = etags[path]
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
                if response.getheader("ETag"):
                    etags[path] = response.getheader("ETag") or ""
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return statuses


def web(*, requests: int, log: Any, allocator: str = "jemalloc") -> dict[str, Any]:
    from messaging.models import Message

    key, _ = api_key_create("bench-memory")
    sample = [str(k) for k in Message.objects.filter(live=True).values_list("translation_key", flat=True)[:200:10]]
    paths = _paths(sample)
    mode = "require" if allocator == "jemalloc" else "off"
    with gunicorn(workers=1, threads=4, TAWASUL_JEMALLOC=mode) as server:
        (worker_pid,) = server.worker_pids()
        drive(server.base, key, paths, WARM_UP)
        warm = pss_kib(worker_pid)
        started = time.perf_counter()
        statuses = drive(server.base, key, paths, requests)
        seconds = time.perf_counter() - started
        after = pss_kib(worker_pid)
    growth = (after - warm) / warm
    log(f"web worker ({allocator}) PSS {warm} → {after} KiB ({growth:+.1%})")
    return {"server": "gunicorn gthread, 1 worker x 4 threads", "allocator": allocator,
            "warm_up_requests": WARM_UP, "requests": requests,
            "seconds": round(seconds, 1), "statuses": statuses, "pss_kib_after_warm_up": warm,
            "pss_kib_after": after, "growth": round(growth, 4),
            "target": {"target": "<= 10 %", "met": growth <= 0.10}}  # fmt: skip


RESENT: list[int] = []
RELAY_SHARE = 5  # one task in five is an event relay, the others periodic sweeps


def _queue_drained(timeout: float) -> None:
    """Wait until the broker holds no task, queued or unacknowledged (kombu's Redis transport)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if not (client.llen("celery") or client.hlen("unacked")):
                return
        except redis.ConnectionError:  # Redis restarted under us: the worker reconnects, so do we
            pass
        time.sleep(0.25)
    raise RuntimeError(f"tasks still queued after {timeout} s")


def _tasks_run(event_ids: list[int], total: int, timeout: float) -> float:
    """`total` tasks: a relay of each event in `event_ids` (marked unprocessed again: each reindexes its message
    and runs the webhook fan-out), interleaved with the periodic webhook-retry and index catch-up sweeps."""
    from messaging.models import MessageEvent
    from messaging.tasks import event_relay
    from search.tasks import index_catch_up
    from webhooks.tasks import webhook_retries_due

    MessageEvent.objects.filter(pk__in=event_ids).update(processed_at=None, attempts=0)
    relays = iter(event_ids)
    started = time.perf_counter()
    for n in range(total):
        if n % RELAY_SHARE == 0 and (event_id := next(relays, None)) is not None:
            event_relay.delay(event_id)
        elif n % 2:
            webhook_retries_due.delay()
        else:
            index_catch_up.delay()
    _queue_drained(timeout)
    # Tasks lost with a restarted Redis (other people's tests restart it): re-send their relays, as the outbox
    # sweeper does in production; bounded, and counted in the result.
    for _ in range(3):
        lost = list(
            MessageEvent.objects.filter(pk__in=event_ids, processed_at__isnull=True).values_list("pk", flat=True)
        )
        if not lost:
            break
        RESENT.append(len(lost))
        for event_id in lost:
            event_relay.delay(event_id)
        _queue_drained(timeout)
    if MessageEvent.objects.filter(pk__in=event_ids, processed_at__isnull=True).exists():
        raise RuntimeError("some relays did not complete")
    return time.perf_counter() - started


def celery(*, tasks: int, log: Any) -> dict[str, Any]:
    from messaging.models import MessageEvent

    relays = tasks // RELAY_SHARE + TASK_WARM_UP // RELAY_SHARE
    published = MessageEvent.objects.filter(kind="message.published").order_by("-position")
    ids = list(published.values_list("pk", flat=True)[:relays])
    warm_ids, measured_ids = ids[: TASK_WARM_UP // RELAY_SHARE], ids[TASK_WARM_UP // RELAY_SHARE :]
    with celery_worker(concurrency=1) as process:
        (child,) = children_of(process.pid)
        _tasks_run(warm_ids, TASK_WARM_UP, timeout=900)
        warm = pss_kib(child)
        seconds = _tasks_run(measured_ids, tasks, timeout=3600)
        after = pss_kib(child)
    growth = (after - warm) / warm
    log(f"celery worker PSS {warm} → {after} KiB ({growth:+.1%}), {tasks / seconds:.0f} tasks/s")
    return {"worker": "celery prefork, concurrency 1 (the child process is measured)",
            "tasks_mix": f"1 in {RELAY_SHARE}: messaging.tasks.event_relay (reindex + webhook fan-out); the rest "
                         "webhooks.tasks.webhook_retries_due and search.tasks.index_catch_up",
            "warm_up_tasks": TASK_WARM_UP, "tasks": tasks, "event_relays": len(measured_ids),
            "relays_resent_after_broker_loss": sum(RESENT),
            "seconds": round(seconds, 1), "tasks_per_second": round(tasks / seconds, 1),
            "pss_kib_after_warm_up": warm, "pss_kib_after": after, "growth": round(growth, 4),
            "target": {"target": "<= 10 %", "met": growth <= 0.10}}  # fmt: skip


PARTS = ("web", "web_glibc", "celery")


def run(*, requests: int, tasks: int, log: Any, parts: tuple[str, ...] = PARTS) -> dict[str, Any]:
    """The parts asked for; a failure of one is reported without losing the others."""
    result: dict[str, Any] = {}
    for name, part in (
        ("web", lambda: web(requests=requests, log=log)),
        ("web_glibc", lambda: web(requests=requests, log=log, allocator="glibc")),
        ("celery", lambda: celery(tasks=tasks, log=log)),
    ):
        if name not in parts:
            continue
        try:
            result[name] = part()
        except Exception as error:  # reported in the JSON; the other part stands
            log(f"memory ({name}) failed: {error!r}")
            result[f"{name}_error"] = repr(error)
    return result
