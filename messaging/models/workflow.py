from __future__ import annotations

import itertools
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Revision, TaskState

# Revision fields that change without anyone changing the content (saving, locking, publishing, tree moves).
VOLATILE_REVISION_KEYS = frozenset(
    {
        "pk", "latest_revision", "latest_revision_created_at", "live_revision", "live", "has_unpublished_changes",
        "locked", "locked_at", "locked_by", "updated_at", "first_published_at", "last_published_at", "expired",
        "draft_title", "path", "depth", "numchild", "url_path", "wagtail_admin_comments", "version",
        "source_revision",
    }
)  # fmt: skip


def _content(revision: Revision) -> dict[str, Any]:
    return {
        key: _structured(value) for key, value in (revision.content or {}).items() if key not in VOLATILE_REVISION_KEYS
    }


def _structured(value: Any) -> Any:
    """StreamField values sit in revisions as JSON text whose key order depends on the database (jsonb sorts keys
    on PostgreSQL), so compare them parsed."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def content_author_ids(task_state: TaskState) -> set[int]:
    """Who wrote the content under review: the author of the submitted revision and of every later revision that
    changed it. A reviewer whose save changed nothing (the editor saves before running a workflow action) is not an
    author; one who edited the content is, and needs another reviewer."""
    workflow_state = task_state.workflow_state
    submitted = TaskState.objects.filter(workflow_state=workflow_state).order_by("id").first() or task_state
    revisions = list(
        Revision.objects.filter(
            base_content_type_id=submitted.revision.base_content_type_id,
            object_id=submitted.revision.object_id,
            id__gte=submitted.revision_id,
        )
        .order_by("id")
        .only("id", "user_id", "content")
    )
    authors = {revisions[0].user_id} if revisions else set()
    for previous, current in itertools.pairwise(revisions):
        if _content(current) != _content(previous):
            authors.add(current.user_id)
    return {author for author in authors if author is not None}


def _follow_unchanged_revision(task_state: TaskState) -> None:
    """The admin editor saves a revision before running a workflow action. When that revision changes nothing,
    carry this step and the steps already approved over to it, so that approving does not restart the review
    (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT counts only approvals of the latest revision)."""
    latest = task_state.workflow_state.content_object.get_latest_revision()
    if latest is None or latest.pk == task_state.revision_id or _content(latest) != _content(task_state.revision):
        return
    task_state.workflow_state.copy_approved_task_states_to_revision(latest)
    task_state.revision = latest
    task_state.save(update_fields=["revision"])


SELF_APPROVAL_REFUSED = _(
    "Two-person rule: you submitted or wrote this revision, so another member of the group must approve it."
)


class TwoPersonApprovalTask(AbstractGroupApprovalTask):
    """Group approval that refuses approval by whoever submitted the workflow or wrote the revision under review.

    The rule binds superusers too. The submitter still sees an "Approve" action, but it opens a dialogue
    that explains the refusal instead of a form; a forged request is refused by `on_action`.
    """

    @staticmethod
    def is_own_work(task_state: TaskState | None, user: Any) -> bool:
        if task_state is None or user is None or not user.is_authenticated:
            return False
        return user.pk == task_state.workflow_state.requested_by_id or user.pk in content_author_ids(task_state)

    def _current_task_state(self, obj: Any) -> TaskState | None:
        workflow_state = getattr(obj, "current_workflow_state", None)
        return workflow_state.current_task_state if workflow_state else None

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        actions = super().get_actions(obj, user)
        if actions and self.is_own_work(self._current_task_state(obj), user):
            return [("approve", _("Approve"), True)]
        return actions

    def get_template_for_action(self, action: str) -> str:
        if action == "approve":
            return "messaging/workflow/approve_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> Any:
        if action_name == "approve":
            if self.is_own_work(task_state, user):
                raise PermissionDenied(SELF_APPROVAL_REFUSED)
            _follow_unchanged_revision(task_state)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return str(_("Members of the chosen groups approve; nobody approves their own work."))

    class Meta:
        verbose_name = _("Two-person approval task")
        verbose_name_plural = _("Two-person approval tasks")
