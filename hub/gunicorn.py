"""gunicorn settings for the web process (`scripts/serve` passes `--config python:hub.gunicorn`).

After a worker has loaded the application, everything loaded so far (Django, Wagtail, the URLconf and the views it
imports) moves to the garbage collector's permanent generation (`gc.freeze`), so a full collection no longer walks
those objects. Each request leaves a little cyclic garbage (Django's and DRF's request, view and response refer to
one another), which the collector frees in full collections now and then; before the freeze each of those walked
every object of the application and paused all of the worker's threads under load, which set the messages list's
tail (timings in docs/benchmarks.md, "Garbage collection and the list's tail").
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
