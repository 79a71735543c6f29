"""Reads about releases: who a release reaches, what holds a member back, what an institution may know of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from wagtail.models import Revision

from campaigns.models import CampaignPage
from messaging.lifecycle import SOURCE_LANGUAGE
from messaging.models import Message
from messaging.selectors import InstitutionRef, institution_id, visible_messages_for
from releases.models import Release, ReleaseMessage, ReleasePage

PENDING = Q(live=False, withdrawn_at__isnull=True)


def pending_releases_holding(instance: object) -> set[int]:
    """The releases, not live and not withdrawn, that hold this message or campaign page (in any language: a
    member is named by one language row, and the message or page goes live with the release in every language)."""
    if isinstance(instance, Message):
        members: QuerySet[ReleaseMessage] | QuerySet[ReleasePage] = ReleaseMessage.objects.filter(
            message__translation_key=instance.translation_key
        )
    elif isinstance(instance, CampaignPage):
        members = ReleasePage.objects.filter(page__translation_key=instance.translation_key)
    else:
        return set()
    pending = members.filter(release__live=False, release__withdrawn_at__isnull=True)
    return set(pending.values_list("release_id", flat=True))


def member_message_ids(release: Release) -> list[int]:
    """Ids of the member rows, from the release as given: a row, or a revision's object (its approved membership)."""
    return [member.message_id for member in release.message_members.all()]


def member_page_ids(release: Release) -> list[int]:
    return [member.page_id for member in release.page_members.all()]


def member_messages(release: Release) -> list[Message]:
    """The release's message rows in publishing order: every source before any translation (a translation never
    goes live before its source)."""
    ids = member_message_ids(release)
    rows = Message.objects.filter(pk__in=ids).select_related("locale")
    return sorted(rows, key=lambda row: (row.locale.language_code != SOURCE_LANGUAGE, ids.index(row.pk)))


def member_pages(release: Release) -> list[Any]:
    ids = member_page_ids(release)
    return list(CampaignPage.objects.filter(pk__in=ids).select_related("locale"))


@dataclass(frozen=True)
class ReleaseAudience:
    everyone: bool
    institution_ids: frozenset[int]

    def reaches(self, institution_id: int) -> bool:
        return self.everyone or institution_id in self.institution_ids

    def overlaps(self, other: ReleaseAudience) -> bool:
        if self.everyone or other.everyone:
            return bool(self.everyone or self.institution_ids) and bool(other.everyone or other.institution_ids)
        return bool(self.institution_ids & other.institution_ids)


def member_audiences(release: Release) -> dict[Any, ReleaseAudience]:
    """Each member message's audience (by message id), as its latest revision says: what the release puts live,
    or put live."""
    keys = Message.objects.filter(pk__in=member_message_ids(release)).values("translation_key")
    audiences = {}
    for row in Message.objects.filter(translation_key__in=keys, locale__language_code=SOURCE_LANGUAGE):
        planned = row.get_latest_revision_as_object()
        audiences[row.translation_key] = ReleaseAudience(
            everyone=planned.audience_all,
            institution_ids=frozenset(institution.pk for institution in planned.audience.all()),
        )
    return audiences


def release_audience(release: Release) -> ReleaseAudience:
    """Everyone when a member message is addressed to all institutions or a campaign page (public) is in it;
    otherwise the institutions its messages are addressed to."""
    audiences = member_audiences(release).values()
    if member_page_ids(release) or any(audience.everyone for audience in audiences):
        return ReleaseAudience(everyone=True, institution_ids=frozenset())
    return ReleaseAudience(
        everyone=False, institution_ids=frozenset().union(*(audience.institution_ids for audience in audiences))
    )


def scheduled_release_ids() -> set[int]:
    """Releases approved and waiting for their go-live time (Wagtail's scheduled publishing holds the revision)."""
    content_type = ContentType.objects.get_for_model(Release)
    return {
        int(object_id)
        for object_id in Revision.objects.filter(
            base_content_type=content_type, approved_go_live_at__isnull=False
        ).values_list("object_id", flat=True)
    }


def releases_for_institution(institution: InstitutionRef) -> list[tuple[Release, ReleaseAudience]]:
    """What is coming to an institution, and what came: scheduled releases (approved, waiting for their time) and
    live ones, addressed to it. Drafts and releases in review are the centre's plans, not yet commitments."""
    scheduled = scheduled_release_ids()
    candidates = Release.objects.filter(Q(live=True) | Q(pk__in=scheduled, live=False, withdrawn_at__isnull=True))
    found = []
    for release in candidates.prefetch_related("message_members", "page_members"):
        audience = release_audience(release)
        if audience.reaches(institution_id(institution)):
            found.append((release, audience))
    found.sort(key=lambda pair: (release_moment(pair[0]) is not None, release_moment(pair[0])), reverse=True)
    return found


def release_moment(release: Release) -> datetime | None:
    """When the release went live, or is to."""
    if release.live and release.last_published_at:
        return release.last_published_at
    revision = release.scheduled_revision
    if revision is not None and revision.approved_go_live_at:
        return revision.approved_go_live_at
    return release.go_live_at


def visible_member_keys(release: Release, institution: InstitutionRef) -> list[str]:
    """The member messages (ids, as the message API names them) this institution may see now."""
    keys = Message.objects.filter(pk__in=member_message_ids(release)).values("translation_key")
    visible = visible_messages_for(institution).filter(translation_key__in=keys)
    return sorted({str(key) for key in visible.values_list("translation_key", flat=True)})


def release_preview_members(release: Release) -> list[dict[str, Any]]:
    """Each member in both languages, at its latest revision (what the release would put live)."""
    members: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for member in Message.objects.filter(pk__in=member_message_ids(release)):
        if member.translation_key in seen:
            continue
        seen.add(member.translation_key)
        rows = Message.objects.filter(translation_key=member.translation_key).select_related("locale")
        members.append(
            {
                "kind": "message",
                "languages": [
                    {"code": row.locale.language_code, "object": row.get_latest_revision_as_object(), "row": row}
                    for row in sorted(rows, key=lambda row: row.locale.language_code != SOURCE_LANGUAGE)
                ],
            }
        )
    for page in CampaignPage.objects.filter(pk__in=member_page_ids(release)):
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        pages = CampaignPage.objects.filter(translation_key=page.translation_key).select_related("locale")
        members.append(
            {
                "kind": "page",
                "languages": [
                    {"code": row.locale.language_code, "object": row.get_latest_revision_as_object(), "row": row}
                    for row in sorted(pages, key=lambda row: row.locale.language_code != SOURCE_LANGUAGE)
                ],
            }
        )
    return members
