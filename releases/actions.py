"""Putting a release live, and withdrawing it, each as one transaction.

Going live (`PublishReleaseAction`, reached by every door that publishes a release: workflow approval, Wagtail's
scheduled publishing, the admin's "Go live now") publishes every member through the members' own publish actions
(`PublishMessageAction` for messages, so the two-person rule, parity and versions apply as ever), inside one
transaction that holds the change feed's counter lock from its first event to commit: the members' events take one
contiguous run of positions. Then one `release.published` webhook per concerned endpoint is written in the same
transaction. If any step fails, nothing of the release is live.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.actions.unpublish import UnpublishAction
from wagtail.log_actions import log

from institutions.models import Institution
from messaging.actions import UnpublishMessageAction
from messaging.lifecycle import NOT_CLEARED, ReleaseRefused, release_going_live, revision_cleared
from messaging.models import EventSequence, Message
from releases.enums import RELEASE_PUBLISHED
from releases.models import Release
from releases.selectors import (
    member_message_ids,
    member_messages,
    member_pages,
    release_audience,
    visible_member_keys,
)
from webhooks.fanout import institution_event_fanout

logger = logging.getLogger("tawasul")


class PublishReleaseAction(PublishRevisionAction):
    def __init__(self, revision: Any, user: Any = None, *, raise_on_failure: bool = False, **kwargs: Any) -> None:
        super().__init__(revision, user=user, **kwargs)
        self.raise_on_failure = raise_on_failure

    def _publish_revision(
        self,
        revision: Any,
        object: Any,
        user: Any,
        changed: bool,
        log_action: bool,
        previous_revision: Any = None,
    ) -> None:
        if not revision_cleared(revision):
            raise ReleaseRefused(NOT_CLEARED)
        if object.go_live_at and object.go_live_at > timezone.now():  # Wagtail schedules it; nothing goes live yet
            super()._publish_revision(revision, object, user, changed, log_action, previous_revision)
            return
        try:
            with transaction.atomic():
                self._go_live(revision, object, user, changed, log_action, previous_revision)
        except Exception as error:
            # Approval and scheduled publishing must not fail with it: the audit log and the release's page say why,
            # and the approved revision can be released again ("Go live now") once the cause is fixed.
            logger.exception("Release %s could not go live", object.pk)
            log(instance=object, action="tawasul.release_failed", user=user, data={"reason": str(error)})
            if self.raise_on_failure:
                raise

    def _go_live(
        self, revision: Any, release: Any, user: Any, changed: bool, log_action: bool, previous_revision: Any
    ) -> None:
        Release.objects.select_for_update().filter(pk=release.pk).first()
        # Taken now and held to commit: no other writer can take a position between two of ours.
        sequence, _created = EventSequence.objects.select_for_update().get_or_create(pk=1)
        start = sequence.last_position
        embargo = release.embargo_until if release.embargo_until and release.embargo_until > timezone.now() else None
        with release_going_live(release.pk):
            for row in member_messages(release):
                _message_go_live(row, user)
            _embargo_stamp(release, embargo)
            for page in member_pages(release):
                _page_go_live(page, user, embargo)
            release.withdrawn_at = None
            release.withdrawal_reason = ""
            super()._publish_revision(revision, release, user, changed, log_action, previous_revision)
        end = EventSequence.objects.get(pk=1).last_position
        first, last = (start + 1, end) if end > start else (None, None)
        Release.objects.filter(pk=release.pk).update(
            first_position=first, last_position=last, withdrawn_at=None, withdrawal_reason=""
        )
        release.first_position, release.last_position = first, last
        _release_published_webhooks(release)
        log(instance=release, action="tawasul.release_live", user=user, data={"positions": [first, last]})


def _message_go_live(row: Message, user: Any) -> None:
    row = Message.objects.get(pk=row.pk)
    latest = row.latest_revision
    if latest is None:
        raise ReleaseRefused(_("“%(title)s” has no revision to release.") % {"title": row})
    if row.live and row.live_revision_id == latest.pk:
        return  # already live at this content (a source's first release took its approved translation with it)
    latest.publish(user=user, skip_permission_checks=True)
    if not Message.objects.filter(pk=row.pk, live=True, live_revision_id=latest.pk).exists():
        raise ReleaseRefused(
            _(
                "“%(title)s” (%(language)s) could not go live: it may wait for its translation or have a go-live "
                "time of its own."
            )
            % {"title": row, "language": row.locale.language_code}
        )


def _embargo_stamp(release: Any, embargo: Any) -> None:
    """Under the release's embargo the public sees its messages only at the embargo's end (the public selector reads
    `embargo_until`; the embargo-lift sweep then tells institutions, as for any embargo)."""
    if embargo is None:
        return
    keys = Message.objects.filter(pk__in=member_message_ids(release)).values("translation_key")
    rows = Message.objects.filter(translation_key__in=keys, live=True)
    for row in rows.filter(embargo_until__isnull=True) | rows.filter(embargo_until__lt=embargo):
        Message.objects.filter(pk=row.pk).update(embargo_until=embargo)


def _page_go_live(page: Any, user: Any, embargo: Any) -> None:
    """A campaign page is public: under an embargo it is scheduled (Wagtail's scheduled publishing) for the
    embargo's end instead of going live with the messages."""
    latest = page.get_latest_revision()
    if latest is None or not revision_cleared(latest):
        raise ReleaseRefused(
            _("The campaign page “%(title)s” has not been approved by two people other than its author.")
            % {"title": page.title}
        )
    if page.live and page.live_revision_id == latest.pk:
        return
    if embargo is not None:
        latest.approved_go_live_at = embargo
        latest.save(update_fields=["approved_go_live_at"])
        page.revisions.exclude(pk=latest.pk).update(approved_go_live_at=None)
        return
    latest.publish(user=user, skip_permission_checks=True)
    if not type(page).objects.filter(pk=page.pk, live=True, live_revision_id=latest.pk).exists():
        raise ReleaseRefused(_("The campaign page “%(title)s” could not go live.") % {"title": page.title})


def _release_published_webhooks(release: Any) -> None:
    """One `release.published` delivery per subscribed endpoint of every institution the release reaches, naming
    the member messages that institution may see (written in this transaction, sent after commit)."""
    audience = release_audience(release)
    institutions = Institution.objects.filter(is_active=True, webhook_endpoints__is_active=True).distinct()
    pages = [str(page.translation_key) for page in member_pages(release)]
    for institution in institutions:
        if not audience.reaches(institution.pk):
            continue
        payload = {
            "type": RELEASE_PUBLISHED,
            "timestamp": timezone.now().isoformat(),
            "data": {
                "release_id": release.pk,
                "title": release.title,
                "embargo_until": release.embargo_until.isoformat() if release.embargo_until else None,
                "positions": {"first": release.first_position, "last": release.last_position},
                "message_ids": visible_member_keys(release, institution),
                "campaign_ids": sorted(set(pages)),
            },
        }
        institution_event_fanout(
            institution_id=institution.pk,
            event_type=RELEASE_PUBLISHED,
            webhook_id=f"rel_{release.pk}_{release.last_position or 0}",
            payload=payload,
        )


class WithdrawReleaseAction(UnpublishAction):
    """Withdraws a live release as a whole: each member message through the message withdrawal (every language,
    with the reason, a tombstone per language), each member page in every language, then the release itself."""

    def __init__(self, object: Any, *, reason: str, **kwargs: Any) -> None:
        super().__init__(object, **kwargs)
        self.reason = reason

    def execute(self, skip_permission_checks: bool = False) -> None:
        self.check(skip_permission_checks=skip_permission_checks)
        release = self.object
        with transaction.atomic():
            Release.objects.select_for_update().filter(pk=release.pk).first()
            done: set[Any] = set()
            for row in member_messages(release):
                if row.translation_key in done:
                    continue
                done.add(row.translation_key)
                live = Message.objects.filter(translation_key=row.translation_key, live=True).first()
                if live is not None:
                    UnpublishMessageAction(live, user=self.user, reason=self.reason).execute(
                        skip_permission_checks=True
                    )
            for page in member_pages(release):
                for translation in type(page).objects.filter(translation_key=page.translation_key):
                    translation.revisions.update(approved_go_live_at=None)  # an embargo's pending page stays off
                    if translation.live:
                        translation.unpublish(user=self.user)
            if release.live:
                self._unpublish_object(release, False, True, self.user, False)
            now = timezone.now()
            Release.objects.filter(pk=release.pk).update(withdrawn_at=now, withdrawal_reason=self.reason)
            release.withdrawn_at, release.withdrawal_reason = now, self.reason
            log(instance=release, action="tawasul.release_withdrawn", user=self.user, data={"reason": self.reason})
