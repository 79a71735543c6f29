"""gunicorn settings for the web process (`scripts/serve` passes `--config python:hub.gunicorn`).

After a worker has loaded the application, everything loaded so far (Django, Wagtail, the URLconf and the views it
imports) moves to the garbage collector's permanent generation (`gc.freeze`), so a full collection no longer walks
those objects. Each request leaves a little cyclic garbage (Django's and DRF's request, view and response refer to
one another), which the collector frees in full collections now and then; before the freeze each of those walked
every object of the application and paused all of the worker's threads for about 250 ms under load (the messages
list's p99 at concurrency 8 was 170-290 ms against a p90 of about 40 ms; with it, about 60 ms).
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module now, not on the first request
    gc.collect()
    gc.freeze()
    worker.log.info("Worker %s froze %d objects of the loaded application", worker.pid, gc.get_freeze_count())
