"""A real SMTP server for the subscription tests: aiosmtpd listening on a free loopback port, with Django's SMTP
backend pointed at it. Each test sees the e-mails the server accepted, parsed as a mail client would."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest

from tests.smtp_server import smtp_server

PUBLIC_DOMAIN = "@example.org"  # subscribers; staff (UserFactory, @example.test) get workflow notifications


@dataclass
class Mailbox:
    received: list[EmailMessage] = field(default_factory=list)  # mail to the public
    staff: list[EmailMessage] = field(default_factory=list)  # Wagtail's workflow notifications to editors
    refuse_next: int = 0  # answer this many DATA commands with a temporary failure

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        public = all(address.endswith(PUBLIC_DOMAIN) for address in envelope.rcpt_tos)
        (self.received if public else self.staff).append(parsed)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.received if message["To"] == address]


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    with smtp_server(mailbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5
        settings.TAWASUL_PUBLIC_BASE_URL = "https://tawasul.example"
        yield mailbox
