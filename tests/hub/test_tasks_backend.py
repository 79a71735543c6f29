"""Wagtail's django-tasks tasks sent through Celery in production."""

from __future__ import annotations

from unittest import mock

import pytest
from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

from hub.tasks_backend import CeleryTaskBackend, django_task_run

CALLS: list[tuple] = []


@task()
def record_call(label: str, number: int) -> str:
    CALLS.append((label, number))
    return f"{label}:{number}"


@pytest.fixture
def backend() -> CeleryTaskBackend:
    return CeleryTaskBackend("default", {})


def test_tasks_backend_sends_the_import_path_and_json_arguments_on_commit(backend, django_capture_on_commit_callbacks):
    with mock.patch.object(django_task_run, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as pending:
            result = backend.enqueue(record_call, ["a"], {"number": 2})
        send.assert_not_called()
        for callback in pending:
            callback()
    args = send.call_args.kwargs
    assert send.call_args.args[0] == (record_call.module_path, ["a"], {"number": 2})
    assert args["task_id"] == result.id and result.enqueued_at is not None


def test_tasks_backend_celery_task_runs_the_django_task():
    CALLS.clear()
    assert django_task_run.apply(args=(record_call.module_path, ["b"], {"number": 3})).get() == "b:3"
    assert CALLS == [("b", 3)]


def test_tasks_backend_refuses_arguments_that_are_not_json(backend):
    with pytest.raises(InvalidTaskError):
        backend.enqueue(record_call, [object()], {"number": 1})


@pytest.mark.django_db
def test_tasks_backend_runs_enqueued_tasks_through_celery(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "hub.tasks_backend.CeleryTaskBackend"}}
    CALLS.clear()
    assert isinstance(record_call.get_backend(), CeleryTaskBackend)
    with django_capture_on_commit_callbacks(execute=True):
        result = record_call.enqueue("c", number=4)
    assert CALLS == [("c", 4)] and result.backend == "default"
