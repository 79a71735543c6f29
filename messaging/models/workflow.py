from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

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
        workflow_state = task_state.workflow_state
        authors = {workflow_state.requested_by_id, getattr(task_state.revision, "user_id", None)}
        return user.pk in authors

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
        if action_name == "approve" and self.is_own_work(task_state, user):
            raise PermissionDenied(SELF_APPROVAL_REFUSED)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls) -> str:
        return str(_("Members of the chosen groups approve; nobody approves their own work."))

    class Meta:
        verbose_name = _("Two-person approval task")
        verbose_name_plural = _("Two-person approval tasks")
