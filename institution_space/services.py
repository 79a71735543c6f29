"""What institution users change: acknowledgements (the API's ledger), their change-feed mark, and the follow-up
of the campaign activities their institution owns."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Revision

from campaigns.models import CampaignActivity
from institution_space.models import ActivityUpdate, InstitutionMember
from institution_space.selectors import latest_position
from institutions.enums import AcknowledgementKind
from institutions.ledger import Acknowledgement
from institutions.selectors import acknowledgeable_message, message_current_version, withdrawal_sent_to
from institutions.services import acknowledgement_record


def _signature(member: InstitutionMember) -> str:
    return member.user.get_full_name() or member.user.get_username()


def member_acknowledge_version(*, member: InstitutionMember, translation_key: UUID, note: str = "") -> Acknowledgement:
    """Acknowledge the current version of a message visible to the member's institution (idempotent)."""
    institution = member.institution
    message = acknowledgeable_message(institution=institution, translation_key=translation_key)
    version = message_current_version(institution=institution, translation_key=translation_key)
    if message is None or version is None:
        raise Http404(_("No message with this id is visible to your institution."))
    ack, _created = acknowledgement_record(
        institution_id=institution.pk,
        translation_key=translation_key,
        message=message,
        version=version,
        note=note,
        acknowledged_by=_signature(member),
        user=member.user,
    )
    return ack


def member_acknowledge_withdrawal(
    *, member: InstitutionMember, translation_key: UUID, note: str = ""
) -> Acknowledgement:
    tombstone = withdrawal_sent_to(institution=member.institution, translation_key=translation_key)
    if tombstone is None:
        raise Http404(_("No withdrawal of this message was sent to your institution."))
    ack, _created = acknowledgement_record(
        institution_id=member.institution_id,
        translation_key=translation_key,
        message=tombstone.message,
        version=tombstone.version,
        kind=AcknowledgementKind.WITHDRAWAL,
        note=note,
        acknowledged_by=_signature(member),
        user=member.user,
    )
    return ack


def member_changes_seen(*, member: InstitutionMember) -> None:
    member.seen_position = latest_position(institution=member.institution)
    member.save(update_fields=["seen_position"])


def _revision_status_set(revision: Revision, activity_ids: set[int], status: str) -> None:
    """Carry the status into a stored page revision, so publishing that revision later does not undo it."""
    content = revision.content or {}
    changed = False
    for row in content.get("activities", []):
        if row.get("pk") in activity_ids and row.get("status") != status:
            row["status"] = status
            changed = True
    if changed:
        revision.content = content
        revision.save(update_fields=["content"])


@transaction.atomic
def activity_update(*, member: InstitutionMember, activity: CampaignActivity, status: str, note: str) -> ActivityUpdate:
    """Record an institution's follow-up of one of its activities: the status of every language's row changes at
    once, in the rows and in the page's latest and live revisions (an activity is part of its campaign page)."""
    if activity.owner_id != member.institution_id:
        raise PermissionDenied
    rows = list(CampaignActivity.objects.select_for_update().filter(translation_key=activity.translation_key))
    before = activity.status
    if status != before:
        for row in rows:
            row.status = status
            row.save(update_fields=["status"])
            page = row.page
            for revision in {page.latest_revision, page.live_revision} - {None}:
                _revision_status_set(revision, {row.pk}, status)
    update = ActivityUpdate.objects.create(
        activity=activity,
        institution=member.institution,
        author=member.user,
        status_before=before,
        status_after=status,
        note=note.strip(),
    )
    log(
        instance=activity.page,
        action="tawasul.activity.update",
        user=member.user,
        data={"activity": activity.title, "status_before": before, "status_after": status, "note": update.note},
    )
    return update
