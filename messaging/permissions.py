from typing import Any

from wagtail.permissions import policy_registry

from messaging.models import Message


def message_permission_policy() -> Any:
    return policy_registry.get_by_type(Message)
