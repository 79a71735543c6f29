"""Wagtail's own background tasks (django-tasks) run through Celery in production.

The published Celery backends for django-tasks did not fit (one needs Python 3.12 and Django 6, the other is a
first 0.1 release), so this is a small adapter: `enqueue` sends one generic Celery task carrying the task's import
path and its JSON arguments; the worker imports the function and calls it. Results are not kept (Wagtail reads
none), so `get_result` is not supported.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from celery import shared_task
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.exceptions import InvalidTaskError
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id

from hub.celery import RETRY_POLICY

T = TypeVar("T")


class CeleryTaskBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task[Any, T], args: Any, kwargs: Any) -> TaskResult[T]:
        self.validate_task(task)
        try:
            json.dumps([args, kwargs])
        except TypeError as error:
            raise InvalidTaskError(f"Arguments of {task.module_path} must be JSON-serialisable.") from error
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def send() -> None:
            django_task_run.apply_async(
                (task.module_path, list(args), dict(kwargs)),
                task_id=result.id,
                eta=task.run_after,
                queue=None if task.queue_name == "default" else task.queue_name,
            )
            object.__setattr__(result, "enqueued_at", timezone.now())
            task_enqueued.send(type(self), task_result=result)

        # Wagtail enqueues inside the transaction that wrote what the task reads.
        transaction.on_commit(send)
        return result


@shared_task(
    acks_late=True,
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    time_limit=300,
    soft_time_limit=280,
    **RETRY_POLICY,
)
def django_task_run(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    task = import_string(module_path)
    if not isinstance(task, Task):
        raise InvalidTaskError(f"{module_path} is not a django-tasks task.")
    return task.call(*args, **kwargs)
