from typing import Any

from django import template

from messaging.models.workflow import TwoPersonApprovalTask

register = template.Library()


@register.filter
def approval_refusal(task_state: Any, user: Any) -> str | None:
    """Why this user may not approve this step (the two-person rule), or None."""
    return TwoPersonApprovalTask.refusal(task_state, user)
