"""Thin task interfaces over `search.indexing`: ids in, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from search.indexing import pending_update_apply, pending_updates_apply

# Beat: {"search-index-catch-up": {"task": "search.tasks.index_catch_up", "schedule": 30.0}}


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def index_update_apply(update_id: int) -> bool:
    return pending_update_apply(update_id=update_id)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def index_catch_up() -> int:
    return pending_updates_apply()
