from __future__ import annotations

from collections.abc import Callable
from typing import Any

from messaging.models.workflow_names import in_admin_request


class AdminNamesMiddleware:
    """During a request to the admin, workflow and task names are text in the reader's language (see `__str__`)."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if not request.path_info.startswith("/admin/"):
            return self.get_response(request)
        token = in_admin_request.set(True)
        try:
            return self.get_response(request)
        finally:
            in_admin_request.reset(token)
