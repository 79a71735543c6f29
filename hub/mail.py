"""E-mail in the embedded setup (`make run`): one console line per message, the whole message in a file."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class ConsoleLineBackend(BaseEmailBackend):
    """Writes each message, whole (headers, text and HTML parts, links), to its own `.eml` file under
    `TAWASUL_MAIL_DIR`, which any mail client opens, and prints one line to the console: who it is for, its subject
    and the file."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.directory = Path(settings.TAWASUL_MAIL_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            path = self.directory / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            print(f"[mail] to {', '.join(message.recipients())}: {message.subject}  ({path})", file=sys.stderr)
            sent += 1
        return sent
