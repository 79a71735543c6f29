"""Flows that change a release. Views call these; `releases.actions` does the state changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy

from messaging.lifecycle import NOT_CLEARED, ReleaseRefused, revision_cleared
from releases.actions import PublishReleaseAction, WithdrawReleaseAction
from releases.models import Release


def release_permission_policy() -> ModelPermissionPolicy:
    return ModelPermissionPolicy(Release)


def user_may_release(user: Any) -> bool:
    return bool(user is not None and release_permission_policy().user_has_permission(user, "publish"))


def release_go_live_now(*, release: Release, user: Any) -> None:
    """Put an approved release live now, when its time has come: after a failed attempt (the cause fixed), or a
    scheduled release whose time has passed. Raises what stopped it; nothing of it is live then."""
    if not user_may_release(user):
        raise PermissionDenied(_("Only approvers may put a release live."))
    if release.live:
        raise ValidationError(_("This release is live already."))
    revision = release.scheduled_revision or release.latest_revision
    if revision is None or not revision_cleared(revision):
        raise ReleaseRefused(NOT_CLEARED)
    go_live_at = revision.as_object().go_live_at
    if go_live_at and go_live_at > timezone.now():
        raise ValidationError(_("This release is scheduled; it goes live at its time."))
    PublishReleaseAction(revision, user=user, raise_on_failure=True).execute(skip_permission_checks=True)


def release_withdraw(*, release: Release, user: Any, reason: str) -> None:
    """Withdraw a live release as a whole: every member message in every language, every member page, with the
    reason kept in the audit log and sent with the tombstones."""
    if not user_may_release(user):
        raise PermissionDenied(_("Only approvers may withdraw a release."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the release is withdrawn.")})
    if not release.live:
        raise ValidationError(_("Only a live release can be withdrawn."))
    WithdrawReleaseAction(release, user=user, reason=reason.strip()).execute(skip_permission_checks=True)
