"""Sending, revoking and deciding outside clearance links. The decision moves the workflow through Wagtail's own
`TaskState.approve` / `TaskState.reject`, so the workflow history, signals and publishing stay Wagtail's."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import TaskState

from clearance.enums import ClearanceDecision, LinkState
from clearance.models import REVOKE_ACTION, SEND_ACTION, ClearanceLink, OutsideClearanceTask
from clearance.tokens import link_id_from
from hub.celery import task
from messaging.models.workflow import follow_unchanged_revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ClearanceRefused(Exception):
    """The link cannot take a decision; `state` says why."""

    def __init__(self, state: LinkState, link: ClearanceLink | None = None) -> None:
        super().__init__(state)
        self.state = state
        self.link = link


def _audit(link: ClearanceLink, action: str, user: User | AnonymousUser | None = None, **extra: Any) -> None:
    workflow_state = link.task_state.workflow_state
    log(
        instance=workflow_state.content_object,
        action=action,
        user=user,
        revision=link.revision,
        data={
            "link": str(link.pk),
            "name": link.recipient_name,
            "email": link.recipient_email,
            "institution": link.recipient_institution,
            "task": {"id": link.task_state.task_id, "title": link.task_state.task.name},
            **extra,
        },
    )


def clearance_link_action(*, task_state: TaskState, user: User | None, action_name: str, **kwargs: Any) -> None:
    """The outside clearance step's own actions (`OutsideClearanceTask.on_action`, once it has checked the user may
    send): send a link, or revoke every link of the step."""
    if action_name == SEND_ACTION:
        clearance_link_send(
            task_state=task_state,
            sent_by=user,
            name=kwargs["name"],
            email=kwargs["email"],
            institution=kwargs["institution"],
            language=kwargs.get("language") or settings.LANGUAGE_CODE,
        )
    elif action_name == REVOKE_ACTION:
        clearance_links_revoke(task_state=task_state, user=user)


def clearance_link_send(
    *, task_state: TaskState, sent_by: User | None, name: str, email: str, institution: str, language: str
) -> ClearanceLink:
    """Create a link for the latest revision of the object at this step and e-mail it once the transaction commits."""
    task = task_state.task.specific
    if not isinstance(task, OutsideClearanceTask) or task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied(_("This step is not waiting for an outside clearance."))
    revision = task_state.workflow_state.content_object.get_latest_revision()
    now = timezone.now()
    with transaction.atomic():
        link = ClearanceLink.objects.create(
            task_state=task_state,
            revision=revision,
            recipient_name=name.strip(),
            recipient_email=email.strip(),
            recipient_institution=institution.strip(),
            language=language,
            sent_by=sent_by,
            created_at=now,
            expires_at=now + timedelta(hours=task.validity_hours),
        )
        _audit(link, "tawasul.clearance.send", user=sent_by, expires_at=link.expires_at.isoformat())
        transaction.on_commit(lambda: _enqueue_mail(link.pk))
    return link


def _enqueue_mail(link_id: UUID) -> None:
    task("clearance.tasks.clearance_link_mail").delay(str(link_id))


def clearance_link_revoke(*, link: ClearanceLink, user: User | None) -> bool:
    with transaction.atomic():
        locked = ClearanceLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at or locked.revoked_at:
            return False
        locked.revoked_at, locked.revoked_by = timezone.now(), user
        locked.save(update_fields=["revoked_at", "revoked_by"])
        _audit(locked, "tawasul.clearance.revoke", user=user)
    link.refresh_from_db()
    return True


def clearance_links_revoke(*, task_state: TaskState, user: User | None) -> int:
    links = ClearanceLink.objects.filter(task_state=task_state).open()
    return sum(clearance_link_revoke(link=link, user=user) for link in links)


def clearance_decide(*, token: str, decision: ClearanceDecision | str, comment: str = "") -> ClearanceLink:
    """Record the outside person's decision and advance (or return) the workflow. The link is locked, checked and
    spent in one transaction: a second use, concurrent or replayed, finds it used and changes nothing."""
    link_id = link_id_from(token)
    if link_id is None:
        raise ClearanceRefused(LinkState.INVALID)
    decision = ClearanceDecision(decision)
    with transaction.atomic():
        link = ClearanceLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None:
            raise ClearanceRefused(LinkState.INVALID)
        TaskState.objects.select_for_update().filter(pk=link.task_state_id).first()
        state = link.state()
        if state != LinkState.OPEN:
            raise ClearanceRefused(state, link)
        link.used_at, link.decision, link.comment = timezone.now(), decision, comment.strip()
        link.save(update_fields=["used_at", "decision", "comment"])
        action = "tawasul.clearance.return" if decision == ClearanceDecision.RETURNED else "tawasul.clearance.clear"
        _audit(link, action, decision=decision.value, comment=link.comment)
        task_state = link.task_state.specific
        follow_unchanged_revision(task_state)
        workflow_comment = f"{link.recipient_name} ({link.recipient_institution}): {link.comment}".strip(": ")
        if decision == ClearanceDecision.RETURNED:
            task_state.reject(user=None, comment=workflow_comment)
        else:
            task_state.approve(user=None, comment=workflow_comment)
    return link
