"""The Celery app. Settings come from Django's (`CELERY_*`); tasks are found in each app's `tasks` module.

Embedded and test settings run tasks in-process (`CELERY_TASK_ALWAYS_EAGER`); production sends them to Redis.
Webhook deliveries go to a `webhooks` queue and everything else to `celery` (`CELERY_TASK_ROUTES`); a worker
started without `-Q` consumes both, and `-Q celery` / `-Q webhooks` give each its own worker.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.embedded")

# Retries for transient failures: exponential backoff (2 s, 4 s, 8 s … capped at 10 min) with full jitter.
RETRY_POLICY = {"max_retries": 8, "retry_backoff": 2, "retry_backoff_max": 600, "retry_jitter": True}

app = Celery("tawasul")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task(name: str) -> Any:
    """A registered task by its name (`"messaging.tasks.event_relay"`). Services enqueue through this rather than
    importing the tasks module, which sits above them (a task loads by id and calls the service); each app's
    `AppConfig.ready()` imports its tasks module, so the name is registered in every process."""
    return app.tasks[name]


@beat_init.connect
def catch_up_on_start(sender: Any, **kwargs: Any) -> None:
    """A beat that starts (or returns after being down) sends every periodic task at once rather than a period
    later: each works from database state, so whatever fell due while beat was away is done now."""
    for entry in sender.app.conf.beat_schedule.values():
        sender.app.send_task(entry["task"], **entry.get("options", {}))
