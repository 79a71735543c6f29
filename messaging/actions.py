"""Wagtail's publish and unpublish actions for messages, extended with versioning and the event outbox.

Every path that publishes a message (the editor, workflow approval, scheduled publishing, wagtail-localize,
our own services) goes through `Message.publish`, hence through here, so the version, the outbox row and the
audit log are written in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.actions.unpublish import UnpublishAction

from messaging.enums import EventKind
from messaging.services.events import audience_snapshot, event_record, feed_shows_live


class PublishMessageAction(PublishRevisionAction):
    def _publish_revision(
        self,
        revision: Any,
        object: Any,
        user: Any,
        changed: bool,
        log_action: bool,
        previous_revision: Any = None,
    ) -> None:
        from messaging.models import Message

        with transaction.atomic():
            goes_live_now = not (object.go_live_at and object.go_live_at > timezone.now())
            stored = Message.objects.filter(pk=object.pk).first()
            before = audience_snapshot(stored) if stored and feed_shows_live(stored) else None
            if goes_live_now:
                self._stamp_version(object, stored)
            super()._publish_revision(revision, object, user, changed, log_action, previous_revision)
            if object.live and goes_live_now:
                kind = EventKind.UPDATED if before else EventKind.PUBLISHED
                event_record(message=object, kind=kind, previous_audience=before)
                if object.supersedes_id:
                    _withdraw_superseded(object, user)

    @staticmethod
    def _stamp_version(message: Any, stored: Any) -> None:
        if message.is_source:
            message.version = (stored.version if stored else 0) + 1
            message.source_revision = None
            return
        source = message.source_translation()
        if source is not None:
            message.version = source.version
            message.source_revision_id = source.live_revision_id


class UnpublishMessageAction(UnpublishAction):
    def _unpublish_object(self, object: Any, set_expired: bool, commit: bool, user: Any, log_action: Any) -> None:
        was_live = object.live
        with transaction.atomic():
            super()._unpublish_object(object, set_expired, commit, user, log_action)
            if was_live and commit and feed_shows_live(object):
                kind = getattr(self, "event_kind", None) or (EventKind.EXPIRED if set_expired else EventKind.WITHDRAWN)
                event_record(message=object, kind=kind, previous_audience=audience_snapshot(object))


def _withdraw_superseded(message: Any, user: Any) -> None:
    from messaging.models import Message

    for old in Message.objects.filter(translation_key=message.supersedes.translation_key, live=True):
        action = UnpublishMessageAction(old, user=user)
        action.event_kind = EventKind.SUPERSEDED
        action.execute(skip_permission_checks=True)
