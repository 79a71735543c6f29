from typing import Any

from django import template

from messaging.models.workflow import TwoPersonApprovalTask

register = template.Library()


@register.filter
def is_own_work(task_state: Any, user: Any) -> bool:
    return TwoPersonApprovalTask.is_own_work(task_state, user)
