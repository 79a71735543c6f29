"""Wagtail's publish, unpublish and delete actions for messages, extended with the lifecycle's rules.

Every path that publishes a message (the editor, workflow approval, scheduled publishing, wagtail-localize, our
services) ends in `Message.publish`, hence in `PublishMessageAction`; every path that takes one offline (the
admin's unpublish, expiry, supersession, deletion, our services) ends in `UnpublishMessageAction`. They ask
`messaging.lifecycle` whether and how, then write the version, the outbox events and the audit log in one
transaction. `Message.save` refuses a change of `live` made anywhere else.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.actions.delete import DeleteAction
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.actions.unpublish import UnpublishAction
from wagtail.log_actions import log

from messaging.enums import EventKind
from messaging.lifecycle import SOURCE_LANGUAGE, lifecycle_transition, release_plan
from messaging.models import Message
from messaging.services.events import AudienceSnapshot, audience_snapshot, event_record, feed_shows_live


class PublishMessageAction(PublishRevisionAction):
    def __init__(self, revision: Any, user: Any = None, *, emergency_reason: str = "", **kwargs: Any) -> None:
        super().__init__(revision, user=user, **kwargs)
        self.emergency_reason = emergency_reason

    def _publish_revision(
        self,
        revision: Any,
        object: Any,
        user: Any,
        changed: bool,
        log_action: bool,
        previous_revision: Any = None,
    ) -> None:
        with transaction.atomic():
            stored = Message.objects.select_for_update().filter(pk=object.pk).first()
            if stored is not None:  # state the revision does not carry
                object.version = stored.version
                object.translation_to_follow = stored.translation_to_follow
                object.emergency_unreviewed = stored.emergency_unreviewed
                object.hold_for_translation = stored.hold_for_translation
            plan = release_plan(object, revision, emergency=bool(self.emergency_reason))
            if plan.hold is not None:
                log(instance=object, action="tawasul.release_held", user=user, data={"reason": plan.hold})
                if plan.source_to_release is not None:
                    plan.source_to_release.publish(user=user, skip_permission_checks=True)
                return
            if self.emergency_reason and object.go_live_at and object.go_live_at > timezone.now():
                object.go_live_at = None  # an emergency release goes live now, whatever schedule the draft carried
            goes_live_now = not (object.go_live_at and object.go_live_at > timezone.now())
            before = audience_snapshot(stored) if stored and feed_shows_live(stored) else None
            if not object.is_source:
                _follow_source_reach(object)
            if goes_live_now:
                self._stamp_version(object, stored)
                if object.is_source:
                    object.emergency_unreviewed = bool(self.emergency_reason)
                    if self.emergency_reason and object.version == 1:
                        object.translation_to_follow = True
            with lifecycle_transition():
                super()._publish_revision(revision, object, user, changed, log_action, previous_revision)
            if self.emergency_reason:
                log(
                    instance=object,
                    action="tawasul.emergency_publish",
                    user=user,
                    data={"reason": self.emergency_reason},
                )
            if object.live and goes_live_now:
                _share_message_flags(object)
                event_record(message=object, kind=_release_kind(object, before), previous_audience=before)
                if object.is_source:
                    _share_reach(object, user)
                if object.supersedes_id:
                    _withdraw_superseded(object, user)
                for companion in plan.companions:
                    companion.publish(user=user, skip_permission_checks=True)

    @staticmethod
    def _stamp_version(message: Any, stored: Any) -> None:
        if message.is_source:
            message.version = (stored.version if stored else 0) + 1
            message.source_revision = None
            message.hold_for_translation = False  # the held update goes live now
            return
        source = message.source_translation()
        if source is not None:
            message.version = source.version
            message.source_revision_id = source.live_revision_id


class UnpublishMessageAction(UnpublishAction):
    """Withdraws a message: every language together, with a reason, one tombstone event per language."""

    def __init__(self, object: Any, *, reason: str = "", kind: EventKind | None = None, **kwargs: Any) -> None:
        super().__init__(object, **kwargs)
        self.reason = reason
        self.kind = kind

    def execute(self, skip_permission_checks: bool = False) -> None:
        self.check(skip_permission_checks=skip_permission_checks)
        if not self.commit:
            with lifecycle_transition():
                self._unpublish_object(self.object, self.set_expired, False, self.user, self.log_action)
            return
        kind = self.kind or (EventKind.EXPIRED if self.set_expired else EventKind.WITHDRAWN)
        with transaction.atomic():
            rows = Message.objects.select_for_update().filter(translation_key=self.object.translation_key, live=True)
            for row in rows.order_by("locale__language_code"):
                told_live = feed_shows_live(row)
                before = audience_snapshot(row)
                with lifecycle_transition():
                    self._unpublish_object(row, self.set_expired, True, self.user, False)
                if self.log_action:
                    action = self.log_action if isinstance(self.log_action, str) else "wagtail.unpublish"
                    log(instance=row, action=action, user=self.user, data={"reason": self.reason, "kind": kind})
                if told_live:
                    event_record(message=row, kind=kind, previous_audience=before, data={"reason": self.reason})
        self.object.live = False


class DeleteMessageAction(DeleteAction):
    """Deleting a live message withdraws it first (every language, a tombstone for whoever could see it)."""

    def __init__(self, instance: Any, user: Any = None, *, reason: str = "", **kwargs: Any) -> None:
        super().__init__(instance, user=user, **kwargs)
        self.reason = reason

    def _delete(self) -> Any:
        with transaction.atomic():
            if Message.objects.filter(translation_key=self.instance.translation_key, live=True).exists():
                UnpublishMessageAction(self.instance, user=self.user, reason=self.reason or "deleted").execute(
                    skip_permission_checks=True
                )
                self.instance.live = False
            return super()._delete()


def _release_kind(message: Any, before: AudienceSnapshot | None) -> EventKind:
    """A first release is `published`; a new version of a live message is `updated`, or `audience_changed` when
    its audience changed (whatever else changed too: the item carries the new document). Institutions that lost
    access get `message.access_removed` instead (`event_record`)."""
    if before is None:
        return EventKind.PUBLISHED
    return EventKind.AUDIENCE_CHANGED if audience_snapshot(message) != before else EventKind.UPDATED


def _share_message_flags(released: Any) -> None:
    """The flags "not reviewed" and "translation to follow" describe the message, so every language row carries
    the source's (the API shows them whichever languages a caller asks for). A translation going live ends "to
    follow"."""
    rows = Message.objects.filter(translation_key=released.translation_key)
    source = rows.filter(locale__language_code=SOURCE_LANGUAGE).values("emergency_unreviewed", "translation_to_follow")
    flags = source.first() or {}
    if not released.is_source and released.live:
        flags["translation_to_follow"] = False
    rows.update(**flags)


# Who may see a message and when the public may: decided on the source, carried by every language row (with the
# `audience` institutions).
REACH_FIELDS = ("audience_all", "is_public", "embargo_until")


def _follow_source_reach(translation: Any) -> None:
    """A translation goes live with its source's reach, whatever the revision it was made from said."""
    source = translation.source_translation()
    if source is None:
        return
    for name in REACH_FIELDS:
        setattr(translation, name, getattr(source, name))
    translation.audience = list(source.audience.all())


def _share_reach(source: Any, user: Any) -> None:
    """Who may see a message, and when the public may, is decided on its source: when the source goes live with
    another reach, every other language row takes it at once, and a live translation gets an event of its own, so
    an institution left out is sent a tombstone for that language too (change feed, webhooks)."""
    after = audience_snapshot(source)
    through = Message.audience.through
    rows = Message.objects.select_for_update().filter(translation_key=source.translation_key).exclude(pk=source.pk)
    reach = {name: getattr(source, name) for name in REACH_FIELDS}
    for row in rows:
        before = audience_snapshot(row)
        if before == after and all(getattr(row, name) == value for name, value in reach.items()):
            continue
        Message.objects.filter(pk=row.pk).update(**reach)
        through.objects.filter(message_id=row.pk).delete()
        through.objects.bulk_create(
            [through(message_id=row.pk, institution_id=pk) for pk in sorted(after.institution_ids)]
        )
        if before != after and feed_shows_live(row):
            row = Message.objects.get(pk=row.pk)
            event_record(message=row, kind=EventKind.AUDIENCE_CHANGED, previous_audience=before)
            log(instance=row, action="wagtail.edit", user=user, data={"audience_from_source": True})


def _withdraw_superseded(message: Any, user: Any) -> None:
    old = Message.objects.filter(translation_key=message.supersedes.translation_key, live=True).first()
    if old is not None:
        UnpublishMessageAction(old, user=user, kind=EventKind.SUPERSEDED, reason=str(message.translation_key)).execute(
            skip_permission_checks=True
        )
