from typing import Any

from django import template

from messaging.models.workflow import TwoPersonApprovalTask, release_choices

register = template.Library()


@register.filter
def approval_refusal(task_state: Any, user: Any) -> str | None:
    """Why this user may not approve this step (the two-person rule), or None."""
    return TwoPersonApprovalTask.refusal(task_state, user)


@register.filter
def release_choice_shown(field: Any, task_state: Any) -> bool:
    """The approval form's release choices appear only where they mean something (`release_choices`)."""
    if field.name not in ("release_before_translation", "hold_for_translation"):
        return True
    return field.name in release_choices(task_state)
