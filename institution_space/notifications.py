"""E-mail to an institution's contacts when a message addressed to it is released, updated or withdrawn.

An outbox consumer (`event_notify`, run by the relay with the other handlers) writes one row per (event, contact)
and hands each to Celery once committed; the task sends it and marks it sent, so a re-run of the relay or of the
task sends nothing twice. Only the Arabic source row's events are mailed: one e-mail per change, not per language.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from hub.celery import task
from institution_space.enums import NotificationStatus
from institution_space.models import ContactNotification, InstitutionContact
from institution_space.selectors import published_title
from messaging.enums import EventKind
from messaging.models import SOURCE_LANGUAGE, MessageEvent, MessageEventRecipient

logger = logging.getLogger("tawasul")
NOTIFIED_KINDS: dict[str, str] = {
    EventKind.PUBLISHED: "released",
    EventKind.UPDATED: "updated",
    EventKind.AUDIENCE_CHANGED: "updated",
    EventKind.WITHDRAWN: "withdrawn",
    EventKind.EXPIRED: "withdrawn",
    EventKind.SUPERSEDED: "withdrawn",
}


def contacts_concerned(event: MessageEvent) -> Any:
    """Contacts to tell: of every active institution for an event addressed to all, else of its audience (not of
    institutions that only lost access)."""
    contacts = InstitutionContact.objects.filter(notify=True, institution__is_active=True)
    if event.audience_all:
        return contacts
    audience = MessageEventRecipient.objects.filter(event=event, removed=False).values("institution_id")
    return contacts.filter(Q(institution_id__in=audience))


def event_notify(event: MessageEvent) -> None:
    if event.language_code != SOURCE_LANGUAGE or event.kind not in NOTIFIED_KINDS:
        return
    rows = [ContactNotification(event=event, contact=contact) for contact in contacts_concerned(event)]
    ContactNotification.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(
        ContactNotification.objects.filter(event=event, status=NotificationStatus.PENDING).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue(pending))


def _enqueue(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        try:
            task("institution_space.tasks.contact_notification_send").delay(notification_id)
        except Exception:
            logger.warning("Broker unavailable; notification %s left for the sweeper", notification_id)
            return


def _portal_url(event: MessageEvent) -> str:
    name = "institution_space:home" if NOTIFIED_KINDS[event.kind] == "withdrawn" else "institution_space:message"
    kwargs = {} if name.endswith("home") else {"key": event.translation_key}
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def notification_send(*, notification_id: int) -> bool:
    """Send one notification unless it was sent already. SMTP errors propagate, so the task retries."""
    with transaction.atomic():
        notification = (
            ContactNotification.objects.select_for_update()
            .select_related("event", "contact__institution")
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:
            return False
        notification.attempts += 1
        notification.save(update_fields=["attempts"])
    event, contact = notification.event, notification.contact
    with translation.override(contact.language):
        context = {
            "contact": contact,
            "event": event,
            "change": NOTIFIED_KINDS[event.kind],
            "title": published_title(event),
            "url": _portal_url(event),
            "language": contact.language,
            "rtl": translation.get_language_bidi(),
        }
        email = EmailMultiAlternatives(
            subject=render_to_string("institution_space/mail/change_subject.txt", context).strip(),
            body=render_to_string("institution_space/mail/change.txt", context),
            to=[contact.email],
        )
        email.attach_alternative(render_to_string("institution_space/mail/change.html", context), "text/html")
    try:
        email.send()
    except Exception as error:
        ContactNotification.objects.filter(pk=notification_id).update(last_error=str(error)[:500])
        raise
    ContactNotification.objects.filter(pk=notification_id).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def notifications_pending_enqueue(*, older_than_seconds: int = 60) -> int:
    """Re-send notifications left pending (a broker outage, a worker lost mid-task)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    pending = list(
        ContactNotification.objects.filter(status=NotificationStatus.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
    _enqueue(pending)
    return len(pending)
