"""The rules of a message's lifecycle, each in one place.

Every door into the lifecycle (the editor, workflow actions, wagtail-localize's views, revert, scheduled publishing
and expiry, delete, commands, our services) ends in `PublishMessageAction` or `UnpublishMessageAction`
(`messaging.actions`), and those ask these functions:

- `approval_refusal`: may this person approve this workflow step? (nobody approves their own work; step 1 and step 2
  by different people, superusers included)
- `revision_cleared`: did two people other than its authors approve every step of a workflow on this revision?
- `release_plan`: may this revision go live now, must it wait (a first release waits for every required language,
  a member of a coordinated release waits for the release), and which approved translations go live with it?
- `release_hold`: does this message or page belong to a coordinated release that has not gone live? (then it goes
  live only with the release, `releases.actions`)

`Message.save` refuses a change of `live` made outside those actions (`lifecycle_transition`), so a stock path that
forgot to call them fails loudly instead of writing state around the rules.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision, TaskState, WorkflowState
from wagtail_localize.models import TranslationSource

from messaging.enums import TranslationStatus

if TYPE_CHECKING:
    from messaging.models import Message

SOURCE_LANGUAGE = "ar"


def translation_status(*, language: str, version: int, source_version: int | None) -> TranslationStatus:
    """The one rule for a row's translation status: the source row is the source; a translation is current only
    while it was published from the live source version (no source row: nothing to be behind)."""
    if language == SOURCE_LANGUAGE:
        return TranslationStatus.SOURCE
    if source_version is None or version >= source_version:
        return TranslationStatus.CURRENT
    return TranslationStatus.OUTDATED


# Revision fields that change without anyone changing the content (saving, locking, publishing, tree moves).
VOLATILE_REVISION_KEYS = frozenset(
    {
        "pk", "latest_revision", "latest_revision_created_at", "live_revision", "live", "has_unpublished_changes",
        "locked", "locked_at", "locked_by", "updated_at", "first_published_at", "last_published_at", "expired",
        "draft_title", "path", "depth", "numchild", "url_path", "wagtail_admin_comments", "version",
        "source_revision", "api_body", "creation_token", "emergency_unreviewed", "translation_to_follow",
        "hold_for_translation",
    }
)  # fmt: skip

SELF_APPROVAL_REFUSED = _(
    "Two-person rule: you submitted or wrote this revision, so another member of the group must approve it."
)
SAME_APPROVER_REFUSED = _("Two-person rule: you approved an earlier step, so another person must approve this one.")
NOT_CLEARED = _(
    "This revision has not been approved by two people other than its author. Submit it for approval, or use "
    "emergency publishing."
)


class ReleaseRefused(PermissionDenied):
    """A revision may not go live: raised by the publish action, whatever door it came through."""


def required_languages() -> tuple[str, ...]:
    """The languages a message's first release needs live beside the Arabic source."""
    return tuple(getattr(settings, "TAWASUL_REQUIRED_LANGUAGES", ("en",)))


# Authorship and approvals


def revision_content(content: dict[str, Any] | None) -> dict[str, Any]:
    return {key: _structured(value) for key, value in (content or {}).items() if key not in VOLATILE_REVISION_KEYS}


def _without_block_ids(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_block_ids(item) for item in value]
    if isinstance(value, dict):
        is_block = "type" in value and "value" in value
        return {key: _without_block_ids(item) for key, item in value.items() if not (is_block and key == "id")}
    return value


def _structured(value: Any) -> Any:
    """StreamField values sit in revisions as JSON text whose key order depends on the database (jsonb sorts keys
    on PostgreSQL), so compare them parsed, and without their blocks' ids: an id names a block for the editor and
    for comments, it says nothing (the same form posted twice, autosave racing Save, gets new ids)."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return _without_block_ids(json.loads(value))
        except ValueError:
            return value
    return _without_block_ids(value) if isinstance(value, list) else value


def workflow_authors(workflow_state: WorkflowState) -> set[int]:
    """Who wrote the content under review: the submitter, the author of the submitted revision and of every later
    revision that changed it. A reviewer whose save changed nothing (the editor saves before running a workflow
    action) is not an author; one who edited the content is, and needs another reviewer."""
    authors = {workflow_state.requested_by_id}
    content_type_id, object_id = workflow_state.base_content_type_id, workflow_state.object_id
    of_object = Revision.objects.filter(base_content_type_id=content_type_id, object_id=object_id)
    submitted = of_object.filter(created_at__lte=workflow_state.created_at).order_by("-id").only("id").first()
    revisions = list(
        of_object.filter(id__gte=submitted.pk if submitted else 0).order_by("id").only("id", "user_id", "content")
    )
    if revisions:
        authors.add(revisions[0].user_id)
    for previous, current in itertools.pairwise(revisions):
        if revision_content(current.content) != revision_content(previous.content):
            authors.add(current.user_id)
    return {author for author in authors if author is not None}


def approval_refusal(task_state: TaskState, user: Any) -> str | None:
    """Why `user` may not approve this step, or None. The rule binds superusers too."""
    if user is None or not user.is_authenticated:
        return str(SELF_APPROVAL_REFUSED)
    workflow_state = task_state.workflow_state
    if user.pk in workflow_authors(workflow_state):
        return str(SELF_APPROVAL_REFUSED)
    earlier = (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED, finished_by=user)
        .exclude(task_id=task_state.task_id)
        .exists()
    )
    if earlier:
        return str(SAME_APPROVER_REFUSED)
    return None


def revision_cleared(revision: Revision) -> bool:
    """Every step of a workflow approved on exactly this revision; its internal approval steps (at least two) by
    as many different people, none of them an author. A step whose task declares `internal_approval = False` (an
    outside clearance, decided without an account) must be approved too, but counts as no internal approval."""
    states = (
        TaskState.objects.filter(revision_id=revision.pk, status=TaskState.STATUS_APPROVED)
        .select_related("workflow_state")
        .order_by("-workflow_state_id", "id")
    )
    for _workflow_state_id, group in itertools.groupby(states, key=lambda state: state.workflow_state_id):
        approved = list(group)
        workflow_state = approved[0].workflow_state
        tasks = [step.task for step in workflow_state.workflow.workflow_tasks.filter(task__active=True)]
        steps = {task.pk for task in tasks if getattr(task.specific_class, "internal_approval", True)}
        by_step = {state.task_id: state.finished_by_id for state in approved}
        approvers = {by_step.get(step) for step in steps}
        if (
            len(steps) >= 2
            and {task.pk for task in tasks} <= by_step.keys()
            and None not in approvers
            and len(approvers) == len(steps)
            and not approvers & workflow_authors(workflow_state)
        ):
            return True
    return False


# Releasing


@dataclass
class ReleasePlan:
    """What publishing a revision does: nothing yet (`hold`, with the reason), or put it live with `companions`
    (approved translations that go live in the same transaction)."""

    hold: str | None = None
    companions: list[Revision] = field(default_factory=list)
    source_to_release: Revision | None = None


def release_plan(message: Message, revision: Revision, *, emergency: bool = False) -> ReleasePlan:
    """Raise `ReleaseRefused` unless the revision was cleared (or is an emergency release); then say what the
    release does. Parity: a message's first release needs every required language approved at the source's
    content and goes live with them, unless an approver released "Arabic now, translation to follow"."""
    if not emergency and not revision_cleared(revision):
        raise ReleaseRefused(NOT_CLEARED)
    if (held := release_hold(message)) is not None:
        if emergency:  # an emergency is no reason to break a release apart: take the message out of it first
            raise ReleaseRefused(held)
        return ReleasePlan(hold=held)
    if message.is_source:
        first = message.version == 0
        if emergency or (first and message.translation_to_follow) or (not first and not message.hold_for_translation):
            return ReleasePlan()
        companions = [ready_translation(message, revision, code) for code in required_languages()]
        if any(companion is None for companion in companions):
            waiting = FIRST_RELEASE_WAITS if first else HELD_UPDATE_WAITS
            return ReleasePlan(hold=str(waiting))
        return ReleasePlan(companions=[c for c in companions if c is not None])
    source = message.source_translation()
    if source is None or not source.live:
        held_source = held_source_revision(source) if source is not None else None
        return ReleasePlan(hold=str(_("Waiting for the Arabic source to be released.")), source_to_release=held_source)
    held_update = held_source_revision(source)
    language = message.locale.language_code
    if held_update is not None and getattr(ready_translation(source, held_update, language), "pk", None) == revision.pk:
        # The translation of an update held for it: both go live together, through the source's release.
        return ReleasePlan(hold=str(HELD_UPDATE_WAITS), source_to_release=held_update)
    return ReleasePlan()


FIRST_RELEASE_WAITS = _("Waiting for the approved translation before the first release.")
HELD_UPDATE_WAITS = _(
    "The approver held this update until its translation is approved; the current version stays live."
)


def held_source_revision(source: Message) -> Revision | None:
    """The source's latest revision when it is approved and waiting (not scheduled) for its translations: before
    the first release, or an update of a live message that its final approver held for its translation."""
    revision = source.latest_revision
    if revision is None or revision.approved_go_live_at is not None:
        return None
    if source.live and (not source.hold_for_translation or revision.pk == source.live_revision_id):
        return None
    return revision if revision_cleared(revision) else None


def translation_extract_follows_held_update(sender: Any, instance: Any, **kwargs: Any) -> None:
    """`pre_save` of wagtail-localize's `TranslationSource`. It extracts a message's strings from the row, which
    holds the live version; an update held for its translation lives only in its revision, so the strings the
    translator translates (on request, sync or the approval that held it) are taken from that revision."""
    model = instance.specific_content_type.model_class()
    if not hasattr(model, "hold_for_translation"):
        return
    source = model.objects.filter(translation_key=instance.object_id, locale_id=instance.locale_id).first()
    if source is None or not source.hold_for_translation:
        return
    held = held_source_revision(source)
    if held is not None:
        instance.content_json = held.as_object().to_json()


def held_update_offered_for_translation(source: Message) -> None:
    """Once an update is held for its translation, its strings replace the live version's in the message's
    translation source (an existing translation shows them as untranslated; a new one starts from them)."""
    extract = TranslationSource.objects.filter(object_id=source.translation_key, locale_id=source.locale_id).first()
    if extract is not None and held_source_revision(source) is not None:
        extract.update_from_db()


def ready_translation(source: Message, source_revision: Revision, language_code: str) -> Revision | None:
    """The translation's latest revision if it was made from exactly this source content and cleared."""
    translation = source.get_translations().filter(locale__language_code=language_code).first()
    if translation is None or translation.latest_revision is None:
        return None
    extract = (
        TranslationSource.objects.filter(object_id=source.translation_key, locale_id=source.locale_id)
        .only("content_json", "last_updated_at")
        .first()
    )
    if extract is None:
        return None
    made_from = revision_content(json.loads(extract.content_json))
    if made_from != revision_content(source_revision.content):
        return None
    latest = translation.latest_revision
    if latest.created_at < extract.last_updated_at or not revision_cleared(latest):
        return None
    return latest


# Coordinated releases

RELEASE_MEMBER_HELD = _(
    "This belongs to a release that has not gone live: it goes live with the release. Take it out of the release to "
    "publish it on its own."
)
ReleaseMembership = Callable[[Any], set[int]]
_release_memberships: list[ReleaseMembership] = []
_releasing: ContextVar[frozenset[int]] = ContextVar("tawasul_releasing", default=frozenset())


def release_membership_register(lookup: ReleaseMembership) -> None:
    """The app that keeps releases says which pending releases (ids) hold a message or page (`AppConfig.ready`)."""
    if lookup not in _release_memberships:
        _release_memberships.append(lookup)


@contextmanager
def release_going_live(release_id: int) -> Iterator[None]:
    """Marks the publishing of a release's members by the release itself."""
    token = _releasing.set(_releasing.get() | {release_id})
    try:
        yield
    finally:
        _releasing.reset(token)


def release_hold(instance: Any) -> str | None:
    """Why a message or campaign page may not go live on its own, or None: it belongs to a release that has not
    gone live (and is not being released right now). Asked by every publish path of messages
    (`PublishMessageAction`, through `release_plan`) and of campaign pages (`CampaignPage.publish`)."""
    pending: set[int] = set()
    for lookup in _release_memberships:
        pending |= lookup(instance)
    if pending - _releasing.get():
        return str(RELEASE_MEMBER_HELD)
    return None


# The guard on `live`

_transition: ContextVar[bool] = ContextVar("tawasul_lifecycle_transition", default=False)


@contextmanager
def lifecycle_transition() -> Iterator[None]:
    """Marks a change of `live` made by the lifecycle's own actions."""
    token = _transition.set(True)
    try:
        yield
    finally:
        _transition.reset(token)


def in_lifecycle_transition() -> bool:
    return _transition.get()
