"""E-mail to institutions' contacts, sent by Celery from the outbox, received by a real SMTP server (aiosmtpd)
that the test starts on a free local port."""

from __future__ import annotations

import email
import time
from collections.abc import Iterator
from email.header import decode_header, make_header

import pytest

from institution_space.enums import ContactRole
from institution_space.models import ContactNotification, InstitutionContact
from messaging.services.messages import message_withdraw
from messaging.services.relay import event_process
from tests.factories import InstitutionFactory, MessageFactory, release
from tests.smtp_server import free_port, smtp_server

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        # Contacts' addresses end in ".example"; Wagtail's own workflow e-mails to staff (".test") are left out.
        if all(recipient.endswith(".example") for recipient in envelope.rcpt_tos):
            self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 10) -> list[email.message.Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp(settings) -> Iterator[Inbox]:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield inbox


def subject(message: email.message.Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def parts(message: email.message.Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if not part.is_multipart()
    }


@pytest.fixture
def contacts(db: None):
    moi, gcc = InstitutionFactory(slug="moi"), InstitutionFactory(slug="gcc")
    arabic = InstitutionContact.objects.create(
        institution=moi, role=ContactRole.SPOKESPERSON, name="سالم", email="spokesperson@moi.example", language="ar"
    )
    english = InstitutionContact.objects.create(
        institution=moi, role=ContactRole.MEDIA_DIRECTOR, name="Mona", email="media@moi.example", language="en"
    )
    InstitutionContact.objects.create(
        institution=gcc, role=ContactRole.SPOKESPERSON, name="Other", email="spokesperson@gcc.example"
    )
    InstitutionContact.objects.create(
        institution=moi, role=ContactRole.OTHER, name="Quiet", email="quiet@moi.example", notify=False
    )
    return moi, arabic, english


def test_release_update_and_withdrawal_are_mailed_to_the_audience_contacts_in_their_language(
    smtp, contacts, approver, django_capture_on_commit_callbacks
):
    moi, _arabic, _english = contacts
    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory.create_published(title="رسالة الطاقة", audience_of=[moi])
    received = smtp.wait_for(2)
    assert sorted(m["To"] for m in received) == ["media@moi.example", "spokesperson@moi.example"]
    by_recipient = {m["To"]: m for m in received}
    arabic_mail, english_mail = by_recipient["spokesperson@moi.example"], by_recipient["media@moi.example"]
    assert subject(english_mail) == "New approved message: رسالة الطاقة"
    assert "رسالة معتمدة جديدة" in subject(arabic_mail)
    arabic_html = parts(arabic_mail)["text/html"]
    assert 'dir="rtl"' in arabic_html and 'lang="ar"' in arabic_html
    assert 'dir="ltr"' in parts(english_mail)["text/html"]
    assert f"/en/institution/messages/{message.translation_key}/" in parts(english_mail)["text/plain"]

    with django_capture_on_commit_callbacks(execute=True):
        message.change_note = "أرقام محدثة"
        message.save_revision(user=approver)
        release(message)
    updated = smtp.wait_for(4)[2:]
    assert {subject(m) for m in updated} >= {"Message updated: رسالة الطاقة"}

    with django_capture_on_commit_callbacks(execute=True):
        message_withdraw(message=message, user=approver, reason="سحب للتحديث")
    withdrawn = smtp.wait_for(6)[4:]
    assert {subject(m) for m in withdrawn} >= {"Message withdrawn: رسالة الطاقة"}
    assert len(smtp.messages) == 6  # nothing for the other institution nor for a contact who opted out
    assert ContactNotification.objects.filter(status="sent").count() == 6


def test_message_to_everyone_reaches_every_institution_and_a_rerun_sends_nothing_twice(
    smtp, contacts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = MessageFactory.create_published(title="للجميع")
    assert len(smtp.wait_for(3)) == 3
    event = message.events.get()
    event.processed_at = None
    event.save(update_fields=["processed_at"])
    with django_capture_on_commit_callbacks(execute=True):
        event_process(event_id=event.pk)
    time.sleep(0.3)
    assert len(smtp.messages) == 3


def test_smtp_down_leaves_the_notification_pending_for_the_sweeper(
    settings, contacts, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        MessageFactory.create_published(audience_of=[contacts[0]])
    pending = ContactNotification.objects.all()
    assert pending.count() == 2 and all(n.status == "pending" and n.last_error for n in pending)
