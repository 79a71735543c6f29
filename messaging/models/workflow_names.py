"""Workflow and task names in every admin language.

Wagtail keeps one `name` per workflow and per task, and shows it in many places (the editor's "Submit to …", the
status panel's "Awaiting …", the lock banner, the dashboard, the workflow history, notification e-mails). The
`name` column holds the English name; `WorkflowName` rows hold the name in other languages. When a workflow or task
is loaded, its `name` becomes a `LocalizedName`: a string equal to the stored name, so lookups, comparisons,
serialisation, `str()` and the audit log's data keep the stored name, while templates and `str.format` show the name
in the active language (`shown`); so does `str()` during an admin request (`AdminNamesMiddleware`), for Wagtail's
`%`-formatted texts ("Sent to …").

A name typed in the workflow or task form of the Arabic admin is saved as the Arabic name; the stored (English) name
is kept.
"""

from __future__ import annotations

import contextvars
import time
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, Workflow

# How long a process trusts its copy of the names; a change made in this process is seen at once.
NAMES_TTL_SECONDS = 60.0


class WorkflowName(models.Model):
    class Kind(models.TextChoices):
        WORKFLOW = "workflow", _("workflow")
        TASK = "task", _("task")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("workflow or task"))
    language = models.CharField(_("language"), max_length=8)
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("workflow name")
        verbose_name_plural = _("workflow names")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "language"], name="workflow_name_once_per_language")
        ]

    def __str__(self) -> str:
        return self.name


_names: dict[tuple[str, int, str], str] = {}
in_admin_request: contextvars.ContextVar[bool] = contextvars.ContextVar("tawasul_admin_request", default=False)
_loaded_at = 0.0


def _kind_of(instance: Any) -> str | None:
    if isinstance(instance, Workflow):
        return WorkflowName.Kind.WORKFLOW
    if isinstance(instance, Task):
        return WorkflowName.Kind.TASK
    return None


def names_forget() -> None:
    global _loaded_at
    _loaded_at = 0.0


def name_in(kind: str, object_id: int | None, language: str | None) -> str | None:
    """The name of a workflow or task in a language, if it has one there."""
    global _names, _loaded_at
    if object_id is None or not language:
        return None
    if time.monotonic() - _loaded_at > NAMES_TTL_SECONDS:
        _names = {(row.kind, row.object_id, row.language): row.name for row in WorkflowName.objects.all()}
        _loaded_at = time.monotonic()
    return _names.get((kind, object_id, language.split("-")[0]))


def name_set(instance: Workflow | Task, language: str, name: str) -> None:
    kind = _kind_of(instance)
    assert kind is not None
    WorkflowName.objects.update_or_create(kind=kind, object_id=instance.pk, language=language, defaults={"name": name})
    names_forget()


class LocalizedName(str):
    """The stored name, shown in the active language."""

    kind: str
    object_id: int | None

    def __new__(cls, stored: str, kind: str, object_id: int | None) -> LocalizedName:
        # `str.__new__` would take the text of a LocalizedName (its translation), not the stored name.
        value = super().__new__(cls, str.__str__(stored))
        value.kind = kind
        value.object_id = object_id
        return value

    @property
    def stored(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        # In the admin's own requests (`AdminNamesMiddleware`), `str()` and `%` show the reader's language too, as in
        # Wagtail's "Sent to …" status. Elsewhere (serialisation, dumpdata, commands) `str()` is the stored name.
        return self.shown if in_admin_request.get() else self.stored

    @property
    def shown(self) -> str:
        """The name in the active language, or the stored name."""
        return name_in(self.kind, self.object_id, translation.get_language()) or self.stored

    def __html__(self) -> str:
        # Templates (`{{ task.name }}`, `{% blocktranslate with task=task.name %}`) escape through `__html__`.
        return escape(self.shown)

    def __format__(self, format_spec: str) -> str:
        # `"… '{task_name}' …".format(...)`, as in Wagtail's lock message.
        return format(self.shown, format_spec)

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return str, (self.stored,)


def name_localize(sender: Any, instance: Any, **kwargs: Any) -> None:
    """`post_init`: a loaded workflow's or task's name speaks the reader's language."""
    kind = _kind_of(instance)
    name = instance.__dict__.get("name")
    if kind is None or instance.pk is None or not isinstance(name, str):
        return
    instance.name = LocalizedName(name, kind, instance.pk)


def name_edited(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """`pre_save`: a name typed in a form (a plain string, no longer the loaded `LocalizedName`) in a language other
    than English is that language's name; the stored name stays."""
    kind = _kind_of(instance)
    name = instance.__dict__.get("name")
    if raw or kind is None or instance.pk is None or isinstance(name, LocalizedName) or not isinstance(name, str):
        return
    language = (translation.get_language() or "en").split("-")[0]
    if language == "en":
        return
    stored = type(instance).objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    if stored is None or stored == name:
        return
    name_set(instance, language, name)
    instance.name = LocalizedName(stored, kind, instance.pk)


def shown_name(name: Any) -> str:
    """A workflow's or task's name in the active language, for text built with `%` (which takes `str()`)."""
    return name.shown if isinstance(name, LocalizedName) else str(name)


def log_data_in_reader_language(data: Any) -> Any:
    """A copy of a workflow log entry's data whose workflow and task titles (stored as the names were when the entry
    was written) are the names in the active language."""
    if not isinstance(data, dict) or not isinstance(data.get("workflow"), dict):
        return data
    language = translation.get_language()
    workflow = dict(data["workflow"])
    if "title" in workflow:
        workflow["title"] = name_in(WorkflowName.Kind.WORKFLOW, workflow.get("id"), language) or workflow["title"]
    for key in ("task", "next"):
        task = workflow.get(key)
        if isinstance(task, dict) and "title" in task:
            workflow[key] = {
                **task,
                "title": name_in(WorkflowName.Kind.TASK, task.get("id"), language) or task["title"],
            }
    return {**data, "workflow": workflow}
