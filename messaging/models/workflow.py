from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask, TaskState

from messaging.lifecycle import approval_refusal, held_update_offered_for_translation, revision_content


def follow_unchanged_revision(task_state: TaskState) -> None:
    """The admin editor saves a revision before running a workflow action. When that revision changes nothing,
    carry this step and the steps already approved over to it, so that approving does not restart the review
    (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT counts only approvals of the latest revision)."""
    latest = task_state.workflow_state.content_object.get_latest_revision()
    if latest is None or latest.pk == task_state.revision_id:
        return
    if revision_content(latest.content) != revision_content(task_state.revision.content):
        return
    task_state.workflow_state.copy_approved_task_states_to_revision(latest)
    task_state.revision = latest
    task_state.save(update_fields=["revision"])


class ApprovalForm(TaskStateCommentForm):
    release_before_translation = forms.BooleanField(
        label=_("Release the Arabic now, the translation to follow"),
        help_text=_(
            "Only for a first release whose translation is not approved yet. Without it, the message waits and "
            "goes live together with its approved translation."
        ),
        required=False,
    )
    hold_for_translation = forms.BooleanField(
        label=_("Hold this update until its translation is approved"),
        help_text=_(
            "Only for an update of a live message. Without it, the update goes out now and the translation is "
            "marked outdated until it catches up; with it, institutions keep the current version until the "
            "approved translation of this update goes live with it."
        ),
        required=False,
    )


class TwoPersonApprovalTask(AbstractGroupApprovalTask):
    """Group approval under the two-person rule (`messaging.lifecycle.approval_refusal`).

    A refused user keeps "Request changes" and still sees an "Approve" action, but it opens a dialogue that
    explains the refusal instead of a form; a forged request is refused by `on_action`. The publish action checks
    the whole rule again (`revision_cleared`), so no other door can put an unapproved revision live.
    """

    @staticmethod
    def refusal(task_state: TaskState | None, user: Any) -> str | None:
        if task_state is None or user is None or not user.is_authenticated:
            return None
        return approval_refusal(task_state, user)

    def _current_task_state(self, obj: Any) -> TaskState | None:
        workflow_state = getattr(obj, "current_workflow_state", None)
        return workflow_state.current_task_state if workflow_state else None

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        actions = super().get_actions(obj, user)
        if actions and self.refusal(self._current_task_state(obj), user):
            # Only approval is barred: the refused user may still request changes.
            kept = [action for action in actions if action[0] != "approve"]
            return [*kept, ("approve", _("Approve"), True)]
        return actions

    def get_form_for_action(self, action: str) -> Any:
        if action == "approve":
            return ApprovalForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action: str) -> str:
        if action == "approve":
            return "messaging/workflow/approve_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> Any:
        release_before_translation = kwargs.pop("release_before_translation", False)
        hold_for_translation = kwargs.pop("hold_for_translation", False)
        if action_name == "approve":
            refusal = self.refusal(task_state, user) if user is not None else None
            if refusal:
                raise PermissionDenied(refusal)
            follow_unchanged_revision(task_state)
            if _is_final_step(task_state):
                _record_release_choice(
                    task_state, user, before_translation=release_before_translation, hold=hold_for_translation
                )
        result = super().on_action(task_state, user, action_name, **kwargs)
        message = task_state.workflow_state.content_object
        if action_name == "approve" and getattr(message, "hold_for_translation", False):
            held_update_offered_for_translation(type(message).objects.get(pk=message.pk))
        return result

    @classmethod
    def get_description(cls) -> str:
        return str(_("Members of the chosen groups approve; nobody approves their own work."))

    class Meta:
        verbose_name = _("Two-person approval task")
        verbose_name_plural = _("Two-person approval tasks")


def _is_final_step(task_state: TaskState) -> bool:
    """Only the final step releases, so only its approver's choices count."""
    steps = task_state.workflow_state.workflow.workflow_tasks.filter(task__active=True).order_by("sort_order")
    return steps.values_list("task_id", flat=True).last() == task_state.task_id


def release_choices(task_state: TaskState | None) -> set[str]:
    """The approval form's choices that apply: only the final step of an Arabic source's review releases; "Arabic
    now, translation to follow" concerns a first release, "hold until the translation is approved" an update."""
    if task_state is None or not _is_final_step(task_state):
        return set()
    message = task_state.workflow_state.content_object
    if not getattr(message, "is_source", False):
        return set()
    return {"release_before_translation"} if message.version == 0 else {"hold_for_translation"}


def _record_release_choice(task_state: TaskState, user: Any, *, before_translation: bool, hold: bool) -> None:
    """The final approver's choice for a source whose translation is not ready: a first release may go out "Arabic
    now, translation to follow"; an update of a live message goes out at once (translation outdated) unless held.
    Each approval of an update decides again."""
    message = task_state.workflow_state.content_object
    if not getattr(message, "is_source", False):
        return
    if message.version == 0:
        if before_translation and not message.translation_to_follow:
            type(message).objects.filter(pk=message.pk).update(translation_to_follow=True)
            message.translation_to_follow = True
            log(instance=message, action="tawasul.release_before_translation", user=user)
        return
    if hold != message.hold_for_translation:
        type(message).objects.filter(pk=message.pk).update(hold_for_translation=hold)
        message.hold_for_translation = hold
    if hold:
        log(instance=message, action="tawasul.hold_for_translation", user=user)
